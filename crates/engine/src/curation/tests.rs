//! Tests of curation: each edit and its undo on a small hand-made map whose answers are known, then random
//! sequences of edits on the example workshop data, undone and redone in full.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::*;
use crate::cluster::ClusterCount;
use crate::dataset::Vectors;
use crate::io::InputFile;
use crate::label::c_tf_idf;
use crate::pipeline::{analyze, AnalysisOptions, ClusterSummary, VectorSource};
use crate::progress::Silent;

/// Twelve statements in three topics of four. In the 2-D analysis space each topic is a tight fan of unit
/// vectors around its own direction (0°, 120°, 240°), so every geometric answer can be worked out by hand.
/// Respondents: R1 wrote 0, 1, 4; R2 wrote 2, 5, 8; R3 wrote 3, 9; R4 wrote 6, 7, 10, 11 (4 overall).
pub(crate) fn small() -> Analysis {
    let texts = [
        "flere ældre kræver mere hjemmepleje",
        "ældreplejen mangler hænder og hjemmepleje",
        "hjemmepleje til ældre bliver dyrere",
        "ældre borgere har brug for pleje",
        "skolen mangler lærere i klasserne",
        "lærere forlader skolen og klasserne bliver store",
        "skolen har for få lærere",
        "klasserne i skolen er for store",
        "bureaukrati og dokumentation stjæler tid",
        "for meget dokumentation og bureaukrati",
        "bureaukrati tager tid fra borgerne",
        "dokumentation og regler og bureaukrati",
    ];
    let respondents = ["R1", "R1", "R2", "R3", "R1", "R2", "R4", "R4", "R2", "R3", "R4", "R4"];
    // Within a fan, statement 1 of each topic sits exactly on the topic's direction; the others spread out.
    let offsets = [0.08f32, 0.0, -0.05, 0.15];
    let mut space = Vec::new();
    let mut positions = Vec::new();
    for topic in 0..3 {
        for offset in offsets {
            let angle = topic as f32 * std::f32::consts::TAU / 3.0 + offset;
            space.extend_from_slice(&[angle.cos(), angle.sin()]);
            positions.push([10.0 * angle.cos(), 10.0 * angle.sin()]);
        }
    }
    let assignments: Vec<i32> = (0..12).map(|i| i / 4).collect();
    let clusters = (0..3)
        .map(|id| {
            let members = &positions[id as usize * 4..id as usize * 4 + 4];
            let mean = |axis: usize| members.iter().map(|p: &[f32; 2]| p[axis]).sum::<f32>() / 4.0;
            ClusterSummary {
                id,
                size: 4,
                label: format!("emne {id}"),
                terms: vec![format!("emne {id}")],
                centre: [mean(0), mean(1)],
            }
        })
        .collect();
    Analysis {
        columns: vec!["id".into(), "respondent".into(), "svar".into()],
        roles: crate::ColumnRoles { text: Some(2), respondent: Some(1), ..crate::ColumnRoles::default() },
        rows: (0..12).map(|i| vec![(i + 1).to_string(), respondents[i].to_owned(), texts[i].to_owned()]).collect(),
        positions,
        assignments,
        clusters,
        vectors: VectorSource::TfIdf { vocabulary: 30 },
        space: Vectors { dim: 2, values: space },
        cluster_space: None,
        membership: vec![1.0; 12],
        layout: crate::pipeline::LayoutMethod::Pca,
        clustering: crate::pipeline::ClusterMethod::KMeans,
        silhouettes: vec![],
        layout_variance: [0.5, 0.5],
        workbooks: vec![],
        warnings: vec![],
        label_language: None,
        votes: None,
        placer: None,
    }
}

pub(crate) fn small_curator() -> Curator {
    let mut ways = Ways::default();
    ways.toggle(1, 0);
    ways.toggle(2, 1);
    ways.toggle(3, 1);
    ways.toggle(3, 2);
    Curator::new(&small(), ways, 5)
}

