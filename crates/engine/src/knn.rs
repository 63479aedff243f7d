//! k nearest neighbours of every point: exact for small inputs, NN-descent for large ones.
//!
//! UMAP and HDBSCAN both start from the k-nearest-neighbour graph. Brute force costs n² distances, which is fine
//! for a few thousand points and hopeless for 100,000 on one browser thread, so above [`EXACT_THRESHOLD`] points
//! the graph is approximated by NN-descent (Dong, Moses & Li 2011, "Efficient k-nearest neighbor graph
//! construction for generic similarity measures"): a neighbour of a neighbour is likely a neighbour, so each
//! round compares the points that share a neighbour and keeps whatever is closer. The start is a small forest of
//! random-projection trees, whose leaves already hold near points, so few rounds are needed.
//!
//! Cosine distance is computed as `1 − a·b` on rows scaled to unit length once, so the inner loop is a dot
//! product; Euclidean distance is squared inside and rooted only in the output. Every random choice comes from a
//! seeded generator and the work is single-threaded, so the same seed and input give the same graph.

use rand::{Rng, RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use crate::progress::Cancelled;

/// How far apart two vectors are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    /// `1 − cos(a, b)`; a zero vector has no direction and is at distance 1 from everything.
    Cosine,
    Euclidean,
}

/// The k nearest neighbours of each of n points.
#[derive(Debug, Clone, PartialEq)]
pub struct KnnGraph {
    pub n: usize,
    /// Neighbours per point: the requested k, or n − 1 if there are not that many other points.
    pub k: usize,
    /// Row-major `n × k` neighbour indices, each row by ascending distance, never the point itself.
    pub indices: Vec<u32>,
    /// Row-major `n × k` distances in the metric's own units, matching `indices`.
    pub distances: Vec<f32>,
}

impl KnnGraph {
    pub fn neighbours(&self, point: usize) -> &[u32] {
        &self.indices[point * self.k..(point + 1) * self.k]
    }

    pub fn neighbour_distances(&self, point: usize) -> &[f32] {
        &self.distances[point * self.k..(point + 1) * self.k]
    }
}

/// Up to this many points [`knn`] computes the exact graph, above it NN-descent. Measured natively (k = 15,
/// 50 dimensions, cosine): `cargo bench --bench umap` gives exact 31.1 ms against NN-descent 30.5 ms at 2,000
/// points and 658 against 163 ms at 10,000; `cargo run --release --example umap_report -- crossover` gives
/// 12 against 25 ms at 1,000 points. Exact grows with n², NN-descent with about n·log n, so they cross at about
/// 2,000 points, and below that exact is also exact.
pub const EXACT_THRESHOLD: usize = 2_000;

/// Progress callback for one step: receives the fraction done (0..1) and may cancel.
pub type Progress<'a> = &'a mut dyn FnMut(f32) -> Result<(), Cancelled>;

/// The k-nearest-neighbour graph, exact for small inputs and approximated by NN-descent for large ones.
pub fn knn(
    data: &[f32],
    dim: usize,
    k: usize,
    metric: Metric,
    seed: u64,
    progress: Progress<'_>,
) -> Result<KnnGraph, Cancelled> {
    let n = count(data, dim);
    if n <= EXACT_THRESHOLD {
        exact_knn_with_progress(data, dim, k, metric, progress)
    } else {
        nn_descent(data, dim, k, metric, &NnDescentParams::default(), seed, progress)
    }
}

/// Brute-force k nearest neighbours: every pair is compared once, in cache-sized blocks.
pub fn exact_knn(data: &[f32], dim: usize, k: usize, metric: Metric) -> KnnGraph {
    match exact_knn_with_progress(data, dim, k, metric, &mut |_| Ok(())) {
        Ok(graph) => graph,
        // The callback above never cancels.
        Err(Cancelled) => KnnGraph { n: 0, k: 0, indices: Vec::new(), distances: Vec::new() },
    }
}

