//! libFuzzer entry for the `workbook` check; what it asserts is in `fuzz/src/engine_checks.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vejkort_fuzz::engine_checks::run("workbook", data);
});
