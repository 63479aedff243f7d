# Sourced by the scripts: puts cargo-installed tools and npm's wasm-opt on PATH, where Trunk looks for them.
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
