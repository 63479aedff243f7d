//! The whole pipeline on real data from `../shared/data`: the Polis comments, the Embedding Projector pair, and
//! StackOverflow titles with ground-truth topics (clustering quality by adjusted Rand index).
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test with a message

use std::path::PathBuf;

use vejkort_engine::cluster::ClusterCount;
use vejkort_engine::io::InputFile;
use vejkort_engine::metrics::adjusted_rand_index;
use vejkort_engine::pipeline::{analyze, AnalysisOptions, ClusterMethod, LayoutMethod, VectorSource};
use vejkort_engine::progress::Silent;

fn shared(path: &str) -> InputFile {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(path);
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    InputFile { name: full.file_name().expect("a file name").to_string_lossy().into_owned(), bytes }
}

#[test]
fn polis_comments_become_one_point_per_statement() {
    let analysis = analyze(
        &[shared("polis/american-assembly.bowling-green/comments.csv")],
        &AnalysisOptions::default(),
        &mut Silent,
    )
    .expect("the Polis export analyses");
    let text = analysis.roles.text.expect("a text column");
    assert_eq!(analysis.columns[text], "comment-body");
    assert_eq!(analysis.positions.len(), 896);
    assert!(analysis.clusters.len() >= 3);
    assert!(analysis.clusters.iter().all(|c| !c.label.is_empty() && c.size > 0));
    assert!(analysis.positions.iter().flatten().all(|v| v.is_finite()));
}

#[test]
fn the_projector_pair_keeps_its_vectors() {
    let files = [
        shared("embeddings/bowling-green_all-MiniLM-L6-v2/vectors.tsv"),
        shared("embeddings/bowling-green_all-MiniLM-L6-v2/metadata.tsv"),
    ];
    let analysis = analyze(&files, &AnalysisOptions::default(), &mut Silent).expect("the pair analyses");
    assert_eq!(analysis.positions.len(), 896);
    assert_eq!(analysis.vectors, VectorSource::Provided { dimensions: 384 });
}

/// Every fifth StackOverflow title (all 20 topics in their proportions) as a CSV, with the true topics.
fn stackoverflow_fifth() -> (Vec<InputFile>, Vec<i32>) {
    let titles = String::from_utf8(shared("stackoverflow/title_StackOverflow.txt").bytes).unwrap();
    let labels = String::from_utf8(shared("stackoverflow/label_StackOverflow.txt").bytes).unwrap();
    let mut csv = String::from("title\n");
    let mut truth = Vec::new();
    for (i, (title, label)) in titles.lines().zip(labels.lines()).enumerate() {
        if i % 5 == 0 && !title.trim().is_empty() {
            csv.push_str(&format!("\"{}\"\n", title.replace('"', "\"\"")));
            truth.push(label.trim().parse::<i32>().unwrap());
        }
    }
    (vec![InputFile { name: "titles.csv".into(), bytes: csv.into_bytes() }], truth)
}

/// TF-IDF, PCA and k-means at the true number of topics recover the StackOverflow topics far above chance
/// (0.39 measured on all 20,000 titles with k chosen by silhouette; 0 would be chance).
#[test]
fn stackoverflow_topics_are_recovered_well_above_chance_by_kmeans() {
    let (files, truth) = stackoverflow_fifth();
    let options = AnalysisOptions {
        clustering: ClusterMethod::KMeans,
        layout: LayoutMethod::Pca,
        clusters: ClusterCount::Fixed(20),
        seed: 7,
        ..AnalysisOptions::default()
    };
    let analysis = analyze(&files, &options, &mut Silent).expect("the titles analyse");
    assert_eq!(analysis.positions.len(), truth.len());
    let ari = adjusted_rand_index(&truth, &analysis.assignments);
    eprintln!("StackOverflow, {} titles, k-means k = 20: ARI {ari:.3}", truth.len());
    assert!(ari > 0.25, "ARI {ari}");
}

/// The default pipeline (neighbour graph, UMAP, HDBSCAN) finds the topics by itself, without being told how
/// many there are, and leaves a minority of titles as noise.
#[test]
fn stackoverflow_topics_are_recovered_by_the_default_pipeline() {
    let (files, truth) = stackoverflow_fifth();
    let options = AnalysisOptions { seed: 7, ..AnalysisOptions::default() };
    let analysis = analyze(&files, &options, &mut Silent).expect("the titles analyse");
    assert_eq!((analysis.layout, analysis.clustering), (LayoutMethod::Umap, ClusterMethod::Hdbscan));
    let ari = adjusted_rand_index(&truth, &analysis.assignments);
    let clustered: Vec<usize> = (0..truth.len()).filter(|&i| analysis.assignments[i] >= 0).collect();
    let ari_clustered = adjusted_rand_index(
        &clustered.iter().map(|&i| truth[i]).collect::<Vec<_>>(),
        &clustered.iter().map(|&i| analysis.assignments[i]).collect::<Vec<_>>(),
    );
    eprintln!(
        "StackOverflow, {} titles, UMAP + HDBSCAN: {} clusters, {} noise, ARI {ari:.3} (clustered points only {ari_clustered:.3})",
        truth.len(),
        analysis.clusters.len(),
        analysis.noise()
    );
    assert!((10..=80).contains(&analysis.clusters.len()), "{} clusters", analysis.clusters.len());
    assert!(analysis.noise() < truth.len() / 2, "{} noise", analysis.noise());
    assert!(ari_clustered > 0.25, "ARI {ari_clustered}");
}
