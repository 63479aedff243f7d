//! The fuzzy simplicial set: how strongly each point belongs to each neighbour's neighbourhood.
//!
//! Following §3.1 of the paper, each point gets its own distance scale: `rho` is the distance to its nearest
//! neighbour (so every point is connected to at least one other, "local connectivity"), and `sigma` is chosen by
//! bisection so that the memberships `exp(−(d − rho) / sigma)` of its k neighbours sum to log2(k). The directed
//! memberships are then made symmetric with the probabilistic t-conorm `a + b − a·b`.

use crate::knn::KnnGraph;

/// Bisection stops when the membership sum is this close to its target.
const TOLERANCE: f32 = 1e-5;
/// A scale is never smaller than this share of the mean neighbour distance, so duplicates do not divide by zero.
const MIN_SCALE: f32 = 1e-3;

/// `rho` and `sigma` of one point from its sorted neighbour distances, aiming at a membership sum of `target`.
/// `global_mean` is the mean distance over all points, the floor for points whose neighbours are all duplicates.
///
/// Not inlined: it is called once per point, so V8 swaps in its optimised code early in the first run (see
/// `knn::join`).
#[inline(never)]
pub(crate) fn smooth_distances(distances: &[f32], target: f32, global_mean: f32) -> (f32, f32) {
    let rho = distances.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0);
    // How far beyond rho each neighbour lies, taken once: the bisection below evaluates the sum up to 64 times,
    // and in wasm `f32::max` is a library call (its NaN rule is not the instruction's).
    let beyond: Vec<f32> = distances.iter().map(|&d| (d - rho).max(0.0)).collect();
    let membership_sum = |sigma: f32| -> f32 { beyond.iter().map(|&d| (-d / sigma).exp()).sum() };
    let (mut low, mut high, mut sigma) = (0.0f32, f32::INFINITY, 1.0f32);
    for _ in 0..64 {
        let sum = membership_sum(sigma);
        if (sum - target).abs() < TOLERANCE {
            break;
        }
        if sum > target {
            high = sigma;
            sigma = (low + high) / 2.0;
        } else {
            low = sigma;
            sigma = if high.is_finite() { (low + high) / 2.0 } else { sigma * 2.0 };
        }
    }
    let floor = if rho > 0.0 {
        MIN_SCALE * distances.iter().sum::<f32>() / distances.len().max(1) as f32
    } else {
        MIN_SCALE * global_mean
    };
    (rho, sigma.max(floor).max(f32::MIN_POSITIVE))
}

/// Directed membership of each listed neighbour (row-major, like the graph's first `neighbours` columns).
pub(crate) fn memberships(graph: &KnnGraph, neighbours: usize) -> Vec<f32> {
    let target = (neighbours as f32).log2();
    let global_mean = mean_distance(graph, neighbours);
    let mut strengths = Vec::with_capacity(graph.n * neighbours);
    for point in 0..graph.n {
        let distances = &graph.neighbour_distances(point)[..neighbours];
        let (rho, sigma) = smooth_distances(distances, target, global_mean);
        strengths.extend(distances.iter().map(|&d| (-((d - rho).max(0.0)) / sigma).exp()));
    }
    strengths
}

fn mean_distance(graph: &KnnGraph, neighbours: usize) -> f32 {
    let total: f64 =
        (0..graph.n).flat_map(|p| &graph.neighbour_distances(p)[..neighbours]).map(|&d| f64::from(d)).sum();
    (total / (graph.n * neighbours).max(1) as f64) as f32
}

/// A symmetric weighted graph as a sorted list of directed edges; each undirected edge appears once per direction.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FuzzyGraph {
    pub n: usize,
    pub heads: Vec<u32>,
    pub tails: Vec<u32>,
    pub weights: Vec<f32>,
}

/// The symmetric fuzzy graph from the first `neighbours` columns of a kNN graph.
pub(crate) fn fuzzy_graph(graph: &KnnGraph, neighbours: usize) -> FuzzyGraph {
    symmetrise(graph, neighbours, &memberships(graph, neighbours))
}

