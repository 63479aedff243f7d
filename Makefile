# The two commands of the README. Both install what is missing first (scripts/setup.sh).
.PHONY: serve test bench

serve:
	scripts/serve.sh

test:
	scripts/test.sh

# Criterion benchmarks of the engine (not part of the tests).
bench:
	scripts/setup.sh && cargo bench -p vejkort-engine
