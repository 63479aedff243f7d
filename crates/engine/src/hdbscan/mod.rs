//! HDBSCAN: density-based clustering that finds clusters of varying density and leaves sparse points as noise
//! (Campello, Moulavi & Sander 2013; McInnes & Healy 2017, "Accelerated hierarchical density clustering").
//!
//! The steps, each in its own module:
//! 1. core distances: the distance from each point to its `min_samples`-th nearest *other* point, exactly as the
//!    Python `hdbscan` package counts (scikit-learn's `HDBSCAN` counts the point itself, so its `min_samples = m`
//!    equals this one's `m − 1`); `min_samples` is capped at n − 1 as there;
//! 2. the minimum spanning tree of the mutual-reachability distance `max(core(a), core(b), d(a, b))`
//!    (`mst`: Borůvka over a kd-tree in low dimensions, Prim without a distance matrix otherwise);
//! 3. the single-linkage hierarchy, condensed by `min_cluster_size`, cluster stability, excess-of-mass or leaf
//!    selection, optional ε merging, labels, membership probabilities and GLOSH outlier scores (`tree`).
//!
//! Results follow the Python `hdbscan` package (0.8) in every rule that decides labels, including its edge
//! cases: a single selected root cluster (`allow_single_cluster`) only holds the points at the root's highest
//! density; leaf selection with no split selects nothing. Where that package's output is undefined (NaN
//! outlier scores next to exact duplicates), this one says 1. The spanning tree is exact, so labels match that
//! package run with `approx_min_span_tree=False`; its default approximate tree differs on a few percent of points.
//! With ε merging, a selected cluster nested under another selected one is dropped (the package can keep both,
//! depending on the order it visits them).
//!
//! Cluster ids are ordered by size, largest first, ties by the smallest point index in the cluster, so the same
//! input always gives the same ids; noise is −1.

mod kdtree;
mod mst;
mod tree;

use serde::{Deserialize, Serialize};

use crate::progress::Cancelled;

/// How clusters are chosen from the condensed tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ClusterSelection {
    /// The clusters with the largest total stability, none nested in another (few, large clusters).
    #[default]
    ExcessOfMass,
    /// The leaves of the condensed tree (many small, homogeneous clusters).
    Leaf,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HdbscanParams {
    /// Smallest group that counts as a cluster rather than noise splitting off.
    pub min_cluster_size: usize,
    /// Neighbours that make a point dense (see the module notes on counting); `None` means `min_cluster_size`.
    pub min_samples: Option<usize>,
    pub selection: ClusterSelection,
    /// Clusters that split at a distance below this are kept whole (0 turns it off).
    pub cluster_selection_epsilon: f32,
    /// Lets excess of mass answer "one cluster" instead of always splitting the root.
    pub allow_single_cluster: bool,
}

