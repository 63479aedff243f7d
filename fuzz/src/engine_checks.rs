//! What every engine fuzz target does with one input, as plain functions: libFuzzer calls them from
//! `fuzz/fuzz_targets/`, and `crates/engine/tests/fuzz_regressions.rs` includes this file to replay every saved
//! input through exactly the same code, so a crash the fuzzer once found stays found if it ever comes back.
//!
//! Beyond "no panic", each check asserts what the rest of the app relies on after a successful parse (every row as
//! wide as the header, one vector per row, finite values, unique column names) and that a refusal names the file
//! it is about, because a message without the file is useless to a person who uploaded three.
//!
//! Inputs that hold several files are cut by a small self-describing layout ([`split_pair`], [`split_files`])
//! rather than by `arbitrary`, so the regression test needs no fuzzing crate and seeds are easy to write by hand.

use std::collections::HashSet;

use vejkort_engine::dataset::Dataset;
use vejkort_engine::io::{detect_format, read_files, InputFile, ReadOptions};
use vejkort_engine::label::{LabelOptions, Labeller};
use vejkort_engine::language::{detect, Language};
use vejkort_engine::{project, publish, text, tfidf, InputError};

/// The fuzz targets of the engine, by the name of their directory of saved inputs.
pub const TARGETS: &[&str] = &[
    "delimited",
    "workbook_xml",
    "json",
    "json_lines",
    "npy",
    "workbook",
    "projector_pair",
    "polis_pair",
    "read_files",
    "project",
    "publish",
    "text",
];

/// Runs the check of `target` on `data`; false for an unknown target.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "delimited" => delimited(data),
        "json" => single(data, "data.json"),
        "json_lines" => single(data, "data.jsonl"),
        "npy" => single(data, "matrix.npy"),
        "workbook" => workbook(data),
        "workbook_xml" => workbook_xml(data),
        "projector_pair" => projector_pair(data),
        "polis_pair" => polis_pair(data),
        "read_files" => any_files(data),
        "project" => project_file(data),
        "publish" => publish_bundle(data),
        "text" => text_tokens(data),
        _ => return false,
    }
    true
}

/// Reads `files` and checks the outcome either way.
fn read_and_check(files: &[InputFile], options: &ReadOptions) -> Result<Dataset, InputError> {
    for file in files {
        // Format detection alone must not panic on anything either (the UI calls it to pick an icon and a reader).
        let _ = detect_format(&file.name, &file.bytes);
    }
    let result = read_files(files, options);
    match &result {
        Ok(dataset) => check_dataset(dataset),
        Err(error) => {
            let message = error.to_string();
            assert!(
                files.iter().any(|file| message.contains(&file.name)),
                "the message names none of the files {:?}: {message}",
                files.iter().map(|file| &file.name).collect::<Vec<_>>()
            );
        }
    }
    result
}

/// What the analysis, the column pickers and the exports assume of every data set.
pub fn check_dataset(dataset: &Dataset) {
    assert!(!dataset.columns.is_empty(), "a data set without columns");
    let unique: HashSet<&String> = dataset.columns.iter().collect();
    assert_eq!(unique.len(), dataset.columns.len(), "repeated column names {:?}", dataset.columns);
    for (index, row) in dataset.rows.iter().enumerate() {
        assert_eq!(row.len(), dataset.columns.len(), "row {index} is not as wide as the header");
    }
    if let Some(vectors) = &dataset.vectors {
        assert!(vectors.dim > 0 || vectors.values.is_empty(), "vectors of dimension 0 with values");
        if vectors.dim > 0 {
            assert_eq!(vectors.values.len() % vectors.dim, 0, "a partial vector");
        }
        assert_eq!(vectors.len(), dataset.rows.len(), "{} vectors for {} rows", vectors.len(), dataset.rows.len());
        assert!(vectors.values.iter().all(|x| x.is_finite()), "a vector with a non-finite value");
    }
}

fn file(name: &str, bytes: &[u8]) -> InputFile {
    InputFile { name: name.to_owned(), bytes: bytes.to_vec() }
}

fn single(data: &[u8], name: &str) {
    let _ = read_and_check(&[file(name, data)], &ReadOptions::default());
}

/// The same bytes as `.csv` (delimiter sniffed) and as `.tsv` (tab by extension).
fn delimited(data: &[u8]) {
    single(data, "data.csv");
    single(data, "vectors.tsv");
}

/// The first sheet, then (when the workbook opened) the last sheet by name, as the sheet picker asks for it.
fn workbook(data: &[u8]) {
    let files = [file("book.xlsx", data)];
    if let Ok(dataset) = read_and_check(&files, &ReadOptions::default()) {
        let last = dataset.workbooks.first().and_then(|workbook| workbook.sheets.last()).cloned();
        if let Some(sheet) = last {
            let _ = read_and_check(&files, &ReadOptions { sheet: Some(sheet) });
        }
    }
    let _ = read_and_check(&files, &ReadOptions { sheet: Some("no such sheet".into()) });
}

