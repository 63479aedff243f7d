//! UMAP: a 2-D (or k-D) map that keeps each point's neighbours near it (McInnes, Healy & Melville 2018,
//! arXiv:1802.03426), written from the paper.
//!
//! The steps, each in its own file: [`fuzzy`] turns the k-nearest-neighbour graph into symmetric membership
//! strengths, [`curve`] fits the layout's similarity curve to `min_dist` and `spread`, [`init`] places the points
//! (spectral, PCA or random), and [`layout`] moves them by stochastic gradient descent with negative sampling.
//!
//! The worker drives [`Umap`] a few epochs at a time (`step`), so it can report progress and show the layout
//! as it forms; [`Umap::finish`] keeps what is needed to place new statements later ([`FittedUmap::transform`])
//! without moving the old ones. Everything is single-threaded and seeded: the same input and parameters give
//! bit-identical coordinates.

pub mod curve;
mod fuzzy;
mod init;
mod layout;

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

pub use curve::fit_ab;
pub(crate) use fuzzy::memberships;
pub use init::Init;

use crate::knn::{exact_knn_query, KnnGraph, Metric};
use crate::progress::Cancelled;
use layout::{Curve, Fixed, Pass, Runtime, Schedule, MAX_COMPONENTS};

/// UMAP's settings; the defaults are umap-learn's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UmapParams {
    /// Neighbours per point, not counting the point itself (umap-learn counts it, so its 15 are 14 others).
    pub n_neighbors: usize,
    /// Axes of the layout.
    pub n_components: usize,
    /// How close points may be packed in the layout.
    pub min_dist: f32,
    /// The scale of the layout's distances; with `min_dist`, how clumped the clusters are.
    pub spread: f32,
    /// Passes of gradient descent; `None` picks 500 below 10,000 points and 200 from there on.
    pub n_epochs: Option<usize>,
    /// Points pushed away per sampled edge.
    pub negative_sample_rate: usize,
    pub learning_rate: f32,
    /// Weight γ of the repulsion against the attraction.
    pub repulsion_strength: f32,
    pub seed: u64,
    /// The metric of the input space; used when placing new points.
    pub metric: Metric,
    pub init: Init,
}

impl Default for UmapParams {
    fn default() -> Self {
        UmapParams {
            n_neighbors: 15,
            n_components: 2,
            min_dist: 0.1,
            spread: 1.0,
            n_epochs: None,
            negative_sample_rate: 5,
            learning_rate: 1.0,
            repulsion_strength: 1.0,
            seed: 42,
            metric: Metric::Cosine,
            init: Init::Spectral,
        }
    }
}

/// What is wrong with the parameters or with the input they are applied to.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum UmapParamError {
    #[error("n_neighbors is {0}; at least 2 neighbours are needed")]
    TooFewNeighbours(usize),
    #[error("n_neighbors is {n_neighbors} but there are only {points} points; at most points − 1 neighbours")]
    MoreNeighboursThanPoints { n_neighbors: usize, points: usize },
    #[error("n_components is 0; the layout needs at least one axis")]
    ZeroComponents,
    #[error("n_components is {0}; at most 16 axes are supported")]
    TooManyComponents(usize),
    #[error("min_dist is {0}; it must be a finite number ≥ 0")]
    NegativeMinDist(f32),
    #[error("spread is {0}; it must be a finite number > 0")]
    SpreadNotPositive(f32),
    #[error("min_dist {min_dist} is greater than spread {spread}")]
    MinDistAboveSpread { min_dist: f32, spread: f32 },
    #[error("n_epochs is 0; at least one pass is needed")]
    ZeroEpochs,
    #[error("learning_rate is {0}; it must be a finite number > 0")]
    BadLearningRate(f32),
    #[error("repulsion_strength is {0}; it must be a finite number ≥ 0")]
    BadRepulsionStrength(f32),
    #[error("the data has {values} values, not a whole number of {dim}-dimensional rows")]
    RaggedData { values: usize, dim: usize },
    #[error("the neighbour graph has {graph} points but the data has {data}")]
    GraphSizeMismatch { graph: usize, data: usize },
    #[error("the neighbour graph lists {graph_k} neighbours per point but n_neighbors is {n_neighbors}")]
    GraphTooShallow { graph_k: usize, n_neighbors: usize },
}

