//! The whole analysis, from files to a clustered, labelled 2-D map, with progress and cancellation.
//!
//! The default follows the pipeline topic modelling trusts (BERTopic's): vectors → neighbour graph → UMAP →
//! HDBSCAN. Vectors come from the data when it brings an embedding, from a sentence-embedding model when the
//! caller supplies one ([`Embedder`]: the worker does, natively the command line may), otherwise from TF-IDF over
//! the statements. They are reduced by PCA to a 50-dimensional analysis space (for TF-IDF this is latent semantic
//! analysis) with rows scaled to unit length, so Euclidean distances there follow cosine similarity, and every
//! later stage works in that space: the k-nearest-neighbour graph, UMAP's 2-D map (which the sink sees converge,
//! so the map animates), and the clusters. HDBSCAN clusters a separate 5-D UMAP of the same graph, as BERTopic
//! does (see ARCHITECTURE.md for the measurements behind that choice); k-means clusters the analysis space.
//! PCA's first two axes remain as the instant, deterministic alternative map. Clusters are named by c-TF-IDF.

use serde::{Deserialize, Serialize};

use crate::cluster::{cluster, ClusterCount, Points};
use crate::dataset::{ColumnChoice, ColumnRoles, Dataset, Vectors, Workbook};
use crate::error::{AnalysisError, InputError, Warning};
use crate::hdbscan::{hdbscan, HdbscanError, HdbscanParams};
use crate::io::{read_files, InputFile, ReadOptions};
use crate::knn::{knn, KnnGraph, Metric};
use crate::label::{cluster_labels, LabelOptions, Labeller};
use crate::language::{detect, Language};
use crate::pca::{pca, PcaInput};
use crate::progress::{Cancelled, Plan, ProgressSink, Stage};
use crate::text::words;
use crate::tfidf::tfidf;
use crate::umap::{Umap, UmapParamError, UmapParams};

/// Dimensions of the space clusters are found in. Enough to keep the structure of 384–1024-dimensional
/// embeddings and of TF-IDF (LSA with 50–100 components is the usual choice) while keeping kNN and k-means fast.
pub const ANALYSIS_DIMENSIONS: usize = 50;
/// Terms kept per cluster; the label shows the first three.
pub const TERMS_PER_CLUSTER: usize = 8;
const TERMS_IN_LABEL: usize = 3;
/// Dimensions of the UMAP that HDBSCAN clusters in (BERTopic's choice): enough room for clusters that a 2-D map
/// squeezes together, few enough for a kd-tree to find neighbours fast.
pub const CLUSTER_DIMENSIONS: usize = 5;
/// Neighbours that make a point dense for HDBSCAN unless the user sets `min_samples`.
pub const DENSITY_NEIGHBOURS: usize = 15;
/// Up to this many points the clustering UMAP runs all of the map's epochs, as BERTopic's does. Fewer epochs cost
/// accuracy: mean ARI against the StackOverflow topics over seeds 0–3 (2026-11-26) was, for 20,000 titles, 0.376
/// with a quarter of the epochs, 0.425 with half and 0.458 with all; for the 10,000-title sample 0.330, 0.332 and
/// 0.342. Above this size the epochs fall in proportion, so the clustering layout costs what it costs at this
/// size, down to [`MIN_CLUSTER_EPOCH_SHARE`].
const FULL_CLUSTER_EPOCHS_UP_TO: usize = 20_000;
/// The clustering UMAP never runs fewer than this share of the map's epochs (reached at 80,000 points): HDBSCAN
/// needs the graph's clumps pulled apart more than the fine arrangement inside them, and at 100,000 points a
/// quarter keeps the whole job in Chromium near 25 s (all epochs would add about a third).
const MIN_CLUSTER_EPOCH_SHARE: usize = 4;
/// Fewer epochs than this leave even small data half-converged.
const MIN_CLUSTER_EPOCHS: usize = 30;

fn cluster_epochs(map_epochs: usize, points: usize) -> usize {
    let all = map_epochs.max(1);
    if points <= FULL_CLUSTER_EPOCHS_UP_TO {
        return all;
    }
    let scaled = map_epochs * FULL_CLUSTER_EPOCHS_UP_TO / points;
    scaled.max(map_epochs / MIN_CLUSTER_EPOCH_SHARE).max(MIN_CLUSTER_EPOCHS).min(all)
}

/// Below this many points a neighbour graph says little; the map falls back to PCA and clusters to k-means.
pub const MIN_POINTS_FOR_GRAPH: usize = 16;
/// How many intermediate layouts the sink sees while UMAP runs: enough for a smooth animation, few enough that
/// sending 100,000 positions each time costs nothing next to the optimisation.
const LAYOUT_FRAMES: usize = 40;

