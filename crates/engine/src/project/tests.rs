//! Tests of the project file: round trips, the golden fixtures in `tests/fixtures/project/` with the message
//! each one must give, and the size of the space encodings.

use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::*;
use crate::curation::tests::{example, small, small_curator};
use crate::curation::Edit;
use crate::ways::Ways;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project")
}

/// The edits behind the small fixture: one of each family, the last one undone.
fn small_edits() -> Vec<Edit> {
    vec![
        Edit::RenameCluster { cluster: 1, label: "Skolen".into() },
        Edit::MergeClusters { clusters: vec![0, 2] },
        Edit::SplitCluster { cluster: 0, parts: 2 },
        Edit::MarkNoise { points: vec![11] },
        Edit::AddClusterToWay { way: 4, cluster: 1 },
        Edit::CreateWay { name: "Grøn".into(), description: "Klima først".into(), colour: "#56B4E9".into() },
        Edit::DescribeCluster { cluster: 1, description: "Lærere og klasser".into() },
    ]
}

fn small_project() -> Project {
    let analysis = small();
    let mut curator = small_curator();
    for edit in small_edits() {
        curator.apply(edit).unwrap();
    }
    curator.undo();
    let options = AnalysisOptions { seed: 5, ..AnalysisOptions::default() };
    let mut view = ViewState {
        camera: Some(Camera { centre: [0.25, -1.5], zoom: 42.0 }),
        focused_way: Some(4),
        focused_cluster: Some(1),
        filters: Filters { kinds: vec!["løsning".into()], groups: vec![], search: "skole".into() },
        ..ViewState::default()
    };
    view.other.insert("legend_open".into(), serde_json::json!(true));
    Project::new(&analysis, &options, &curator, view)
}

