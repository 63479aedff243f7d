//! Grouping points with k-means (linfa-clustering) and choosing k by the silhouette coefficient.
//!
//! k-means is the first clustering of Vejkort because it always gives every statement a group and its one
//! parameter has a meaning people understand. Choosing k: for each k in a range, fit k-means on (a sample of)
//! the points and score the grouping by the mean silhouette (Rousseeuw 1987) on a fixed sample; the best-scoring
//! k wins. The scores are returned so the UI can show why a k was chosen.

use linfa::traits::{Fit, Predict};
use linfa::DatasetBase;
use linfa_clustering::KMeans;
use ndarray::Array2;
use rand::seq::index::sample;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use crate::error::{AnalysisError, InputError};
use crate::progress::{ProgressSink, Stage};

/// Points in the analysis space, row-major `n × dim`.
#[derive(Debug, Clone, Copy)]
pub struct Points<'a> {
    pub dim: usize,
    pub values: &'a [f64],
}

impl Points<'_> {
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.dim).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.dim..(i + 1) * self.dim]
    }

    fn to_array(self, rows: &[usize]) -> Array2<f64> {
        let mut data = Vec::with_capacity(rows.len() * self.dim);
        rows.iter().for_each(|&r| data.extend_from_slice(self.row(r)));
        Array2::from_shape_vec((rows.len(), self.dim), data).unwrap_or_else(|_| Array2::zeros((0, self.dim)))
    }
}

/// How many clusters the user wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ClusterCount {
    /// Choose k by silhouette.
    #[default]
    Auto,
    Fixed(usize),
}

/// One cluster assignment per point, and how k was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clustering {
    /// Cluster id per point, `0..k`; ids are ordered by cluster size, largest first.
    pub assignments: Vec<i32>,
    pub k: usize,
    /// Mean silhouette for each k tried, in increasing k.
    pub silhouettes: Vec<(usize, f64)>,
}

/// Fewest points that make a map worth drawing.
pub const MIN_POINTS: usize = 3;
/// Points above this are sub-sampled when scoring candidate k: silhouette is quadratic in the points.
const SILHOUETTE_SAMPLE: usize = 1500;
/// Points above this are sub-sampled while searching k; the final fit always uses all points.
const SEARCH_SAMPLE: usize = 5000;
/// k-means restarts per candidate k while searching, and for the final fit. One k-means++ run is enough to
/// rank candidate k (the silhouette differences between k are larger than between restarts); the map people
/// see gets the best of three.
const SEARCH_RUNS: usize = 1;
const FINAL_RUNS: usize = 3;

/// Range of k tried when the user leaves k to Vejkort: at least 3 clusters (two halves make no map), at most 20,
/// and on average at least 8 statements per cluster.
pub fn candidate_range(n: usize) -> std::ops::RangeInclusive<usize> {
    let upper = (n / 8).clamp(2, 20);
    let lower = 3.min(upper);
    lower..=upper
}

