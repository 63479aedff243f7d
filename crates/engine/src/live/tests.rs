//! Placing live statements: a copy of a statement lands by its twin and joins its cluster, nothing else moves.

use super::*;
use crate::cluster::ClusterCount;
use crate::dataset::Dataset;
use crate::pipeline::{analyze_dataset, analyze_dataset_with, Analysis, AnalysisOptions, Embedder, Vectoriser};
use crate::progress::{Cancelled, Silent};

/// Four topics, each statement a few words of its topic's pool and one shared filler: enough statements for the
/// neighbour graph, UMAP and HDBSCAN, with topics a reader (and TF-IDF) can tell apart.
fn workshop(per_topic: usize) -> Dataset {
    let topics: [&[&str]; 4] = [
        &["ældre", "hjemmepleje", "plejehjem", "demens", "pårørende", "sosu"],
        &["skole", "lærere", "klasser", "elever", "undervisning", "inklusion"],
        &["bureaukrati", "dokumentation", "regler", "kontrol", "skemaer", "tillid"],
        &["klima", "energi", "cykelstier", "solceller", "affald", "genbrug"],
    ];
    let fillers = ["mere", "mindre", "bedre", "nu", "flere", "færre", "hurtigere"];
    // A fixed linear congruential stream picks three different words of the topic per statement, so every pair
    // of a topic's words meets in some statements and a topic reads as one topic, as a workshop's would.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |bound: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    };
    let mut rows = Vec::new();
    for i in 0..per_topic {
        for (t, pool) in topics.iter().enumerate() {
            let first = next(pool.len());
            let second = (first + 1 + next(pool.len() - 1)) % pool.len();
            let mut third = next(pool.len());
            while third == first || third == second {
                third = (third + 1) % pool.len();
            }
            let text = format!("{} {} {} {}", pool[first], pool[second], pool[third], fillers[next(fillers.len())]);
            rows.push(vec![format!("{t}-{i}"), text]);
        }
    }
    Dataset { columns: vec!["id".into(), "svar".into()], rows, ..Dataset::default() }
}

fn map_of(analysis: &Analysis) -> MapContext<'_> {
    MapContext { space: &analysis.space, positions: &analysis.positions, assignments: &analysis.assignments }
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// A copy of statement `twin` must join the twin's cluster, sit on it in the analysis space, and land on the
/// twin's island of the map: nearer the twin than any point of another cluster is. Returns whether it also landed
/// within the twin's own neighbourhood (no farther than its 15th-nearest point), which SGD's randomness denies a
/// few copies: over 16 seeds and 288 copies, 7–9% landed just outside it, with the layout of every version tried.
fn assert_lands_by_twin(analysis: &Analysis, placed: &Placed, twin: usize) -> bool {
    let to_twin = distance(placed.position, analysis.positions[twin]);
    let mut around: Vec<f32> = analysis.positions.iter().map(|&p| distance(analysis.positions[twin], p)).collect();
    let nearest_stranger = around
        .iter()
        .zip(&analysis.assignments)
        .filter(|(_, &cluster)| cluster != analysis.assignments[twin])
        .map(|(&d, _)| d)
        .fold(f32::INFINITY, f32::min);
    assert!(
        to_twin < nearest_stranger,
        "statement {twin}: {to_twin} from its twin, but another cluster's point is {nearest_stranger} from it"
    );
    let cosine: f32 = placed.space.iter().zip(analysis.space.row(twin)).map(|(a, b)| a * b).sum();
    assert!(cosine > 0.999, "statement {twin}: cosine {cosine} to its twin in the analysis space");
    assert_eq!(placed.cluster, analysis.assignments[twin], "statement {twin} joined another cluster");
    around.sort_by(f32::total_cmp);
    to_twin <= around[15]
}

