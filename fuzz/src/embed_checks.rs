//! What the tokenizer fuzz targets do with one input, as plain functions shared by libFuzzer
//! (`fuzz/fuzz_targets/`) and the replay of saved inputs (`crates/embed/tests/fuzz_regressions.rs`).
//!
//! Both tokenizers are checked against what the encoder relies on: every id has a row in the embeddings, the
//! specials wrap the text, the length limit holds, and truncation keeps the first pieces of the whole text (a
//! long statement must mean the same as its start, not something else).
//!
//! The real vocabularies are used when present: the e5 model file's (`public/models/e5-small-q4.bin`) and the
//! all-MiniLM-L6-v2 `tokenizer.json` (`target/fixtures/`). Without them a small hand-made vocabulary stands in, so
//! the replay still runs everywhere, on less.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use vejkort_embed::format::{self, VocabularyData};
use vejkort_embed::safetensors::SafeTensors;
use vejkort_embed::tokenizer::Tokenizer;
use vejkort_embed::wordpiece::{BertNormaliser, WordPiece};

/// The fuzz targets of the embedding crate, by the name of their directory of saved inputs.
pub const TARGETS: &[&str] = &["e5_tokenizer", "wordpiece", "safetensors", "model_file"];

/// Runs the check of `target` on `data`; false for an unknown target.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "e5_tokenizer" => e5_tokenizer(data),
        "wordpiece" => wordpiece(data),
        "safetensors" => safetensors(data),
        "model_file" => model_file(data),
        _ => return false,
    }
    true
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(if env!("CARGO_MANIFEST_DIR").ends_with("fuzz") {
        ".."
    } else {
        "../.."
    })
}

/// The e5 vocabulary, parsed once: reading it takes a second, a fuzz run calls the tokenizer millions of times.
pub fn e5() -> &'static Tokenizer {
    static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
    TOKENIZER.get_or_init(|| {
        let path = repository().join("public/models/e5-small-q4.bin");
        match std::fs::read(&path).ok().and_then(|bytes| format::parse(&bytes).ok()) {
            Some(parsed) => Tokenizer::new(parsed.vocabulary),
            None => {
                eprintln!("{} is missing or unreadable: checking a small stand-in vocabulary", path.display());
                let pieces =
                    ["<s>", "<pad>", "</s>", "<unk>", "▁", "a", "b", "ab", "▁ab", "▁a", "c", "æ", "ø", "å", "A"];
                let scores = [0.0, 0.0, 0.0, 0.0, -2.0, -3.0, -3.0, -4.5, -7.5, -3.0, -3.0, -4.0, -4.0, -4.0, -5.0];
                Tokenizer::new(VocabularyData {
                    pieces: pieces.iter().map(|piece| piece.to_string()).collect(),
                    scores: scores.to_vec(),
                    bos: 0,
                    eos: 2,
                    pad: 1,
                    unk: 3,
                    normalisation: vec![('\t', vec![' ']), ('\u{00ad}', vec![]), ('Ａ', vec!['A'])],
                })
            }
        }
    })
}

/// Text from any bytes, and a length limit from the first byte (2 to 65 tokens) besides the model's 512.
fn text_and_limit(data: &[u8]) -> (String, usize) {
    let limit = 2 + data.first().map_or(0, |byte| usize::from(byte % 64));
    (String::from_utf8_lossy(data).into_owned(), limit)
}

fn check_encoding(ids: &[u32], content: &[u32], before: &[u32], after: &[u32], max_len: usize, vocabulary: u32) {
    assert!(ids.iter().all(|&id| id < vocabulary), "an id outside the vocabulary of {vocabulary}: {ids:?}");
    assert!(content.iter().all(|&id| id < vocabulary), "a content id outside the vocabulary of {vocabulary}");
    assert!(ids.len() <= max_len.max(before.len() + after.len()), "{} ids for a limit of {max_len}", ids.len());
    assert!(ids.starts_with(before) && ids.ends_with(after), "the special tokens do not wrap the text: {ids:?}");
    let kept = &ids[before.len()..ids.len() - after.len()];
    assert!(content.starts_with(kept), "truncation changed the first pieces: {kept:?} is no prefix of the whole");
    let room = max_len.saturating_sub(before.len() + after.len());
    assert_eq!(kept.len(), content.len().min(room), "truncation dropped pieces that fit");
}

