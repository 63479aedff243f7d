//! Native throughput of the embedding model: statements per second on one thread, and the achieved GFLOP/s.
//!
//! `cargo run --release -p vejkort-embed --example throughput [-- COUNT...]` (default 100 and 1000 statements, a
//! Danish/English mix from `../shared/data`). `VEJKORT_BATCH_TOKENS` overrides the batch size. The model must be in `public/models/` (`scripts/fetch-model.sh`).
#![allow(clippy::expect_used, reason = "a tool run by hand on known data: a failure should stop it loudly")]

use std::path::PathBuf;

use vejkort_embed::{Model, Prefix};

fn shared_data() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let beside = root.join("../shared/data");
    if beside.is_dir() {
        beside
    } else {
        PathBuf::from("/work/shared/data")
    }
}

/// Alternating Danish agenda titles and StackOverflow titles: short statements like the app's.
fn statements(count: usize) -> Vec<String> {
    let data = shared_data();
    let danish = std::fs::read_to_string(data.join("danish_agendas/test_agendas.csv")).expect("Danish agendas");
    let danish: Vec<String> =
        danish.lines().skip(1).filter_map(|line| line.split_once(',').map(|(_, text)| text.to_string())).collect();
    let english = std::fs::read_to_string(data.join("stackoverflow/title_StackOverflow.txt")).expect("titles");
    let english: Vec<String> = english.lines().map(str::to_string).collect();
    (0..count).map(|i| if i % 2 == 0 { danish[i / 2 % danish.len()].clone() } else { english[i / 2].clone() }).collect()
}

/// CPU time of this process in seconds (Linux), so figures stay meaningful on a machine shared with other jobs.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let nanoseconds: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}

#[allow(clippy::disallowed_methods)] // Native benchmark: Instant::now is fine outside the browser.
fn main() {
    let counts: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let counts = if counts.is_empty() { vec![100, 1000] } else { counts };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../public/models/e5-small-q4.bin");
    let bytes = std::fs::read(&path).expect("model file: run scripts/fetch-model.sh");
    let started = std::time::Instant::now();
    let mut model = Model::from_bytes(bytes).expect("model parses");
    if let Some(tokens) = std::env::var("VEJKORT_BATCH_TOKENS").ok().and_then(|v| v.parse().ok()) {
        model.set_batch_tokens(tokens);
        println!("batch: {tokens} tokens");
    }
    println!("load: {:.0} ms", started.elapsed().as_secs_f64() * 1e3);

    let h = model.dim() as f64;
    // Per token and layer: Q, K, V, output (4·h²) and the FFN (2·h·4h) multiply-adds.
    let matmul_params_per_token = 12.0 * (4.0 * h * h + 2.0 * h * 4.0 * h);
    for count in counts {
        let texts = statements(count);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let lengths: Vec<usize> = refs.iter().map(|t| model.tokenize(&format!("query: {t}")).len()).collect();
        let tokens: usize = lengths.iter().sum();
        let attention_flops: f64 = lengths.iter().map(|&l| 12.0 * 4.0 * (l * l) as f64 * h).sum();
        let started = std::time::Instant::now();
        let cpu_started = cpu_seconds();
        let vectors = model.embed(&refs, Prefix::Query, &mut |_, _| Ok(())).expect("not cancelled");
        let wall = started.elapsed().as_secs_f64();
        // One thread: CPU time is the time the work took; wall time adds waiting for a shared machine's cores.
        let seconds = match (cpu_started, cpu_seconds()) {
            (Some(a), Some(b)) => b - a,
            _ => wall,
        };
        assert_eq!(vectors.len(), count * model.dim());
        let flops = 2.0 * matmul_params_per_token * tokens as f64 + attention_flops;
        println!(
            "{count:>5} statements, {tokens:>6} tokens ({:.1}/statement): {seconds:.2} s CPU ({wall:.2} s wall), \
             {:.1} statements/s, {:.0} tokens/s, {:.1} GFLOP/s",
            tokens as f64 / count as f64,
            count as f64 / seconds,
            tokens as f64 / seconds,
            flops / seconds / 1e9
        );
    }
}
