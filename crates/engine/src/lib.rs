//! Vejkort's analysis engine.
//!
//! Everything that turns uploaded files into a map lives here, in plain Rust with no web dependencies, so it is
//! tested natively with `cargo test`, benchmarked with Criterion, and compiled unchanged into the Web Worker:
//!
//! - [`io`] reads CSV/TSV, XLSX, JSON, JSON Lines, `.npy` and the Embedding Projector pair into a [`dataset::Dataset`];
//! - [`text`] and [`tfidf`] turn statements into sparse vectors when the data brings none;
//! - [`pca`] reduces vectors to an analysis space and a 2-D layout;
//! - [`cluster`] groups points with k-means, choosing k by silhouette;
//! - [`hdbscan`] groups points by density, leaving sparse ones as noise;
//! - [`label`] names clusters by their c-TF-IDF top terms;
//! - [`ways`] holds the ways drawn over the map;
//! - [`knn`] builds k-nearest-neighbour graphs (exact, or NN-descent for large inputs), and [`umap`] lays them
//!   out in 2-D (or a few dimensions for clustering);
//! - [`metrics`] scores how well two partitions agree (ARI, NMI), and [`quality`] how faithful a layout is
//!   (trustworthiness), for tests and benchmarks;
//! - [`curation`] lets people rename, merge, split and move clusters and edit ways, with undo, redo and a change log;
//! - [`project`] saves and loads all of it as a versioned JSON project file;
//! - [`lens`] reads a finished map for scale (how many stand behind a cluster) and conflict (how far opinion
//!   groups part over it, from Polis votes or a group column);
//! - [`pipeline`] runs all of it with progress reporting, and [`export`] writes the result as CSV.

pub mod cluster;
pub mod curation;
pub mod dataset;
pub mod error;
pub mod export;
pub mod hdbscan;
pub mod io;
pub mod knn;
pub mod label;
pub mod language;
pub mod lens;
pub mod live;
pub mod metrics;
pub mod pca;
pub mod pipeline;
pub mod progress;
pub mod project;
pub mod publish;
pub mod quality;
pub mod text;
pub mod tfidf;
pub mod umap;
pub mod ways;

pub use dataset::{ColumnRoles, Dataset};
pub use error::InputError;
pub use pipeline::{analyze, Analysis, AnalysisOptions};