#[test]
fn a_copied_statement_lands_by_its_twin_in_its_cluster_with_tfidf() {
    let analysis = analyze_dataset(workshop(30), &AnalysisOptions::default(), &mut Silent).unwrap();
    assert_eq!(analysis.layout, LayoutMethod::Umap);
    let placer = analysis.placer.clone().expect("a TF-IDF analysis keeps its placer");
    let twins: Vec<usize> = (0..120).step_by(7).collect();
    let texts: Vec<&str> = twins.iter().map(|&i| analysis.text_of(i).unwrap()).collect();
    let placed = placer.place_texts(&texts, map_of(&analysis)).unwrap();
    let mut nearby = 0;
    for (statement, &twin) in placed.iter().zip(&twins) {
        assert!(analysis.assignments[twin] >= 0, "pick twins inside clusters: {twin} is noise");
        assert!(statement.known_words.unwrap_or(0) >= 3);
        nearby += usize::from(assert_lands_by_twin(&analysis, statement, twin));
    }
    assert!(
        nearby * 5 >= twins.len() * 4,
        "only {nearby} of {} copies landed among their twin's 15 nearest",
        twins.len()
    );
}

#[test]
fn placing_leaves_the_map_exactly_as_it_was_and_each_statement_alone() {
    let analysis = analyze_dataset(workshop(25), &AnalysisOptions::default(), &mut Silent).unwrap();
    let before = analysis.clone();
    let placer = analysis.placer.clone().unwrap();
    let texts = ["ældre hjemmepleje og demens", "flere cykelstier og solceller", "kontrol og skemaer stjæler tid"];
    let together = placer.place_texts(&texts, map_of(&analysis)).unwrap();
    let bits =
        |positions: &[[f32; 2]]| positions.iter().flat_map(|p| [p[0].to_bits(), p[1].to_bits()]).collect::<Vec<_>>();
    assert_eq!(bits(&analysis.positions), bits(&before.positions));
    assert_eq!(analysis, before);
    // Each statement is placed against the existing map only: alone it lands exactly where it did in the batch.
    for (i, text) in texts.iter().enumerate() {
        let alone = placer.place_texts(&[text], map_of(&analysis)).unwrap();
        assert_eq!(alone[0], together[i]);
    }
}

#[test]
fn new_statements_join_the_cluster_of_their_topic() {
    let analysis = analyze_dataset(workshop(30), &AnalysisOptions::default(), &mut Silent).unwrap();
    let placer = analysis.placer.clone().unwrap();
    // Unseen sentences built from one topic's words: the cluster most statements of that topic are in.
    let topic_cluster = |topic: usize| {
        let mut counts = std::collections::HashMap::new();
        for (i, row) in analysis.rows.iter().enumerate() {
            if row[0].starts_with(&format!("{topic}-")) && analysis.assignments[i] >= 0 {
                *counts.entry(analysis.assignments[i]).or_insert(0) += 1;
            }
        }
        counts.into_iter().max_by_key(|&(_, count)| count).map(|(id, _)| id).unwrap()
    };
    let texts = ["pårørende til demens på plejehjem", "inklusion af elever i klasser", "affald og genbrug"];
    let placed = placer.place_texts(&texts, map_of(&analysis)).unwrap();
    for (topic, statement) in [0, 1, 3].into_iter().zip(&placed) {
        assert_eq!(statement.cluster, topic_cluster(topic), "{:?}", texts);
    }
}

#[test]
fn a_pca_map_places_by_projection() {
    // Fewer than 16 statements: the map is PCA's first two axes and the copy lands (almost) on its twin.
    let analysis = analyze_dataset(
        workshop(3),
        &AnalysisOptions { clusters: ClusterCount::Fixed(4), ..AnalysisOptions::default() },
        &mut Silent,
    )
    .unwrap();
    assert_eq!(analysis.layout, LayoutMethod::Pca);
    let placer = analysis.placer.clone().unwrap();
    for twin in [1, 6, 10] {
        let placed = placer.place_texts(&[analysis.text_of(twin).unwrap()], map_of(&analysis)).unwrap();
        assert!(distance(placed[0].position, analysis.positions[twin]) < 1e-3, "{twin}: {:?}", placed[0]);
        assert_eq!(placed[0].cluster, analysis.assignments[twin]);
    }
}

