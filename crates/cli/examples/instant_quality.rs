//! How much clustering quality instant mode (the static word-vector table) gives up against the full model, and
//! what it gains in speed: prints tables of ARI/NMI for the full model, the static table and TF-IDF.
//!
//! - English: StackOverflow titles with their 20 topic labels (`../shared/data/stackoverflow`), an evenly spread
//!   sample (3,000 by default), clustered by k-means at k = 20; ARI and NMI against the labels.
//! - Danish: the 2,000 municipal agenda titles (`../shared/data/danish_agendas/test_agendas.csv`) carry no labels,
//!   so each method's clusters are compared with the full model's (ARI/NMI between partitions), k = 20. The full
//!   model with another seed shows how far two clusterings from the same vectors agree at all.
//!
//! All go through the engine's own pipeline (unit rows, PCA to 50 dimensions, k-means), so only the vectors
//! differ. Also prints statements per second of the static table and of the full model, on one thread.
//!
//! `cargo run --release -p vejkort-cli --example instant_quality [-- SAMPLE]`; needs
//! `public/models/e5-small-q4.bin` and `public/models/e5-small-static.bin` (`scripts/setup.sh`).
//! `VEJKORT_STATIC=path[:path…]` compares other tables (each gets its rows).
#![allow(clippy::expect_used, reason = "a tool run by hand on known data: a failure should stop it loudly")]

use std::path::PathBuf;

use vejkort_embed::static_table::StaticTable;
use vejkort_embed::{Model, Prefix};
use vejkort_engine::cluster::ClusterCount;
use vejkort_engine::dataset::{Dataset, Vectors};
use vejkort_engine::metrics::{adjusted_rand_index, normalized_mutual_info};
use vejkort_engine::pipeline::{analyze_dataset, AnalysisOptions, ClusterMethod, LayoutMethod, Vectoriser};
use vejkort_engine::progress::Silent;

const K: usize = 20;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_data() -> PathBuf {
    let beside = root().join("../shared/data");
    if beside.is_dir() {
        beside
    } else {
        PathBuf::from("/work/shared/data")
    }
}

/// Every `step`-th title, so all topics are represented in proportion.
fn stackoverflow(sample: usize) -> (Vec<String>, Vec<i32>) {
    let data = shared_data().join("stackoverflow");
    let titles: Vec<String> = std::fs::read_to_string(data.join("title_StackOverflow.txt"))
        .expect("titles")
        .lines()
        .map(str::to_owned)
        .collect();
    let labels: Vec<i32> = std::fs::read_to_string(data.join("label_StackOverflow.txt"))
        .expect("labels")
        .lines()
        .map(|l| l.trim().parse().expect("a label is a number"))
        .collect();
    let step = (titles.len() / sample.max(1)).max(1);
    (0..titles.len()).step_by(step).take(sample).map(|i| (titles[i].clone(), labels[i])).unzip()
}

fn danish() -> Vec<String> {
    let path = shared_data().join("danish_agendas/test_agendas.csv");
    let mut reader = csv::Reader::from_path(path).expect("Danish agendas");
    reader.records().map(|r| r.expect("a CSV record")[1].to_owned()).collect()
}

/// Clusters by the engine's pipeline, from given vectors or (when `None`) by TF-IDF of the texts.
fn clusters(texts: &[String], vectors: Option<Vectors>, seed: u64) -> Vec<i32> {
    let options = AnalysisOptions {
        seed,
        vectoriser: Vectoriser::TfIdf,
        layout: LayoutMethod::Pca,
        clustering: ClusterMethod::KMeans,
        clusters: ClusterCount::Fixed(K),
        ..AnalysisOptions::default()
    };
    let dataset = Dataset {
        columns: vec!["text".into()],
        rows: texts.iter().map(|t| vec![t.clone()]).collect(),
        vectors,
        workbooks: Vec::new(),
        warnings: Vec::new(),
        votes: None,
    };
    analyze_dataset(dataset, &options, &mut Silent).expect("analysis").assignments
}

#[allow(clippy::disallowed_methods)] // Native benchmark: Instant::now is fine outside the browser.
fn timed<T>(work: impl FnOnce() -> T) -> (T, f64) {
    let started = std::time::Instant::now();
    let out = work();
    (out, started.elapsed().as_secs_f64())
}

struct Embedders {
    model: Model,
    tables: Vec<(String, StaticTable)>,
}

