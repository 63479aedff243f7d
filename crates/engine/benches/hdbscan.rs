//! Criterion benchmarks of HDBSCAN on seeded synthetic clustered data: 10k and 100k points in 5-D (UMAP output
//! sizes), 5k in 50-D (PCA vectors), and the two spanning-tree methods side by side where the choice between them
//! is made.
//!
//! Run with `cargo bench -p vejkort-engine --bench hdbscan`; add a filter such as `-- 100000` for one case.
#![allow(clippy::expect_used, reason = "a tool run by hand on known data: a failure should stop it loudly")]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use vejkort_engine::hdbscan::{hdbscan_with, HdbscanParams, SpanningTree};

/// `n` points in `dim` dimensions: 95% around 12 random centres (Gaussian-like, spread 0.1 to 0.3), 5% uniform.
fn clustered(n: usize, dim: usize, seed: u64) -> Vec<f32> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let centres: Vec<Vec<f32>> = (0..12).map(|_| (0..dim).map(|_| rng.gen_range(-3.0..3.0)).collect()).collect();
    let spreads: Vec<f32> = (0..12).map(|_| rng.gen_range(0.1..0.3)).collect();
    let mut values = Vec::with_capacity(n * dim);
    for i in 0..n {
        if i % 20 == 19 {
            values.extend((0..dim).map(|_| rng.gen_range(-4.0f32..4.0)));
            continue;
        }
        let c = i % centres.len();
        values.extend(centres[c].iter().map(|x| {
            let gaussian_ish: f32 = (0..3).map(|_| rng.gen_range(-1.0f32..1.0)).sum();
            x + spreads[c] * gaussian_ish
        }));
    }
    values
}

fn run(data: &[f32], dim: usize, method: SpanningTree) -> usize {
    hdbscan_with(data, dim, &HdbscanParams::default(), method, &mut |_| Ok(())).expect("valid input").n_clusters
}

fn sizes(c: &mut Criterion) {
    let mut group = c.benchmark_group("hdbscan");
    group.sample_size(10);
    for (n, dim) in [(10_000usize, 5usize), (100_000, 5), (5_000, 50)] {
        let data = clustered(n, dim, 7);
        eprintln!("{n}×{dim}: {} clusters", run(&data, dim, SpanningTree::Auto));
        group.bench_with_input(BenchmarkId::new(format!("auto_{dim}d"), n), &data, |b, d| {
            b.iter(|| run(d, dim, SpanningTree::Auto))
        });
    }
    group.finish();
}

/// Where the automatic choice switches: Borůvka against Prim across dimensions and sizes.
fn methods(c: &mut Criterion) {
    let mut group = c.benchmark_group("hdbscan_method");
    group.sample_size(10);
    for (n, dim) in [(1_000usize, 5usize), (3_000, 5), (3_000, 10), (3_000, 16), (3_000, 24), (3_000, 50)] {
        let data = clustered(n, dim, 3);
        for method in [SpanningTree::KdTreeBoruvka, SpanningTree::Prim] {
            group.bench_with_input(BenchmarkId::new(format!("{method:?}_{dim}d"), n), &data, |b, d| {
                b.iter(|| run(d, dim, method))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, sizes, methods);
criterion_main!(benches);