/// Exact k nearest neighbours, among the `reference` rows, of each `query` row (which are not in `reference`).
/// Used to place new points against a fitted layout.
pub fn exact_knn_query(reference: &[f32], queries: &[f32], dim: usize, k: usize, metric: Metric) -> KnnGraph {
    let reference = prepared(reference, dim, metric);
    let queries_prepared = prepared(queries, dim, metric);
    let (n_ref, n_query) = (count(&reference, dim), count(&queries_prepared, dim));
    let k = k.min(n_ref);
    let mut lists = NeighbourLists::new(n_query, k);
    for (q, query) in queries_prepared.chunks_exact(dim.max(1)).enumerate() {
        for (r, row) in reference.chunks_exact(dim.max(1)).enumerate() {
            let d = internal_distance(metric, query, row);
            lists.insert(q, r as u32, d);
        }
    }
    lists.into_graph(metric)
}

fn exact_knn_with_progress(
    data: &[f32],
    dim: usize,
    k: usize,
    metric: Metric,
    progress: Progress<'_>,
) -> Result<KnnGraph, Cancelled> {
    let data = prepared(data, dim, metric);
    let n = count(&data, dim);
    let k = k.min(n.saturating_sub(1));
    let mut lists = NeighbourLists::new(n, k);
    if k == 0 {
        return Ok(lists.into_graph(metric));
    }
    // A block of 128 rows of 50 floats is 25 KB, so the pair of blocks being compared stays in L1/L2.
    const BLOCK: usize = 128;
    let blocks = n.div_ceil(BLOCK);
    let mut block_distances = vec![0f32; BLOCK * BLOCK];
    for first_block in 0..blocks {
        let first = first_block * BLOCK..((first_block + 1) * BLOCK).min(n);
        for second_block in first_block..blocks {
            let second = second_block * BLOCK..((second_block + 1) * BLOCK).min(n);
            let width = second.len();
            for i in first.clone() {
                let a = &data[i * dim..(i + 1) * dim];
                let row = &mut block_distances[(i - first.start) * BLOCK..][..width];
                for (slot, j) in row.iter_mut().zip(second.clone()) {
                    *slot = internal_distance(metric, a, &data[j * dim..(j + 1) * dim]);
                }
            }
            for i in first.clone() {
                let row = &block_distances[(i - first.start) * BLOCK..][..width];
                for (&d, j) in row.iter().zip(second.clone()) {
                    // Within the diagonal block each pair is met twice; keep the copy with i < j.
                    if j > i {
                        lists.insert(i, j as u32, d);
                        lists.insert(j, i as u32, d);
                    }
                }
            }
        }
        progress((first_block + 1) as f32 / blocks as f32)?;
    }
    Ok(lists.into_graph(metric))
}

/// Knobs of NN-descent; the defaults reach recall ≥ 0.95 at k = 15 on 50- to 384-dimensional embeddings.
///
/// Sixteen trees, not fewer: on the 10,000 StackOverflow titles as 384-dimensional LSA vectors (many near-equal
/// distances among short texts) six trees gave recall 0.920 and sixteen 0.953, for 5 % more time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NnDescentParams {
    /// Random-projection trees for the starting graph; 0 starts from random neighbours.
    pub trees: usize,
    /// Largest leaf of a tree; every pair in a leaf is compared.
    pub leaf_size: usize,
    /// Sampling rate ρ: the share of a point's neighbour list that joins each round's local join.
    pub sample_rate: f32,
    /// Early termination δ: stop when fewer than δ·n·k neighbour lists changed in a round.
    pub delta: f32,
    pub max_rounds: usize,
}

impl Default for NnDescentParams {
    fn default() -> Self {
        NnDescentParams { trees: 16, leaf_size: 32, sample_rate: 1.0, delta: 0.001, max_rounds: 16 }
    }
}

