//! Cluster labels on real text: Danish municipal agenda items (`danish_agendas`, the Policy Agendas project's
//! test set) and English StackOverflow titles, from `../shared/data`.
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use std::collections::HashSet;
use std::path::PathBuf;

use vejkort_engine::cluster::ClusterCount;
use vejkort_engine::io::InputFile;
use vejkort_engine::label::{LabelOptions, Labeller};
use vejkort_engine::language::{detect, Language, LanguageChoice};
use vejkort_engine::pipeline::{analyze, Analysis, AnalysisOptions, ClusterMethod, LabelLanguage, LayoutMethod};
use vejkort_engine::progress::Silent;
use vejkort_engine::text::{stop_words, tokens, StopWords};

/// A file of the shared data, found in the nearest ancestor's `shared/data` (the checkout may be a worktree
/// nested deeper than the main one).
fn shared(path: &str) -> InputFile {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = manifest
        .ancestors()
        .map(|dir| dir.join("shared/data"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| manifest.join("../../../shared/data"));
    let full = data.join(path);
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    InputFile { name: full.file_name().expect("a file name").to_string_lossy().into_owned(), bytes }
}

fn agendas() -> InputFile {
    shared("danish_agendas/test_agendas.csv")
}

/// The fast pipeline (PCA, k-means at a fixed k): labels are what is under test, not the clustering.
fn fast(labels: LabelOptions) -> AnalysisOptions {
    AnalysisOptions {
        layout: LayoutMethod::Pca,
        clustering: ClusterMethod::KMeans,
        clusters: ClusterCount::Fixed(12),
        seed: 3,
        labels,
        ..AnalysisOptions::default()
    }
}

fn agenda_analysis(labels: LabelOptions) -> Analysis {
    analyze(&[agendas()], &fast(labels), &mut Silent).expect("the agendas analyse")
}

fn texts(analysis: &Analysis) -> Vec<&str> {
    (0..analysis.rows.len()).map(|i| analysis.text_of(i).expect("a text column")).collect()
}

#[test]
fn agendas_are_detected_as_danish_and_stackoverflow_as_english() {
    let analysis = agenda_analysis(LabelOptions::default());
    assert_eq!(analysis.label_language, Some(LabelLanguage { detected: Language::Danish, used: Language::Danish }));
    let titles = String::from_utf8(shared("stackoverflow/title_StackOverflow.txt").bytes).expect("UTF-8");
    assert_eq!(detect(titles.lines().take(2000)), Language::English);
}

#[test]
fn inflections_in_the_agendas_share_a_stem() {
    let labeller = Labeller::new(Language::Danish, &LabelOptions::default());
    let stem = |word: &str| labeller.terms(word).pop().map(|t| t.stem).expect("a term");
    for family in [&["borger", "borgere", "borgerne"][..], &["kommune", "kommunes", "kommunen", "kommunens"]] {
        let stems: HashSet<String> = family.iter().map(|w| stem(w)).collect();
        assert_eq!(stems.len(), 1, "{family:?} → {stems:?}");
    }
    // The agendas really write these forms, so joining them matters here.
    let analysis = agenda_analysis(LabelOptions::default());
    let written: HashSet<String> = texts(&analysis).iter().flat_map(|t| tokens(t)).collect();
    assert!(["borgere", "borgerne", "kommune", "kommunens"].iter().all(|w| written.contains(*w)));
}

#[test]
fn agenda_labels_are_danish_words_of_their_cluster_without_stop_words() {
    let analysis = agenda_analysis(LabelOptions::default());
    let danish = stop_words(StopWords::Danish);
    let texts = texts(&analysis);
    for cluster in &analysis.clusters {
        eprintln!("cluster {} ({}): {}", cluster.id, cluster.size, cluster.terms.join(", "));
        let written: HashSet<String> = (0..texts.len())
            .filter(|&i| analysis.assignments[i] == cluster.id)
            .flat_map(|i| tokens(texts[i]))
            .collect();
        assert!(!cluster.terms.is_empty(), "cluster {} has no terms", cluster.id);
        for term in &cluster.terms {
            assert!(written.contains(term), "cluster {}: {term:?} is not written in it", cluster.id);
            assert!(!danish.contains(term.as_str()), "cluster {}: {term:?} is a stop word", cluster.id);
        }
        // One stem, one label term: no two inflections of a word crowd a label.
        let labeller = Labeller::new(Language::Danish, &LabelOptions::default());
        let stems: HashSet<String> =
            cluster.terms.iter().filter_map(|t| labeller.terms(t).pop()).map(|t| t.stem).collect();
        assert_eq!(stems.len(), cluster.terms.len(), "{:?}", cluster.terms);
    }
}

#[test]
fn a_stop_word_the_user_adds_leaves_the_labels_and_the_map_stays() {
    let before = agenda_analysis(LabelOptions::default());
    let all_terms = |analysis: &Analysis| -> Vec<String> {
        analysis.clusters.iter().flat_map(|c| c.terms.iter().cloned()).collect()
    };
    let terms = all_terms(&before);
    // The label term most clusters share is the filler a person would strike.
    let common = terms
        .iter()
        .max_by_key(|t| (terms.iter().filter(|u| u == t).count(), std::cmp::Reverse((*t).clone())))
        .expect("some terms")
        .clone();
    let options = LabelOptions { extra_stop_words: vec![common.to_uppercase()], ..LabelOptions::default() };
    let after = agenda_analysis(options);
    eprintln!("struck {common:?}: {:?}", after.clusters.iter().map(|c| c.label.as_str()).collect::<Vec<_>>());
    assert!(!all_terms(&after).contains(&common), "{common:?} is still a label term");
    assert_eq!(after.assignments, before.assignments);
    assert_eq!(after.positions, before.positions);
}

#[test]
fn choosing_english_for_danish_text_is_honoured_and_recorded() {
    let analysis = agenda_analysis(LabelOptions { language: LanguageChoice::English, ..LabelOptions::default() });
    assert_eq!(analysis.label_language, Some(LabelLanguage { detected: Language::Danish, used: Language::English }));
    // English rules keep Danish function words, so "og" (and) now competes for labels.
    let texts = texts(&analysis);
    assert!(texts.iter().any(|t| tokens(t).any(|w| w == "og")));
}