/// How the statements become vectors when the data brings none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Vectoriser {
    /// TF-IDF: instant, needs no model, groups words rather than meanings.
    #[default]
    TfIdf,
    /// The sentence-embedding model the caller supplies; TF-IDF (with a warning) when there is none.
    Model,
    /// The user's own model folder, loaded by the caller (the worker); like `Model`, TF-IDF with a warning when
    /// none is loaded.
    OwnModel,
    /// Instant mode: static word vectors distilled from the model (a lookup per word piece, no transformer), which
    /// the caller supplies as an [`Embedder`] too; TF-IDF (with a warning) when there is none.
    Instant,
}

/// How the 2-D map is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LayoutMethod {
    /// UMAP of the neighbour graph: local neighbourhoods kept, clusters visible as islands.
    #[default]
    Umap,
    /// The first two principal components: instant and linear, but clusters overlap.
    Pca,
}

/// How points are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ClusterMethod {
    /// Density-based: finds the number of clusters itself and leaves outliers as noise.
    #[default]
    Hdbscan,
    /// k-means in the analysis space, with k chosen by silhouette unless fixed; every point gets a cluster.
    KMeans,
}

/// Everything the user can choose about an analysis.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisOptions {
    pub read: ReadOptions,
    pub columns: ColumnChoice,
    pub seed: u64,
    pub vectoriser: Vectoriser,
    pub layout: LayoutMethod,
    /// UMAP's settings; the seed comes from `seed` and the axes from the use (2 for the map).
    pub umap: UmapParams,
    pub clustering: ClusterMethod,
    /// k for k-means.
    pub clusters: ClusterCount,
    /// HDBSCAN's smallest cluster; `None` scales it with the data ([`auto_min_cluster_size`]).
    pub min_cluster_size: Option<usize>,
    /// HDBSCAN's other settings; its `min_cluster_size` is replaced by the one above.
    pub hdbscan: HdbscanParams,
    /// The label language and the user's stop words. They change labels only, never the map or the clusters.
    #[serde(default)]
    pub labels: LabelOptions,
}

/// The language cluster labels were made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelLanguage {
    /// What the statements look like.
    pub detected: Language,
    /// What labels were stemmed and stop-worded by: the detected language unless the user chose one.
    pub used: Language,
}

/// The smallest cluster HDBSCAN keeps when the user has not chosen: BERTopic's 10 for small surveys, growing to
/// one percent of the statements, so 4,000 statements give a few dozen clusters a person can read rather than
/// ninety (measured on the StackOverflow titles: 89 clusters at 10, see ARCHITECTURE.md).
pub fn auto_min_cluster_size(points: usize) -> usize {
    (points / 100).max(10)
}

/// A sentence-embedding model, supplied by the caller so the engine needs no model code of its own.
pub trait Embedder {
    /// A short name for the legend ("multilingual-e5-small").
    fn name(&self) -> String;
    /// Unit-length vectors of the texts, row-major; `progress` hears statements done and may cancel.
    fn embed(
        &mut self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vectors, Cancelled>;
}

/// Where the vectors came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum VectorSource {
    /// The data brought an embedding of this many dimensions.
    Provided { dimensions: usize },
    /// A sentence-embedding model computed them.
    Model { name: String, dimensions: usize },
    /// TF-IDF over the text column, with this many words in the vocabulary.
    TfIdf { vocabulary: usize },
}

/// A cluster as the legend shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSummary {
    pub id: i32,
    pub size: usize,
    /// The top terms joined; empty when the data has no text (the UI then names it by number).
    pub label: String,
    pub terms: Vec<String>,
    /// Mean position of its points on the map.
    pub centre: [f32; 2],
}