/// Approximate k nearest neighbours by NN-descent. Same seed and input give the same graph.
pub fn nn_descent(
    data: &[f32],
    dim: usize,
    k: usize,
    metric: Metric,
    params: &NnDescentParams,
    seed: u64,
    progress: Progress<'_>,
) -> Result<KnnGraph, Cancelled> {
    let data = prepared(data, dim, metric);
    let n = count(&data, dim);
    let k = k.min(n.saturating_sub(1));
    let mut lists = NeighbourLists::new(n, k);
    if k == 0 {
        return Ok(lists.into_graph(metric));
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let distance =
        |a: usize, b: usize| internal_distance(metric, &data[a * dim..(a + 1) * dim], &data[b * dim..(b + 1) * dim]);

    // The trees and the random fill are about a tenth of the work.
    if params.trees > 0 {
        let mut forest = ForestBuilder::new(&data, dim, params.leaf_size.max(k + 1));
        for _ in 0..params.trees {
            for leaf in forest.tree_leaves(&mut rng) {
                join(&mut lists, leaf, &[], &distance);
            }
        }
    }
    for point in 0..n {
        let mut attempts = 0;
        while lists.len(point) < k && attempts < 8 * k {
            attempts += 1;
            let other = bounded(&mut rng, n);
            if other != point {
                lists.insert(point, other as u32, distance(point, other));
            }
        }
    }
    progress(0.1)?;

    let max_candidates = ((params.sample_rate * k as f32).ceil() as usize).clamp(1, k.max(1));
    let mut new_candidates = CandidateLists::new(n, max_candidates);
    let mut old_candidates = CandidateLists::new(n, max_candidates);
    for round in 0..params.max_rounds {
        new_candidates.clear();
        old_candidates.clear();
        // Forward and reverse neighbours go into bounded lists with random priorities, a uniform sample of each.
        for point in 0..n {
            sample_candidates(&lists, point, &mut new_candidates, &mut old_candidates, &mut rng);
        }
        // Sampled neighbours have had their turn; unsampled ones stay new for the next round.
        for point in 0..n {
            retire_sampled(&mut lists, point, &new_candidates);
        }

        let mut updates = 0usize;
        for point in 0..n {
            updates += join(&mut lists, new_candidates.row(point), old_candidates.row(point), &distance);
        }
        progress(0.1 + 0.9 * (round + 1) as f32 / params.max_rounds as f32)?;
        if (updates as f32) <= params.delta * (n * k) as f32 {
            break;
        }
    }
    progress(1.0)?;
    Ok(lists.into_graph(metric))
}

/// Offers one point's neighbours to the candidate lists, each under the point and, reversed, under the neighbour.
/// Called once per point for the reason given at [`join`].
#[inline(never)]
fn sample_candidates(
    lists: &NeighbourLists,
    point: usize,
    new_candidates: &mut CandidateLists,
    old_candidates: &mut CandidateLists,
    rng: &mut Xoshiro256PlusPlus,
) {
    for slot in 0..lists.len(point) {
        let (other, _, is_new) = lists.entry(point, slot);
        let candidates = if is_new { &mut *new_candidates } else { &mut *old_candidates };
        candidates.offer(point, other, rng.next_u32());
        candidates.offer(other as usize, point as u32, rng.next_u32());
    }
}

/// Marks the point's new neighbours that were sampled as old. Called once per point (see [`join`]).
#[inline(never)]
fn retire_sampled(lists: &mut NeighbourLists, point: usize, new_candidates: &CandidateLists) {
    for slot in 0..lists.len(point) {
        let (other, _, is_new) = lists.entry(point, slot);
        if is_new && new_candidates.contains(point, other) {
            lists.mark_old(point, slot);
        }
    }
}

/// Offers every pair of `fresh` points, and every fresh point paired with each of `old`, to both points' lists;
/// returns how many lists changed.
///
/// A function of its own, called once per point or leaf, rather than a loop inside [`nn_descent`]: V8 runs a
/// WebAssembly function in its baseline compiler (Liftoff) until the function is *called* again after its
/// optimised code is ready, so a loop inside one long call never gets the optimised code. On 10,000 × 50 in Node's
/// V8, the first run's neighbour search took 236 ms with the loops inline and 205 ms with the per-point work in
/// functions of their own; 190 ms once everything is optimised.
#[inline(never)]
fn join(lists: &mut NeighbourLists, fresh: &[u32], old: &[u32], distance: &impl Fn(usize, usize) -> f32) -> usize {
    let mut updates = 0;
    for (position, &a) in fresh.iter().enumerate() {
        for &b in fresh[position + 1..].iter().chain(old) {
            if a == b {
                continue;
            }
            let (a, b) = (a as usize, b as usize);
            let d = distance(a, b);
            updates += usize::from(lists.insert(a, b as u32, d));
            updates += usize::from(lists.insert(b, a as u32, d));
        }
    }
    updates
}

/// Share of the exact neighbours that the approximate graph found (recall@k), averaged over points.
pub fn recall(approximate: &KnnGraph, exact: &KnnGraph) -> f64 {
    if exact.n == 0 || exact.k == 0 {
        return 1.0;
    }
    let k = exact.k.min(approximate.k);
    let found: usize = (0..exact.n)
        .map(|point| {
            let truth = exact.neighbours(point);
            approximate.neighbours(point)[..k].iter().filter(|index| truth.contains(index)).count()
        })
        .sum();
    found as f64 / (exact.n * exact.k) as f64
}

/// Squared Euclidean distance, in eight independent sums so LLVM can keep them in one vector register.
#[inline]
pub(crate) fn squared_euclidean(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0f32; 8];
    let (chunks_a, chunks_b) = (a.chunks_exact(8), b.chunks_exact(8));
    let (rest_a, rest_b) = (chunks_a.remainder(), chunks_b.remainder());
    for (x, y) in chunks_a.zip(chunks_b) {
        for lane in 0..8 {
            let difference = x[lane] - y[lane];
            sums[lane] += difference * difference;
        }
    }
    let mut total = sums.iter().sum::<f32>();
    for (x, y) in rest_a.iter().zip(rest_b) {
        total += (x - y) * (x - y);
    }
    total
}