/// BERTopic's defaults: `min_cluster_size` 10, `min_samples` unset, excess of mass.
impl Default for HdbscanParams {
    fn default() -> Self {
        HdbscanParams {
            min_cluster_size: 10,
            min_samples: None,
            selection: ClusterSelection::ExcessOfMass,
            cluster_selection_epsilon: 0.0,
            allow_single_cluster: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum HdbscanError {
    #[error("min_cluster_size is {0}; it must be at least 2")]
    MinClusterSizeTooSmall(usize),
    #[error("min_samples is 0; it must be at least 1")]
    MinSamplesZero,
    #[error("min_cluster_size is {min_cluster_size} but there are only {points} points")]
    MinClusterSizeExceedsPoints { min_cluster_size: usize, points: usize },
    #[error("cluster_selection_epsilon is {0}; it must be a finite number ≥ 0")]
    InvalidEpsilon(f32),
    #[error("points must have at least one dimension")]
    ZeroDimensions,
    #[error("{values} values do not divide into points of {dim} dimensions")]
    RaggedData { values: usize, dim: usize },
    #[error("point {point}, dimension {dimension} is not a finite number")]
    NonFinite { point: usize, dimension: usize },
    #[error("the clustering was cancelled")]
    Cancelled,
}

impl From<Cancelled> for HdbscanError {
    fn from(_: Cancelled) -> Self {
        HdbscanError::Cancelled
    }
}

impl HdbscanParams {
    /// Checks the parameters for a data set of `points` points.
    ///
    /// Fewer points than `min_cluster_size` is an error here, although the Python package answers "all noise"
    /// (or one cluster with `allow_single_cluster`): a caller that wants that can test for this variant.
    pub fn validate(&self, points: usize) -> Result<(), HdbscanError> {
        if self.min_cluster_size < 2 {
            return Err(HdbscanError::MinClusterSizeTooSmall(self.min_cluster_size));
        }
        if self.min_samples == Some(0) {
            return Err(HdbscanError::MinSamplesZero);
        }
        if !self.cluster_selection_epsilon.is_finite() || self.cluster_selection_epsilon < 0.0 {
            return Err(HdbscanError::InvalidEpsilon(self.cluster_selection_epsilon));
        }
        if self.min_cluster_size > points {
            return Err(HdbscanError::MinClusterSizeExceedsPoints { min_cluster_size: self.min_cluster_size, points });
        }
        Ok(())
    }

    /// The neighbour count actually used for core distances: capped at n − 1 like the reference.
    fn neighbours(&self, points: usize) -> usize {
        self.min_samples.unwrap_or(self.min_cluster_size).min(points - 1).max(1)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hdbscan {
    /// Cluster id per point (0 is the largest cluster), −1 for noise.
    pub labels: Vec<i32>,
    /// How strongly each point belongs to its cluster, in [0, 1]; 0 for noise.
    pub probabilities: Vec<f32>,
    /// GLOSH: how much sparser a point is than the densest part of its neighbourhood in the tree, in [0, 1].
    pub outlier_scores: Vec<f32>,
    pub n_clusters: usize,
}

/// How the minimum spanning tree is built; both give the same tree, only the time differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SpanningTree {
    /// The kd-tree in low dimensions with enough points, Prim otherwise.
    #[default]
    Auto,
    KdTreeBoruvka,
    Prim,
}

/// Above this many dimensions a kd-tree prunes too little to be worth its risk. Criterion on 3,000 clustered
/// points (`benches/hdbscan.rs`, busy machine): tree against Prim 44 against 225 ms at 5-D, 152/399 at 10-D,
/// 350/777 at 16-D, 580/1000 at 24-D, 1640/1240 at 50-D. The tree's pruning needs clustered data while Prim's cost
/// is fixed, so the switch sits below the measured crossover (about 30-D).
const KD_TREE_MAX_DIMENSIONS: usize = 16;
/// Below this many points Prim's scan is quick whatever the dimension (at 1,000 points in 5-D the tree already
/// wins, 5 ms against 26 ms).
const KD_TREE_MIN_POINTS: usize = 300;

/// Clusters `data` (row-major, `dim` values per point) with Euclidean distance.
///
/// `progress` hears the fraction done (0 to 1) now and then and may cancel. The same input and parameters always
/// give the same result.
pub fn hdbscan(
    data: &[f32],
    dim: usize,
    params: &HdbscanParams,
    progress: &mut dyn FnMut(f32) -> Result<(), Cancelled>,
) -> Result<Hdbscan, HdbscanError> {
    check_input(data, dim)?;
    let n = data.len() / dim;
    params.validate(n)?;
    let use_tree = dim <= KD_TREE_MAX_DIMENSIONS && n >= KD_TREE_MIN_POINTS;
    run(data, dim, params, use_tree, progress)
}

/// [`hdbscan`] with the spanning-tree method forced, for benchmarks that compare the two.
pub fn hdbscan_with(
    data: &[f32],
    dim: usize,
    params: &HdbscanParams,
    method: SpanningTree,
    progress: &mut dyn FnMut(f32) -> Result<(), Cancelled>,
) -> Result<Hdbscan, HdbscanError> {
    match method {
        SpanningTree::Auto => hdbscan(data, dim, params, progress),
        SpanningTree::KdTreeBoruvka | SpanningTree::Prim => {
            check_input(data, dim)?;
            params.validate(data.len() / dim)?;
            run(data, dim, params, method == SpanningTree::KdTreeBoruvka, progress)
        }
    }
}

fn check_input(data: &[f32], dim: usize) -> Result<(), HdbscanError> {
    if dim == 0 {
        return Err(HdbscanError::ZeroDimensions);
    }
    if !data.len().is_multiple_of(dim) {
        return Err(HdbscanError::RaggedData { values: data.len(), dim });
    }
    if let Some(at) = data.iter().position(|v| !v.is_finite()) {
        return Err(HdbscanError::NonFinite { point: at / dim, dimension: at % dim });
    }
    Ok(())
}

/// [`hdbscan`] after validation, with the spanning-tree method chosen by the caller (tests and benchmarks compare
/// the two).
fn run(
    data: &[f32],
    dim: usize,
    params: &HdbscanParams,
    use_tree: bool,
    progress: &mut dyn FnMut(f32) -> Result<(), Cancelled>,
) -> Result<Hdbscan, HdbscanError> {
    let n = data.len() / dim;
    let k = params.neighbours(n);
    progress(0.0)?;

    // Core distances take about a third of the time, the spanning tree most of the rest.
    let mut edges = if use_tree {
        let tree = kdtree::KdTree::build(data, dim);
        // One neighbour beyond k tells Borůvka whether the k-th is tied with anything further out.
        let width = (k + 1).min(n - 1);
        let (neighbours, distances) = tree.nearest_neighbours(width, &mut |f| progress(0.3 * f))?;
        let core: Vec<f32> = (0..n).map(|q| distances[q * width + k - 1]).collect();
        let near = mst::Neighbours { indices: &neighbours, distances: &distances, width };
        let mut edges = mst::boruvka(&tree, &core, &near, &mut |f| progress(0.3 + 0.6 * f))?;
        for edge in &mut edges {
            edge.a = tree.original[edge.a as usize];
            edge.b = tree.original[edge.b as usize];
        }
        edges
    } else {
        let core = brute_force_core_distances(data, dim, k, &mut |f| progress(0.3 * f))?;
        mst::prim(data, dim, &core, &mut |f| progress(0.3 + 0.6 * f))?
    };

    let merges = tree::single_linkage(n, &mut edges);
    let condensed = tree::condense(n, &merges, params.min_cluster_size);
    let epsilon = params.cluster_selection_epsilon as f64;
    let selected = condensed.select(params.selection, epsilon, params.allow_single_cluster);
    let labelling = condensed.label(&selected, epsilon, params.allow_single_cluster);
    progress(1.0)?;
    Ok(number_clusters(labelling))
}

/// Turns condensed-tree cluster ids into 0, 1, … by size (largest first), ties by smallest member index.
fn number_clusters(labelling: tree::Labelling) -> Hdbscan {
    // (size, first member) per condensed-tree cluster that holds points.
    let mut found: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
    for (point, cluster) in labelling.cluster_of.iter().enumerate() {
        if let Some(cluster) = cluster {
            found.entry(*cluster).or_insert((0, point)).0 += 1;
        }
    }
    let mut order: Vec<(usize, (usize, usize))> = found.into_iter().collect();
    order.sort_by_key(|&(_, (size, first))| (std::cmp::Reverse(size), first));
    let mut id_of = std::collections::HashMap::new();
    for (id, &(cluster, _)) in order.iter().enumerate() {
        id_of.insert(cluster, id as i32);
    }
    let labels = labelling.cluster_of.iter().map(|c| c.map_or(-1, |c| id_of[&c])).collect();
    Hdbscan {
        labels,
        probabilities: labelling.probability,
        outlier_scores: labelling.outlier_scores,
        n_clusters: order.len(),
    }
}

/// Squared distance to each point's `k`-th nearest other point by scanning all pairs: for high dimensions,
/// where a tree would visit nearly every point anyway.
fn brute_force_core_distances(
    data: &[f32],
    dim: usize,
    k: usize,
    progress: &mut dyn FnMut(f32) -> Result<(), Cancelled>,
) -> Result<Vec<f32>, Cancelled> {
    let n = data.len() / dim;
    let mut core = Vec::with_capacity(n);
    let mut nearest: Vec<f32> = Vec::with_capacity(k + 1);
    let step = (n / 20).max(1);
    for q in 0..n {
        nearest.clear();
        let query = &data[q * dim..(q + 1) * dim];
        for p in (0..n).filter(|&p| p != q) {
            let d = kdtree::squared_distance(query, &data[p * dim..(p + 1) * dim]);
            if nearest.len() == k {
                if d >= nearest[k - 1] {
                    continue;
                }
                nearest.pop();
            }
            let at = nearest.partition_point(|&e| e < d);
            nearest.insert(at, d);
        }
        core.push(nearest[k - 1]);
        if q % step == step - 1 {
            progress(q as f32 / n as f32)?;
        }
    }
    Ok(core)
}

#[cfg(test)]
mod tests;