/// The result of an analysis: one map point per kept record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub columns: Vec<String>,
    pub roles: ColumnRoles,
    /// Metadata cells of each point, in input order.
    pub rows: Vec<Vec<String>>,
    /// 2-D position of each point.
    pub positions: Vec<[f32; 2]>,
    /// Cluster id of each point; −1 is noise (HDBSCAN's outliers; k-means leaves none).
    pub assignments: Vec<i32>,
    /// How strongly each point belongs to its cluster, 0 to 1 (HDBSCAN's membership; 1 for k-means).
    pub membership: Vec<f32>,
    pub clusters: Vec<ClusterSummary>,
    pub vectors: VectorSource,
    /// Each point in the analysis space (unit rows, [`ANALYSIS_DIMENSIONS`] or fewer columns) that clusters were
    /// found in: what splitting a cluster, nearest neighbours and representative statements measure in.
    pub space: Vectors,
    /// The space HDBSCAN found clusters in (its own low-dimensional UMAP); `None` when clusters were found in
    /// `space` (k-means).
    pub cluster_space: Option<Vectors>,
    /// The map and clustering actually used (tiny data falls back to PCA and k-means).
    pub layout: LayoutMethod,
    pub clustering: ClusterMethod,
    /// Mean silhouette for each k tried when k-means chose k.
    pub silhouettes: Vec<(usize, f64)>,
    /// Share of the variance the two PCA axes show (for a PCA map).
    pub layout_variance: [f64; 2],
    pub workbooks: Vec<Workbook>,
    pub warnings: Vec<Warning>,
    /// The language of the labels; `None` when the data has no text.
    #[serde(default)]
    pub label_language: Option<LabelLanguage>,
    /// Votes on the statements (a Polis export), matched to points by their key column; for the conflict lens.
    #[serde(default)]
    pub votes: Option<crate::lens::Votes>,
    /// What places live statements into this map ([`crate::live`]); `None` when the data brought its own vectors.
    #[serde(default)]
    pub placer: Option<crate::live::Placer>,
}

impl Analysis {
    pub fn text_of(&self, point: usize) -> Option<&str> {
        self.roles.text.map(|column| self.rows[point][column].as_str())
    }

    pub fn cluster(&self, id: i32) -> Option<&ClusterSummary> {
        self.clusters.iter().find(|cluster| cluster.id == id)
    }

    /// Points left out of every cluster.
    pub fn noise(&self) -> usize {
        self.assignments.iter().filter(|&&id| id < 0).count()
    }