/// Dot product with the same eight-lane layout as [`squared_euclidean`].
#[inline]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0f32; 8];
    let (chunks_a, chunks_b) = (a.chunks_exact(8), b.chunks_exact(8));
    let (rest_a, rest_b) = (chunks_a.remainder(), chunks_b.remainder());
    for (x, y) in chunks_a.zip(chunks_b) {
        for lane in 0..8 {
            sums[lane] += x[lane] * y[lane];
        }
    }
    let mut total = sums.iter().sum::<f32>();
    for (x, y) in rest_a.iter().zip(rest_b) {
        total += x * y;
    }
    total
}

/// The distance used inside: squared for Euclidean (same order, no root), `1 − a·b` on unit rows for cosine.
#[inline]
fn internal_distance(metric: Metric, a: &[f32], b: &[f32]) -> f32 {
    match metric {
        Metric::Euclidean => squared_euclidean(a, b),
        Metric::Cosine => 1.0 - dot(a, b),
    }
}

fn output_distance(metric: Metric, internal: f32) -> f32 {
    match metric {
        Metric::Euclidean => internal.max(0.0).sqrt(),
        Metric::Cosine => internal.max(0.0),
    }
}

fn count(data: &[f32], dim: usize) -> usize {
    data.len().checked_div(dim).unwrap_or(0)
}

/// The rows as the distance needs them: unit length for cosine (zero rows stay zero), unchanged for Euclidean.
fn prepared(data: &[f32], dim: usize, metric: Metric) -> Vec<f32> {
    let mut rows = data[..count(data, dim) * dim].to_vec();
    if metric == Metric::Cosine && dim > 0 {
        for row in rows.chunks_exact_mut(dim) {
            let norm = dot(row, row).sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|x| *x /= norm);
            }
        }
    }
    rows
}

