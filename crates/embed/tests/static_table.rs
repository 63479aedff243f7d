//! The distilled static table (`public/models/e5-small-static.bin`) against the model it came from: the same
//! segmentation as the model's tokenizer, the model's checksum in its header, and vectors that put statements on
//! one topic nearer each other than statements on different topics, in Danish and in English. Needs the model
//! and the table (`scripts/setup.sh`).
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use std::path::PathBuf;

use sha2::{Digest, Sha256};
use vejkort_embed::static_table::StaticTable;
use vejkort_embed::Model;

fn read(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../public/models").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{} is missing ({e}): run scripts/setup.sh first", path.display()))
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn the_table_segments_as_the_model_does_and_names_its_model() {
    let model_bytes = read("e5-small-q4.bin");
    let sha: [u8; 32] = Sha256::digest(&model_bytes).into();
    let model = Model::from_bytes(model_bytes).expect("model");
    let table = StaticTable::from_bytes(&read("e5-small-static.bin")).expect("table");
    assert_eq!(table.source_sha256(), sha, "the table was distilled from another model file");
    for text in [
        "Vi mangler sygeplejersker på plejehjemmene.",
        "Kommunens økonomi er presset af flere ældre",
        "How do I read a CSV file in Python?",
        "  Tabs\tand   spaces, ＡＢＣ and 猫 🙂",
    ] {
        let framed = model.tokenize(text);
        assert_eq!(table.tokenize(text), framed[1..framed.len() - 1], "{text}");
    }
}

#[test]
fn statements_on_one_topic_are_nearer_than_statements_on_different_topics() {
    let table = StaticTable::from_bytes(&read("e5-small-static.bin")).expect("table");
    let dim = table.dim();
    let cases = [
        [
            "Vi mangler lærere i folkeskolen",
            "Skolerne kan ikke finde uddannede lærere",
            "Vejene skal repareres efter vinteren",
        ],
        ["The hospital needs more nurses", "Nurses are leaving our hospitals", "How do I sort a list in Python?"],
    ];
    for [anchor, same, other] in cases {
        let vectors = table.embed(&[anchor, same, other], &mut |_, _| Ok(())).expect("embed");
        let (a, s, o) = (&vectors[..dim], &vectors[dim..2 * dim], &vectors[2 * dim..]);
        assert!((cosine(a, a) - 1.0).abs() < 1e-4, "unit length");
        assert!(cosine(a, s) > cosine(a, o), "{anchor:?}: {} vs {}", cosine(a, s), cosine(a, o));
    }
}
