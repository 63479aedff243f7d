//! libFuzzer entry for the `model_file` check; what it asserts is in `fuzz/src/embed_checks.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vejkort_fuzz::embed_checks::run("model_file", data);
});
