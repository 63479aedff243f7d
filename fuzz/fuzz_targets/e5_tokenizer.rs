//! libFuzzer entry for the `e5_tokenizer` check; what it asserts is in `fuzz/src/embed_checks.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vejkort_fuzz::embed_checks::run("e5_tokenizer", data);
});
