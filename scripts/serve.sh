#!/usr/bin/env bash
# Builds Vejkort (release: the analysis is several times faster than a debug build) and serves it on
# http://127.0.0.1:8080/. The example data set is part of the build: press "Load example".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
exec trunk serve --release