/// Fits k-means with k-means++ seeding (best of `runs` runs) and returns each point's cluster.
fn kmeans_labels(points: &Array2<f64>, k: usize, seed: u64, runs: usize) -> Result<Vec<usize>, InputError> {
    let dataset = DatasetBase::from(points.clone());
    let model = KMeans::params_with_rng(k, Xoshiro256PlusPlus::seed_from_u64(seed))
        .max_n_iterations(300)
        .tolerance(1e-6)
        .n_runs(runs)
        .fit(&dataset)
        .map_err(|error| InputError::ClusteringFailed { detail: error.to_string() })?;
    Ok(model.predict(points).to_vec())
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Mean silhouette of `labels` over the points `sample` (indices into `points`), with precomputed distances.
fn silhouette(distances: &[f64], labels: &[usize], k: usize) -> f64 {
    let m = labels.len();
    let mut total = 0.0;
    let mut sums = vec![0.0; k];
    let mut counts = vec![0usize; k];
    labels.iter().for_each(|&l| counts[l] += 1);
    for i in 0..m {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for j in 0..m {
            sums[labels[j]] += distances[i * m + j];
        }
        let own = labels[i];
        if counts[own] <= 1 {
            continue; // a singleton's silhouette is 0 by convention
        }
        let a = sums[own] / (counts[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && counts[c] > 0)
            .map(|c| sums[c] / counts[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() {
            total += (b - a) / a.max(b).max(f64::MIN_POSITIVE);
        }
    }
    total / m.max(1) as f64
}

/// Clusters the points, choosing k by silhouette unless the user fixed it.
pub fn cluster(
    points: Points<'_>,
    count: ClusterCount,
    seed: u64,
    progress: &mut dyn ProgressSink,
) -> Result<Clustering, AnalysisError> {
    let n = points.len();
    if n < MIN_POINTS {
        return Err(InputError::TooFewPoints { count: n, minimum: MIN_POINTS }.into());
    }
    let all: Vec<usize> = (0..n).collect();
    let everything = points.to_array(&all);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);

    let (k, silhouettes) = match count {
        ClusterCount::Fixed(k) => {
            if k < 2 || k > n - 1 {
                return Err(InputError::InvalidK { k, points: n, max: n - 1 }.into());
            }
            (k, Vec::new())
        }
        ClusterCount::Auto => {
            let search_rows: Vec<usize> =
                if n > SEARCH_SAMPLE { sample(&mut rng, n, SEARCH_SAMPLE).into_vec() } else { all.clone() };
            let search = points.to_array(&search_rows);
            // The silhouette sample is drawn from the search sample so its labels are known.
            let scored: Vec<usize> = if search_rows.len() > SILHOUETTE_SAMPLE {
                sample(&mut rng, search_rows.len(), SILHOUETTE_SAMPLE).into_vec()
            } else {
                (0..search_rows.len()).collect()
            };
            let m = scored.len();
            let mut distances = vec![0.0; m * m];
            for i in 0..m {
                for j in i + 1..m {
                    let d =
                        squared_distance(points.row(search_rows[scored[i]]), points.row(search_rows[scored[j]])).sqrt();
                    distances[i * m + j] = d;
                    distances[j * m + i] = d;
                }
            }
            let range = candidate_range(n);
            let tries = range.clone().count() as f32;
            let mut silhouettes = Vec::new();
            for (step, k) in range.enumerate() {
                progress.report(Stage::Clustering, step as f32 / (tries + 1.0))?;
                let labels = kmeans_labels(&search, k, seed, SEARCH_RUNS)?;
                let sampled: Vec<usize> = scored.iter().map(|&i| labels[i]).collect();
                silhouettes.push((k, silhouette(&distances, &sampled, k)));
            }
            let best = silhouettes.iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))).map_or(2, |(k, _)| *k);
            (best, silhouettes)
        }
    };

    progress.report(Stage::Clustering, 0.95)?;
    let labels = kmeans_labels(&everything, k, seed, FINAL_RUNS)?;

    // Number clusters by size so "cluster 0" is the largest on every run.
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l] += 1);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut rank = vec![0i32; k];
    order.iter().enumerate().for_each(|(new, &old)| rank[old] = new as i32);
    let assignments = labels.iter().map(|&l| rank[l]).collect();
    let k_used = sizes.iter().filter(|&&s| s > 0).count();
    Ok(Clustering { assignments, k: k_used, silhouettes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::{Cancelled, Silent};

    /// Three tight, well-separated blobs in 2-D.
    fn blobs(per_blob: usize) -> Vec<f64> {
        let centres = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)];
        let mut values = Vec::new();
        for (b, (cx, cy)) in centres.iter().enumerate() {
            for i in 0..per_blob {
                let angle = i as f64 * 2.399 + b as f64;
                let radius = (i % 7) as f64 * 0.1;
                values.extend_from_slice(&[cx + radius * angle.cos(), cy + radius * angle.sin()]);
            }
        }
        values
    }

    #[test]
    fn silhouette_finds_three_blobs() {
        let values = blobs(40);
        let result = cluster(Points { dim: 2, values: &values }, ClusterCount::Auto, 42, &mut Silent).unwrap();
        assert_eq!(result.k, 3, "{:?}", result.silhouettes);
        // Every blob is one cluster.
        for b in 0..3 {
            let ids: Vec<i32> = result.assignments[b * 40..(b + 1) * 40].to_vec();
            assert!(ids.iter().all(|&id| id == ids[0]));
        }
        let best = result.silhouettes.iter().find(|(k, _)| *k == 3).unwrap().1;
        assert!(best > 0.8, "{best}");
    }

    #[test]
    fn a_fixed_k_is_used_and_checked() {
        let values = blobs(10);
        let points = Points { dim: 2, values: &values };
        let result = cluster(points, ClusterCount::Fixed(5), 1, &mut Silent).unwrap();
        assert_eq!(result.k, 5);
        assert!(result.silhouettes.is_empty());
        let error = cluster(points, ClusterCount::Fixed(30), 1, &mut Silent).unwrap_err();
        assert_eq!(error, InputError::InvalidK { k: 30, points: 30, max: 29 }.into());
    }

    #[test]
    fn ids_are_ordered_by_size() {
        let mut values = blobs(10);
        values.extend(std::iter::repeat_n([20.0, 20.0], 25).flatten());
        let result = cluster(Points { dim: 2, values: &values }, ClusterCount::Fixed(4), 3, &mut Silent).unwrap();
        let big = &result.assignments[30..];
        assert!(big.iter().all(|&id| id == 0), "{:?}", result.assignments);
    }

    #[test]
    fn cancelling_stops_the_search() {
        let values = blobs(20);
        let mut calls = 0;
        let mut cancel_on_second = |_: Stage, _: f32| {
            calls += 1;
            if calls >= 2 {
                Err(Cancelled)
            } else {
                Ok(())
            }
        };
        let outcome = cluster(Points { dim: 2, values: &values }, ClusterCount::Auto, 1, &mut cancel_on_second);
        assert_eq!(outcome.unwrap_err(), AnalysisError::Cancelled);
    }

    #[test]
    fn candidate_range_respects_small_data() {
        assert_eq!(candidate_range(10), 2..=2);
        assert_eq!(candidate_range(40), 3..=5);
        assert_eq!(candidate_range(10_000), 3..=20);
    }
}
