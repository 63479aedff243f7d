//! Replaying saved inputs through a fuzz target's checks in `cargo test`, shared by the engine's and the embed
//! crate's regression tests (each includes this file by path, like the checks themselves).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Runs every file of `folder` (sorted, skipping what `skip` names) through `check`, catching panics; adds to
/// `ran` and returns one line per file whose check panicked (what a check returns is its own business).
pub fn replay_folder<R>(
    folder: &Path,
    skip: impl Fn(&Path) -> bool,
    check: impl Fn(&[u8]) -> R,
    ran: &mut usize,
) -> Vec<String> {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.path()).filter(|path| path.is_file()).collect())
        .unwrap_or_default();
    inputs.sort();
    let mut failures = Vec::new();
    for input in inputs.into_iter().filter(|path| !skip(path)) {
        let bytes = std::fs::read(&input).unwrap_or_else(|error| panic!("{}: {error}", input.display()));
        *ran += 1;
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&bytes))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", input.display()));
        }
    }
    failures
}
