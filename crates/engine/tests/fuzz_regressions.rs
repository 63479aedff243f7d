//! Every input that ever crashed an engine fuzz target (`make fuzz`), and a few nasty hand-made ones, replayed
//! through the very checks the fuzzer runs (`fuzz/src/engine_checks.rs`, included below), so a fixed crash that
//! comes back fails `cargo test` instead of waiting for the next fuzz run. The fuzzers' seeds (real files of
//! every kind, `fuzz/seeds/`) are replayed too: the checks must hold on good input as well as bad.
//!
//! Inputs live in `tests/fuzz_regressions/<target>/`, one file each, named for what they do.

use std::panic::catch_unwind;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../../../fuzz/src/engine_checks.rs"]
mod engine_checks;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

/// Runs every file under `folder/<target>/` through its check; returns how many ran and what failed.
fn replay(folder: &Path) -> (usize, Vec<String>) {
    let mut ran = 0;
    let mut failures = Vec::new();
    let Ok(targets) = std::fs::read_dir(folder) else { return (0, failures) };
    for target in targets.flatten().filter(|entry| entry.path().is_dir()) {
        let name = target.file_name().to_string_lossy().into_owned();
        if !engine_checks::TARGETS.contains(&name.as_str()) {
            // Inputs of the embedding crate's targets are replayed by its own test.
            if !["e5_tokenizer", "wordpiece", "safetensors", "model_file"].contains(&name.as_str()) {
                failures.push(format!("{}: no fuzz target of that name", target.path().display()));
            }
            continue;
        }
        let skip = |path: &Path| path.extension().is_some_and(|extension| extension == "py");
        let check = |bytes: &[u8]| engine_checks::run(&name, bytes);
        failures.extend(replay::replay_folder(&target.path(), skip, check, &mut ran));
    }
    (ran, failures)
}

#[test]
fn every_input_that_once_crashed_a_fuzzer_is_now_handled() {
    let (ran, failures) = replay(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions"));
    assert!(ran >= 10, "only {ran} saved inputs were found");
    assert!(failures.is_empty(), "{} inputs fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_fuzzers_seeds_pass_the_same_checks() {
    let (ran, failures) = replay(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds"));
    assert!(ran >= 20, "only {ran} seeds were found");
    assert!(failures.is_empty(), "{} seeds fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_checks_catch_what_they_are_there_to_catch() {
    // A check that cannot fail proves nothing: a data set with a row narrower than its header, or vectors that do
    // not match the rows, must be refused by the very function every fuzz target ends in.
    let mut dataset = vejkort_engine::Dataset { columns: vec!["a".into(), "b".into()], ..Default::default() };
    dataset.rows = vec![vec!["1".into(), "2".into()]];
    engine_checks::check_dataset(&dataset);
    let mut narrow = dataset.clone();
    narrow.rows.push(vec!["3".into()]);
    assert!(catch_unwind(|| engine_checks::check_dataset(&narrow)).is_err());
    let mut extra_vector = dataset.clone();
    extra_vector.vectors = Some(vejkort_engine::dataset::Vectors { dim: 2, values: vec![0.0; 4] });
    assert!(catch_unwind(|| engine_checks::check_dataset(&extra_vector)).is_err());
    let mut infinite = dataset;
    infinite.vectors = Some(vejkort_engine::dataset::Vectors { dim: 2, values: vec![0.0, f32::INFINITY] });
    assert!(catch_unwind(|| engine_checks::check_dataset(&infinite)).is_err());
    assert!(!engine_checks::run("no such target", b""));
}

#[test]
fn the_workbook_the_xml_target_builds_opens_with_its_cells() {
    // Otherwise the workbook_xml target would fuzz nothing but "not a ZIP archive".
    let sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>gruppe</t></is></c></row>
        <row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>7</v></c></row></sheetData></worksheet>"#;
    let strings = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
        <si><t>svar</t></si><si><t>Mere tid</t></si></sst>"#;
    let bytes = engine_checks::workbook_around(sheet, strings);
    let file = vejkort_engine::io::InputFile { name: "book.xlsx".into(), bytes };
    let dataset = vejkort_engine::io::read_files(&[file], &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dataset.columns, ["svar", "gruppe"]);
    assert_eq!(dataset.rows, [["Mere tid", "7"]]);
    assert_eq!(dataset.workbooks[0].sheets, ["Ark1", "Ark2"]);
}

/// The fuzzer's workbook_xml finding: calamine reserved room for as many shared strings as `uniqueCount` declared,
/// and 2.6 quadrillion aborted the process. Such a workbook is now refused, naming the part and the count.
#[test]
fn a_shared_string_count_the_part_cannot_hold_is_refused() {
    let sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>"#;
    let honest = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
        <si><t>svar</t></si><si><t>Mere tid</t></si></sst>"#;
    let read = |strings: &[u8]| {
        let bytes = engine_checks::workbook_around(sheet, strings);
        vejkort_engine::io::read_files(
            &[vejkort_engine::io::InputFile { name: "book.xlsx".into(), bytes }],
            &Default::default(),
        )
    };
    assert_eq!(read(honest).map(|dataset| dataset.rows), Ok(vec![vec!["Mere tid".to_owned()]]));
    let lying = String::from_utf8_lossy(honest).replace(r#"uniqueCount="2""#, r#"uniqueCount="2666666666666666""#);
    let message = read(lying.as_bytes()).expect_err("an impossible count is refused").to_string();
    for fragment in ["book.xlsx", "sharedStrings.xml", "2666666666666666", "damaged"] {
        assert!(message.contains(fragment), "{fragment:?} missing from: {message}");
    }
}