/// A uniform index below `n` by multiply-and-shift (Lemire), without the division of `%`.
#[inline]
fn bounded(rng: &mut Xoshiro256PlusPlus, n: usize) -> usize {
    ((u64::from(rng.next_u32()) * n as u64) >> 32) as usize
}

/// Per point, the k best neighbours found so far, sorted by distance, each flagged new until it has been joined.
struct NeighbourLists {
    k: usize,
    indices: Vec<u32>,
    distances: Vec<f32>,
    is_new: Vec<bool>,
    lengths: Vec<u32>,
}

impl NeighbourLists {
    fn new(n: usize, k: usize) -> Self {
        NeighbourLists {
            k,
            indices: vec![u32::MAX; n * k],
            distances: vec![f32::INFINITY; n * k],
            is_new: vec![false; n * k],
            lengths: vec![0; n],
        }
    }

    fn len(&self, point: usize) -> usize {
        self.lengths[point] as usize
    }

    fn entry(&self, point: usize, slot: usize) -> (u32, f32, bool) {
        let at = point * self.k + slot;
        (self.indices[at], self.distances[at], self.is_new[at])
    }

    fn mark_old(&mut self, point: usize, slot: usize) {
        self.is_new[point * self.k + slot] = false;
    }

    /// Keeps `other` if it is closer than the current worst and not yet listed; says whether the list changed.
    #[inline]
    fn insert(&mut self, point: usize, other: u32, distance: f32) -> bool {
        let k = self.k;
        let start = point * k;
        let length = self.lengths[point] as usize;
        let distances = &mut self.distances[start..start + k];
        if length == k && distance >= distances[k - 1] {
            return false;
        }
        let indices = &mut self.indices[start..start + k];
        if indices[..length].contains(&other) {
            return false;
        }
        let mut position = length.min(k - 1);
        while position > 0 && distances[position - 1] > distance {
            position -= 1;
        }
        let last = length.min(k - 1);
        let is_new = &mut self.is_new[start..start + k];
        distances.copy_within(position..last, position + 1);
        indices.copy_within(position..last, position + 1);
        is_new.copy_within(position..last, position + 1);
        distances[position] = distance;
        indices[position] = other;
        is_new[position] = true;
        self.lengths[point] = (length + 1).min(k) as u32;
        true
    }

    fn into_graph(self, metric: Metric) -> KnnGraph {
        let n = self.lengths.len();
        let distances =
            self.distances.into_iter().map(|d| if d.is_finite() { output_distance(metric, d) } else { d }).collect();
        KnnGraph { n, k: self.k, indices: self.indices, distances }
    }
}

/// Per point, a bounded sample of candidate neighbours: the ones with the lowest random priority are kept.
struct CandidateLists {
    capacity: usize,
    indices: Vec<u32>,
    priorities: Vec<u32>,
    lengths: Vec<u32>,
}

impl CandidateLists {
    fn new(n: usize, capacity: usize) -> Self {
        CandidateLists {
            capacity,
            indices: vec![0; n * capacity],
            priorities: vec![0; n * capacity],
            lengths: vec![0; n],
        }
    }

    fn clear(&mut self) {
        self.lengths.iter_mut().for_each(|length| *length = 0);
    }

    fn row(&self, point: usize) -> &[u32] {
        &self.indices[point * self.capacity..][..self.lengths[point] as usize]
    }

    fn contains(&self, point: usize, other: u32) -> bool {
        self.row(point).contains(&other)
    }

    #[inline]
    fn offer(&mut self, point: usize, other: u32, priority: u32) {
        let start = point * self.capacity;
        let length = self.lengths[point] as usize;
        let indices = &mut self.indices[start..start + self.capacity];
        if indices[..length].contains(&other) {
            return;
        }
        let priorities = &mut self.priorities[start..start + self.capacity];
        if length < self.capacity {
            indices[length] = other;
            priorities[length] = priority;
            self.lengths[point] += 1;
            return;
        }
        let (worst, &worst_priority) = priorities.iter().enumerate().max_by_key(|(_, &p)| p).unwrap_or((0, &u32::MAX));
        if priority < worst_priority {
            indices[worst] = other;
            priorities[worst] = priority;
        }
    }
}