/// A stand-in sentence model: each word adds a fixed pseudo-random direction, so statements sharing words point
/// alike (as a real model's would for paraphrases). It exercises the model path without the model file.
struct HashingEmbedder;

impl HashingEmbedder {
    fn vector(text: &str) -> Vec<f32> {
        let mut out = vec![0.0f32; 24];
        for word in crate::text::words(text) {
            let mut h =
                word.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
            for x in out.iter_mut() {
                h ^= h << 13;
                h ^= h >> 7;
                h ^= h << 17;
                *x += (h % 1000) as f32 / 500.0 - 1.0;
            }
        }
        out
    }
}

impl Embedder for HashingEmbedder {
    fn name(&self) -> String {
        "hashing".into()
    }

    fn embed(
        &mut self,
        texts: &[&str],
        _progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vectors, Cancelled> {
        Ok(Vectors { dim: 24, values: texts.iter().flat_map(|t| HashingEmbedder::vector(t)).collect() })
    }
}

#[test]
fn a_model_map_places_embedded_statements_by_their_twins() {
    let options = AnalysisOptions { vectoriser: Vectoriser::Model, ..AnalysisOptions::default() };
    let analysis = analyze_dataset_with(workshop(30), &options, Some(&mut HashingEmbedder), &mut Silent).unwrap();
    let placer = analysis.placer.clone().unwrap();
    assert!(placer.needs_model());
    assert!(placer.tfidf(&["x"]).is_none());
    assert_eq!(placer.place_texts(&["x"], map_of(&analysis)), Err(PlaceError::NoModel));
    for twin in [3, 50, 101] {
        let text = analysis.text_of(twin).unwrap();
        let vectors = HashingEmbedder.embed(&[text], &mut |_, _| Ok(())).unwrap();
        let placed = placer.place(&vectors, map_of(&analysis)).unwrap();
        assert_eq!(placed[0].known_words, None);
        if analysis.assignments[twin] >= 0 {
            assert!(
                assert_lands_by_twin(&analysis, &placed[0], twin),
                "statement {twin} landed outside its twin's 15 nearest"
            );
        }
    }
    let wrong = Vectors { dim: 5, values: vec![0.0; 5] };
    assert_eq!(placer.place(&wrong, map_of(&analysis)), Err(PlaceError::WrongDimensions { expected: 24, found: 5 }));
}

#[test]
fn data_with_its_own_vectors_has_no_placer() {
    let mut data = workshop(5);
    let n = data.rows.len();
    data.vectors = Some(Vectors { dim: 3, values: (0..n * 3).map(|i| ((i * 7919) % 101) as f32).collect() });
    let analysis = analyze_dataset(data, &AnalysisOptions::default(), &mut Silent).unwrap();
    assert!(analysis.placer.is_none());
}

#[test]
fn votes_weigh_neighbours_and_skip_noise() {
    let assignments = [0, 1, 1, -1, 2];
    // One strong neighbour of cluster 0 against two weaker of cluster 1: the sum decides.
    assert_eq!(vote(&[0, 1, 2], &[1.0, 0.6, 0.6], &assignments), 1);
    assert_eq!(vote(&[0, 1, 2], &[1.0, 0.4, 0.4], &assignments), 0);
    // Equal totals: the cluster of the nearer neighbour.
    assert_eq!(vote(&[4, 0], &[0.5, 0.5], &assignments), 2);
    // Noise never votes; only all-noise neighbours make noise.
    assert_eq!(vote(&[3, 3, 0], &[1.0, 1.0, 0.1], &assignments), 0);
    assert_eq!(vote(&[3], &[1.0], &assignments), -1);
}

#[test]
fn an_orphaned_statement_finds_the_nearest_surviving_cluster() {
    let space = Vectors { dim: 2, values: vec![1.0, 0.0, 0.99, 0.14, 0.0, 1.0, 0.14, 0.99, 0.7, 0.7] };
    let assignments = [5, 5, 8, 8, 9];
    // Point 4's cluster 9 is gone; among the rest, the two nearest decide.
    assert!([5, 8].contains(&nearest_cluster(&space, 4, &assignments, 2, &|c| c == 9)));
    assert_eq!(nearest_cluster(&space, 0, &assignments, 1, &|c| c == 9), 5);
    assert_eq!(nearest_cluster(&space, 3, &assignments, 1, &|_| false), 8);
}

#[test]
fn the_placer_survives_json_and_the_project_file() {
    let analysis = analyze_dataset(workshop(20), &AnalysisOptions::default(), &mut Silent).unwrap();
    let placer = analysis.placer.clone().unwrap();
    let json = serde_json::to_string(&placer).unwrap();
    assert_eq!(serde_json::from_str::<Placer>(&json).unwrap(), placer);
    // The axes travel as base64 (about 4/3 bytes per byte), not as a long list of decimal numbers.
    assert!(json.len() < placer.axes.len() * 6 + 20_000, "{} bytes for {} axis values", json.len(), placer.axes.len());

    let curator = crate::curation::Curator::new(&analysis, crate::ways::Ways::default(), 0);
    let project = crate::project::Project::new(&analysis, &AnalysisOptions::default(), &curator, Default::default());
    let loaded = crate::project::load(&crate::project::save(&project)).unwrap();
    assert_eq!(loaded.placer, Some(placer));
    // Files without a placer still open (saved before live statements, or of the data's own vectors).
    let without = crate::project::Project { placer: None, ..project };
    assert_eq!(crate::project::load(&crate::project::save(&without)).unwrap().placer, None);
}

#[test]
fn tables_written_for_a_rerun_read_back_the_same() {
    let columns = vec!["id".to_owned(), "svar".to_owned()];
    let rows = vec![vec!["1".to_owned(), "komma, \"citat\" og\nny linje".to_owned()], vec!["2".into(), "ø".into()]];
    let bytes = table_csv(&columns, &rows);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), ["id", "svar"]);
    let read: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    assert_eq!(read, rows);
}