#[test]
fn a_project_survives_a_round_trip() {
    let project = small_project();
    let text = save(&project);
    assert!(text.starts_with(r#"{"format":"vejkort-project","version":1,"#), "{}", &text[..80]);
    let loaded = load(&text).unwrap();
    assert_eq!(loaded, project);
    // The undo history comes along: the undone edit can be redone, the rest undone back to the analysis.
    let mut curator = loaded.curator();
    assert!(curator.can_redo());
    curator.redo().unwrap();
    assert_eq!(curator.state().cluster(1).unwrap().description.as_deref(), Some("Lærere og klasser"));
    while curator.undo().is_some() {}
    assert_eq!(curator.state(), small_curator().state());
}

#[test]
fn the_example_survives_a_round_trip_after_random_edits() {
    let (analysis, options) = example();
    let mut curator = Curator::new(analysis, Ways::default(), options.seed);
    let fresh = save(&Project::new(analysis, options, &curator, ViewState::default())).len();
    let largest = curator.state().clusters.iter().max_by_key(|c| c.size).unwrap().id;
    curator.apply(Edit::SplitCluster { cluster: largest, parts: 3 }).unwrap();
    curator.apply(Edit::MergeClusters { clusters: vec![1, 2] }).unwrap();
    curator.apply(Edit::MoveStatements { points: (0..40).collect(), to: 1 }).unwrap();
    curator.apply(Edit::AddClusterToWay { way: 2, cluster: 1 }).unwrap();
    let project = Project::new(analysis, options, &curator, ViewState::default());
    let text = save(&project);
    let loaded = load(&text).unwrap();
    assert_eq!(loaded, project);
    assert_eq!(loaded.curator(), curator);
    println!(
        "example project: {} statements, {fresh} bytes fresh, {} bytes after 4 edits ({} of them the base64 space)",
        project.rows.len(),
        text.len(),
        (project.space.values.len() * 4).div_ceil(3) * 4
    );
}

#[test]
fn unknown_view_settings_are_kept_and_missing_ones_defaulted() {
    let view: ViewState = serde_json::from_str(r#"{"focused_way": 3, "heatmap": {"radius": 4}}"#).unwrap();
    assert_eq!(view.focused_way, Some(3));
    assert_eq!(view.camera, None);
    assert_eq!(view.filters, Filters::default());
    let written = serde_json::to_value(&view).unwrap();
    assert_eq!(written["heatmap"]["radius"], 4);
}

#[test]
fn project_files_are_recognised_by_their_first_bytes() {
    let text = save(&small_project());
    assert!(looks_like_project(text.as_bytes()));
    assert!(looks_like_project(b"\xEF\xBB\xBF {\n  \"format\" : \"vejkort-project\", \"version\": 1}"));
    assert!(!looks_like_project(b"[{\"format\": \"vejkort-project\"}]"));
    assert!(!looks_like_project(b"{\"format\": \"geojson\"}"));
    assert!(!looks_like_project(b"id,udsagn\n1,\"format\"\n"));
    assert!(!looks_like_project(b""));
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).unwrap()
}

#[test]
fn the_golden_v1_file_still_loads_into_the_same_project() {
    let loaded = load(&read_fixture("valid-v1.json")).unwrap();
    assert_eq!(loaded, small_project());
}

#[test]
fn broken_files_say_what_is_wrong() {
    let truncated = read_fixture("truncated.json");
    let table: [(&str, String); 13] = [
        ("future-version.json", "made by a newer Vejkort: version 2, this app reads up to 1".into()),
        ("old-version.json", "version 0 is older than any Vejkort project this app knows (it reads version 1)".into()),
        (
            "truncated.json",
            format!(
                "the project file ends early at line 1, column {}: it was cut off while saving or copying",
                truncated.chars().count()
            ),
        ),
        ("missing-rows.json", "the project is missing \"data.rows\"".into()),
        ("missing-version.json", "the project is missing \"version\"".into()),
        ("missing-label.json", "the project is missing \"curation.clusters[1].label\"".into()),
        (
            "malformed-size.json",
            "\"curation.clusters[0].size\" is malformed: invalid type: string \"many\", expected usize".into(),
        ),
        ("short-positions.json", "\"positions\" has 11 entries but the data has 12 statements".into()),
        (
            "unknown-cluster.json",
            "\"curation.assignments[3]\" refers to cluster 42, which the project does not have".into(),
        ),
        (
            "unknown-way-cluster.json",
            "\"curation.ways.ways[0].clusters\" refers to cluster 99, which the project does not have".into(),
        ),
        ("other-format.json", "not a Vejkort project: its format is \"geojson\"".into()),
        ("array.json", "not a Vejkort project: it has no \"format\": \"vejkort-project\"".into()),
        ("not-json.csv", "not a JSON file: expected value (line 1, column 1)".into()),
    ];
    for (file, message) in table {
        let error = load(&read_fixture(file)).unwrap_err();
        assert_eq!(error.to_string(), message, "{file}");
    }
}

#[test]
fn errors_are_specific_variants() {
    assert_eq!(load(&read_fixture("future-version.json")), Err(ProjectError::FromTheFuture { version: 2 }));
    assert_eq!(
        load(&read_fixture("short-positions.json")),
        Err(ProjectError::SizeMismatch { field: "positions".into(), expected: 12, found: 11 })
    );
    assert!(matches!(
        load("{\"format\": \"vejkort-project\", \"version\": 1,\n  \"data\" }"),
        Err(ProjectError::NotJson { line: 2, .. })
    ));
    let mut project = small_project();
    project.curation.clusters[0].size += 1;
    assert!(
        matches!(load(&save(&project)), Err(ProjectError::Inconsistent { field, .. }) if field == "curation.clusters[0]")
    );
}

/// Writes the fixtures from the small project; run with `--ignored` after a deliberate format change, and
/// review the diff.
#[test]
#[ignore]
fn regenerate_fixtures() {
    let dir = fixture_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let valid = save(&small_project());
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write("valid-v1.json", &valid);
    write("truncated.json", &valid[..valid.char_indices().nth(valid.chars().count() * 3 / 5).unwrap().0]);
    let edited = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut value: serde_json::Value = serde_json::from_str(&valid).unwrap();
        change(&mut value);
        serde_json::to_string(&value).unwrap()
    };
    write("future-version.json", &edited(&|v| v["version"] = 2.into()));
    write("old-version.json", &edited(&|v| v["version"] = 0.into()));
    write("missing-rows.json", &edited(&|v| drop(v["data"].as_object_mut().unwrap().remove("rows"))));
    write("missing-version.json", &edited(&|v| drop(v.as_object_mut().unwrap().remove("version"))));
    write(
        "missing-label.json",
        &edited(&|v| drop(v["curation"]["clusters"][1].as_object_mut().unwrap().remove("label"))),
    );
    write("malformed-size.json", &edited(&|v| v["curation"]["clusters"][0]["size"] = "many".into()));
    write("short-positions.json", &edited(&|v| drop(v["positions"].as_array_mut().unwrap().pop())));
    write("unknown-cluster.json", &edited(&|v| v["curation"]["assignments"][3] = 42.into()));
    write(
        "unknown-way-cluster.json",
        &edited(&|v| v["curation"]["ways"]["ways"][0]["clusters"].as_array_mut().unwrap().push(99.into())),
    );
    write("other-format.json", "{\"format\": \"geojson\", \"version\": 1, \"features\": []}\n");
    write("array.json", "[{\"format\": \"vejkort-project\"}]\n");
    write("not-json.csv", "id,udsagn\n1,Flere hænder\n");
}

/// Base64 of little-endian f32 against JSON number arrays, for the seed study's size (2,427 × 50) with unit
/// rows like the analysis space; prints both.
#[test]
fn space_encodings_compared() {
    let (rows, dim) = (2427, 50);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let mut values: Vec<f32> = (0..rows * dim).map(|_| rng.gen_range(-1.0f32..1.0)).collect();
    for row in values.chunks_mut(dim) {
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        row.iter_mut().for_each(|x| *x /= norm);
    }
    let base64 = BASE64.encode(values.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>()).len();
    let arrays = serde_json::to_string(&values.chunks(dim).collect::<Vec<_>>()).unwrap().len();
    println!("space {rows}×{dim}: base64 {base64} bytes, JSON arrays {arrays} bytes");
    assert_eq!(base64, (rows * dim * 4).div_ceil(3) * 4);
    assert!(base64 * 2 < arrays, "base64 {base64} vs arrays {arrays}");
    // Exactness: the decoded space is the same bits.
    let space = Vectors { dim, values };
    let decoded = decode_space(&EncodedSpace {
        dim,
        encoding: SPACE_ENCODING.into(),
        values: BASE64.encode(space.values.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>()),
    })
    .unwrap();
    assert_eq!(decoded, space);
}

#[test]
fn votes_survive_a_round_trip_and_must_fit_the_data() {
    use crate::lens::{StatementVotes, Tally, Votes};
    let mut project = small_project();
    let tally = Tally { agree: 3, disagree: 1, pass: 2 };
    project.votes = Some(Votes {
        key_column: "id".into(),
        groups: vec!["0".into(), "1".into()],
        statements: vec![StatementVotes { key: "1".into(), groups: vec![tally, Tally::default()], all: tally }],
    });
    let loaded = load(&save(&project)).unwrap();
    assert_eq!(loaded.votes, project.votes);

    let mut wrong = project.clone();
    if let Some(votes) = wrong.votes.as_mut() {
        votes.statements[0].groups.pop();
    }
    let error = load(&save(&wrong)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "\"votes.statements[0].groups\" does not agree with the rest of the project: 1 tallies, but there are 2 groups"
    );

    // A project without votes writes no "votes" at all, so older files and readers are untouched.
    assert!(!save(&small_project()).contains("\"votes\""));
}

fn a_tour() -> Vec<TourStop> {
    vec![
        TourStop { caption: "Hele kortet".into(), view: SavedView::default() },
        TourStop {
            caption: "Skolen, kun løsninger".into(),
            view: SavedView {
                framing: Some(Framing { centre: [0.25, -1.5], span: 3.75 }),
                focused_way: Some(4),
                focused_cluster: Some(1),
                excluded: [(2, ["årsag".to_owned()].into_iter().collect())].into_iter().collect(),
                search: "lærer".into(),
            },
        },
    ]
}

#[test]
fn a_tour_survives_a_round_trip_in_order() {
    let mut project = small_project();
    project.tour = a_tour();
    let text = save(&project);
    let loaded = load(&text).unwrap();
    assert_eq!(loaded.tour, a_tour());
    assert_eq!(loaded, project);
    // The excluded values are keyed by column index, written as JSON object keys.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["tour"][1]["view"]["excluded"]["2"][0], "årsag");
}

#[test]
fn files_without_a_tour_load_with_none_and_are_written_without_one() {
    let project = small_project();
    let text = save(&project);
    assert!(!text.contains("\"tour\""), "an empty tour is not written, so older readers see the same file");
    assert!(load(&text).unwrap().tour.is_empty());
}

#[test]
fn a_tour_stop_missing_fields_takes_defaults() {
    let stop: TourStop = serde_json::from_str(r#"{"caption": "Kun titlen", "view": {"focused_way": 2}}"#).unwrap();
    assert_eq!(stop.caption, "Kun titlen");
    assert_eq!(stop.view.focused_way, Some(2));
    assert_eq!(stop.view.framing, None);
    assert!(stop.view.excluded.is_empty());
    let mut project = small_project();
    let mut value: serde_json::Value = serde_json::from_str(&save(&project)).unwrap();
    value["tour"] = serde_json::json!([{"caption": "A"}, {"view": {"search": "skole"}}]);
    project.tour = vec![
        TourStop { caption: "A".into(), view: SavedView::default() },
        TourStop { caption: String::new(), view: SavedView { search: "skole".into(), ..SavedView::default() } },
    ];
    assert_eq!(load(&value.to_string()).unwrap(), project);
}

#[test]
fn a_malformed_tour_names_its_path() {
    let mut value: serde_json::Value = serde_json::from_str(&save(&small_project())).unwrap();
    value["tour"] = serde_json::json!([{"caption": "A", "view": {"framing": {"centre": "midt"}}}]);
    match load(&value.to_string()) {
        Err(ProjectError::Malformed { path, .. }) => assert_eq!(path, "tour[0].view.framing.centre"),
        other => panic!("expected a malformed tour, got {other:?}"),
    }
}

/// Saving what was loaded writes the same bytes: a project opened and saved again (autosave does this after
/// every reopen) loses nothing and gains nothing, down to the order of fields and the digits of every number.
#[test]
fn saving_a_loaded_project_writes_the_same_bytes() {
    use crate::lens::{StatementVotes, Tally, Votes};
    let mut small = small_project();
    small.tour = a_tour();
    small.votes = Some(Votes {
        key_column: "id".into(),
        groups: vec!["0".into(), "1".into()],
        statements: vec![StatementVotes {
            key: "1".into(),
            groups: vec![Tally { agree: 3, disagree: 1, pass: 2 }, Tally::default()],
            all: Tally { agree: 3, disagree: 1, pass: 2 },
        }],
    });
    // Text people type, markup and all, and a view setting of a newer version, must come back unchanged too.
    small.tour[0].caption = "<script>window.__xss=1</script> & \"]]> \u{202e}rtl 🎉".into();
    small.view.other.insert("from_the_future".into(), serde_json::json!({"b": [1.5, null], "a": "x"}));

    let (analysis, options) = example();
    let mut curator = Curator::new(analysis, Ways::default(), options.seed);
    curator.apply(Edit::RenameCluster { cluster: 1, label: "<img src=x onerror=\"window.__xss=1\">".into() }).unwrap();
    curator.apply(Edit::MergeClusters { clusters: vec![1, 2] }).unwrap();
    curator.undo();
    let example = Project::new(analysis, options, &curator, ViewState::default());

    for (name, project) in [("small", small), ("example", example)] {
        let first = save(&project);
        let second = save(&load(&first).unwrap());
        assert!(
            first == second,
            "{name}: a second save differs from the first (first difference at byte {:?})",
            first.bytes().zip(second.bytes()).position(|(a, b)| a != b)
        );
        // And the third from the second: no drift that only shows after several reopenings.
        assert_eq!(save(&load(&second).unwrap()), second, "{name}");
    }
}
