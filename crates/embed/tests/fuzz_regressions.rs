//! Every input that ever crashed a tokenizer fuzz target (`make fuzz`), and a few nasty hand-made texts,
//! replayed through the very checks the fuzzer runs (`fuzz/src/embed_checks.rs`, included below); the fuzzers'
//! seed texts (`fuzz/seeds/`) too. With the model file and the MiniLM fixture absent, the checks run on small
//! stand-in vocabularies (and say so), so this never silently skips.
//!
//! Inputs live in `tests/fuzz_regressions/<target>/`, one file each, named for what they do.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../../../fuzz/src/embed_checks.rs"]
mod embed_checks;

fn replay(folder: &Path) -> (usize, Vec<String>) {
    let mut ran = 0;
    let mut failures = Vec::new();
    for &target in embed_checks::TARGETS {
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(folder.join(target))
            .map(|entries| entries.flatten().map(|entry| entry.path()).filter(|path| path.is_file()).collect())
            .unwrap_or_default();
        inputs.sort();
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap_or_else(|error| panic!("{}: {error}", input.display()));
            ran += 1;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| embed_checks::run(target, &bytes))) {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: {message}", input.display()));
            }
        }
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
