//! Criterion benchmarks of the neighbour graph and UMAP on seeded synthetic data.
//!
//! Run with `cargo bench -p vejkort-engine --bench umap`. Besides Criterion's times it prints the SGD's cost in
//! µs per point per epoch and each UMAP stage's share of a 10,000-point run (the figures behind
//! `UmapStage::share`). The 100,000-point run and the recall/trustworthiness figures are in
//! `examples/umap_report.rs`, too slow for repeated sampling.
#![allow(clippy::disallowed_methods, reason = "native benchmark timing, never run in the browser")]
#![allow(clippy::expect_used, reason = "a tool run by hand on known data: a failure should stop it loudly")]

use std::time::Instant;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use vejkort_engine::knn::{exact_knn, knn, nn_descent, Metric, NnDescentParams};
use vejkort_engine::umap::{umap, Umap, UmapParams};

/// `n` unit vectors in `dim` dimensions around 20 topics, each spread along a few directions of its own.
fn topics(n: usize, dim: usize, seed: u64) -> Vec<f32> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let clusters = 20;
    let centres: Vec<f32> = (0..clusters * dim).map(|_| rng.gen_range(-1.0..1.0)).collect();
    let directions: Vec<f32> = (0..clusters * 4 * dim).map(|_| rng.gen_range(-0.5..0.5)).collect();
    let mut data = Vec::with_capacity(n * dim);
    for point in 0..n {
        let cluster = point % clusters;
        let weights: [f32; 4] = std::array::from_fn(|_| rng.gen_range(-1.0..1.0));
        let start = data.len();
        for d in 0..dim {
            let along: f32 = (0..4).map(|w| weights[w] * directions[(cluster * 4 + w) * dim + d]).sum();
            data.push(centres[cluster * dim + d] + along + rng.gen_range(-0.3..0.3));
        }
        let norm = data[start..].iter().map(|x| x * x).sum::<f32>().sqrt();
        data[start..].iter_mut().for_each(|x| *x /= norm);
    }
    data
}

fn neighbours(c: &mut Criterion) {
    let mut group = c.benchmark_group("knn_k15_dim50");
    group.sample_size(10);
    for n in [2_000usize, 10_000] {
        let data = topics(n, 50, 1);
        group.bench_with_input(BenchmarkId::new("exact", n), &data, |b, data| {
            b.iter(|| exact_knn(data, 50, 15, Metric::Cosine));
        });
        group.bench_with_input(BenchmarkId::new("nn_descent", n), &data, |b, data| {
            b.iter(|| nn_descent(data, 50, 15, Metric::Cosine, &NnDescentParams::default(), 1, &mut |_| Ok(())));
        });
    }
    group.finish();
}

fn optimisation(c: &mut Criterion) {
    let n = 10_000;
    let data = topics(n, 50, 2);
    let graph = knn(&data, 50, 15, Metric::Cosine, 1, &mut |_| Ok(())).expect("never cancelled");
    let fresh = Umap::new(&data, 50, &graph, UmapParams::default()).expect("valid parameters");

    // Ten early epochs (the full learning rate, as in most of a run), timed once to print the per-point cost.
    let mut once = fresh.clone();
    let start = Instant::now();
    once.step(10);
    let per_point = start.elapsed().as_secs_f64() * 1e6 / (10 * n) as f64;
    println!("umap sgd: {per_point:.3} µs per point per epoch at {n} points");

    let mut group = c.benchmark_group("umap_sgd");
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("10_epochs", n), |b| {
        b.iter_batched(|| fresh.clone(), |mut run| run.step(10), BatchSize::LargeInput);
    });
    group.finish();
}

/// Prints each stage's share of a whole 10,000-point run with the default parameters.
fn stage_shares(_: &mut Criterion) {
    let n = 10_000;
    let data = topics(n, 50, 3);
    let start = Instant::now();
    let graph = knn(&data, 50, 15, Metric::Cosine, 1, &mut |_| Ok(())).expect("never cancelled");
    let neighbours = start.elapsed().as_secs_f64();
    // umap() reports 0 at the start of the fuzzy set, the start layout and the optimisation, then during it.
    let mut marks = Vec::new();
    let start = Instant::now();
    umap(&data, 50, &graph, UmapParams::default(), &mut |_| {
        marks.push(start.elapsed().as_secs_f64());
        Ok(())
    })
    .expect("valid parameters");
    let total_umap = start.elapsed().as_secs_f64();
    let (fuzzy, initialise) = (marks[1] - marks[0], marks[2] - marks[1]);
    let optimise = total_umap - marks[2];
    let total = neighbours + total_umap;
    println!(
        "umap stages at {n}×50: neighbours {:.2}, fuzzy set {:.2}, initialise {:.2}, optimise {:.2} (of {total:.2} s)",
        neighbours / total,
        fuzzy / total,
        initialise / total,
        optimise / total
    );
}

criterion_group!(benches, neighbours, optimisation, stage_shares);
criterion_main!(benches);