/// A workbook around fuzzed XML: the input is cut in two ([`split_pair`]) into the first sheet's XML and the shared
/// strings, and packed with a fixed workbook into an uncompressed ZIP. Byte mutations of a real (deflated) XLSX
/// rarely survive decompression; this way the fuzzer works on the XML calamine parses and on the sheet layouts
/// `io::workbook` lays out.
fn workbook_xml(data: &[u8]) {
    let (sheet, strings) = split_pair(data);
    let files = [file("book.xlsx", &workbook_around(sheet, strings))];
    let _ = read_and_check(&files, &ReadOptions::default());
    let _ = read_and_check(&files, &ReadOptions { sheet: Some("Ark2".into()) });
}

/// An XLSX file whose first sheet is `sheet` (worksheet XML) and whose shared strings are `strings`.
pub fn workbook_around(sheet: &[u8], strings: &[u8]) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/><sheet name="Ark2" sheetId="2" r:id="rId2"/></sheets></workbook>"#
    );
    let relations = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    let second = format!(
        r#"<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
    );
    let package = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    stored_zip(&[
        ("_rels/.rels", package.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", relations.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/worksheets/sheet2.xml", second.as_bytes()),
        ("xl/sharedStrings.xml", strings),
    ])
}

/// A ZIP archive of uncompressed entries (the format's "stored" method), enough for calamine to open.
pub fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in entries {
        let (offset, crc, size) = (out.len() as u32, crc32(data), data.len() as u32);
        // Local header: signature, version 2.0, no flags, stored, no time, CRC, sizes, name length, no extra.
        let mut fixed = Vec::with_capacity(46);
        fixed.extend_from_slice(&20u16.to_le_bytes());
        fixed.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
        fixed.extend_from_slice(&crc.to_le_bytes());
        fixed.extend_from_slice(&size.to_le_bytes());
        fixed.extend_from_slice(&size.to_le_bytes());
        fixed.extend_from_slice(&(name.len() as u16).to_le_bytes());
        fixed.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&fixed);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory entry: the same fields after "version made by", then comment length, disk, internal
        // and external attributes (10 bytes), offset.
        directory.extend_from_slice(b"PK\x01\x02");
        directory.extend_from_slice(&20u16.to_le_bytes());
        directory.extend_from_slice(&fixed);
        directory.extend_from_slice(&[0; 10]);
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let (start, length, count) = (out.len() as u32, directory.len() as u32, entries.len() as u16);
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// CRC-32 (IEEE, reflected), which ZIP readers check against each entry.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Cuts `data` in two: the first four bytes (little-endian) say where, modulo the length of the rest.
pub fn split_pair(data: &[u8]) -> (&[u8], &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<4>() else { return (data, &[]) };
    let at = u32::from_le_bytes(*head) as usize % (rest.len() + 1);
    rest.split_at(at)
}

/// The Embedding Projector pair, in both upload orders.
fn projector_pair(data: &[u8]) {
    let (vectors, metadata) = split_pair(data);
    let pair = [file("vectors.tsv", vectors), file("metadata.tsv", metadata)];
    let _ = read_and_check(&pair, &ReadOptions::default());
    let swapped = [pair[1].clone(), pair[0].clone()];
    let _ = read_and_check(&swapped, &ReadOptions::default());
}

/// A Polis export: comments and the participants' vote matrix.
fn polis_pair(data: &[u8]) {
    let (comments, votes) = split_pair(data);
    let pair = [file("comments.csv", comments), file("participants-votes.csv", votes)];
    if let Ok(dataset) = read_and_check(&pair, &ReadOptions::default()) {
        if let Some(votes) = &dataset.votes {
            // The conflict lens matches votes to rows through this; it must cope with whatever was read.
            let _ = votes.for_rows(&dataset.columns, &dataset.rows);
        }
    }
}

/// Names a file can arrive with: every extension the reader knows, odd cases, and none at all (content sniffing).
const NAMES: &[&str] = &[
    "a.csv",
    "b.tsv",
    "c.txt",
    "d.tab",
    "e.json",
    "f.jsonl",
    "g.ndjson",
    "h.npy",
    "i.xlsx",
    "j.xlsm",
    "K.CSV",
    "noextension",
    "vectors.tsv",
    "metadata.tsv",
    "comments.csv",
    "participants-votes.csv",
];