/// The example workshop (342 statements) analysed into 8 clusters, once for all tests.
pub(crate) fn example() -> &'static (Analysis, AnalysisOptions) {
    static EXAMPLE: OnceLock<(Analysis, AnalysisOptions)> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/example/velfaerd-workshop.csv");
        let bytes = std::fs::read(path).unwrap();
        let files = [InputFile { name: "velfaerd-workshop.csv".into(), bytes }];
        let options = AnalysisOptions {
            clusters: ClusterCount::Fixed(8),
            clustering: crate::pipeline::ClusterMethod::KMeans,
            seed: 11,
            ..AnalysisOptions::default()
        };
        (analyze(&files, &options, &mut Silent).unwrap(), options)
    })
}

/// What must hold after any edit: sizes and centres follow the assignments, no cluster is empty, ids are ordered
/// and below the next id, ways only hold clusters that exist.
fn assert_consistent(curator: &Curator) {
    let state = curator.state();
    let corpus = curator.corpus();
    let ids: Vec<i32> = state.clusters.iter().map(|c| c.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert!(ids.iter().all(|&id| id >= 0 && id < state.next_cluster_id));
    for cluster in &state.clusters {
        let members = state.members(cluster.id);
        assert_eq!(cluster.size, members.len(), "cluster {}", cluster.id);
        assert!(cluster.size > 0);
        let mean = |axis: usize| {
            members.iter().map(|&i| f64::from(corpus.positions[i][axis])).sum::<f64>() / members.len() as f64
        };
        assert!(
            (f64::from(cluster.centre[0]) - mean(0)).abs() < 1e-3
                && (f64::from(cluster.centre[1]) - mean(1)).abs() < 1e-3
        );
        if cluster.provenance == Provenance::Machine {
            assert_eq!(cluster.label, machine_label(&cluster.terms));
        }
    }
    assert!(state.assignments.iter().all(|&c| c == -1 || ids.binary_search(&c).is_ok()));
    for way in &state.ways.ways {
        assert!(way.clusters.iter().all(|c| ids.binary_search(c).is_ok()), "way {} holds {:?}", way.id, way.clusters);
    }
}

/// Applies an edit, checks undo gives back the state before and redo the state after, and leaves it applied.
fn apply_undo_redo(curator: &mut Curator, edit: Edit) -> Curation {
    let before = curator.state().clone();
    curator.apply(edit).unwrap();
    assert_consistent(curator);
    let after = curator.state().clone();
    curator.undo().unwrap();
    assert_eq!(curator.state(), &before);
    curator.redo().unwrap();
    assert_eq!(curator.state(), &after);
    after
}

#[test]
fn a_fresh_curation_is_the_analysis() {
    let curator = small_curator();
    let state = curator.state();
    assert_eq!(state.assignments, small().assignments);
    assert_eq!(state.clusters.iter().map(|c| c.id).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(state.clusters.iter().all(|c| c.provenance == Provenance::Machine && c.size == 4));
    assert_eq!(state.next_cluster_id, 3);
    assert_eq!(state.next_way_id, 5);
    assert!(!curator.can_undo() && !curator.can_redo());
}

#[test]
fn ways_lose_clusters_the_analysis_does_not_have() {
    let mut ways = Ways::default();
    ways.toggle(1, 0);
    ways.toggle(1, 17);
    let curator = Curator::new(&small(), ways, 5);
    assert_eq!(curator.state().ways.ways[0].clusters, BTreeSet::from([0]));
}

#[test]
fn renaming_makes_the_label_a_persons() {
    let mut curator = small_curator();
    let after = apply_undo_redo(&mut curator, Edit::RenameCluster { cluster: 1, label: "  Skolen  ".into() });
    let cluster = after.cluster(1).unwrap();
    assert_eq!((cluster.label.as_str(), cluster.provenance), ("Skolen", Provenance::Person));
    assert_eq!(curator.apply(Edit::RenameCluster { cluster: 1, label: " ".into() }), Err(EditError::EmptyName));
    assert_eq!(
        curator.apply(Edit::RenameCluster { cluster: 9, label: "x".into() }),
        Err(EditError::UnknownCluster { cluster: 9 })
    );
    let after = apply_undo_redo(&mut curator, Edit::ResetClusterLabel { cluster: 1 });
    assert_eq!(after.cluster(1).unwrap().provenance, Provenance::Machine);
    assert_eq!(after.cluster(1).unwrap().label, "emne 1");
}

#[test]
fn descriptions_are_set_and_cleared() {
    let mut curator = small_curator();
    let after = apply_undo_redo(&mut curator, Edit::DescribeCluster { cluster: 2, description: " Papir ".into() });
    assert_eq!(after.cluster(2).unwrap().description.as_deref(), Some("Papir"));
    let after = apply_undo_redo(&mut curator, Edit::DescribeCluster { cluster: 2, description: "".into() });
    assert_eq!(after.cluster(2).unwrap().description, None);
}

#[test]
fn merging_keeps_the_largest_id_and_unites_ways() {
    let mut curator = small_curator();
    // Make cluster 2 the largest (5) so the survivor is not simply the lowest id.
    curator.apply(Edit::MoveStatements { points: vec![0], to: 2 }).unwrap();
    curator.apply(Edit::RenameCluster { cluster: 1, label: "Skolen".into() }).unwrap();
    let after = apply_undo_redo(&mut curator, Edit::MergeClusters { clusters: vec![1, 2] });
    assert_eq!(after.clusters.iter().map(|c| c.id).collect::<Vec<_>>(), [0, 2]);
    let merged = after.cluster(2).unwrap();
    assert_eq!(merged.size, 9);
    // The person's name wins over the machine's.
    assert_eq!((merged.label.as_str(), merged.provenance), ("Skolen", Provenance::Person));
    assert!(after.assignments[4..].iter().all(|&c| c == 2));
    // Way 2 held only cluster 1, way 3 held both: both now hold 2, and 1 is gone everywhere.
    let way = |id: u32| after.ways.ways.iter().find(|w| w.id == id).unwrap().clusters.clone();
    assert_eq!(way(2), BTreeSet::from([2]));
    assert_eq!(way(3), BTreeSet::from([2]));
    assert_eq!(way(1), BTreeSet::from([0]));
}

#[test]
fn a_machine_merge_is_labelled_by_c_tf_idf_over_the_whole_partition() {
    let mut curator = small_curator();
    curator.apply(Edit::MergeClusters { clusters: vec![0, 1] }).unwrap();
    let corpus = curator.corpus();
    // The oracle: c-TF-IDF over the new partition {0..8} vs {8..12}, computed directly.
    let dense: Vec<i32> = (0..12).map(|i| if i < 8 { 0 } else { 1 }).collect();
    let expected = c_tf_idf(&corpus.words, &dense, 2, crate::pipeline::TERMS_PER_CLUSTER);
    let terms: Vec<String> = expected[0].iter().map(|(t, _)| t.clone()).collect();
    let merged = curator.state().cluster(0).unwrap();
    assert_eq!(merged.terms, terms);
    assert_eq!(merged.label, machine_label(&terms));
    assert_eq!(merged.provenance, Provenance::Machine);
    // Cluster 2 was not touched: its label stays.
    assert_eq!(curator.state().cluster(2).unwrap().label, "emne 2");
}

#[test]
fn merging_needs_two_existing_clusters() {
    let mut curator = small_curator();
    assert_eq!(curator.apply(Edit::MergeClusters { clusters: vec![1, 1] }), Err(EditError::MergeNeedsTwo { given: 1 }));
    assert_eq!(curator.apply(Edit::MergeClusters { clusters: vec![] }), Err(EditError::MergeNeedsTwo { given: 0 }));
    assert_eq!(
        curator.apply(Edit::MergeClusters { clusters: vec![0, 7] }),
        Err(EditError::UnknownCluster { cluster: 7 })
    );
    assert!(!curator.can_undo());
}

#[test]
fn splitting_a_merge_finds_the_two_topics_again() {
    let mut curator = small_curator();
    curator.apply(Edit::MergeClusters { clusters: vec![0, 2] }).unwrap();
    let after = apply_undo_redo(&mut curator, Edit::SplitCluster { cluster: 0, parts: 2 });
    // Fresh ids, never the parent's; the parent is gone.
    assert_eq!(after.clusters.iter().map(|c| c.id).collect::<Vec<_>>(), [1, 3, 4]);
    assert_eq!(after.next_cluster_id, 5);
    let first = &after.assignments[0..4];
    let third = &after.assignments[8..12];
    assert!(first.iter().all(|&c| c == first[0]) && third.iter().all(|&c| c == third[0]));
    assert_ne!(first[0], third[0]);
    // The parts inherit the parent's ways: cluster 0 was in way 1, cluster 2 in way 3, so the merge was in both.
    for way in [1, 3] {
        let members = &after.ways.ways.iter().find(|w| w.id == way).unwrap().clusters;
        assert!(members.contains(&3) && members.contains(&4) && !members.contains(&0), "{way}: {members:?}");
    }
    match &curator.log().last().unwrap().entry.outcome {
        Outcome::ClusterSplit { cluster: 0, parts, .. } => {
            assert_eq!(parts.iter().map(|p| (p.cluster, p.size)).collect::<Vec<_>>(), [(3, 4), (4, 4)]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn splits_are_refused_when_they_cannot_work() {
    let mut curator = small_curator();
    assert_eq!(curator.apply(Edit::SplitCluster { cluster: 0, parts: 1 }), Err(EditError::TooFewParts { parts: 1 }));
    assert_eq!(
        curator.apply(Edit::SplitCluster { cluster: 0, parts: 4 }),
        Err(EditError::TooSmallToSplit { cluster: 0, size: 4, parts: 4 })
    );
    let mut flat = small();
    flat.space = Vectors::default();
    let mut without_space = Curator::new(&flat, Ways::default(), 1);
    assert_eq!(without_space.apply(Edit::SplitCluster { cluster: 0, parts: 2 }), Err(EditError::NoAnalysisSpace));
    // Four identical statements have nothing to split by.
    let mut same = small();
    same.space.values[..8].copy_from_slice(&[1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
    let mut alike = Curator::new(&same, Ways::default(), 1);
    let refused = alike.apply(Edit::SplitCluster { cluster: 0, parts: 2 });
    assert!(
        matches!(refused, Err(EditError::NothingToSplit { cluster: 0 } | EditError::SplitFailed { .. })),
        "{refused:?}"
    );
    assert_eq!(
        Edit::SplitCluster { cluster: 0, parts: 2 },
        serde_json::from_str(r#"{"SplitCluster":{"cluster":0}}"#).unwrap()
    );
}

#[test]
fn ids_given_out_by_an_undone_split_are_not_given_again() {
    let mut curator = small_curator();
    curator.apply(Edit::MergeClusters { clusters: vec![0, 2] }).unwrap();
    curator.apply(Edit::SplitCluster { cluster: 0, parts: 2 }).unwrap();
    curator.undo();
    assert_eq!(curator.state().next_cluster_id, 3);
    curator.apply(Edit::SplitCluster { cluster: 0, parts: 2 }).unwrap();
    let ids: Vec<i32> = curator.state().clusters.iter().map(|c| c.id).collect();
    assert_eq!(ids, [1, 5, 6]);
}

#[test]
fn moving_statements_updates_sizes_and_removes_emptied_clusters() {
    let mut curator = small_curator();
    let after = apply_undo_redo(&mut curator, Edit::MoveStatements { points: vec![0, 1, 1], to: 1 });
    assert_eq!(after.cluster(0).unwrap().size, 2);
    assert_eq!(after.cluster(1).unwrap().size, 6);
    let after = apply_undo_redo(&mut curator, Edit::MoveStatements { points: vec![2, 3], to: 2 });
    assert!(after.cluster(0).is_none());
    // Cluster 0 was way 1's only cluster.
    assert!(after.ways.ways[0].clusters.is_empty());
    match &curator.log().last().unwrap().entry.outcome {
        Outcome::StatementsMoved { count: 2, to: 2, emptied, .. } => assert_eq!(emptied, &[0]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn moves_are_checked() {
    let mut curator = small_curator();
    assert_eq!(curator.apply(Edit::MoveStatements { points: vec![], to: 1 }), Err(EditError::NoStatements));
    assert_eq!(
        curator.apply(Edit::MoveStatements { points: vec![3, 12], to: 1 }),
        Err(EditError::UnknownPoint { point: 12, count: 12 })
    );
    assert_eq!(curator.apply(Edit::MoveStatements { points: vec![4, 5], to: 1 }), Err(EditError::AlreadyThere));
    assert_eq!(
        curator.apply(Edit::MoveStatements { points: vec![0], to: -1 }),
        Err(EditError::UnknownCluster { cluster: -1 })
    );
    assert_eq!(curator.state(), small_curator().state());
}

#[test]
fn noise_leaves_every_cluster() {
    let mut curator = small_curator();
    let after = apply_undo_redo(&mut curator, Edit::MarkNoise { points: vec![8, 9] });
    assert_eq!(&after.assignments[8..10], [-1, -1]);
    assert_eq!(after.cluster(2).unwrap().size, 2);
    assert_eq!(curator.apply(Edit::MarkNoise { points: vec![8] }), Err(EditError::AlreadyThere));
    // A noise statement can be moved back into a cluster.
    let after = apply_undo_redo(&mut curator, Edit::MoveStatements { points: vec![8], to: 0 });
    assert_eq!(after.cluster(0).unwrap().size, 5);
}

#[test]
fn ways_are_created_edited_ordered_and_deleted() {
    let mut curator = small_curator();
    let after = apply_undo_redo(
        &mut curator,
        Edit::CreateWay { name: "Grøn omstilling".into(), description: "".into(), colour: "#56B4E9".into() },
    );
    let created = after.ways.ways.last().unwrap();
    assert_eq!((created.id, created.name.as_str(), created.visible), (5, "Grøn omstilling", true));
    let after = apply_undo_redo(&mut curator, Edit::RenameWay { way: 5, name: "Grøn".into() });
    assert_eq!(after.ways.ways[4].name, "Grøn");
    let after = apply_undo_redo(&mut curator, Edit::DescribeWay { way: 5, description: "Klima først".into() });
    assert_eq!(after.ways.ways[4].description, "Klima først");
    let after = apply_undo_redo(&mut curator, Edit::RecolourWay { way: 5, colour: "#000000".into() });
    assert_eq!(after.ways.ways[4].colour, "#000000");
    let after = apply_undo_redo(&mut curator, Edit::MoveWay { way: 5, index: 1 });
    assert_eq!(after.ways.ways.iter().map(|w| w.id).collect::<Vec<_>>(), [1, 5, 2, 3, 4]);
    let after = apply_undo_redo(&mut curator, Edit::AddClusterToWay { way: 5, cluster: 2 });
    assert_eq!(after.ways.ways[1].clusters, BTreeSet::from([2]));
    let after = apply_undo_redo(&mut curator, Edit::RemoveClusterFromWay { way: 3, cluster: 1 });
    assert_eq!(after.ways.ways[3].clusters, BTreeSet::from([2]));
    let after = apply_undo_redo(&mut curator, Edit::DeleteWay { way: 2 });
    assert_eq!(after.ways.ways.iter().map(|w| w.id).collect::<Vec<_>>(), [1, 5, 3, 4]);
    let after = apply_undo_redo(&mut curator, Edit::NameAxis { start: "Nu".into(), end: "Fremtid".into() });
    assert_eq!((after.ways.axis_start.as_str(), after.ways.axis_end.as_str()), ("Nu", "Fremtid"));
    // A deleted way's id is not given to the next new way.
    curator.apply(Edit::DeleteWay { way: 5 }).unwrap();
    curator.apply(Edit::CreateWay { name: "Ny".into(), description: "".into(), colour: "#111111".into() }).unwrap();
    assert_eq!(curator.state().ways.ways.last().unwrap().id, 6);
}

#[test]
fn way_edits_are_checked() {
    let mut curator = small_curator();
    let create =
        |name: &str, colour: &str| Edit::CreateWay { name: name.into(), description: "".into(), colour: colour.into() };
    assert_eq!(curator.apply(create("", "#ffffff")), Err(EditError::EmptyName));
    assert_eq!(curator.apply(create("X", "red")), Err(EditError::InvalidColour { colour: "red".into() }));
    assert_eq!(curator.apply(create("X", "#12345g")), Err(EditError::InvalidColour { colour: "#12345g".into() }));
    assert_eq!(
        curator.apply(create("New deal", "#ffffff")),
        Err(EditError::DuplicateWayName { name: "New deal".into() })
    );
    assert_eq!(
        curator.apply(Edit::RenameWay { way: 1, name: "New deal".into() }),
        Err(EditError::DuplicateWayName { name: "New deal".into() })
    );
    assert_eq!(curator.apply(Edit::DeleteWay { way: 9 }), Err(EditError::UnknownWay { way: 9 }));
    assert_eq!(
        curator.apply(Edit::MoveWay { way: 1, index: 4 }),
        Err(EditError::WayPositionOutOfRange { index: 4, count: 4 })
    );
    assert_eq!(
        curator.apply(Edit::AddClusterToWay { way: 1, cluster: 0 }),
        Err(EditError::AlreadyInWay { way: 1, cluster: 0 })
    );
    assert_eq!(
        curator.apply(Edit::RemoveClusterFromWay { way: 1, cluster: 1 }),
        Err(EditError::NotInWay { way: 1, cluster: 1 })
    );
    assert_eq!(
        curator.apply(Edit::AddClusterToWay { way: 1, cluster: 8 }),
        Err(EditError::UnknownCluster { cluster: 8 })
    );
    assert_eq!(curator.apply(Edit::NameAxis { start: "A".into(), end: " ".into() }), Err(EditError::EmptyName));
    assert!(!curator.can_undo());
}

#[test]
fn visibility_is_not_an_edit_and_survives_undo() {
    let mut curator = small_curator();
    curator.apply(Edit::RenameWay { way: 2, name: "Smart".into() }).unwrap();
    curator.set_way_visible(2, false).unwrap();
    curator.undo();
    assert_eq!(curator.state().ways.ways[1].name, "Smarter not harder");
    assert!(!curator.state().ways.ways[1].visible);
    assert_eq!(curator.set_way_visible(9, true), Err(EditError::UnknownWay { way: 9 }));
}

#[test]
fn the_log_numbers_edits_marks_undone_ones_and_drops_them_on_a_new_edit() {
    let mut curator = small_curator();
    curator.apply(Edit::RenameCluster { cluster: 0, label: "Ældre".into() }).unwrap();
    curator.apply(Edit::MoveStatements { points: vec![4], to: 0 }).unwrap();
    curator.apply(Edit::DeleteWay { way: 4 }).unwrap();
    let summaries: Vec<(u64, String, bool)> =
        curator.log().map(|line| (line.entry.sequence, line.entry.summary.clone(), line.undone)).collect();
    assert_eq!(
        summaries,
        [
            (1, "Renamed cluster 0 “emne 0” to “Ældre”".to_owned(), false),
            (2, "Moved 1 statement to cluster 0 “Ældre”".to_owned(), false),
            (3, "Deleted the way “New deal”".to_owned(), false),
        ]
    );
    assert_eq!(curator.undo().unwrap().sequence, 3);
    assert_eq!(curator.undo().unwrap().sequence, 2);
    let marks: Vec<(u64, bool)> = curator.log().map(|l| (l.entry.sequence, l.undone)).collect();
    assert_eq!(marks, [(1, false), (2, true), (3, true)]);
    curator.apply(Edit::DescribeCluster { cluster: 0, description: "Pleje".into() }).unwrap();
    let marks: Vec<(u64, bool)> = curator.log().map(|l| (l.entry.sequence, l.undone)).collect();
    assert_eq!(marks, [(1, false), (4, false)]);
    assert!(!curator.can_redo() && curator.redo().is_none());
}

#[test]
fn cards_count_respondents_and_pick_statements_near_the_centre() {
    let mut curator = small_curator();
    let card = curator.card(1).unwrap();
    assert_eq!(card.size, 4);
    // Cluster 1 holds statements 4–7 by R1, R2, R4, R4: three of the four respondents.
    assert_eq!(card.share_of_respondents, Some(0.75));
    // Offsets 4: +0.08, 5: 0.0, 6: −0.05, 7: +0.15 around the topic; the members' mean points at +0.045 (the
    // atan of Σsin/Σcos), so 4 (0.035 away), 5 (0.045) and 6 (0.095) are nearest, 7 (0.105) is left out.
    assert_eq!(card.representatives, [4, 5, 6]);
    assert_eq!(card.ways, [2, 3]);
    curator.apply(Edit::MarkNoise { points: vec![6, 7] }).unwrap();
    assert_eq!(curator.card(1).unwrap().share_of_respondents, Some(0.5));
    assert_eq!(curator.card(-1), Err(EditError::UnknownCluster { cluster: -1 }));
    let mut anonymous = small();
    anonymous.roles.respondent = None;
    assert_eq!(Curator::new(&anonymous, Ways::default(), 1).card(0).unwrap().share_of_respondents, None);
}

#[test]
fn neighbours_are_the_most_similar_statements_first() {
    let curator = small_curator();
    let near: Vec<usize> = curator.neighbours(1, 3).unwrap().iter().map(|n| n.point).collect();
    // Offsets around statement 1 (0.0): 2 is 0.05 away, 0 is 0.08, 3 is 0.15.
    assert_eq!(near, [2, 0, 3]);
    let first = curator.neighbours(1, 1).unwrap()[0];
    assert!((first.similarity - 0.05f32.cos()).abs() < 1e-6);
    assert_eq!(curator.neighbours(0, 50).unwrap().len(), 11);
    assert!(curator.neighbours(0, 0).unwrap().is_empty());
    assert_eq!(curator.neighbours(12, 3), Err(EditError::UnknownPoint { point: 12, count: 12 }));
}

#[test]
fn neighbours_on_real_data_agree_with_a_full_sort() {
    let (analysis, options) = example();
    let curator = Curator::new(analysis, Ways::default(), options.seed);
    let space = &analysis.space;
    for point in [0, 57, 341] {
        let mut all: Vec<(f32, usize)> = (0..space.len())
            .filter(|&i| i != point)
            .map(|i| {
                let (a, b) = (space.row(point), space.row(i));
                let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
                let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
                (dot / (norm(a) * norm(b)), i)
            })
            .collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let expected: Vec<usize> = all.iter().take(10).map(|&(_, i)| i).collect();
        let got: Vec<usize> = curator.neighbours(point, 10).unwrap().iter().map(|n| n.point).collect();
        assert_eq!(got, expected);
    }
}

/// A random edit that has a fair chance of being valid for the current state.
fn random_edit(rng: &mut Xoshiro256PlusPlus, state: &Curation) -> Edit {
    let ids: Vec<i32> = state.clusters.iter().map(|c| c.id).collect();
    if ids.is_empty() {
        return Edit::MoveStatements { points: vec![0], to: 0 };
    }
    let cluster = ids[rng.gen_range(0..ids.len())];
    let way_ids: Vec<u32> = state.ways.ways.iter().map(|w| w.id).collect();
    let way = if way_ids.is_empty() { 1 } else { way_ids[rng.gen_range(0..way_ids.len())] };
    let n = state.assignments.len();
    let some_points = |rng: &mut Xoshiro256PlusPlus| (0..rng.gen_range(1..12)).map(|_| rng.gen_range(0..n)).collect();
    let colours = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00"];
    match rng.gen_range(0..17) {
        0 => Edit::RenameCluster { cluster, label: format!("Navn {}", rng.gen_range(0..1000)) },
        1 => Edit::ResetClusterLabel { cluster },
        2 => Edit::DescribeCluster { cluster, description: ["", "Om pleje", "Om skolen"][rng.gen_range(0..3)].into() },
        3 | 4 => {
            let count = rng.gen_range(2..4).min(ids.len());
            Edit::MergeClusters { clusters: (0..count).map(|_| ids[rng.gen_range(0..ids.len())]).collect() }
        }
        5 | 6 => Edit::SplitCluster { cluster, parts: rng.gen_range(2..4) },
        7 | 8 => Edit::MoveStatements { points: some_points(rng), to: cluster },
        9 => Edit::MarkNoise { points: some_points(rng) },
        10 => Edit::CreateWay {
            name: format!("Vej {}", rng.gen_range(0..100)),
            description: "Ny retning".into(),
            colour: colours[rng.gen_range(0..colours.len())].into(),
        },
        11 => Edit::RenameWay { way, name: format!("Vej {}", rng.gen_range(0..100)) },
        12 => Edit::RecolourWay { way, colour: colours[rng.gen_range(0..colours.len())].into() },
        13 => Edit::DeleteWay { way },
        14 => Edit::MoveWay { way, index: rng.gen_range(0..state.ways.ways.len().max(1)) },
        15 => Edit::AddClusterToWay { way, cluster },
        _ => {
            let member = state.ways.ways.iter().find(|w| w.id == way).and_then(|w| w.clusters.iter().next().copied());
            Edit::RemoveClusterFromWay { way, cluster: member.unwrap_or(cluster) }
        }
    }
}

#[test]
fn two_hundred_random_edits_undo_and_redo_exactly() {
    let (analysis, options) = example();
    for seed in [1, 2] {
        let mut curator = Curator::new(analysis, Ways::default(), options.seed);
        let initial = curator.state().clone();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut applied = 0;
        let mut kinds = BTreeSet::new();
        let mut attempts = 0;
        while applied < 200 {
            attempts += 1;
            assert!(attempts < 5000, "too few valid edits");
            let edit = random_edit(&mut rng, curator.state());
            let kind = format!("{edit:?}").split([' ', '{']).next().unwrap_or_default().to_owned();
            let before = curator.state().clone();
            match curator.apply(edit) {
                Ok(_) => {
                    applied += 1;
                    kinds.insert(kind);
                    assert_consistent(&curator);
                }
                Err(_) => assert_eq!(curator.state(), &before, "a refused edit changed the state"),
            }
        }
        assert!(kinds.len() >= 14, "{kinds:?}");
        let last = curator.state().clone();
        assert_ne!(&last, &initial);
        while curator.undo().is_some() {}
        assert_eq!(curator.state(), &initial);
        while curator.redo().is_some() {}
        assert_eq!(curator.state(), &last);
        assert_eq!(curator.log().count(), 200);
    }
}

#[test]
fn the_curated_map_is_written_into_the_analysis_for_the_map_and_export() {
    let mut analysis = small();
    let mut curator = small_curator();
    curator.apply(Edit::RenameCluster { cluster: 2, label: "Papir".into() }).unwrap();
    curator.apply(Edit::MarkNoise { points: vec![0] }).unwrap();
    curator.state().write_into(&mut analysis);
    assert_eq!(analysis.assignments[0], -1);
    assert_eq!(analysis.cluster(2).unwrap().label, "Papir");
    assert_eq!(analysis.cluster(0).unwrap().size, 3);
    let csv = crate::export::assignments_csv(&analysis, &curator.state().ways);
    assert!(
        csv.lines().nth(9).unwrap().starts_with("9,") && csv.lines().nth(9).unwrap().contains(",2,Papir,"),
        "{csv}"
    );
}
