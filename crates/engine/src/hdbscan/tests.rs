//! Behaviour of the whole clustering on small synthetic data with known answers.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::*;
use crate::metrics::adjusted_rand_index;

fn quiet(_: f32) -> Result<(), Cancelled> {
    Ok(())
}

/// Gaussian-ish blobs (sum of uniforms) of `per_blob` points around well separated centres, then `noise` points
/// spread far away from everything; truth is the blob index, −1 for the far points.
fn blobs_with_noise(blobs: usize, per_blob: usize, noise: usize, dim: usize, seed: u64) -> (Vec<f32>, Vec<i32>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut data = Vec::new();
    let mut truth = Vec::new();
    for blob in 0..blobs {
        let centre: Vec<f32> =
            (0..dim).map(|d| if d == blob % dim { 20.0 * (1 + blob / dim) as f32 } else { 0.0 }).collect();
        for _ in 0..per_blob {
            for c in &centre {
                let g: f32 = (0..4).map(|_| rng.gen_range(-1.0f32..1.0)).sum::<f32>() * 0.5;
                data.push(c + g);
            }
            truth.push(blob as i32);
        }
    }
    for i in 0..noise {
        // Far out on a diagonal, each far from the others: nothing dense there.
        for d in 0..dim {
            data.push(-50.0 - 15.0 * i as f32 + if d == 0 { 7.0 * (i % 3) as f32 } else { 0.0 });
        }
        truth.push(-1);
    }
    (data, truth)
}

#[test]
fn blobs_are_recovered_and_far_points_are_noise() {
    for dim in [2, 5] {
        let (data, truth) = blobs_with_noise(4, 150, 12, dim, 11);
        let result = hdbscan(&data, dim, &HdbscanParams::default(), &mut quiet).unwrap();
        let ari = adjusted_rand_index(&truth, &result.labels);
        assert!(ari >= 0.95, "dim {dim}: ARI {ari}");
        assert_eq!(result.n_clusters, 4);
        for (label, t) in result.labels.iter().zip(&truth) {
            if *t == -1 {
                assert_eq!(*label, -1);
            }
        }
        let noise_scores: Vec<f32> = (600..612).map(|i| result.outlier_scores[i]).collect();
        assert!(noise_scores.iter().all(|&s| s > 0.5), "far points are outliers: {noise_scores:?}");
        assert!(result.probabilities.iter().zip(&result.labels).all(|(&p, &l)| (l == -1) == (p == 0.0)));
    }
}

#[test]
fn kd_tree_and_prim_give_the_same_labels() {
    let (data, _) = blobs_with_noise(5, 300, 20, 3, 5);
    for params in [
        HdbscanParams::default(),
        HdbscanParams { min_cluster_size: 25, min_samples: Some(3), ..Default::default() },
        HdbscanParams { selection: ClusterSelection::Leaf, min_cluster_size: 15, ..Default::default() },
    ] {
        let with_tree = run(&data, 3, &params, true, &mut quiet).unwrap();
        let with_prim = run(&data, 3, &params, false, &mut quiet).unwrap();
        let differing = with_tree.labels.iter().zip(&with_prim.labels).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 0, "{params:?}: {differing} labels differ");
        let largest_gap = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
        let gaps = (
            largest_gap(&with_tree.probabilities, &with_prim.probabilities),
            largest_gap(&with_tree.outlier_scores, &with_prim.outlier_scores),
        );
        assert!(gaps.0 < 1e-5 && gaps.1 < 1e-5, "{params:?}: probabilities, outlier scores differ by {gaps:?}");
    }
}

#[test]
fn same_input_gives_the_same_output() {
    let (data, _) = blobs_with_noise(3, 400, 5, 4, 2);
    let first = hdbscan(&data, 4, &HdbscanParams::default(), &mut quiet).unwrap();
    let second = hdbscan(&data, 4, &HdbscanParams::default(), &mut quiet).unwrap();
    assert!(first == second);
}

#[test]
fn cluster_ids_are_ordered_by_size() {
    let (mut data, _) = blobs_with_noise(1, 60, 0, 2, 3);
    let (big, _) = blobs_with_noise(2, 200, 0, 2, 4);
    data.extend(big.iter().map(|v| v + 500.0));
    let result = hdbscan(&data, 2, &HdbscanParams::default(), &mut quiet).unwrap();
    let mut sizes = vec![0usize; result.n_clusters];
    for &l in result.labels.iter().filter(|&&l| l >= 0) {
        sizes[l as usize] += 1;
    }
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
}

