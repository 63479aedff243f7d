//! The lenses on real Polis exports, checked against Polis's own per-statement statistics
//! (`comment_group_stats.csv`, computed by Polis from the same votes): an independent oracle for the agree
//! rates, the group gap and the group-informed consensus.
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test with a message

use std::collections::HashMap;
use std::path::PathBuf;

use vejkort_engine::io::{read_files, InputFile, ReadOptions};
use vejkort_engine::lens::conflict::StatementConflict;

fn shared(path: &str) -> InputFile {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(path);
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    InputFile { name: full.file_name().expect("a file name").to_string_lossy().into_owned(), bytes }
}

/// comment_group_stats.csv as rows of named cells, keyed by comment id.
fn polis_stats(conversation: &str) -> HashMap<String, HashMap<String, String>> {
    let file = shared(&format!("polis/{conversation}/comment_group_stats.csv"));
    let mut reader = csv::Reader::from_reader(file.bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let cells: HashMap<String, String> = header.iter().cloned().zip(record.iter().map(str::to_owned)).collect();
            (cells["comment_id"].clone(), cells)
        })
        .collect()
}

fn check_against_polis(conversation: &str, accepted: usize) {
    let files = [
        shared(&format!("polis/{conversation}/participants-votes.csv")),
        shared(&format!("polis/{conversation}/comments.csv")),
    ];
    let data = read_files(&files, &ReadOptions::default()).unwrap();
    assert_eq!(data.rows.len(), accepted, "only accepted comments become statements");
    let votes = data.votes.as_ref().unwrap();
    assert_eq!(votes.groups, ["0", "1"]);
    let stats = polis_stats(conversation);
    let mut compared = 0;
    for statement in &votes.statements {
        let expected = &stats[&statement.key];
        let number = |name: &str| expected[name].parse::<f64>().unwrap();
        let conflict = StatementConflict::of(statement);
        // The CSV rounds rates and gaps to 3 decimals and consensus to 4.
        for (group, rate) in conflict.agree_rates.iter().enumerate() {
            let polis = number(&format!("agree_rate_group{group}"));
            assert!(
                (rate - polis).abs() <= 5e-4 + 1e-9,
                "{conversation} comment {}: group {group} agree rate {rate} vs {polis}",
                statement.key
            );
        }
        let gap = number("group_disagreement");
        assert!(
            (conflict.gap - gap).abs() <= 1e-3 + 1e-9,
            "{conversation} comment {}: gap {} vs {gap}",
            statement.key,
            conflict.gap
        );
        let consensus = number("group_informed_consensus");
        assert!(
            (conflict.consensus - consensus).abs() <= 5e-5 + 1e-9,
            "{conversation} comment {}: consensus",
            statement.key
        );
        assert_eq!(f64::from(statement.all.total()), number("n_votes"), "{conversation} comment {}", statement.key);
        compared += 1;
    }
    assert_eq!(compared, accepted, "every accepted comment has a vote column");
}

#[test]
fn statement_conflict_reproduces_polis_on_bg2050() {
    let accepted = polis_stats("bg2050-volunteers").values().filter(|row| row["moderated"] != "-1").count();
    check_against_polis("bg2050-volunteers", accepted);
}

#[test]
fn statement_conflict_reproduces_polis_on_the_biodiversity_conversation() {
    let comments = shared("polis/scoop-hivemind.biodiversity/comments.csv");
    let mut reader = csv::Reader::from_reader(comments.bytes.as_slice());
    let moderated = reader.headers().unwrap().iter().position(|h| h == "moderated").unwrap();
    let accepted = reader.records().filter(|r| r.as_ref().unwrap().get(moderated) != Some("-1")).count();
    check_against_polis("scoop-hivemind.biodiversity", accepted);
}