/// Why a one-shot [`umap`] run did not finish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UmapError {
    #[error(transparent)]
    Params(#[from] UmapParamError),
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

impl UmapParams {
    /// Checks the values on their own; [`UmapParams::validate_for`] also checks them against the data size.
    pub fn validate(&self) -> Result<(), UmapParamError> {
        if self.n_neighbors < 2 {
            return Err(UmapParamError::TooFewNeighbours(self.n_neighbors));
        }
        if self.n_components == 0 {
            return Err(UmapParamError::ZeroComponents);
        }
        if self.n_components > MAX_COMPONENTS {
            return Err(UmapParamError::TooManyComponents(self.n_components));
        }
        if !(self.min_dist.is_finite() && self.min_dist >= 0.0) {
            return Err(UmapParamError::NegativeMinDist(self.min_dist));
        }
        if !(self.spread.is_finite() && self.spread > 0.0) {
            return Err(UmapParamError::SpreadNotPositive(self.spread));
        }
        if self.min_dist > self.spread {
            return Err(UmapParamError::MinDistAboveSpread { min_dist: self.min_dist, spread: self.spread });
        }
        if self.n_epochs == Some(0) {
            return Err(UmapParamError::ZeroEpochs);
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(UmapParamError::BadLearningRate(self.learning_rate));
        }
        if !(self.repulsion_strength.is_finite() && self.repulsion_strength >= 0.0) {
            return Err(UmapParamError::BadRepulsionStrength(self.repulsion_strength));
        }
        Ok(())
    }

    /// [`UmapParams::validate`] plus the checks that need the number of points.
    pub fn validate_for(&self, points: usize) -> Result<(), UmapParamError> {
        self.validate()?;
        if self.n_neighbors > points.saturating_sub(1) {
            return Err(UmapParamError::MoreNeighboursThanPoints { n_neighbors: self.n_neighbors, points });
        }
        Ok(())
    }

    /// The number of epochs a run of `points` points will make.
    pub fn epochs_for(&self, points: usize) -> usize {
        self.n_epochs.unwrap_or(if points < 10_000 { 500 } else { 200 })
    }
}

/// The parts of a UMAP run, in order, for one progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UmapStage {
    /// The k-nearest-neighbour graph ([`crate::knn::knn`]), computed by the caller.
    Neighbours,
    FuzzySet,
    Initialise,
    Optimise,
}

impl UmapStage {
    pub const ALL: [UmapStage; 4] =
        [UmapStage::Neighbours, UmapStage::FuzzySet, UmapStage::Initialise, UmapStage::Optimise];

    /// Share of a whole run's time, measured natively on 10,000 clustered 50-dimensional unit vectors with the
    /// default parameters (NN-descent, 200 epochs; `cargo bench -p vejkort-engine --bench umap` prints the
    /// split): 0.06, 0.02, 0.01 and 0.92 of 1.74 s. The optimisation dominates at every size; on 384-dimensional
    /// input the neighbours take a larger share.
    pub fn share(self) -> f32 {
        match self {
            UmapStage::Neighbours => 0.06,
            UmapStage::FuzzySet => 0.02,
            UmapStage::Initialise => 0.01,
            UmapStage::Optimise => 0.91,
        }
    }

    /// Fraction of the whole run done when this stage is `fraction` done.
    pub fn overall(self, fraction: f32) -> f32 {
        let before: f32 = UmapStage::ALL.iter().take_while(|stage| **stage != self).map(|stage| stage.share()).sum();
        (before + self.share() * fraction.clamp(0.0, 1.0)).min(1.0)
    }
}

/// A UMAP layout being optimised.
#[derive(Debug, Clone)]
pub struct Umap {
    params: UmapParams,
    data: Vec<f32>,
    dim: usize,
    curve: Curve,
    layout: Vec<f32>,
    schedule: Schedule,
    epochs_total: usize,
    epochs_done: usize,
    rng: Xoshiro256PlusPlus,
}

