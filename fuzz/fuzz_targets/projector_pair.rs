//! libFuzzer entry for the `projector_pair` check; what it asserts is in `fuzz/src/engine_checks.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vejkort_fuzz::engine_checks::run("projector_pair", data);
});