/// Random-projection trees (Dasgupta & Freund 2008): split by the hyperplane halfway between two random points
/// until a node is small; the leaves group near points.
struct ForestBuilder<'a> {
    data: &'a [f32],
    dim: usize,
    leaf_size: usize,
    order: Vec<u32>,
    normal: Vec<f32>,
    sides: Vec<bool>,
}

impl<'a> ForestBuilder<'a> {
    fn new(data: &'a [f32], dim: usize, leaf_size: usize) -> Self {
        let n = count(data, dim);
        ForestBuilder {
            data,
            dim,
            leaf_size,
            order: (0..n as u32).collect(),
            normal: vec![0.0; dim],
            sides: Vec::with_capacity(n),
        }
    }

    /// Which side of the plane (`normal`, `offset`) each point of the node `start..end` lies on, into `sides`.
    /// Called once per node rather than inlined into the tree's loop, for the reason given at [`join`].
    #[inline(never)]
    fn record_sides(&mut self, start: usize, end: usize, offset: f32, rng: &mut Xoshiro256PlusPlus) {
        let dim = self.dim;
        self.sides.clear();
        for &point in &self.order[start..end] {
            let row = &self.data[point as usize * dim..(point as usize + 1) * dim];
            let margin = dot(&self.normal, row) - offset;
            // Points on the plane (duplicates of a or b) go to a random side, so equal points cannot stall.
            let side = if margin == 0.0 { rng.gen::<bool>() } else { margin > 0.0 };
            self.sides.push(side);
        }
    }

    /// Builds one tree and returns its leaves as slices of point indices.
    fn tree_leaves(&mut self, rng: &mut Xoshiro256PlusPlus) -> Vec<&[u32]> {
        let n = self.order.len();
        let dim = self.dim;
        let mut leaves: Vec<(usize, usize)> = Vec::new();
        let mut pending = vec![(0usize, n)];
        while let Some((start, end)) = pending.pop() {
            let size = end - start;
            if size <= self.leaf_size {
                leaves.push((start, end));
                continue;
            }
            let a = self.order[start + bounded(rng, size)] as usize;
            let b = self.order[start + bounded(rng, size)] as usize;
            let (row_a, row_b) = (&self.data[a * dim..(a + 1) * dim], &self.data[b * dim..(b + 1) * dim]);
            let mut offset = 0.0;
            for ((normal, x), y) in self.normal.iter_mut().zip(row_a).zip(row_b) {
                *normal = x - y;
                offset += *normal * (x + y) * 0.5;
            }
            self.record_sides(start, end, offset, rng);
            let left = self.sides.iter().filter(|side| !**side).count();
            let middle = if left == 0 || left == size {
                // A useless plane (all points equal, say): halve the node so the tree still ends.
                start + size / 2
            } else {
                let mut ordered = Vec::with_capacity(size);
                ordered.extend(self.order[start..end].iter().zip(&self.sides).filter(|(_, s)| !**s).map(|(p, _)| *p));
                ordered.extend(self.order[start..end].iter().zip(&self.sides).filter(|(_, s)| **s).map(|(p, _)| *p));
                self.order[start..end].copy_from_slice(&ordered);
                start + left
            };
            pending.push((start, middle));
            pending.push((middle, end));
        }
        leaves.sort_unstable();
        leaves.into_iter().map(|(start, end)| &self.order[start..end]).collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `n` points in `dim` dimensions around `clusters` random centres, each cluster spread along a few random
    /// directions of its own, like topics in an embedding.
    pub(crate) fn clustered(n: usize, dim: usize, clusters: usize, seed: u64) -> Vec<f32> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let gaussian = |rng: &mut Xoshiro256PlusPlus| {
            let u1: f32 = rng.gen_range(f32::MIN_POSITIVE..1.0);
            let u2: f32 = rng.gen();
            (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
        };
        let centres: Vec<Vec<f32>> = (0..clusters).map(|_| (0..dim).map(|_| gaussian(&mut rng)).collect()).collect();
        let directions: Vec<Vec<Vec<f32>>> = (0..clusters)
            .map(|_| (0..5).map(|_| (0..dim).map(|_| gaussian(&mut rng) * 0.5).collect()).collect())
            .collect();
        let mut data = Vec::with_capacity(n * dim);
        for i in 0..n {
            let cluster = i % clusters;
            let weights: Vec<f32> = (0..5).map(|_| gaussian(&mut rng)).collect();
            for d in 0..dim {
                let along: f32 = weights.iter().zip(&directions[cluster]).map(|(w, dir)| w * dir[d]).sum();
                data.push(centres[cluster][d] + along + 0.2 * gaussian(&mut rng));
            }
        }
        data
    }

    fn naive(data: &[f32], dim: usize, k: usize, metric: Metric) -> KnnGraph {
        let n = data.len() / dim;
        let distance = |a: &[f32], b: &[f32]| -> f64 {
            match metric {
                Metric::Euclidean => a.iter().zip(b).map(|(x, y)| f64::from(x - y).powi(2)).sum::<f64>().sqrt(),
                Metric::Cosine => {
                    let dot: f64 = a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum();
                    let na = a.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
                    let nb = b.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
                    if na == 0.0 || nb == 0.0 {
                        1.0
                    } else {
                        1.0 - dot / (na * nb)
                    }
                }
            }
        };
        let k = k.min(n - 1);
        let mut indices = Vec::new();
        let mut distances = Vec::new();
        for i in 0..n {
            let mut all: Vec<(f64, u32)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| (distance(&data[i * dim..(i + 1) * dim], &data[j * dim..(j + 1) * dim]), j as u32))
                .collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for (d, j) in all.into_iter().take(k) {
                indices.push(j);
                distances.push(d as f32);
            }
        }
        KnnGraph { n, k, indices, distances }
    }

