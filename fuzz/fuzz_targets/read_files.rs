//! libFuzzer entry for the `read_files` check; what it asserts is in `fuzz/src/engine_checks.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vejkort_fuzz::engine_checks::run("read_files", data);
});
