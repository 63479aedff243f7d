//! Criterion benchmarks of curation edits, cards, neighbours and project files on a 20,520-statement map: the
//! example workshop repeated 60 times (its text and analysis are real; the repetition only makes it large).
//!
//! Run with `cargo bench -p vejkort-engine --bench curation`. Each edit is measured applied and undone, so the
//! map is the same for every iteration; undo alone costs a small fraction of that.
#![allow(clippy::expect_used, reason = "a tool run by hand on known data: a failure should stop it loudly")]

use criterion::{criterion_group, criterion_main, Criterion};
use vejkort_engine::cluster::ClusterCount;
use vejkort_engine::curation::{Curator, Edit};
use vejkort_engine::io::{read_files, InputFile, ReadOptions};
use vejkort_engine::pipeline::{analyze_dataset, AnalysisOptions};
use vejkort_engine::progress::Silent;
use vejkort_engine::project::{load, save, Project, ViewState};
use vejkort_engine::ways::Ways;

const COPIES: usize = 60;

fn curation(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/example/velfaerd-workshop.csv");
    let bytes = std::fs::read(path).expect("the example data is part of the repository");
    let mut dataset = read_files(&[InputFile { name: "velfaerd-workshop.csv".into(), bytes }], &ReadOptions::default())
        .expect("reads");
    let rows = dataset.rows.clone();
    dataset.rows = (0..COPIES).flat_map(|_| rows.iter().cloned()).collect();
    let options = AnalysisOptions {
        clusters: ClusterCount::Fixed(20),
        clustering: vejkort_engine::pipeline::ClusterMethod::KMeans,
        seed: 3,
        ..AnalysisOptions::default()
    };
    let analysis = analyze_dataset(dataset, &options, &mut Silent).expect("analyses");
    let n = analysis.rows.len();
    let base = Curator::new(&analysis, Ways::default(), options.seed);
    let largest = base.state().clusters.iter().max_by_key(|c| c.size).map_or(0, |c| c.id);
    let size = base.state().cluster(largest).map_or(0, |c| c.size);
    println!("map: {n} statements, {} clusters, largest {largest} with {size}", base.state().clusters.len());

    let mut group = c.benchmark_group(format!("curation_{n}"));
    group.sample_size(10);
    let edits = [
        ("rename", Edit::RenameCluster { cluster: 1, label: "Pleje".into() }),
        ("move_10", Edit::MoveStatements { points: (0..10).map(|i| i * 97).collect(), to: 2 }),
        ("merge_2", Edit::MergeClusters { clusters: vec![1, 2] }),
        ("split_largest_in_2", Edit::SplitCluster { cluster: largest, parts: 2 }),
        ("add_to_way", Edit::AddClusterToWay { way: 1, cluster: 3 }),
    ];
    for (name, edit) in edits {
        let mut curator = base.clone();
        group.bench_function(format!("{name}_apply_undo"), |b| {
            b.iter(|| {
                curator.apply(edit.clone()).expect("a valid edit");
                curator.undo();
            });
        });
    }
    group.bench_function("card_largest", |b| b.iter(|| base.card(largest)));
    group.bench_function("neighbours_10", |b| b.iter(|| base.neighbours(1234, 10)));

    let project = Project::new(&analysis, &options, &base, ViewState::default());
    let text = save(&project);
    println!("project file: {} bytes", text.len());
    group.bench_function("save_project", |b| b.iter(|| save(&project)));
    group.bench_function("load_project", |b| b.iter(|| load(&text)));
    group.finish();
}

criterion_group!(benches, curation);
criterion_main!(benches);
