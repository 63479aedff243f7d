//! The command line as a user runs it: real files in, the app's CSV out, clear errors on bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test with a message

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vejkort(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vejkort")).args(args).output().expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

#[test]
fn the_example_becomes_the_apps_csv() {
    let input = repo().join("public/example/velfaerd-workshop.csv");
    let out = scratch("example.csv");
    let output = vejkort(&["analyze", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (header, rows) = read_csv(&out);
    assert_eq!(&header[..6], ["id", "x", "y", "cluster", "label", "ways"]);
    let lines = std::fs::read_to_string(&input).unwrap();
    let input_rows = csv::Reader::from_reader(lines.as_bytes()).records().count();
    assert_eq!(rows.len(), input_rows);
    let clusters: std::collections::BTreeSet<&str> = rows.iter().map(|row| row[3].as_str()).collect();
    assert!(clusters.len() >= 3, "{clusters:?}");
    assert!(rows.iter().all(|row| row[1].parse::<f32>().is_ok_and(f32::is_finite)));
    assert!(rows.iter().filter(|row| row[3] != "-1").all(|row| !row[4].is_empty()), "every text cluster is labelled");
    assert!(rows.iter().filter(|row| row[3] == "-1").all(|row| row[4].is_empty()), "noise has no label");
}

#[test]
fn same_seed_same_output_and_the_projector_pair_is_joined() {
    let dir = Path::new("/work/shared/data/embeddings/bowling-green_all-MiniLM-L6-v2");
    if !dir.exists() {
        eprintln!("skipped: {} is not on this machine", dir.display());
        return;
    }
    let run = |name: &str| {
        let out = scratch(name);
        let vectors = dir.join("vectors.tsv");
        let metadata = dir.join("metadata.tsv");
        let output = vejkort(&[
            "analyze",
            vectors.to_str().unwrap(),
            metadata.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--seed",
            "7",
            "--clusters",
            "8",
            "--quiet",
        ]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        std::fs::read(out).unwrap()
    };
    let first = run("pair-a.csv");
    assert_eq!(first, run("pair-b.csv"));
    let (_, rows) = read_csv(&scratch("pair-a.csv"));
    assert_eq!(rows.len(), 896);
    let clusters: std::collections::BTreeSet<&str> = rows.iter().map(|row| row[3].as_str()).collect();
    assert_eq!(clusters.len(), 8);
}

#[test]
fn bad_input_names_the_file_and_row_and_fails() {
    let bad = scratch("ragged.csv");
    std::fs::write(&bad, "id,text\n1,one\n2,two,extra\n").unwrap();
    let output = vejkort(&["analyze", bad.to_str().unwrap(), "--out", scratch("never.csv").to_str().unwrap()]);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("ragged.csv") && message.contains("row 3"), "{message}");

    let missing = vejkort(&["analyze", "/nonexistent/file.csv", "--out", "-"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/file.csv"));
}

#[test]
fn the_default_pipeline_is_deterministic() {
    let input = repo().join("public/example/velfaerd-workshop.csv");
    let run = |name: &str| {
        let out = scratch(name);
        let output = vejkort(&["analyze", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        std::fs::read(out).unwrap()
    };
    assert_eq!(run("default-a.csv"), run("default-b.csv"));
}

/// Neighbour indices from a .npy the `knn` command wrote: int32, row-major, `k` per row.
fn read_indices(path: &Path, k: usize) -> Vec<Vec<i32>> {
    let bytes = std::fs::read(path).unwrap();
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
    assert!(header.contains("'<i4'"), "{header}");
    let values: Vec<i32> =
        bytes[10 + header_len..].chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    values.chunks(k).map(<[i32]>::to_vec).collect()
}

#[test]
fn nn_descent_finds_almost_all_true_neighbours_of_real_embeddings() {
    let input = Path::new("/work/shared/data/embeddings/bowling-green_all-MiniLM-L6-v2/embeddings.npy");
    if !input.exists() {
        eprintln!("skipped: {} is not on this machine", input.display());
        return;
    }
    let (exact, approximate) = (scratch("exact.npy"), scratch("approximate.npy"));
    for (out, extra) in [(&exact, Some("--exact")), (&approximate, None)] {
        let mut args = vec!["knn", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--k", "15"];
        args.extend(extra);
        let output = vejkort(&args);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let (exact, approximate) = (read_indices(&exact, 15), read_indices(&approximate, 15));
    assert_eq!(exact.len(), 896);
    let found: usize = exact
        .iter()
        .zip(&approximate)
        .map(|(truth, guess)| guess.iter().filter(|index| truth.contains(index)).count())
        .sum();
    let recall = found as f64 / (896.0 * 15.0);
    eprintln!("NN-descent recall@15 on Bowling Green MiniLM: {recall:.4}");
    assert!(recall >= 0.95, "recall {recall}");
}

/// `vejkort embed` on threads must give each statement its own vector in file order: a Danish statement and its
/// English translation land closer than two unrelated statements, whichever thread embedded them.
#[test]
fn embed_writes_one_vector_per_statement_in_order() {
    let model = repo().join("public/models/e5-small-q4.bin");
    if !model.exists() {
        eprintln!("skipped: {} is missing (scripts/fetch-model.sh fetches it)", model.display());
        return;
    }
    let input = scratch("embed.txt");
    std::fs::write(
        &input,
        "Vi mangler sygeplejersker på plejehjemmene.\nThe bus to the harbour is always late.\n\
         We lack nurses in the care homes.\nBussen til havnen kommer altid for sent.\n",
    )
    .unwrap();
    let out = scratch("embed.npy");
    let output = vejkort(&[
        "embed",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--threads",
        "2",
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bytes = std::fs::read(&out).unwrap();
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    assert!(String::from_utf8_lossy(&bytes[10..10 + header_len]).contains("'shape': (4, 384)"));
    let values: Vec<f32> =
        bytes[10 + header_len..].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let cosine = |a: usize, b: usize| -> f32 {
        values[a * 384..(a + 1) * 384].iter().zip(&values[b * 384..(b + 1) * 384]).map(|(x, y)| x * y).sum()
    };
    assert!(cosine(0, 2) > cosine(0, 1) + 0.05, "nurses da/en {} vs nurses/bus {}", cosine(0, 2), cosine(0, 1));
    assert!(cosine(1, 3) > cosine(1, 2) + 0.05, "bus en/da {} vs bus/nurses {}", cosine(1, 3), cosine(1, 2));
}