#[test]
fn bad_parameters_are_named() {
    let data = vec![0.0f32; 40];
    let run = |params: HdbscanParams| hdbscan(&data, 2, &params, &mut quiet).unwrap_err();
    assert_eq!(
        run(HdbscanParams { min_cluster_size: 1, ..Default::default() }),
        HdbscanError::MinClusterSizeTooSmall(1)
    );
    assert_eq!(run(HdbscanParams { min_samples: Some(0), ..Default::default() }), HdbscanError::MinSamplesZero);
    assert_eq!(
        run(HdbscanParams { min_cluster_size: 21, ..Default::default() }),
        HdbscanError::MinClusterSizeExceedsPoints { min_cluster_size: 21, points: 20 }
    );
    assert_eq!(
        run(HdbscanParams { cluster_selection_epsilon: -1.0, ..Default::default() }),
        HdbscanError::InvalidEpsilon(-1.0)
    );
    assert!(matches!(
        run(HdbscanParams { cluster_selection_epsilon: f32::NAN, ..Default::default() }),
        HdbscanError::InvalidEpsilon(_)
    ));
    assert_eq!(
        hdbscan(&data, 3, &HdbscanParams::default(), &mut quiet).unwrap_err(),
        HdbscanError::RaggedData { values: 40, dim: 3 }
    );
    assert_eq!(hdbscan(&data, 0, &HdbscanParams::default(), &mut quiet).unwrap_err(), HdbscanError::ZeroDimensions);
    let mut bad = data.clone();
    bad[7] = f32::INFINITY;
    assert_eq!(
        hdbscan(&bad, 2, &HdbscanParams::default(), &mut quiet).unwrap_err(),
        HdbscanError::NonFinite { point: 3, dimension: 1 }
    );
}

#[test]
fn cancelling_stops_the_clustering() {
    let (data, _) = blobs_with_noise(2, 1000, 0, 2, 9);
    let mut calls = 0;
    let result = hdbscan(&data, 2, &HdbscanParams::default(), &mut |_| {
        calls += 1;
        if calls > 3 {
            Err(Cancelled)
        } else {
            Ok(())
        }
    });
    assert_eq!(result.unwrap_err(), HdbscanError::Cancelled);
}

/// The Python package gives all noise for identical points, and one cluster of probability 1 when a single cluster
/// is allowed (checked with hdbscan 0.8.44).
#[test]
fn identical_points_are_noise_or_one_cluster() {
    for (n, method) in [(30, SpanningTree::Prim), (400, SpanningTree::KdTreeBoruvka)] {
        let data = vec![1.5f32; n * 3];
        let params = HdbscanParams { min_cluster_size: 5, ..Default::default() };
        let result = hdbscan_with(&data, 3, &params, method, &mut quiet).unwrap();
        assert_eq!(result.labels, vec![-1; n]);
        assert_eq!(result.n_clusters, 0);
        let single = HdbscanParams { allow_single_cluster: true, ..params };
        let single = hdbscan_with(&data, 3, &single, method, &mut quiet).unwrap();
        assert_eq!(single.labels, vec![0; n]);
        assert!(single.probabilities.iter().all(|&p| p == 1.0));
        assert!(single.outlier_scores.iter().all(|&s| s == 0.0));
    }
}

/// One round blob: excess of mass must split it (the root is never selected), unless a single cluster is allowed.
#[test]
fn allow_single_cluster_keeps_one_blob_whole() {
    let (data, _) = blobs_with_noise(1, 400, 0, 2, 8);
    let params = HdbscanParams { min_cluster_size: 40, ..Default::default() };
    let single =
        hdbscan(&data, 2, &HdbscanParams { allow_single_cluster: true, ..params.clone() }, &mut quiet).unwrap();
    assert_eq!(single.n_clusters, 1);
    assert!(single.labels.iter().all(|&l| l <= 0));
    let split = hdbscan(&data, 2, &params, &mut quiet).unwrap();
    assert_ne!(split.n_clusters, 1);
}

#[test]
fn min_samples_above_n_is_capped_like_the_reference() {
    let (data, _) = blobs_with_noise(2, 10, 0, 2, 1);
    let params = HdbscanParams { min_cluster_size: 5, min_samples: Some(1000), ..Default::default() };
    assert!(hdbscan(&data, 2, &params, &mut quiet).is_ok());
}

#[test]
fn progress_rises_from_zero_to_one() {
    let (data, _) = blobs_with_noise(3, 400, 10, 3, 6);
    for method in [SpanningTree::KdTreeBoruvka, SpanningTree::Prim] {
        let mut seen = Vec::new();
        hdbscan_with(&data, 3, &HdbscanParams::default(), method, &mut |f| {
            seen.push(f);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.first(), Some(&0.0));
        assert_eq!(seen.last(), Some(&1.0));
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{method:?}: {seen:?}");
    }
}
