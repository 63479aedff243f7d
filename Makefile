# The two commands of the README. Both install what is missing first (scripts/setup.sh).
.PHONY: serve test bench bench-render bench-engine bench-embed bench-memory fuzz

serve:
	scripts/serve.sh

test:
	scripts/test.sh

# Criterion benchmarks of the engine (not part of the tests).
bench:
	scripts/setup.sh && cargo bench -p vejkort-engine

# The map renderer (WebGL2, Canvas2D) against regl-scatterplot in headless Chromium (not part of the tests).
bench-render:
	scripts/setup.sh && . scripts/env.sh && node scripts/bench-render.mjs

# Vejkort against umap-learn, hdbscan, scikit-learn, umap-js and Embedding Atlas on the same inputs (tens of minutes).
bench-engine:
	scripts/bench-engine.sh

# The language model's statements per second in headless Chromium, timed from the page (needs a built dist/).
bench-embed:
	scripts/setup.sh && . scripts/env.sh && trunk build --release && node bench/embed/browser.mjs 100 1000 10000 && \
	cargo run --release --quiet -p vejkort-embed --example throughput -- 100 1000 10000

# Every fuzz target (parsers of user files, project file, tokenizers) for FUZZ_SECONDS each on one core (not part
# of the tests; needs nightly). Findings go to fuzz/artifacts/, the table to fuzz/logs/summary.tsv.
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

# Peak memory in headless Chromium for 100k × 384 and 100k × 1,536 .npy and a 200 MB CSV (a release build; minutes).
bench-memory:
	scripts/setup.sh && . scripts/env.sh && trunk build --release && node bench/memory/browser.mjs