#[test]
fn reconciling_follows_added_statements_and_vanished_clusters() {
    let analysis = analyze_dataset(workshop(20), &AnalysisOptions::default(), &mut Silent).unwrap();
    let mut curation = crate::curation::Curation::from_analysis(&analysis, crate::ways::Ways::default());
    let untouched = curation.clone();
    assert!(!reconcile(&mut curation, &analysis.positions, &analysis.space, 15));
    assert_eq!(curation, untouched, "a curation that agrees must stay exactly as it is");

    // A live statement joins the cluster of statement 0: its size grows by one, the others stay.
    let joined = analysis.assignments[0];
    assert!(joined >= 0);
    let mut positions = analysis.positions.clone();
    positions.push(analysis.positions[0]);
    let mut space = analysis.space.clone();
    space.values.extend_from_slice(analysis.space.row(0));
    curation.assignments.push(joined);
    assert!(reconcile(&mut curation, &positions, &space, 15));
    for (after, before) in curation.clusters.iter().zip(&untouched.clusters) {
        let grew = usize::from(after.id == joined);
        assert_eq!(after.size, before.size + grew, "cluster {}", after.id);
    }

    // An undo that removes the cluster the live statement was in: it finds the cluster its twin is in now.
    let mut undone = curation.clone();
    let gone = joined;
    let heir = undone.clusters.iter().map(|c| c.id).find(|&id| id != gone).unwrap();
    for id in undone.assignments.iter_mut().take(analysis.rows.len()) {
        if *id == gone {
            *id = heir;
        }
    }
    undone.clusters.retain(|c| c.id != gone);
    assert!(reconcile(&mut undone, &positions, &space, 15));
    assert_eq!(undone.assignments.last(), Some(&heir));
    let counted = undone.assignments.iter().filter(|&&id| id == heir).count();
    assert_eq!(undone.cluster(heir).unwrap().size, counted);
}