impl Umap {
    /// Builds the fuzzy graph from `graph` (whose first `n_neighbors` columns are used) and the starting layout.
    pub fn new(data: &[f32], dim: usize, graph: &KnnGraph, params: UmapParams) -> Result<Umap, UmapParamError> {
        if dim == 0 || !data.len().is_multiple_of(dim) {
            return Err(UmapParamError::RaggedData { values: data.len(), dim });
        }
        let n = data.len() / dim;
        params.validate_for(n)?;
        if graph.n != n {
            return Err(UmapParamError::GraphSizeMismatch { graph: graph.n, data: n });
        }
        if graph.k < params.n_neighbors {
            return Err(UmapParamError::GraphTooShallow { graph_k: graph.k, n_neighbors: params.n_neighbors });
        }
        let fuzzy = fuzzy::fuzzy_graph(graph, params.n_neighbors);
        let (layout, _start) = init::initial_layout(params.init, &fuzzy, data, dim, params.n_components, params.seed);
        Ok(Umap::from_parts(data.to_vec(), dim, &fuzzy, layout, params))
    }

    fn from_parts(data: Vec<f32>, dim: usize, fuzzy: &fuzzy::FuzzyGraph, layout: Vec<f32>, params: UmapParams) -> Umap {
        let epochs_total = params.epochs_for(fuzzy.n);
        let schedule =
            Schedule::new(&fuzzy.heads, &fuzzy.tails, &fuzzy.weights, epochs_total, params.negative_sample_rate);
        let (a, b) = fit_ab(params.min_dist, params.spread);
        // The optimiser's stream is separate from the initialisation's, so changing one does not shift the other.
        let rng = Xoshiro256PlusPlus::seed_from_u64(params.seed ^ 0x0005_eed0_f5cd);
        Umap {
            curve: Curve { a, b, gamma: params.repulsion_strength },
            data,
            dim,
            layout,
            schedule,
            epochs_total,
            epochs_done: 0,
            rng,
            params,
        }
    }

    /// Runs up to `epochs` more epochs; true once all are done.
    pub fn step(&mut self, epochs: usize) -> bool {
        let end = (self.epochs_done + epochs).min(self.epochs_total);
        while self.epochs_done < end {
            let alpha = self.params.learning_rate * (1.0 - self.epochs_done as f32 / self.epochs_total as f32);
            let epoch = (self.epochs_done + 1) as f32;
            let (layout, schedule, rng) = (&mut self.layout, &mut self.schedule, &mut self.rng);
            match self.params.n_components {
                2 => layout::fit_epoch(Fixed::<2>, layout, schedule, self.curve, Pass { alpha, epoch }, rng),
                3 => layout::fit_epoch(Fixed::<3>, layout, schedule, self.curve, Pass { alpha, epoch }, rng),
                // The pipeline clusters on a 5-D layout.
                5 => layout::fit_epoch(Fixed::<5>, layout, schedule, self.curve, Pass { alpha, epoch }, rng),
                axes => layout::fit_epoch(Runtime(axes), layout, schedule, self.curve, Pass { alpha, epoch }, rng),
            }
            self.epochs_done += 1;
        }
        self.epochs_done >= self.epochs_total
    }

    /// Row-major `n × n_components` coordinates as they are now.
    pub fn embedding(&self) -> &[f32] {
        &self.layout
    }

    pub fn epochs_done(&self) -> usize {
        self.epochs_done
    }

    pub fn epochs_total(&self) -> usize {
        self.epochs_total
    }

    pub fn params(&self) -> &UmapParams {
        &self.params
    }

    /// Ends the optimisation (whatever epochs remain are skipped) and keeps what placing new points needs.
    pub fn finish(self) -> FittedUmap {
        FittedUmap { params: self.params, data: self.data, dim: self.dim, curve: self.curve, embedding: self.layout }
    }
}

/// A finished layout together with the training data, able to place new points.
#[derive(Debug, Clone)]
pub struct FittedUmap {
    params: UmapParams,
    data: Vec<f32>,
    dim: usize,
    curve: Curve,
    embedding: Vec<f32>,
}

impl FittedUmap {
    /// A finished layout rebuilt from its training data (`dim`-wide rows), its coordinates and the parameters it
    /// was made with, so new points can be placed without keeping the optimiser (a saved project, or a worker
    /// that keeps nothing between jobs). `None` when the sizes disagree.
    pub fn from_layout(data: Vec<f32>, dim: usize, embedding: Vec<f32>, params: UmapParams) -> Option<FittedUmap> {
        let axes = params.n_components;
        if dim == 0 || axes == 0 || !data.len().is_multiple_of(dim) || embedding.len() != data.len() / dim * axes {
            return None;
        }
        let (a, b) = fit_ab(params.min_dist, params.spread);
        let curve = Curve { a, b, gamma: params.repulsion_strength };
        Some(FittedUmap { params, data, dim, curve, embedding })
    }