/// Combines the directed strengths (row-major over the graph's first `neighbours` columns) into a symmetric graph.
fn symmetrise(graph: &KnnGraph, neighbours: usize, strengths: &[f32]) -> FuzzyGraph {
    // Every directed edge i→j is listed under (i, j) and, transposed, under (j, i); after sorting, a pair that
    // exists both ways has two entries, combined by the t-conorm. The sort makes the result independent of any
    // hash order.
    let mut entries: Vec<(u32, u32, f32)> = Vec::with_capacity(2 * strengths.len());
    for point in 0..graph.n {
        for (&other, &strength) in graph.neighbours(point)[..neighbours].iter().zip(&strengths[point * neighbours..]) {
            if other as usize == point || other as usize >= graph.n || strength <= 0.0 {
                continue;
            }
            entries.push((point as u32, other, strength));
            entries.push((other, point as u32, strength));
        }
    }
    entries.sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(x.2.total_cmp(&y.2)));
    let mut fuzzy = FuzzyGraph { n: graph.n, heads: Vec::new(), tails: Vec::new(), weights: Vec::new() };
    let mut at = 0;
    while at < entries.len() {
        let (head, tail, first) = entries[at];
        let mut end = at + 1;
        while end < entries.len() && (entries[end].0, entries[end].1) == (head, tail) {
            end += 1;
        }
        // Two entries: i→j and j→i both existed. More than two only if a row listed the same neighbour twice.
        let weight = entries[at + 1..end].iter().fold(first, |a, &(_, _, b)| a + b - a * b);
        fuzzy.heads.push(head);
        fuzzy.tails.push(tail);
        fuzzy.weights.push(weight);
        at = end;
    }
    fuzzy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigma_hits_the_log2_k_target() {
        let distances = [0.5, 0.7, 0.8, 1.0, 1.1, 1.5, 2.0, 2.2, 2.5, 3.0, 3.1, 3.3, 3.6, 4.0, 4.2];
        let target = 15f32.log2();
        let (rho, sigma) = smooth_distances(&distances, target, 1.0);
        assert_eq!(rho, 0.5);
        let sum: f32 = distances.iter().map(|d| (-(d - rho).max(0.0) / sigma).exp()).sum();
        assert!((sum - target).abs() < 1e-3, "sum {sum}");
    }

    #[test]
    fn duplicates_get_a_floor_not_zero() {
        let (rho, sigma) = smooth_distances(&[0.0, 0.0, 0.0], 3f32.log2(), 2.0);
        assert_eq!(rho, 0.0);
        assert!(sigma > 0.0 && sigma.is_finite());
    }

    #[test]
    fn symmetrisation_is_the_probabilistic_t_conorm() {
        // Three points on a line at 0, 1, 3: 0↔1 are mutual neighbours, 2's nearest is 1 but 1's nearest is 0.
        let graph = KnnGraph { n: 3, k: 1, indices: vec![1, 0, 1], distances: vec![1.0, 1.0, 2.0] };
        let directed = memberships(&graph, 1);
        // With one neighbour each, the nearest is at rho, so every directed strength is exactly 1.
        assert_eq!(directed, vec![1.0, 1.0, 1.0]);
        let fuzzy = fuzzy_graph(&graph, 1);
        assert_eq!(fuzzy.heads, vec![0, 1, 1, 2]);
        assert_eq!(fuzzy.tails, vec![1, 0, 2, 1]);
        assert_eq!(fuzzy.weights, vec![1.0, 1.0, 1.0, 1.0]);

        // Unequal strengths, 0→1 at 0.5 and 1→0 at 0.25, combine to 0.5 + 0.25 − 0.5·0.25; 1→2 stays one-way.
        let graph = KnnGraph { n: 3, k: 1, indices: vec![1, 0, 1], distances: vec![1.0; 3] };
        let fuzzy = symmetrise(&graph, 1, &[0.5, 0.25, 0.75]);
        assert_eq!(fuzzy.heads, vec![0, 1, 1, 2]);
        assert_eq!(fuzzy.tails, vec![1, 0, 2, 1]);
        assert_eq!(fuzzy.weights, vec![0.625, 0.625, 0.75, 0.75]);
    }

    #[test]
    fn the_graph_is_symmetric() {
        let data = crate::knn::tests::clustered(400, 8, 4, 3);
        let graph = crate::knn::exact_knn(&data, 8, 10, crate::knn::Metric::Euclidean);
        let fuzzy = fuzzy_graph(&graph, 10);
        let mut forward: Vec<(u32, u32, u32)> = fuzzy
            .heads
            .iter()
            .zip(&fuzzy.tails)
            .zip(&fuzzy.weights)
            .map(|((&h, &t), &w)| (h, t, w.to_bits()))
            .collect();
        let mut backward: Vec<(u32, u32, u32)> = forward.iter().map(|&(h, t, w)| (t, h, w)).collect();
        forward.sort_unstable();
        backward.sort_unstable();
        assert_eq!(forward, backward);
        assert!(fuzzy.weights.iter().all(|&w| w > 0.0 && w <= 1.0));
    }
}