    /// How many statements of each kind (cause, solution, …) the map holds, most common first; empty without
    /// a kind column. An empty cell counts as "–".
    pub fn kind_counts(&self) -> Vec<(String, usize)> {
        let Some(kind) = self.roles.kind else { return Vec::new() };
        let mut counts: Vec<(String, usize)> = Vec::new();
        for row in &self.rows {
            let value = match row[kind].trim() {
                "" => "–",
                value => value,
            };
            match counts.iter_mut().find(|(known, _)| known == value) {
                Some((_, count)) => *count += 1,
                None => counts.push((value.to_owned(), 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }
}

/// Reads the files and analyses them, with TF-IDF for texts.
pub fn analyze(
    files: &[InputFile],
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<Analysis, AnalysisError> {
    analyze_with(files, options, None, progress)
}

/// Reads the files and analyses them, embedding texts with `embedder` when the options ask for a model.
pub fn analyze_with(
    files: &[InputFile],
    options: &AnalysisOptions,
    embedder: Option<&mut dyn Embedder>,
    progress: &mut dyn ProgressSink,
) -> Result<Analysis, AnalysisError> {
    progress.report(Stage::Reading, 0.0)?;
    let dataset = read_files(files, &options.read)?;
    analyze_dataset_with(dataset, options, embedder, progress)
}

/// Scales each row of a row-major matrix to unit length (zero rows stay zero), so Euclidean distances follow
/// cosine similarity.
fn unit_rows<F: linfa::Float>(values: &mut [F], dim: usize) {
    for row in values.chunks_mut(dim.max(1)) {
        let norm = row.iter().fold(F::zero(), |sum, &x| sum + x * x).sqrt();
        if norm > F::zero() {
            row.iter_mut().for_each(|x| *x /= norm);
        }
    }
}

/// The stages this analysis will run, weighted by rough per-point costs measured natively (seconds per point;
/// only their ratios matter). Embedding dominates whenever it runs; then UMAP's optimisation.
fn plan(
    n: usize,
    embeds: bool,
    tfidf: bool,
    layout: LayoutMethod,
    clustering: ClusterMethod,
    epochs: usize,
    static_vectors: bool,
) -> Plan {
    let n = n as f32;
    let graph = layout == LayoutMethod::Umap || clustering == ClusterMethod::Hdbscan;
    let neighbours = if n <= crate::knn::EXACT_THRESHOLD as f32 { n * n * 2.5e-8 } else { n * 1.5e-4 };
    let optimise = n * epochs as f32 * 4e-7;
    let mut costs = vec![(Stage::Reading, n * 2e-6)];
    if embeds {
        costs.push((Stage::Embedding, n * 4e-2));
    }
    if static_vectors {
        // A table lookup per word piece: tens of microseconds per statement in a browser.
        costs.push((Stage::Embedding, n * 3e-5));
    }
    if tfidf {
        costs.push((Stage::Vectorising, n * 3e-5));
    }
    costs.push((Stage::Reducing, n * 8e-5));
    if graph {
        costs.push((Stage::Neighbours, neighbours));
    }
    costs.push((Stage::Layout, if layout == LayoutMethod::Umap { optimise } else { n * 1e-7 }));
    costs.push((
        Stage::Clustering,
        match clustering {
            // Five axes cost about a quarter more per epoch than two.
            ClusterMethod::Hdbscan => n * cluster_epochs(epochs, n as usize) as f32 * 5e-7 + n * 5e-5,
            ClusterMethod::KMeans => n * 3.7e-4,
        },
    ));
    costs.push((Stage::Labelling, n * 2e-5));
    Plan::new(&costs)
}

fn umap_error(error: UmapParamError) -> AnalysisError {
    InputError::InvalidParameter { detail: error.to_string() }.into()
}

fn hdbscan_error(error: HdbscanError) -> AnalysisError {
    match error {
        HdbscanError::Cancelled => AnalysisError::Cancelled,
        other => InputError::InvalidParameter { detail: other.to_string() }.into(),
    }
}

/// A processing order that depends only on the content: rows sorted by a hash of their vector (when the data
/// brings one) or their text, ties by input position.
///
/// Every stage after it is deterministic for a given order, but NN-descent, UMAP's sampling and even
/// floating-point sums depend on the order, so shuffled input used to give a visibly different map (ARI 0.70
/// between the clusterings of the Bowling Green embeddings and a shuffled copy). Users notice topics moving
/// between runs of the same data; in canonical order they cannot.
fn canonical_order(rows: &[Vec<String>], text: Option<usize>, vectors: Option<&Vectors>) -> Vec<usize> {
    // FNV-1a: tiny, and the same on every platform, unlike the standard library's randomly keyed hasher.
    fn fnv(bytes: impl Iterator<Item = u8>) -> u64 {
        bytes.fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
    }
    let keys: Vec<u64> = (0..rows.len())
        .map(|i| match (vectors, text) {
            (Some(vectors), _) => fnv(vectors.row(i).iter().flat_map(|x| x.to_bits().to_le_bytes())),
            (None, Some(text)) => fnv(rows[i][text].bytes()),
            (None, None) => fnv(rows[i].iter().flat_map(|cell| cell.bytes().chain([0]))),
        })
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (keys[i], i));
    order
}

/// `items` taken in `order`: element `k` of the result is `items[order[k]]`. Items are moved, not cloned: the rows
/// of a large table would otherwise exist twice. `order` is a permutation; an index used twice yields nothing
/// the second time.
fn reorder<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)).collect()
}

fn reorder_rows(vectors: &Vectors, order: &[usize]) -> Vectors {
    let mut values = Vec::with_capacity(vectors.values.len());
    for &i in order {
        values.extend_from_slice(vectors.row(i));
    }
    Vectors { dim: vectors.dim, values }
}

/// [`reorder_rows`] without a second copy: the rows are permuted cycle by cycle through one row's buffer, so
/// 100,000 × 1,536 input vectors (614 MB) do not briefly need twice that.
fn reorder_rows_in_place(vectors: &mut Vectors, order: &[usize]) {
    let dim = vectors.dim;
    let values = &mut vectors.values;
    if dim == 0 || values.len() != order.len() * dim {
        return;
    }
    let mut placed = vec![false; order.len()];
    let mut held = vec![0.0f32; dim];
    for start in 0..order.len() {
        if placed[start] {
            continue;
        }
        held.copy_from_slice(&values[start * dim..(start + 1) * dim]);
        let mut at = start;
        loop {
            placed[at] = true;
            let from = order[at];
            if from == start || from >= order.len() || placed[from] {
                values[at * dim..(at + 1) * dim].copy_from_slice(&held);
                break;
            }
            values.copy_within(from * dim..(from + 1) * dim, at * dim);
            at = from;
        }
    }
}

/// The smallest cluster HDBSCAN is given for `points` points: the user's or the automatic one, and never more
/// than a quarter of the data, which would leave nothing to find.
pub fn effective_min_cluster_size(options: &AnalysisOptions, points: usize) -> usize {
    options.min_cluster_size.unwrap_or_else(|| auto_min_cluster_size(points)).clamp(2, (points / 4).max(2))
}

/// Runs UMAP on the graph to `components` axes, telling the sink each frame when `animate` is set.
fn run_umap(
    space: &Vectors,
    graph: &KnnGraph,
    params: UmapParams,
    stage: Stage,
    animate: bool,
    progress: &mut dyn ProgressSink,
) -> Result<Vec<f32>, AnalysisError> {
    let mut umap = Umap::new(&space.values, space.dim, graph, params).map_err(umap_error)?;
    let total = umap.epochs_total().max(1);
    let chunk = total.div_ceil(LAYOUT_FRAMES).max(1);
    loop {
        let done = umap.step(chunk);
        progress.report(stage, umap.epochs_done() as f32 / total as f32)?;
        if animate {
            let frame: Vec<[f32; 2]> = umap.embedding().chunks_exact(2).map(|p| [p[0], p[1]]).collect();
            progress.layout(&frame);
        }
        if done {
            return Ok(umap.finish().into_embedding());
        }
    }
}

/// Analyses a data set already read, with TF-IDF for texts.
pub fn analyze_dataset(
    dataset: Dataset,
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<Analysis, AnalysisError> {
    analyze_dataset_with(dataset, options, None, progress)
}

/// Analyses a data set already read.
pub fn analyze_dataset_with(
    dataset: Dataset,
    options: &AnalysisOptions,
    embedder: Option<&mut dyn Embedder>,
    progress: &mut dyn ProgressSink,
) -> Result<Analysis, AnalysisError> {
    let roles = dataset.resolve_roles(&options.columns)?;
    let Dataset { columns, rows, vectors, workbooks, mut warnings, votes } = dataset;

    // Which records become points: all of them when vectors are given, else those with text.
    let (rows, vectors) = match (vectors, roles.text) {
        (Some(vectors), _) => (rows, Some(vectors)),
        (None, Some(text)) => {
            let before = rows.len();
            let kept: Vec<Vec<String>> = rows.into_iter().filter(|row| !row[text].trim().is_empty()).collect();
            if kept.is_empty() {
                return Err(InputError::NoText { column: columns[text].clone() }.into());
            }
            if kept.len() < before {
                warnings.push(Warning::RowsWithoutText { count: before - kept.len() });
            }
            (kept, None)
        }
        (None, None) => return Err(InputError::NothingToAnalyse.into()),
    };
    let n = rows.len();
    if n < crate::cluster::MIN_POINTS {
        return Err(InputError::TooFewPoints { count: n, minimum: crate::cluster::MIN_POINTS }.into());
    }
    // Work in an order fixed by the content, so the same statements in another order give the same map.
    let order = canonical_order(&rows, roles.text, vectors.as_ref());
    let rows = reorder(rows, &order);
    let vectors = vectors.map(|mut v| {
        reorder_rows_in_place(&mut v, &order);
        v
    });
    let embedder = match (options.vectoriser, &vectors, embedder) {
        (Vectoriser::Model | Vectoriser::OwnModel, None, Some(embedder)) => Some(embedder),
        (Vectoriser::Model | Vectoriser::OwnModel, None, None) => {
            warnings.push(Warning::NoModel);
            None
        }
        (Vectoriser::Instant, None, Some(embedder)) => Some(embedder),
        (Vectoriser::Instant, None, None) => {
            warnings.push(Warning::NoStaticTable);
            None
        }
        _ => None,
    };
    // A graph needs more points than neighbours; tiny data gets the methods that need none.
    let small = n < MIN_POINTS_FOR_GRAPH;
    let layout = if small { LayoutMethod::Pca } else { options.layout };
    let clustering = if small { ClusterMethod::KMeans } else { options.clustering };
    let umap_base =
        UmapParams { seed: options.seed, n_neighbors: options.umap.n_neighbors.min(n - 1), ..options.umap.clone() };
    let epochs = umap_base.epochs_for(n);
    let static_vectors = embedder.is_some() && options.vectoriser == Vectoriser::Instant;
    progress.plan(&plan(
        n,
        embedder.is_some() && !static_vectors,
        vectors.is_none() && embedder.is_none(),
        layout,
        clustering,
        epochs,
        static_vectors,
    ));

    let point_words: Vec<Vec<String>> = match roles.text {
        Some(text) => rows.iter().map(|row| words(&row[text]).collect()).collect(),
        None => vec![Vec::new(); n],
    };
    let (reduced, source, placer_vectors) = match (vectors, embedder) {
        (Some(mut vectors), _) => {
            unit_rows(&mut vectors.values, vectors.dim);
            progress.report(Stage::Reducing, 0.0)?;
            (
                pca(PcaInput::Dense(&vectors), ANALYSIS_DIMENSIONS, options.seed),
                VectorSource::Provided { dimensions: vectors.dim },
                None,
            )
        }
        (None, Some(embedder)) => {
            let text = roles.text.unwrap_or_default();
            let texts: Vec<&str> = rows.iter().map(|row| row[text].as_str()).collect();
            progress.report_count(Stage::Embedding, 0, n)?;
            let mut counted = |done: usize, total: usize| progress.report_count(Stage::Embedding, done, total);
            let mut vectors = embedder.embed(&texts, &mut counted)?;
            unit_rows(&mut vectors.values, vectors.dim);
            progress.report(Stage::Reducing, 0.0)?;
            (
                pca(PcaInput::Dense(&vectors), ANALYSIS_DIMENSIONS, options.seed),
                VectorSource::Model { name: embedder.name(), dimensions: vectors.dim },
                Some(crate::live::PlacerVectors::Model { name: embedder.name(), dimensions: vectors.dim }),
            )
        }
        (None, None) => {
            progress.report(Stage::Vectorising, 0.0)?;
            let tfidf = tfidf(&point_words);
            if tfidf.vocabulary.is_empty() {
                return Err(
                    InputError::NoText { column: roles.text.map(|t| columns[t].clone()).unwrap_or_default() }.into()
                );
            }
            progress.report(Stage::Reducing, 0.0)?;
            let vocabulary = tfidf.vocabulary.len();
            (
                pca(PcaInput::Sparse(&tfidf.matrix), ANALYSIS_DIMENSIONS, options.seed),
                VectorSource::TfIdf { vocabulary },
                Some(crate::live::PlacerVectors::TfIdf { vocabulary: tfidf.vocabulary, idf: tfidf.idf }),
            )
        }
    };
    let layout_variance = [
        reduced.explained_variance_ratio.first().copied().unwrap_or(0.0),
        reduced.explained_variance_ratio.get(1).copied().unwrap_or(0.0),
    ];
    let pca_positions: Vec<[f32; 2]> = (0..n)
        .map(|i| {
            let point = reduced.point(i);
            [point.first().copied().unwrap_or(0.0) as f32, point.get(1).copied().unwrap_or(0.0) as f32]
        })
        .collect();
    let placer = placer_vectors.map(|vectors| {
        crate::live::Placer::new(vectors, &reduced, layout, UmapParams { n_components: 2, ..umap_base.clone() })
    });
    let mut space = reduced.scores;
    unit_rows(&mut space, reduced.components);
    let space = Vectors { dim: reduced.components, values: space.iter().map(|&x| x as f32).collect() };

    let graph = if layout == LayoutMethod::Umap || clustering == ClusterMethod::Hdbscan {
        progress.report(Stage::Neighbours, 0.0)?;
        let mut report = |fraction: f32| progress.report(Stage::Neighbours, fraction);
        Some(knn(&space.values, space.dim, umap_base.n_neighbors, Metric::Cosine, options.seed, &mut report)?)
    } else {
        None
    };

    progress.report(Stage::Layout, 0.0)?;
    let positions = match (layout, &graph) {
        (LayoutMethod::Umap, Some(graph)) => {
            let params = UmapParams { n_components: 2, ..umap_base.clone() };
            let flat = run_umap(&space, graph, params, Stage::Layout, true, progress)?;
            flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect()
        }
        _ => pca_positions,
    };
    progress.report(Stage::Layout, 1.0)?;

    progress.report(Stage::Clustering, 0.0)?;
    let (assignments, membership, silhouettes, k, cluster_space) = match (clustering, &graph) {
        (ClusterMethod::Hdbscan, Some(graph)) => {
            // BERTopic's clustering space: a UMAP to a few axes with points packed tightly (min_dist 0), so
            // density follows the graph rather than the 2-D map's need for legible spacing.
            let params = UmapParams {
                n_components: CLUSTER_DIMENSIONS,
                min_dist: 0.0,
                n_epochs: Some(cluster_epochs(umap_base.epochs_for(n), n)),
                ..umap_base.clone()
            };
            let mut half = |stage: Stage, fraction: f32| progress.report(stage, fraction * 0.8);
            let low = run_umap(&space, graph, params, Stage::Clustering, false, &mut half)?;
            let mut hdbscan_params = options.hdbscan.clone();
            // A minimum larger than a quarter of the data would leave nothing to find.
            hdbscan_params.min_cluster_size = effective_min_cluster_size(options, n);
            // Density from a few neighbours, not from the whole minimum cluster: at 100,000 points the automatic
            // minimum is 1,000, and 1,000-nearest-neighbour core distances cost more than the rest of the job.
            // Measured on the 20,000 StackOverflow titles: 15 neighbours gave ARI 0.520 against the topics, half
            // the noise (1,121 statements instead of 2,331), where the minimum cluster size (200) gave 0.503.
            hdbscan_params.min_samples =
                hdbscan_params.min_samples.or(Some(hdbscan_params.min_cluster_size.min(DENSITY_NEIGHBOURS)));
            let mut report = |fraction: f32| progress.report(Stage::Clustering, 0.8 + 0.2 * fraction);
            let found = hdbscan(&low, CLUSTER_DIMENSIONS, &hdbscan_params, &mut report).map_err(hdbscan_error)?;
            let low = Vectors { dim: CLUSTER_DIMENSIONS, values: low };
            (found.labels, found.probabilities, Vec::new(), found.n_clusters, Some(low))
        }
        _ => {
            let values: Vec<f64> = space.values.iter().map(|&x| f64::from(x)).collect();
            let clustering =
                cluster(Points { dim: space.dim, values: &values }, options.clusters, options.seed, progress)?;
            (clustering.assignments, vec![1.0; n], clustering.silhouettes, clustering.k, None)
        }
    };

    progress.report(Stage::Labelling, 0.0)?;
    let (terms, label_language) = match roles.text {
        Some(text) => {
            let detected = detect(rows.iter().map(|row| row[text].as_str()));
            let used = options.labels.language.resolve(detected);
            let labeller = Labeller::new(used, &options.labels);
            let point_terms: Vec<_> = rows.iter().map(|row| labeller.terms(&row[text])).collect();
            let terms = cluster_labels(&point_terms, &assignments, k, TERMS_PER_CLUSTER);
            (terms, Some(LabelLanguage { detected, used }))
        }
        None => (vec![Vec::new(); k], None),
    };
    let clusters = (0..k as i32)
        .map(|id| {
            let members: Vec<usize> = (0..n).filter(|&i| assignments[i] == id).collect();
            let size = members.len().max(1) as f32;
            let centre = members
                .iter()
                .fold([0.0f32; 2], |acc, &i| [acc[0] + positions[i][0] / size, acc[1] + positions[i][1] / size]);
            let terms: Vec<String> = terms[id as usize].iter().map(|(term, _)| term.clone()).collect();
            let label = terms.iter().take(TERMS_IN_LABEL).cloned().collect::<Vec<_>>().join(", ");
            ClusterSummary { id, size: members.len(), label, terms, centre }
        })
        .collect();
    progress.report(Stage::Labelling, 1.0)?;

    // Back to the input's order.
    let mut back = vec![0; n];
    for (position, &original) in order.iter().enumerate() {
        back[original] = position;
    }
    Ok(Analysis {
        columns,
        roles,
        rows: reorder(rows, &back),
        positions: reorder(positions, &back),
        assignments: reorder(assignments, &back),
        membership: reorder(membership, &back),
        clusters,
        vectors: source,
        space: reorder_rows(&space, &back),
        cluster_space: cluster_space.map(|space| reorder_rows(&space, &back)),
        layout,
        clustering,
        silhouettes,
        layout_variance,
        workbooks,
        warnings,
        label_language,
        votes,
        placer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    #[test]
    fn the_clustering_layout_runs_all_epochs_up_to_20k_points_and_a_quarter_from_80k() {
        assert_eq!(cluster_epochs(500, 1_374), 500);
        assert_eq!(cluster_epochs(200, 10_000), 200);
        assert_eq!(cluster_epochs(200, 20_000), 200);
        assert_eq!(cluster_epochs(200, 40_000), 100);
        assert_eq!(cluster_epochs(200, 80_000), 50);
        assert_eq!(cluster_epochs(200, 100_000), 50);
        // A user's own epoch count: never more than the map's, never fewer than the floor unless the map has fewer.
        assert_eq!(cluster_epochs(40, 1_000_000), 30);
        assert_eq!(cluster_epochs(10, 1_000_000), 10);
    }

    #[test]
    fn rows_permuted_in_place_match_a_copying_permutation() {
        use rand::seq::SliceRandom;
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        for (rows, dim) in [(1, 3), (2, 1), (97, 4), (500, 7)] {
            let values: Vec<f32> = (0..rows * dim).map(|x| x as f32).collect();
            let original = Vectors { dim, values };
            let mut order: Vec<usize> = (0..rows).collect();
            order.shuffle(&mut rng);
            let mut permuted = original.clone();
            reorder_rows_in_place(&mut permuted, &order);
            assert_eq!(permuted, reorder_rows(&original, &order), "{rows} × {dim}");
            let names: Vec<String> = (0..rows).map(|i| format!("row {i}")).collect();
            let moved = reorder(names.clone(), &order);
            assert_eq!(moved, order.iter().map(|&i| names[i].clone()).collect::<Vec<_>>());
        }
    }

    fn statements() -> Dataset {
        let texts = [
            "flere ældre kræver mere hjemmepleje",
            "ældreplejen mangler hænder og hjemmepleje",
            "hjemmepleje til ældre bliver dyrere",
            "ældre borgere har brug for pleje",
            "skolen mangler lærere i klasserne",
            "lærere forlader skolen og klasserne bliver store",
            "skolen har for få lærere",
            "klasserne i skolen er for store",
            "bureaukrati og dokumentation stjæler tid",
            "for meget dokumentation og bureaukrati",
            "bureaukrati tager tid fra borgerne",
            "dokumentation og regler og bureaukrati",
        ];
        Dataset {
            columns: vec!["id".into(), "svar".into()],
            rows: texts.iter().enumerate().map(|(i, t)| vec![(i + 1).to_string(), (*t).to_owned()]).collect(),
            ..Dataset::default()
        }
    }

    #[test]
    fn text_becomes_labelled_clusters() {
        let options = AnalysisOptions { clusters: ClusterCount::Fixed(3), seed: 1, ..AnalysisOptions::default() };
        let analysis = analyze_dataset(statements(), &options, &mut Silent).unwrap();
        assert_eq!(analysis.positions.len(), 12);
        assert_eq!(analysis.roles.text, Some(1));
        assert!(matches!(analysis.vectors, VectorSource::TfIdf { .. }));
        // The three topics are found: statements of a topic share a cluster.
        for topic in 0..3 {
            let ids = &analysis.assignments[topic * 4..topic * 4 + 4];
            assert!(ids.iter().all(|&id| id == ids[0]), "{:?}", analysis.assignments);
        }
        let labels: Vec<&str> = analysis.clusters.iter().map(|c| c.label.as_str()).collect();
        assert!(labels.iter().any(|l| l.contains("skolen") || l.contains("lærere")), "{labels:?}");
        assert!(labels.iter().any(|l| l.contains("bureaukrati") || l.contains("dokumentation")), "{labels:?}");
    }

    #[test]
    fn kinds_are_counted_most_common_first() {
        let mut data = statements();
        data.columns.push("type".into());
        for (i, row) in data.rows.iter_mut().enumerate() {
            row.push(["årsag", "løsning", "årsag", ""][i % 4].into());
        }
        let options = AnalysisOptions { clusters: ClusterCount::Fixed(3), ..AnalysisOptions::default() };
        let analysis = analyze_dataset(data, &options, &mut Silent).unwrap();
        assert_eq!(analysis.kind_counts(), [("årsag".to_owned(), 6), ("løsning".to_owned(), 3), ("–".to_owned(), 3)]);
    }

    #[test]
    fn rows_without_text_are_left_out_with_a_warning() {
        let mut data = statements();
        data.rows.push(vec!["13".into(), "   ".into()]);
        let options = AnalysisOptions { clusters: ClusterCount::Fixed(3), ..AnalysisOptions::default() };
        let analysis = analyze_dataset(data, &options, &mut Silent).unwrap();
        assert_eq!(analysis.rows.len(), 12);
        assert_eq!(analysis.warnings, [Warning::RowsWithoutText { count: 1 }]);
    }

    #[test]
    fn same_input_and_seed_give_the_same_map() {
        let options = AnalysisOptions::default();
        let a = analyze_dataset(statements(), &options, &mut Silent).unwrap();
        let b = analyze_dataset(statements(), &options, &mut Silent).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn shuffled_input_gives_the_same_map() {
        // Enough statements for the neighbour graph, UMAP and HDBSCAN (the small-data fallback needs none).
        let topics = ["ældre hjemmepleje pleje", "skole lærere klasser", "bureaukrati dokumentation regler"];
        let texts: Vec<String> =
            (0..60).map(|i| format!("{} {} {}", topics[i % 3], ["mere", "mindre", "nok"][i / 3 % 3], i)).collect();
        let data = |order: &[usize]| Dataset {
            columns: vec!["id".into(), "svar".into()],
            rows: order.iter().map(|&i| vec![i.to_string(), texts[i].clone()]).collect(),
            ..Dataset::default()
        };
        let forward: Vec<usize> = (0..60).collect();
        let shuffled: Vec<usize> = (0..60).map(|i| (i * 37) % 60).collect();
        let options = AnalysisOptions::default();
        let a = analyze_dataset(data(&forward), &options, &mut Silent).unwrap();
        let b = analyze_dataset(data(&shuffled), &options, &mut Silent).unwrap();
        assert_eq!(a.layout, LayoutMethod::Umap);
        for (k, &i) in shuffled.iter().enumerate() {
            assert_eq!(b.rows[k], a.rows[i]);
            assert_eq!(b.positions[k], a.positions[i], "statement {i} moved");
            assert_eq!(b.assignments[k], a.assignments[i]);
        }
        assert_eq!(a.clusters, b.clusters);
    }

    #[test]
    fn data_without_text_or_vectors_is_refused() {
        let data = Dataset {
            columns: vec!["n".into()],
            rows: vec![vec!["1".into()], vec!["2".into()], vec!["3".into()]],
            ..Dataset::default()
        };
        let error = analyze_dataset(data, &AnalysisOptions::default(), &mut Silent).unwrap_err();
        assert_eq!(error, AnalysisError::Input(InputError::NothingToAnalyse));
    }
}
