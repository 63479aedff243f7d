//! Criterion benchmarks of the analysis stages at 1k and 10k points, on seeded synthetic data.
//!
//! Run with `cargo bench -p vejkort-engine`. They print times; they are not part of the test command.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use vejkort_engine::cluster::{cluster, ClusterCount, Points};
use vejkort_engine::dataset::{Dataset, Vectors};
use vejkort_engine::pca::{pca, PcaInput};
use vejkort_engine::pipeline::{analyze_dataset, AnalysisOptions};
use vejkort_engine::progress::Silent;

/// `n` points in `dim` dimensions around 12 random centres.
fn clustered(n: usize, dim: usize, seed: u64) -> Vectors {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let centres: Vec<Vec<f32>> = (0..12).map(|_| (0..dim).map(|_| rng.gen_range(-1.0..1.0)).collect()).collect();
    let mut values = Vec::with_capacity(n * dim);
    for i in 0..n {
        let centre = &centres[i % centres.len()];
        values.extend(centre.iter().map(|c| c + rng.gen_range(-0.3..0.3)));
    }
    Vectors { dim, values }
}

fn stages(c: &mut Criterion) {
    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    for n in [1_000usize, 10_000] {
        let vectors = clustered(n, 384, 7);
        group.bench_with_input(BenchmarkId::new("pca_384_to_50", n), &vectors, |b, v| {
            b.iter(|| pca(PcaInput::Dense(v), 50, 1));
        });
        let reduced = pca(PcaInput::Dense(&vectors), 50, 1);
        group.bench_with_input(BenchmarkId::new("kmeans_auto_k", n), &reduced, |b, r| {
            b.iter(|| cluster(Points { dim: r.components, values: &r.scores }, ClusterCount::Auto, 1, &mut Silent));
        });
    }
    group.finish();
}

fn whole(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    for n in [1_000usize, 10_000] {
        let dataset = Dataset {
            columns: vec!["id".into()],
            rows: (0..n).map(|i| vec![i.to_string()]).collect(),
            vectors: Some(clustered(n, 384, 3)),
            ..Dataset::default()
        };
        group.bench_with_input(BenchmarkId::new("embedding_384", n), &dataset, |b, d| {
            b.iter(|| analyze_dataset(d.clone(), &AnalysisOptions::default(), &mut Silent));
        });
    }
    group.finish();
}

criterion_group!(benches, stages, whole);
criterion_main!(benches);