/// Up to four files of chosen names: per file one byte picks the name and two bytes (little-endian) the length;
/// the last file takes what is left. A leading byte picks the sheet option.
pub fn split_files(data: &[u8]) -> (Vec<InputFile>, ReadOptions) {
    let (choice, mut rest) = data.split_first().map_or((0, data), |(first, rest)| (*first, rest));
    let sheet = match choice % 4 {
        0 | 1 => None,
        2 => Some("Sheet1".to_owned()),
        _ => Some(String::from_utf8_lossy(&rest[..rest.len().min(8)]).into_owned()),
    };
    let mut files = Vec::new();
    while files.len() < 4 {
        let Some((&[pick, low, high], after)) = rest.split_first_chunk::<3>() else { break };
        let name = NAMES[pick as usize % NAMES.len()];
        let length = u16::from_le_bytes([low, high]) as usize;
        let last = files.len() == 3 || length >= after.len();
        let (bytes, next) = if last { (after, &[][..]) } else { after.split_at(length) };
        files.push(file(name, bytes));
        rest = next;
        if last {
            break;
        }
    }
    (files, ReadOptions { sheet })
}

fn any_files(data: &[u8]) {
    let (files, options) = split_files(data);
    let result = read_files(&files, &options);
    if files.is_empty() {
        assert!(matches!(result, Err(InputError::NoFiles)), "no files must be refused as such");
        return;
    }
    drop(result);
    let _ = read_and_check(&files, &options);
}

/// Loads a project; one that loads must save, load again and save to the same text (nothing drifts or is lost
/// between sessions), and must give a curator (the first thing the app does with it).
fn project_file(data: &[u8]) {
    let _ = project::looks_like_project(data);
    let text = String::from_utf8_lossy(data);
    let Ok(loaded) = project::load(&text) else { return };
    // What the app shows and allows right after opening: the cluster list and cards, the edit log, undo and redo
    // of the saved history.
    let mut curator = loaded.curator();
    let show = |curator: &vejkort_engine::curation::Curator| {
        for summary in curator.state().summaries() {
            let _ = curator.card(summary.id);
        }
        let _ = curator.log().count();
    };
    show(&curator);
    while curator.undo().is_some() {}
    show(&curator);
    while curator.redo().is_some() {}
    show(&curator);
    let saved = project::save(&loaded);
    let again = match project::load(&saved) {
        Ok(again) => again,
        Err(error) => panic!("a project that loaded does not load after saving: {error}"),
    };
    assert!(project::looks_like_project(saved.as_bytes()), "a saved project is not recognised as one");
    assert_eq!(project::save(&again), saved, "save → load → save changed the project");
}

/// The published bundle: its file list (read back when a bundle is opened) and the page written around a title.
fn publish_bundle(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(files) = publish::manifest_files(&text) {
        for path in files {
            assert!(
                !path.starts_with('/') && !path.contains('\\') && !path.split('/').any(|part| part == ".."),
                "the manifest let through {path:?}"
            );
        }
    }
    let folder = publish::folder_name(&text);
    assert!(folder.starts_with("vejkort-") && !folder.contains(['/', '\\', '.']), "folder name {folder:?}");
    let html = publish::index_html(&text);
    assert!(!html.to_ascii_lowercase().contains("<script"), "a title put a script into the published page");
    let _ = publish::readme(&text);
}

/// The words labels and TF-IDF are built from, in each language's labeller.
fn text_tokens(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let tokens: Vec<String> = text::tokens(&text).collect();
    for token in &tokens {
        assert!(token.chars().filter(|c| c.is_alphabetic()).count() >= 2, "token {token:?} has under two letters");
        assert!(!token.chars().any(char::is_whitespace), "token {token:?} holds whitespace");
    }
    let words: Vec<String> = text::words(&text).collect();
    let expected: Vec<&String> = tokens.iter().filter(|token| !text::is_stop_word(token)).collect();
    assert_eq!(words.iter().collect::<Vec<_>>(), expected, "words are not the tokens less the stop words");
    let options = LabelOptions {
        extra_stop_words: text.split_whitespace().take(3).map(str::to_owned).collect(),
        ..LabelOptions::default()
    };
    for language in [Language::Danish, Language::English, Language::Mixed] {
        let terms = Labeller::new(language, &options).terms(&text);
        assert!(terms.len() <= tokens.len(), "more terms than tokens");
    }
    let lines: Vec<&str> = text.lines().collect();
    let _ = detect(lines.iter().copied());
    let documents: Vec<Vec<String>> = lines.iter().map(|line| text::words(line).collect()).collect();
    let model = tfidf::tfidf(&documents);
    assert_eq!(model.matrix.n_rows(), documents.len(), "one TF-IDF row per document");
    assert!(model.matrix.values.iter().all(|x| x.is_finite()), "a non-finite TF-IDF weight");
}
