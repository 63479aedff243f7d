"""Scores every tool's output on each benchmark input and prints one table.

Columns: wall time, its ratio to umap-learn's 2-D layout; trustworthiness (k = 15) of the 2-D layout, on the same
sample of at most 5,000 points for every tool; kNN recall@15 of Vejkort's graph against exact kNN; ARI between
Vejkort's HDBSCAN and the Python hdbscan package on Vejkort's own clustering space; ARI and NMI of the clusters
against ground-truth labels where the input has them; ARI between the clusterings of the input and of a shuffled
copy (stability: 1.0 means shuffling changed nothing).
"""

import csv
import json
import os
import sys

import numpy as np
from sklearn.manifold import trustworthiness
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

data_dir, out_dir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
SAMPLE = 5000


def load_json(path):
    return json.load(open(path)) if os.path.exists(path) else {}


def vejkort_csv(path):
    if not os.path.exists(path):
        return None, None
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    xy = np.array([[float(r["x"]), float(r["y"])] for r in rows], dtype=np.float32)
    clusters = np.array([int(r["cluster"]) for r in rows])
    return xy, clusters


def fmt(value, digits=3):
    return "–" if value is None else f"{value:.{digits}f}"


table = []
targets = []
for name in names:
    d = os.path.join(out_dir, name)
    X = np.load(os.path.join(data_dir, f"{name}.npy"))
    labels_path = os.path.join(data_dir, f"{name}.labels.npy")
    truth = np.load(labels_path) if os.path.exists(labels_path) else None
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(len(X), size=min(SAMPLE, len(X)), replace=False))

    py = load_json(os.path.join(d, "python_timings.json"))
    br = load_json(os.path.join(d, "browser_timings.json"))
    native = load_json(os.path.join(d, "vejkort_native_timings.json"))
    reference_time = py.get("umap_learn_2d")

    def trust(layout):
        if layout is None or len(layout) != len(X):
            return None
        return trustworthiness(X[sample], layout[sample], n_neighbors=15, metric="cosine")

    def ratio(seconds):
        return None if seconds is None or not reference_time else reference_time / seconds

    native_xy, native_clusters = vejkort_csv(os.path.join(d, "vejkort_native.csv"))
    wasm_xy, wasm_clusters = vejkort_csv(os.path.join(d, "vejkort_wasm.csv"))
    _, shuffled_clusters = vejkort_csv(os.path.join(d, "vejkort_native_shuffled.csv"))

    recall = None
    if os.path.exists(os.path.join(d, "vejkort_knn.npy")) and os.path.exists(os.path.join(d, "exact_knn.npy")):
        ours, exact = np.load(os.path.join(d, "vejkort_knn.npy")), np.load(os.path.join(d, "exact_knn.npy"))
        recall = float(np.mean([len(set(a) & set(b)) / exact.shape[1] for a, b in zip(ours, exact)]))

    knn_seconds = None
    if os.path.exists(os.path.join(d, "vejkort_knn.seconds")):
        knn_seconds = float(open(os.path.join(d, "vejkort_knn.seconds")).read().strip() or "nan")

    same_input_ari = None
    if os.path.exists(os.path.join(d, "python_hdbscan_on_vejkort_space.npy")) and native_clusters is not None:
        same_input_ari = adjusted_rand_score(np.load(os.path.join(d, "python_hdbscan_on_vejkort_space.npy")), native_clusters)

    stability = None
    if shuffled_clusters is not None and native_clusters is not None:
        permutation = np.load(os.path.join(d, "shuffle_permutation.npy"))
        # Row i of the shuffled input is row permutation[i] of the original.
        unshuffled = np.empty_like(shuffled_clusters)
        unshuffled[permutation] = shuffled_clusters
        stability = adjusted_rand_score(native_clusters, unshuffled)

    def truth_scores(clusters):
        if truth is None or clusters is None or len(clusters) != len(truth):
            return None, None
        return adjusted_rand_score(truth, clusters), normalized_mutual_info_score(truth, clusters)

    def layout(file):
        path = os.path.join(d, file)
        return np.load(path) if os.path.exists(path) else None

    rows = [
        ("Vejkort native (CLI)", native.get("total"), trust(native_xy), None, same_input_ari, *truth_scores(native_clusters), stability),
        ("Vejkort NN-descent kNN, native", knn_seconds, None, recall, None, None, None, None),
        ("Vejkort wasm, Chromium", br.get("vejkort_wasm"), trust(wasm_xy), None, None, *truth_scores(wasm_clusters), None),
        ("Vejkort wasm, map only (PCA + kNN + UMAP 2-D), Chromium", br.get("vejkort_wasm_map"), trust(wasm_xy), None, None, None, None, None),
        ("umap-learn 2-D (Python)", reference_time, trust(layout("umap_learn_2d.npy")), None, None, None, None, None),
        ("umap-learn 5-D + hdbscan (Python)", (py.get("umap_learn_5d") or 0) + (py.get("hdbscan_on_umap_learn_5d") or 0) or None, None, None, None,
         *truth_scores(np.load(os.path.join(d, "python_pipeline_labels.npy")) if os.path.exists(os.path.join(d, "python_pipeline_labels.npy")) else None), None),
        ("umap-js, Chromium", br.get("umap_js"), trust(layout("umap_js_2d.npy")), None, None, None, None, None),
        ("Embedding Atlas WASM UMAP, Chromium", br.get("embedding_atlas"), trust(layout("embedding_atlas_2d.npy")), None, None, None, None, None),
        ("exact kNN (scikit-learn)", py.get("exact_knn"), None, 1.0, None, None, None, None),
    ]
    for tool, seconds, tw, rc, hd, ari, nmi, st in rows:
        layout_tool = "kNN" not in tool
        table.append((name, tool, seconds, ratio(seconds) if layout_tool else None, tw, rc, hd, ari, nmi, st))
    def times(a, b):
        return f"{a / b:.2f}×" if a and b else "–"

    map_seconds = br.get("vejkort_wasm_map")
    targets.append(
        f"- {name}: map in Chromium {fmt(map_seconds, 2)} s; faster than umap-js {times(br.get('umap_js'), map_seconds)} "
        f"(target 5×), than Embedding Atlas {times(br.get('embedding_atlas'), map_seconds)} (target 3×); "
        f"whole job from upload to clustered map {fmt(br.get('vejkort_wasm'), 2)} s"
    )
    if native.get("stages"):
        print(f"{name}: Vejkort native stages " + ", ".join(f"{k} {v:.2f} s" for k, v in native["stages"].items()))
    if br.get("vejkort_wasm_stages"):
        print(f"{name}: Vejkort wasm stages " + ", ".join(f"{k} {v:.2f} s" for k, v in br["vejkort_wasm_stages"].items()))

header = ("input", "tool", "seconds", "× faster than umap-learn", "trust@15", "kNN recall@15", "ARI vs py-HDBSCAN (same input)", "ARI truth", "NMI truth", "ARI shuffled")
print()
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for name, tool, seconds, r, tw, rc, hd, ari, nmi, st in table:
    print(f"| {name} | {tool} | {fmt(seconds, 2)} | {fmt(r, 2)} | {fmt(tw)} | {fmt(rc)} | {fmt(hd)} | {fmt(ari)} | {fmt(nmi)} | {fmt(st)} |")

print()
print("Targets (the 100k×384 whole job in Chromium must take under 60 s):")
print("\n".join(targets))