impl Embedders {
    fn full(&self, texts: &[String]) -> (Vectors, f64) {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (values, seconds) = timed(|| self.model.embed(&refs, Prefix::Query, &mut |_, _| Ok(())).expect("embed"));
        (Vectors { dim: self.model.dim(), values }, seconds)
    }

    fn instant(&self, table: &StaticTable, texts: &[String]) -> (Vectors, f64) {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (values, seconds) = timed(|| table.embed(&refs, &mut |_, _| Ok(())).expect("embed"));
        (Vectors { dim: table.dim(), values }, seconds)
    }
}

fn main() {
    let sample: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3000);
    let models = root().join("public/models");
    let table_paths: Vec<PathBuf> = match std::env::var_os("VEJKORT_STATIC") {
        Some(paths) => std::env::split_paths(&paths).collect(),
        None => vec![models.join("e5-small-static.bin")],
    };
    let mut tables = Vec::new();
    for path in &table_paths {
        let bytes = std::fs::read(path).expect("static table: run scripts/setup.sh");
        let table = StaticTable::from_bytes(&bytes).expect("static table parses");
        let name = format!("static table, {} dimensions", table.dim());
        println!(
            "{name}: {} ({} pieces with vectors, {:.1} MB)",
            path.display(),
            table.kept_pieces(),
            bytes.len() as f64 / 1e6
        );
        tables.push((name, table));
    }
    let embedders = Embedders {
        model: Model::from_bytes(std::fs::read(models.join("e5-small-q4.bin")).expect("model: run scripts/setup.sh"))
            .expect("model parses"),
        tables,
    };

    let (titles, labels) = stackoverflow(sample);
    // Comparing tables only: the full model's row and the Danish comparison are left out (they take minutes).
    let tables_only = std::env::var_os("VEJKORT_TABLES_ONLY").is_some();
    let (full, full_seconds) = if tables_only { (Vectors::default(), 0.0) } else { embedders.full(&titles) };
    println!("\nStackOverflow, {} titles, 20 topics, k-means k = {K}:", titles.len());
    println!("| vectors | ARI | NMI | statements/s |");
    println!("| --- | ---: | ---: | ---: |");
    let mut rows = Vec::new();
    if !tables_only {
        rows.push((
            "full model".to_owned(),
            clusters(&titles, Some(full), 0),
            Some(titles.len() as f64 / full_seconds),
        ));
    }
    for (name, table) in &embedders.tables {
        let (instant, seconds) = embedders.instant(table, &titles);
        rows.push((name.clone(), clusters(&titles, Some(instant), 0), Some(titles.len() as f64 / seconds)));
    }
    rows.push(("TF-IDF".to_owned(), clusters(&titles, None, 0), None));
    for (name, assignments, rate) in rows {
        let rate = rate.map_or("—".to_owned(), |r| format!("{r:.0}"));
        println!(
            "| {name} | {:.3} | {:.3} | {rate} |",
            adjusted_rand_index(&assignments, &labels),
            normalized_mutual_info(&assignments, &labels)
        );
    }

    if tables_only {
        return;
    }
    let agendas = danish();
    let full = embedders.full(&agendas).0;
    let reference = clusters(&agendas, Some(full.clone()), 0);
    println!(
        "\nDanish agenda titles, {} titles, k-means k = {K}, agreement with the full model's clusters:",
        agendas.len()
    );
    println!("| vectors | ARI | NMI |");
    println!("| --- | ---: | ---: |");
    let mut rows = vec![("full model, seed 1".to_owned(), clusters(&agendas, Some(full), 1))];
    for (name, table) in &embedders.tables {
        rows.push((name.clone(), clusters(&agendas, Some(embedders.instant(table, &agendas).0), 0)));
    }
    rows.push(("TF-IDF".to_owned(), clusters(&agendas, None, 0)));
    for (name, assignments) in rows {
        println!(
            "| {name} | {:.3} | {:.3} |",
            adjusted_rand_index(&assignments, &reference),
            normalized_mutual_info(&assignments, &reference)
        );
    }

    let all: Vec<String> = stackoverflow(20_000).0;
    for (name, table) in &embedders.tables {
        let (_, seconds) = embedders.instant(table, &all);
        println!(
            "\n{name}: {} titles in {:.3} s, {:.0} statements/s on one thread",
            all.len(),
            seconds,
            all.len() as f64 / seconds
        );
    }
}
