//! Writes a smaller model file that keeps only the vocabulary pieces a local Danish + English corpus uses, plus
//! every single-character piece (so any text in any script still segments into known pieces rather than `<unk>`),
//! and checks that the test statements get the same token ids and vectors from it.
//!
//! `cargo run --release -p vejkort-embed --example prune_vocab` reads `public/models/e5-small-q4.bin` and the
//! corpus (every cell and line in `../shared/data`: StackOverflow titles, Danish agenda titles, Polis statements;
//! the app's example; the test's edge cases), and writes `public/models/e5-small-q4-pruned.bin`. The check uses
//! `target/embed-reference/reference.json` when present (`scripts/embed-reference.sh`).
#![allow(clippy::expect_used, reason = "a tool run by hand on known data: a failure should stop it loudly")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use vejkort_embed::format::{parse, prune};
use vejkort_embed::{Model, Prefix};

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

/// Every cell of every CSV/TSV file and every line of every text file under `dir`: each one a text the app
/// could be given.
fn corpus_texts(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let delimiter = match path.extension().and_then(|e| e.to_str()) {
            _ if path.is_dir() => {
                corpus_texts(&path, out);
                continue;
            }
            Some("csv") => b',',
            Some("tsv") => b'\t',
            Some("txt") => {
                out.extend(std::fs::read_to_string(&path).unwrap_or_default().lines().map(str::to_string));
                continue;
            }
            Some("json") => {
                let json = std::fs::read_to_string(&path).unwrap_or_default();
                if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(&json) {
                    out.extend(items.iter().filter_map(|item| item.as_str().map(str::to_string)));
                }
                continue;
            }
            _ => continue,
        };
        let mut reader =
            csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_path(&path).ok();
        for record in reader.iter_mut().flat_map(|r| r.records()).flatten() {
            out.extend(record.iter().filter(|cell| !cell.trim().is_empty()).map(str::to_string));
        }
    }
}

fn main() {
    let full_path = root().join("public/models/e5-small-q4.bin");
    let bytes = std::fs::read(&full_path).expect("model file: run scripts/fetch-model.sh");
    let parsed = parse(&bytes).expect("model parses");
    let model = Model::from_bytes(bytes.clone()).expect("model parses");

    let mut texts = Vec::new();
    corpus_texts(&shared_data(), &mut texts);
    corpus_texts(&root().join("public/example"), &mut texts);
    // The hand-written edge cases of the faithfulness test belong to the test statements too.
    corpus_texts(&root().join("crates/embed/tests/fixtures"), &mut texts);
    let mut used = BTreeSet::new();
    for text in &texts {
        for line in [text.clone(), format!("query: {text}"), format!("passage: {text}")] {
            used.extend(model.tokenize(&line));
        }
    }
    let pieces = &parsed.vocabulary.pieces;
    let single_characters = |id: u32| {
        let piece = pieces[id as usize].trim_start_matches('\u{2581}');
        piece.chars().count() <= 1
    };
    let keep = |id: u32| used.contains(&id) || single_characters(id);
    let kept = (0..pieces.len() as u32).filter(|&id| keep(id)).count();
    let pruned_bytes = prune(&bytes, &keep).expect("prunes");
    let out_path = root().join("public/models/e5-small-q4-pruned.bin");
    std::fs::write(&out_path, &pruned_bytes).expect("writes the pruned file");
    println!(
        "corpus: {} texts; pieces used {}, single-character pieces {}, kept {kept} of {}",
        texts.len(),
        used.len(),
        (0..pieces.len() as u32).filter(|&id| single_characters(id)).count(),
        pieces.len()
    );
    println!(
        "file: {:.1} MB -> {:.1} MB ({})",
        bytes.len() as f64 / 1e6,
        pruned_bytes.len() as f64 / 1e6,
        out_path.display()
    );

    let pruned = Model::from_bytes(pruned_bytes).expect("pruned file parses");
    let reference = std::fs::read_to_string(root().join("target/embed-reference/reference.json"));
    let check: Vec<String> = match reference {
        Ok(json) => {
            let value: serde_json::Value = serde_json::from_str(&json).expect("reference JSON");
            value["records"]
                .as_array()
                .expect("records")
                .iter()
                .map(|r| r["text"].as_str().unwrap_or("").into())
                .collect()
        }
        Err(_) => texts.iter().step_by(97).cloned().collect(),
    };
    let mut differing = 0;
    for text in &check {
        for line in [text.clone(), format!("query: {text}")] {
            if model.tokenize(&line) != pruned.tokenize(&line) {
                differing += 1;
                println!("ids differ: {line:?}");
            }
        }
    }
    let refs: Vec<&str> = check.iter().map(String::as_str).collect();
    let a = model.embed(&refs, Prefix::Query, &mut |_, _| Ok(())).expect("embeds");
    let b = pruned.embed(&refs, Prefix::Query, &mut |_, _| Ok(())).expect("embeds");
    let largest_difference = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
    println!(
        "check: {} statements, {differing} with different ids, largest vector difference {largest_difference:e}",
        check.len()
    );
    // An out-of-corpus text: different segmentation is allowed, but it must stay close.
    let outside = ["Photosynthesis converts sunlight into chemical energy in chloroplasts."];
    let a = model.embed(&outside, Prefix::Query, &mut |_, _| Ok(())).expect("embeds");
    let b = pruned.embed(&outside, Prefix::Query, &mut |_, _| Ok(())).expect("embeds");
    let cosine: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    println!(
        "out-of-corpus text: {} vs {} pieces, cosine {cosine:.4}",
        model.tokenize(outside[0]).len(),
        pruned.tokenize(outside[0]).len()
    );
    assert_eq!(differing, 0, "pruning changed token ids");
}