    fn uniform(n: usize, dim: usize, seed: u64) -> Vec<f32> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n * dim).map(|_| rng.gen_range(-1.0..1.0)).collect()
    }

    #[test]
    fn exact_matches_a_naive_sort_for_both_metrics() {
        // 300 points cross several 128-row blocks, and 13 dimensions exercise the non-multiple-of-8 tail.
        let data = uniform(300, 13, 1);
        for metric in [Metric::Euclidean, Metric::Cosine] {
            let fast = exact_knn(&data, 13, 10, metric);
            let slow = naive(&data, 13, 10, metric);
            assert_eq!(fast.indices, slow.indices, "{metric:?}");
            for (a, b) in fast.distances.iter().zip(&slow.distances) {
                assert!((a - b).abs() < 1e-4, "{metric:?}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn nn_descent_recalls_most_exact_neighbours() {
        let data = clustered(3_000, 50, 10, 2);
        for metric in [Metric::Euclidean, Metric::Cosine] {
            let exact = exact_knn(&data, 50, 15, metric);
            let approximate =
                nn_descent(&data, 50, 15, metric, &NnDescentParams::default(), 3, &mut |_| Ok(())).unwrap();
            let recall = recall(&approximate, &exact);
            assert!(recall >= 0.95, "{metric:?}: recall {recall}");
            // Distances must be real distances of the listed pairs and sorted.
            for point in 0..approximate.n {
                let row = approximate.neighbour_distances(point);
                assert!(row.windows(2).all(|w| w[0] <= w[1]));
                assert!(!approximate.neighbours(point).contains(&(point as u32)));
            }
        }
    }

    #[test]
    fn nn_descent_from_random_neighbours_still_converges() {
        let data = clustered(2_000, 20, 8, 4);
        let exact = exact_knn(&data, 20, 10, Metric::Euclidean);
        let params = NnDescentParams { trees: 0, ..NnDescentParams::default() };
        let approximate = nn_descent(&data, 20, 10, Metric::Euclidean, &params, 5, &mut |_| Ok(())).unwrap();
        let recall = recall(&approximate, &exact);
        assert!(recall >= 0.9, "recall {recall}");
    }

    #[test]
    fn same_seed_gives_the_same_graph() {
        let data = clustered(1_500, 16, 5, 6);
        let run = |seed| {
            nn_descent(&data, 16, 8, Metric::Cosine, &NnDescentParams::default(), seed, &mut |_| Ok(())).unwrap()
        };
        assert_eq!(run(9), run(9));
        assert_ne!(run(9).indices, run(10).indices);
    }

    #[test]
    fn fewer_points_than_k_gives_every_other_point() {
        let data = uniform(5, 4, 7);
        let graph = exact_knn(&data, 4, 15, Metric::Euclidean);
        assert_eq!(graph.k, 4);
        for point in 0..5 {
            let mut row = graph.neighbours(point).to_vec();
            row.sort_unstable();
            let expected: Vec<u32> = (0..5u32).filter(|&j| j != point as u32).collect();
            assert_eq!(row, expected);
        }
        let approximate =
            nn_descent(&data, 4, 15, Metric::Euclidean, &NnDescentParams::default(), 1, &mut |_| Ok(())).unwrap();
        assert_eq!(recall(&approximate, &graph), 1.0);
        let single = knn(&data[..4], 4, 15, Metric::Cosine, 1, &mut |_| Ok(())).unwrap();
        assert_eq!((single.n, single.k, single.indices.len()), (1, 0, 0));
    }

    #[test]
    fn duplicates_are_each_others_nearest_at_distance_zero() {
        let mut data = uniform(50, 6, 8);
        let copy = data[..6 * 10].to_vec();
        data.extend(copy);
        for metric in [Metric::Euclidean, Metric::Cosine] {
            let graph = exact_knn(&data, 6, 3, metric);
            for point in 0..10 {
                assert_eq!(graph.neighbours(point)[0] as usize, point + 50, "{metric:?}");
                assert!(graph.neighbour_distances(point)[0].abs() < 1e-6);
            }
        }
    }

    #[test]
    fn zero_vectors_under_cosine_are_finite_and_far() {
        let mut data = uniform(40, 5, 9);
        data[..5].iter_mut().for_each(|x| *x = 0.0);
        data[5..10].iter_mut().for_each(|x| *x = 0.0);
        let graph = exact_knn(&data, 5, 5, Metric::Cosine);
        assert!(graph.distances.iter().all(|d| d.is_finite()));
        assert!(graph.neighbour_distances(0).iter().all(|&d| (d - 1.0).abs() < 1e-6));
        let approximate =
            nn_descent(&data, 5, 5, Metric::Cosine, &NnDescentParams::default(), 1, &mut |_| Ok(())).unwrap();
        assert!(approximate.distances.iter().all(|d| d.is_finite()));
    }

    #[test]
    fn cancelling_stops_the_search() {
        let data = clustered(500, 8, 3, 1);
        let result =
            nn_descent(&data, 8, 5, Metric::Euclidean, &NnDescentParams::default(), 1, &mut |_| Err(Cancelled));
        assert_eq!(result, Err(Cancelled));
        let result = knn(&data, 8, 5, Metric::Euclidean, 1, &mut |_| Err(Cancelled));
        assert_eq!(result, Err(Cancelled));
    }

    #[test]
    fn exact_query_finds_reference_points_only() {
        let reference = uniform(100, 3, 2);
        let queries = reference[..3 * 4].to_vec();
        let graph = exact_knn_query(&reference, &queries, 3, 2, Metric::Euclidean);
        assert_eq!(graph.n, 4);
        for q in 0..4 {
            assert_eq!(graph.neighbours(q)[0] as usize, q);
            assert_eq!(graph.neighbour_distances(q)[0], 0.0);
        }
    }
}
