//! The real model file through the public API: damaged files, truncation, progress and cancellation, and a
//! cross-lingual sanity check of what the vectors mean. Needs `public/models/e5-small-q4.bin`
//! (`scripts/fetch-model.sh`).
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use std::path::PathBuf;

use vejkort_embed::{Cancelled, Model, ModelError, Prefix};

fn model_bytes() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../public/models/e5-small-q4.bin");
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{} is missing ({e}): run scripts/fetch-model.sh first", path.display()))
}

#[test]
fn truncated_and_damaged_files_are_errors_not_panics() {
    let bytes = model_bytes();
    // Cuts inside the header, the vocabulary, the normalisation map, the tensor directory and the weights.
    for cut in [0, 3, 8, 30, 60, 1_000, 2_000_000, 4_600_000, 4_632_330, 4_638_000, 40_000_000, bytes.len() - 1] {
        let result = Model::from_bytes(bytes[..cut].to_vec());
        assert!(result.is_err(), "a file cut at {cut} bytes was accepted");
    }
    let mut foreign = bytes.clone();
    foreign[..4].copy_from_slice(b"GGUF");
    assert_eq!(Model::from_bytes(foreign).err(), Some(ModelError::BadMagic));
    let mut wrong_heads = bytes.clone();
    wrong_heads[16..20].copy_from_slice(&5i32.to_le_bytes());
    assert!(matches!(Model::from_bytes(wrong_heads).err(), Some(ModelError::Inconsistent(_))));
}

#[test]
fn long_texts_are_truncated_to_512_tokens() {
    let model = Model::from_bytes(model_bytes()).expect("model");
    assert_eq!(model.max_tokens(), 512);
    let unit = model.tokenize("hund og kat");
    let unit_content = &unit[1..unit.len() - 1];
    let long = model.tokenize(&"hund og kat ".repeat(400));
    assert_eq!(long.len(), 512);
    assert_eq!((long[0], long[511]), (unit[0], unit[unit.len() - 1]));
    // The kept pieces are the text's first 510, i.e. the repeated pieces of one unit.
    for (i, &id) in long[1..511].iter().enumerate() {
        assert_eq!(id, unit_content[i % unit_content.len()], "piece {i}");
    }
    let vectors = model.embed(&[&"hund og kat ".repeat(400)], Prefix::Query, &mut |_, _| Ok(())).expect("embeds");
    assert_eq!(vectors.len(), model.dim());
    assert!(vectors.iter().all(|x| x.is_finite()));
}

#[test]
fn progress_is_reported_and_cancellation_stops() {
    let mut model = Model::from_bytes(model_bytes()).expect("model");
    model.set_batch_tokens(100);
    assert_eq!(model.embed(&[], Prefix::Query, &mut |_, _| Ok(())).expect("empty"), Vec::<f32>::new());

    let texts: Vec<String> = (0..60).map(|i| format!("udsagn nummer {i} om ældreplejen og busserne")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut seen = Vec::new();
    model
        .embed(&refs, Prefix::Passage, &mut |done, total| {
            seen.push((done, total));
            Ok(())
        })
        .expect("not cancelled");
    assert_eq!(seen.first(), Some(&(0, 60)));
    assert_eq!(seen.last(), Some(&(60, 60)));
    assert!(seen.len() >= 3, "60 texts of ~15 tokens in batches of 100 tokens: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));

    let mut calls = 0;
    let result = model.embed(&refs, Prefix::Query, &mut |_, _| {
        calls += 1;
        if calls == 2 {
            Err(Cancelled)
        } else {
            Ok(())
        }
    });
    assert_eq!(result, Err(Cancelled));
    assert_eq!(calls, 2);
}

#[test]
fn translations_are_closer_than_unrelated_statements() {
    let model = Model::from_bytes(model_bytes()).expect("model");
    let texts = [
        "Vi kan ikke skaffe sygeplejersker nok til hjemmeplejen.",
        "We cannot hire enough nurses for home care.",
        "Busserne kører for sjældent om aftenen.",
        "The buses run too rarely in the evening.",
    ];
    let v = model.embed(&texts, Prefix::Query, &mut |_, _| Ok(())).expect("embeds");
    let dim = model.dim();
    let cos =
        |a: usize, b: usize| -> f32 { v[a * dim..][..dim].iter().zip(&v[b * dim..][..dim]).map(|(x, y)| x * y).sum() };
    assert!(cos(0, 1) > cos(0, 3) + 0.05, "nurses: {} vs {}", cos(0, 1), cos(0, 3));
    assert!(cos(2, 3) > cos(2, 1) + 0.05, "buses: {} vs {}", cos(2, 3), cos(2, 1));
    // Query and passage prefixes give different, but related, vectors.
    let passage = model.embed(&texts[..1], Prefix::Passage, &mut |_, _| Ok(())).expect("embeds");
    let same: f32 = passage.iter().zip(&v[..dim]).map(|(x, y)| x * y).sum();
    assert!(same > 0.8 && same < 0.9999, "query vs passage prefix: {same}");
}

#[test]
fn a_pruned_file_gives_the_same_ids_and_vectors_for_covered_texts() {
    let bytes = model_bytes();
    let model = Model::from_bytes(bytes.clone()).expect("model");
    let texts =
        ["Ældreplejen mangler hænder.", "query: The buses run too rarely.", "query: Ældreplejen mangler hænder."];
    let used: std::collections::BTreeSet<u32> = texts.iter().flat_map(|t| model.tokenize(t)).collect();
    let pruned_bytes = vejkort_embed::format::prune(&bytes, &|id| used.contains(&id)).expect("prunes");
    assert!(pruned_bytes.len() < bytes.len() / 3, "pruned file is {} bytes", pruned_bytes.len());
    let pruned = Model::from_bytes(pruned_bytes).expect("pruned file parses");
    assert_eq!(pruned.vocabulary_size(), used.len() + 2, "used pieces plus <pad> and <unk>");
    for text in texts {
        assert_eq!(pruned.tokenize(text), model.tokenize(text), "{text}");
    }
    let plain = ["Ældreplejen mangler hænder.", "The buses run too rarely."];
    let a = model.embed(&plain, Prefix::Query, &mut |_, _| Ok(())).expect("embeds");
    let b = pruned.embed(&plain, Prefix::Query, &mut |_, _| Ok(())).expect("embeds");
    assert_eq!(a, b);
    // A text the kept pieces do not cover falls back to <unk> and still embeds.
    assert!(pruned.tokenize("xyzzy").contains(&3));
}
