//! Every input that ever crashed a tokenizer fuzz target (`make fuzz`), and a few nasty hand-made texts,
//! replayed through the very checks the fuzzer runs (`fuzz/src/embed_checks.rs`, included below); the fuzzers'
//! seed texts (`fuzz/seeds/`) too. With the model file and the MiniLM fixture absent, the checks run on small
//! stand-in vocabularies (and say so), so this never silently skips.
//!
//! Inputs live in `tests/fuzz_regressions/<target>/`, one file each, named for what they do.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../../../fuzz/src/embed_checks.rs"]
mod embed_checks;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

fn replay(folder: &Path) -> (usize, Vec<String>) {
    let mut ran = 0;
    let mut failures = Vec::new();
    for &target in embed_checks::TARGETS {
        let check = |bytes: &[u8]| embed_checks::run(target, bytes);
        failures.extend(replay::replay_folder(&folder.join(target), |_| false, check, &mut ran));
    }
    (ran, failures)
}

#[test]
fn every_text_that_once_crashed_a_tokenizer_fuzzer_is_now_handled() {
    let (ran, failures) = replay(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions"));
    assert!(ran >= 4, "only {ran} saved inputs were found");
    assert!(failures.is_empty(), "{} inputs fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_tokenizer_fuzzers_seeds_pass_the_same_checks() {
    let (ran, failures) = replay(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds"));
    assert!(ran >= 4, "only {ran} seeds were found");
    assert!(failures.is_empty(), "{} seeds fail:\n{}", failures.len(), failures.join("\n"));
}