fn e5_tokenizer(data: &[u8]) {
    let tokenizer = e5();
    let (text, limit) = text_and_limit(data);
    let content = tokenizer.content_ids(&text);
    let vocabulary = tokenizer.piece_count() as u32;
    let (before, after) = ([tokenizer.bos], [tokenizer.eos]);
    for max_len in [512, limit] {
        let ids = tokenizer.encode(&text, max_len);
        check_encoding(&ids, &content, &before, &after, max_len, vocabulary);
    }
}

/// all-MiniLM-L6-v2's WordPiece, built from its `tokenizer.json` the way a user's model folder is read.
pub fn minilm() -> &'static WordPiece {
    static TOKENIZER: OnceLock<WordPiece> = OnceLock::new();
    TOKENIZER.get_or_init(|| {
        let path = repository().join("target/fixtures/all-MiniLM-L6-v2/tokenizer.json");
        let json: Option<serde_json::Value> =
            std::fs::read(&path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let vocabulary: Option<HashMap<String, u32>> = json.as_ref().and_then(|json| {
            json["model"]["vocab"]
                .as_object()?
                .iter()
                .map(|(piece, id)| Some((piece.clone(), u32::try_from(id.as_u64()?).ok()?)))
                .collect()
        });
        let uncased =
            BertNormaliser { clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true };
        let (vocabulary, normaliser) = match (vocabulary, json) {
            (Some(vocabulary), Some(json)) => {
                let normaliser = &json["normalizer"];
                let lowercase = normaliser["lowercase"].as_bool().unwrap_or(true);
                let normaliser = BertNormaliser {
                    clean_text: normaliser["clean_text"].as_bool().unwrap_or(true),
                    handle_chinese_chars: normaliser["handle_chinese_chars"].as_bool().unwrap_or(true),
                    // BERT's rule: accents follow lowercasing unless set.
                    strip_accents: normaliser["strip_accents"].as_bool().unwrap_or(lowercase),
                    lowercase,
                };
                (vocabulary, normaliser)
            }
            _ => {
                eprintln!("{} is missing or unreadable: checking a small stand-in vocabulary", path.display());
                let pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "ab", "##a", "##b", "##ab", "æ", ",", "!"];
                let vocabulary = pieces.iter().enumerate().map(|(id, piece)| (piece.to_string(), id as u32)).collect();
                (vocabulary, uncased)
            }
        };
        let id = |piece: &str| vocabulary.get(piece).copied().unwrap_or(0);
        let (unknown, cls, sep) = (id("[UNK]"), id("[CLS]"), id("[SEP]"));
        let mut tokenizer = WordPiece::new(vocabulary, unknown, "##".into(), 100, Some(normaliser));
        tokenizer.before = vec![cls];
        tokenizer.after = vec![sep];
        tokenizer
    })
}

fn wordpiece(data: &[u8]) {
    let tokenizer = minilm();
    let (text, limit) = text_and_limit(data);
    let content = tokenizer.content_ids(&text);
    let vocabulary = tokenizer.largest_id() + 1;
    for max_len in [512, limit] {
        let ids = tokenizer.encode(&text, max_len);
        check_encoding(&ids, &content, &tokenizer.before, &tokenizer.after, max_len, vocabulary);
    }
}

/// A user's own model weights (`model.safetensors`): every tensor the header lists must be readable, with as many
/// values as its shape says.
fn safetensors(data: &[u8]) {
    let Ok(file) = SafeTensors::parse(data) else { return };
    let names: Vec<String> = file.names().map(str::to_owned).collect();
    for name in names {
        if let Some((values, shape)) = file.f32(&name) {
            assert_eq!(values.len(), shape.iter().product::<usize>(), "tensor {name} of shape {shape:?}");
        }
    }
}

/// The model file (`e5-small-q4.bin`), as the worker reads it back from Cache Storage: a file that parses must give
/// a tokenizer whose ids have rows in the embeddings.
fn model_file(data: &[u8]) {
    let parsed = match format::parse(data) {
        Ok(parsed) => parsed,
        // "Needs N bytes, has M" must be true: a wrapped sum would tell the user the file is long enough.
        Err(format::ModelError::Truncated { needed, len, what }) => {
            assert!(needed > len as u64, "{what}: truncated, yet needs only {needed} of {len} bytes");
            return;
        }
        Err(_) => return,
    };
    let rows = parsed.word_embeddings.rows;
    let tokenizer = Tokenizer::new(parsed.vocabulary);
    assert!(tokenizer.piece_count() <= rows, "{} pieces for {rows} embedding rows", tokenizer.piece_count());
    let ids = tokenizer.encode("Hej verden, hello world ÆØÅ 🙂", 64);
    assert!(ids.iter().all(|&id| (id as usize) < tokenizer.piece_count()), "an id beyond the pieces: {ids:?}");
}