    pub fn embedding(&self) -> &[f32] {
        &self.embedding
    }

    pub fn into_embedding(self) -> Vec<f32> {
        self.embedding
    }

    pub fn params(&self) -> &UmapParams {
        &self.params
    }

    /// Places new points (row-major, `dim` wide like the training data) in the fitted layout without moving
    /// the old ones: each starts at the membership-weighted mean of its training neighbours and is then
    /// optimised alone against the fixed layout for a short while. Returns `new_points.len() / dim` rows of
    /// `n_components` coordinates; an empty result if `dim` differs from the training data's.
    pub fn transform(&self, new_points: &[f32], dim: usize) -> Vec<f32> {
        let axes = self.params.n_components;
        if dim != self.dim || dim == 0 || new_points.is_empty() {
            return Vec::new();
        }
        let training = self.data.len() / self.dim;
        let k = self.params.n_neighbors.min(training);
        let graph = exact_knn_query(&self.data, new_points, dim, k, self.params.metric);
        let strengths = fuzzy::memberships(&graph, k);

        let mut placed = Vec::with_capacity(graph.n * axes);
        for point in 0..graph.n {
            let weights = &strengths[point * k..(point + 1) * k];
            let total: f32 = weights.iter().sum();
            for axis in 0..axes {
                let weighted: f32 = graph
                    .neighbours(point)
                    .iter()
                    .zip(weights)
                    .map(|(&neighbour, &w)| w * self.embedding[neighbour as usize * axes + axis])
                    .sum();
                placed.push(if total > 0.0 { weighted / total } else { 0.0 });
            }
        }

        // umap-learn's choices for placing new points: a third of the epochs (100 or 30 by default) at a
        // quarter of the learning rate, so the new points settle without being thrown about.
        let epochs = match self.params.n_epochs {
            Some(epochs) => (epochs / 3).max(1),
            None if training <= 10_000 => 100,
            None => 30,
        };
        let heads: Vec<u32> = (0..graph.n as u32).flat_map(|point| std::iter::repeat_n(point, k)).collect();
        let mut schedule = Schedule::new(&heads, &graph.indices, &strengths, epochs, self.params.negative_sample_rate);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(self.params.seed ^ 0x007a_a5f0);
        let learning_rate = self.params.learning_rate / 4.0;
        for done in 0..epochs {
            let alpha = learning_rate * (1.0 - done as f32 / epochs as f32);
            let epoch = (done + 1) as f32;
            let (fixed, curve) = (&self.embedding, self.curve);
            match axes {
                2 => layout::transform_epoch(
                    Fixed::<2>,
                    &mut placed,
                    fixed,
                    &mut schedule,
                    curve,
                    Pass { alpha, epoch },
                    &mut rng,
                ),
                axes => layout::transform_epoch(
                    Runtime(axes),
                    &mut placed,
                    fixed,
                    &mut schedule,
                    curve,
                    Pass { alpha, epoch },
                    &mut rng,
                ),
            }
        }
        placed
    }
}

/// Epochs per progress report in [`umap`].
const EPOCHS_PER_REPORT: usize = 10;

