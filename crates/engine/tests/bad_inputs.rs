//! The bad-input corpus: every file under `tests/fixtures/bad/` is a real way an upload goes wrong, and
//! `tests/fixtures/bad/expected.json` says, per case, whether it must load and what the person must be told.
//!
//! The same table drives the browser test (`tests/e2e/badinput.test.mjs`), so the engine's English wording and
//! the page agree. Each case is read the way the app reads it: a file that looks like a project goes to the
//! project loader, anything else through `io::read_files` and the pipeline with TF-IDF (what the worker does). A
//! message must hold every fragment the table lists (the file, the row as an editor counts it, what was
//! expected), so a vaguer message fails the test even when the outcome is still an error. A fixture missing from
//! the table fails the test too, so the corpus and its table cannot drift apart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Deserialize;
use vejkort_engine::dataset::ColumnPick;
use vejkort_engine::io::InputFile;
use vejkort_engine::pipeline::{analyze, AnalysisOptions, Vectoriser};
use vejkort_engine::progress::Silent;
use vejkort_engine::project;

#[derive(Debug, Deserialize)]
struct Table {
    cases: Vec<Case>,
    generated: Vec<Generated>,
}

#[derive(Debug, Deserialize)]
struct Case {
    files: Vec<String>,
    /// "error" or "ok".
    outcome: String,
    /// Fragments the error message must contain (for "error").
    #[serde(default)]
    message: Vec<String>,
    /// Fragments the warnings, joined, must contain (for "ok").
    #[serde(default)]
    warnings: Vec<String>,
    /// How many points the map must have (for "ok").
    points: Option<usize>,
    /// The text column the user chose, by name, instead of the guess.
    text_column: Option<String>,
    /// A cell that must come through exactly (for "ok"): decoding checks.
    #[serde(default)]
    cells: Vec<String>,
    /// Column names the data must have (for "ok").
    #[serde(default)]
    columns: Vec<String>,
}

/// A fixture too large to commit, made at test time by a named recipe.
#[derive(Debug, Deserialize)]
struct Generated {
    name: String,
    recipe: String,
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bad")
}

fn table() -> Table {
    let text = std::fs::read_to_string(corpus().join("expected.json")).expect("tests/fixtures/bad/expected.json");
    serde_json::from_str(&text).expect("expected.json parses")
}

/// The recipes of generated fixtures; the browser test has the same ones.
fn generate(recipe: &str) -> Vec<u8> {
    match recipe {
        // A whole survey pasted without line breaks: ten megabytes on one line, so only a header and no rows.
        "ten-megabyte-line" => {
            let mut text = String::from("id,udsagn,kommune");
            let mut row = 1;
            while text.len() < 10 * 1024 * 1024 {
                text.push_str(&format!(",{row},Flere hænder i ældreplejen nummer {row},Vejle"));
                row += 1;
            }
            text.into_bytes()
        }
        other => panic!("unknown recipe {other}"),
    }
}

fn bytes_of(name: &str, generated: &[Generated]) -> Vec<u8> {
    match generated.iter().find(|g| g.name == name) {
        Some(g) => generate(&g.recipe),
        None => std::fs::read(corpus().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}")),
    }
}

/// What the app would show for these files: Ok(points, warnings, columns, cells) or Err(message).
type Shown = Result<(usize, String, Vec<String>, Vec<String>), String>;

fn run(case: &Case, generated: &[Generated]) -> Shown {
    let files: Vec<InputFile> =
        case.files.iter().map(|name| InputFile { name: name.clone(), bytes: bytes_of(name, generated) }).collect();
    // As actions::load_file_list decides: a project file opens as a project, whatever else came with it.
    if let Some(file) = files.iter().find(|file| project::looks_like_project(&file.bytes)) {
        let text = String::from_utf8_lossy(&file.bytes);
        return match project::load(&text) {
            Ok(project) => Ok((project.rows.len(), String::new(), project.columns, Vec::new())),
            Err(error) => Err(format!("{}: {error}", file.name)),
        };
    }
    let mut options = AnalysisOptions { vectoriser: Vectoriser::TfIdf, ..AnalysisOptions::default() };
    if let Some(column) = &case.text_column {
        options.columns.text = ColumnPick::Named(column.clone());
    }
    match analyze(&files, &options, &mut Silent) {
        Ok(analysis) => {
            let warnings = analysis.warnings.iter().map(ToString::to_string).collect::<Vec<_>>().join(" · ");
            let cells = analysis.rows.iter().flatten().cloned().collect();
            Ok((analysis.rows.len(), warnings, analysis.columns.clone(), cells))
        }
        Err(error) => Err(error.to_string()),
    }
}

fn check(case: &Case, shown: &Shown) -> Vec<String> {
    let mut problems = Vec::new();
    match (case.outcome.as_str(), shown) {
        ("error", Err(message)) => {
            for fragment in &case.message {
                if !message.contains(fragment.as_str()) {
                    problems.push(format!("message lacks {fragment:?}"));
                }
            }
        }
        ("ok", Ok((points, warnings, columns, cells))) => {
            if case.points.is_some_and(|expected| expected != *points) {
                problems.push(format!("{points} points, expected {:?}", case.points));
            }
            for fragment in &case.warnings {
                if !warnings.contains(fragment.as_str()) {
                    problems.push(format!("warnings lack {fragment:?}"));
                }
            }
            if case.warnings.is_empty() && !warnings.is_empty() {
                problems.push("unexpected warnings".into());
            }
            for column in &case.columns {
                if !columns.contains(column) {
                    problems.push(format!("no column {column:?} in {columns:?}"));
                }
            }
            for cell in &case.cells {
                if !cells.contains(cell) {
                    problems.push(format!("no cell {cell:?}"));
                }
            }
        }
        (expected, _) => problems.push(format!("expected {expected}")),
    }
    problems
}

#[test]
fn every_bad_input_gets_its_specific_message() {
    let table = table();
    let mut failures = Vec::new();
    for case in &table.cases {
        let shown = run(case, &table.generated);
        let problems = check(case, &shown);
        if !problems.is_empty() {
            failures.push(format!("{:?}: {} — shown: {shown:?}", case.files, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), table.cases.len(), failures.join("\n"));
}

#[test]
fn every_fixture_is_in_the_table() {
    let table = table();
    let listed: BTreeSet<&str> = table.cases.iter().flat_map(|case| case.files.iter().map(String::as_str)).collect();
    let generated: BTreeSet<&str> = table.generated.iter().map(|g| g.name.as_str()).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "expected.json")
        .collect();
    let unlisted: Vec<&String> = on_disk.iter().filter(|name| !listed.contains(name.as_str())).collect();
    assert!(unlisted.is_empty(), "fixtures without a row in expected.json: {unlisted:?}");
    let missing: Vec<&&str> =
        listed.iter().filter(|name| !on_disk.contains(**name) && !generated.contains(**name)).collect();
    assert!(missing.is_empty(), "rows naming files that are not there: {missing:?}");
    assert!(on_disk.len() >= 55, "the corpus has {} files; the issue asks for at least 55", on_disk.len());
    // Committed fixtures stay small; large ones are generated.
    for name in &on_disk {
        let size = std::fs::metadata(corpus().join(name)).unwrap().len();
        assert!(size <= 200 * 1024, "{name} is {size} bytes; generate large fixtures at test time");
    }
}