/// The whole layout in one call; `progress` hears the fraction done of this call (fuzzy set, start and
/// optimisation, weighted by [`UmapStage::share`]) and may cancel.
pub fn umap(
    data: &[f32],
    dim: usize,
    graph: &KnnGraph,
    params: UmapParams,
    progress: crate::knn::Progress<'_>,
) -> Result<Vec<f32>, UmapError> {
    let after_neighbours = UmapStage::Neighbours.overall(1.0);
    let mut report = |stage: UmapStage, fraction: f32| {
        progress((stage.overall(fraction) - after_neighbours) / (1.0 - after_neighbours))
    };
    report(UmapStage::FuzzySet, 0.0)?;
    if dim == 0 || !data.len().is_multiple_of(dim) {
        return Err(UmapParamError::RaggedData { values: data.len(), dim }.into());
    }
    let n = data.len() / dim;
    params.validate_for(n)?;
    if graph.n != n {
        return Err(UmapParamError::GraphSizeMismatch { graph: graph.n, data: n }.into());
    }
    if graph.k < params.n_neighbors {
        return Err(UmapParamError::GraphTooShallow { graph_k: graph.k, n_neighbors: params.n_neighbors }.into());
    }
    let fuzzy = fuzzy::fuzzy_graph(graph, params.n_neighbors);
    report(UmapStage::Initialise, 0.0)?;
    let (layout, _start) = init::initial_layout(params.init, &fuzzy, data, dim, params.n_components, params.seed);
    report(UmapStage::Optimise, 0.0)?;
    // The one-shot run never places new points, so it need not keep a copy of the data.
    let mut run = Umap::from_parts(Vec::new(), dim, &fuzzy, layout, params);
    while !run.step(EPOCHS_PER_REPORT) {
        report(UmapStage::Optimise, run.epochs_done() as f32 / run.epochs_total() as f32)?;
    }
    report(UmapStage::Optimise, 1.0)?;
    Ok(run.layout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{read_files, InputFile, ReadOptions};
    use crate::knn::{exact_knn, knn};
    use crate::quality::trustworthiness;
    use rand::Rng;

    /// `per_blob` points around each of `blobs` centres 20 units apart in `dim` dimensions, unit spread.
    fn blobs(blobs: usize, per_blob: usize, dim: usize, seed: u64) -> (Vec<f32>, Vec<usize>) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let centres: Vec<Vec<f32>> =
            (0..blobs).map(|_| (0..dim).map(|_| rng.gen_range(-20.0..20.0)).collect()).collect();
        let mut data = Vec::new();
        let mut labels = Vec::new();
        for point in 0..blobs * per_blob {
            let blob = point % blobs;
            data.extend(centres[blob].iter().map(|c| c + rng.gen_range(-1.0f32..1.0)));
            labels.push(blob);
        }
        (data, labels)
    }

    /// Share of points whose nearest blob centroid in the layout is their own blob's.
    fn centroid_purity(layout: &[f32], axes: usize, labels: &[usize], blobs: usize) -> f64 {
        let mut centroids = vec![vec![0f64; axes]; blobs];
        let mut counts = vec![0usize; blobs];
        for (point, &label) in labels.iter().enumerate() {
            counts[label] += 1;
            for axis in 0..axes {
                centroids[label][axis] += f64::from(layout[point * axes + axis]);
            }
        }
        for (centroid, count) in centroids.iter_mut().zip(&counts) {
            centroid.iter_mut().for_each(|c| *c /= *count as f64);
        }
        let correct = labels
            .iter()
            .enumerate()
            .filter(|(point, &label)| {
                let distance = |c: &Vec<f64>| -> f64 {
                    (0..axes).map(|a| (f64::from(layout[point * axes + a]) - c[a]).powi(2)).sum()
                };
                (0..blobs).min_by(|&x, &y| distance(&centroids[x]).total_cmp(&distance(&centroids[y]))) == Some(label)
            })
            .count();
        correct as f64 / labels.len() as f64
    }

    fn bowling_green() -> Option<(Vec<f32>, usize)> {
        let path = "/work/shared/data/embeddings/bowling-green_all-MiniLM-L6-v2/embeddings.npy";
        let bytes = std::fs::read(path).ok()?;
        let dataset =
            read_files(&[InputFile { name: "embeddings.npy".into(), bytes }], &ReadOptions::default()).ok()?;
        let vectors = dataset.vectors?;
        Some((vectors.values, vectors.dim))
    }

    #[test]
    fn defaults_are_umap_learns() {
        let params = UmapParams::default();
        assert_eq!((params.n_neighbors, params.n_components, params.negative_sample_rate, params.seed), (15, 2, 5, 42));
        assert_eq!(
            (params.min_dist, params.spread, params.learning_rate, params.repulsion_strength),
            (0.1, 1.0, 1.0, 1.0)
        );
        assert_eq!((params.epochs_for(9_999), params.epochs_for(10_000)), (500, 200));
        assert!(params.validate().is_ok());
        let text = serde_json::to_string(&params).unwrap();
        assert_eq!(serde_json::from_str::<UmapParams>(&text).unwrap(), params);
    }

    #[test]
    fn each_bad_value_has_its_own_error() {
        let with = |change: fn(&mut UmapParams)| {
            let mut params = UmapParams::default();
            change(&mut params);
            params.validate_for(100).unwrap_err()
        };
        assert_eq!(with(|p| p.n_neighbors = 1), UmapParamError::TooFewNeighbours(1));
        assert_eq!(
            with(|p| p.n_neighbors = 100),
            UmapParamError::MoreNeighboursThanPoints { n_neighbors: 100, points: 100 }
        );
        assert_eq!(with(|p| p.n_components = 0), UmapParamError::ZeroComponents);
        assert_eq!(with(|p| p.n_components = 17), UmapParamError::TooManyComponents(17));
        assert_eq!(with(|p| p.min_dist = -0.1), UmapParamError::NegativeMinDist(-0.1));
        assert_eq!(with(|p| p.spread = 0.0), UmapParamError::SpreadNotPositive(0.0));
        assert_eq!(with(|p| p.min_dist = 1.5), UmapParamError::MinDistAboveSpread { min_dist: 1.5, spread: 1.0 });
        assert_eq!(with(|p| p.n_epochs = Some(0)), UmapParamError::ZeroEpochs);
        assert!(matches!(with(|p| p.learning_rate = f32::NAN), UmapParamError::BadLearningRate(_)));
        assert_eq!(with(|p| p.repulsion_strength = -1.0), UmapParamError::BadRepulsionStrength(-1.0));
        assert!(UmapParams::default().validate_for(16).is_ok());

        let data = vec![0.0f32; 30];
        let graph = exact_knn(&data, 3, 5, Metric::Euclidean);
        let params = UmapParams { n_neighbors: 3, ..UmapParams::default() };
        assert!(matches!(Umap::new(&data, 4, &graph, params.clone()), Err(UmapParamError::RaggedData { .. })));
        assert!(matches!(
            Umap::new(&data[..27], 3, &graph, params.clone()),
            Err(UmapParamError::GraphSizeMismatch { .. })
        ));
        let shallow = exact_knn(&data, 3, 2, Metric::Euclidean);
        assert!(matches!(Umap::new(&data, 3, &shallow, params), Err(UmapParamError::GraphTooShallow { .. })));
    }

    #[test]
    fn separated_blobs_stay_apart() {
        let (data, labels) = blobs(5, 120, 10, 1);
        let graph = exact_knn(&data, 10, 15, Metric::Euclidean);
        for init in [Init::Spectral, Init::Pca, Init::Random] {
            let params = UmapParams { metric: Metric::Euclidean, init, n_epochs: Some(200), ..UmapParams::default() };
            let layout = umap(&data, 10, &graph, params, &mut |_| Ok(())).unwrap();
            assert_eq!(layout.len(), labels.len() * 2);
            assert!(layout.iter().all(|v| v.is_finite()));
            let purity = centroid_purity(&layout, 2, &labels, 5);
            assert!(purity >= 0.95, "{init:?}: purity {purity}");
        }
    }

    #[test]
    fn a_connected_manifold_gets_a_trustworthy_spectral_layout() {
        // Points along a noisy spiral in 3-D: connected, so the spectral start is used.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let data: Vec<f32> = (0..800)
            .flat_map(|i| {
                let t = i as f32 / 800.0 * 12.0;
                [
                    t * t.cos() + rng.gen_range(-0.1..0.1),
                    t * t.sin() + rng.gen_range(-0.1..0.1),
                    rng.gen_range(0.0..2.0),
                ]
            })
            .collect();
        let graph = exact_knn(&data, 3, 15, Metric::Euclidean);
        let fuzzy = fuzzy::fuzzy_graph(&graph, 15);
        assert!(init::is_connected(&fuzzy));
        let params = UmapParams { metric: Metric::Euclidean, n_epochs: Some(200), ..UmapParams::default() };
        let layout = umap(&data, 3, &graph, params, &mut |_| Ok(())).unwrap();
        let score = trustworthiness(&data, 3, &layout, 2, 10);
        assert!(score >= 0.95, "trustworthiness {score}");
    }

    #[test]
    fn bowling_green_embeddings_are_mapped_trustworthily() {
        let Some((data, dim)) = bowling_green() else {
            eprintln!("Bowling Green embeddings not found; skipped");
            return;
        };
        let graph = knn(&data, dim, 15, Metric::Cosine, 1, &mut |_| Ok(())).unwrap();
        let layout = umap(&data, dim, &graph, UmapParams::default(), &mut |_| Ok(())).unwrap();
        let score = trustworthiness(&data, dim, &layout, 2, 15);
        eprintln!("Bowling Green trustworthiness@15: {score:.4}");
        assert!(score >= 0.9, "trustworthiness {score}");
    }

    #[test]
    fn same_seed_gives_bit_identical_layouts() {
        let (data, _) = blobs(3, 100, 6, 3);
        let graph = exact_knn(&data, 6, 10, Metric::Cosine);
        let params = UmapParams { n_neighbors: 10, n_epochs: Some(50), ..UmapParams::default() };
        let run = |params: UmapParams| umap(&data, 6, &graph, params, &mut |_| Ok(())).unwrap();
        let first = run(params.clone());
        let bits = |layout: &[f32]| layout.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&first), bits(&run(params.clone())));
        assert_ne!(bits(&first), bits(&run(UmapParams { seed: 7, ..params })));
    }

    #[test]
    fn stepping_matches_the_one_shot_run() {
        let (data, _) = blobs(3, 60, 4, 5);
        let graph = exact_knn(&data, 4, 8, Metric::Euclidean);
        let params =
            UmapParams { n_neighbors: 8, n_epochs: Some(30), metric: Metric::Euclidean, ..UmapParams::default() };
        let mut stepped = Umap::new(&data, 4, &graph, params.clone()).unwrap();
        assert_eq!((stepped.epochs_done(), stepped.epochs_total()), (0, 30));
        assert!(!stepped.step(7));
        assert_eq!(stepped.epochs_done(), 7);
        while !stepped.step(7) {}
        assert_eq!(stepped.epochs_done(), 30);
        let one_shot = umap(&data, 4, &graph, params, &mut |_| Ok(())).unwrap();
        assert_eq!(stepped.embedding(), one_shot.as_slice());
    }

    #[test]
    fn progress_rises_to_one_and_can_cancel() {
        let (data, _) = blobs(2, 50, 3, 6);
        let graph = exact_knn(&data, 3, 5, Metric::Euclidean);
        let params = UmapParams { n_neighbors: 5, n_epochs: Some(40), ..UmapParams::default() };
        let mut seen = Vec::new();
        umap(&data, 3, &graph, params.clone(), &mut |f| {
            seen.push(f);
            Ok(())
        })
        .unwrap();
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert!((seen.last().copied().unwrap() - 1.0).abs() < 1e-5);
        let mut calls = 0;
        let result = umap(&data, 3, &graph, params, &mut |_| {
            calls += 1;
            if calls > 3 {
                Err(Cancelled)
            } else {
                Ok(())
            }
        });
        assert_eq!(result, Err(UmapError::Cancelled(Cancelled)));
        assert!((UmapStage::ALL.iter().map(|s| s.share()).sum::<f32>() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn new_points_land_in_their_blob_and_old_ones_stay() {
        let (data, labels) = blobs(4, 100, 8, 7);
        let graph = exact_knn(&data, 8, 15, Metric::Euclidean);
        let params = UmapParams { metric: Metric::Euclidean, n_epochs: Some(150), ..UmapParams::default() };
        let mut run = Umap::new(&data, 8, &graph, params).unwrap();
        while !run.step(50) {}
        let fitted = run.finish();
        let before = fitted.embedding().to_vec();
        // New points: fresh draws near the first point of each blob (blob b's first point is row b).
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
        let fresh: Vec<f32> =
            (0..4).flat_map(|b| data[b * 8..(b + 1) * 8].to_vec()).map(|v| v + rng.gen_range(-0.3..0.3)).collect();
        let placed = fitted.transform(&fresh, 8);
        assert_eq!(placed.len(), 8);
        assert_eq!(fitted.embedding(), before.as_slice());
        let mut layout = before.clone();
        layout.extend(&placed);
        let mut all_labels = labels.clone();
        all_labels.extend(0..4);
        // Each new point's nearest old point in the layout belongs to its own blob.
        for (new, blob) in (0..4).enumerate() {
            let (x, y) = (placed[new * 2], placed[new * 2 + 1]);
            let nearest = (0..labels.len())
                .min_by(|&i, &j| {
                    let d = |p: usize| (before[p * 2] - x).powi(2) + (before[p * 2 + 1] - y).powi(2);
                    d(i).total_cmp(&d(j))
                })
                .unwrap();
            assert_eq!(labels[nearest], blob);
        }
        assert!(fitted.transform(&fresh, 7).is_empty());
        assert_eq!(fitted.transform(&fresh, 8), placed);
    }
}
