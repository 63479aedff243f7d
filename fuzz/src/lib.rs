//! The fuzz targets' checks, kept apart from libFuzzer so the native regression tests can include the very same
//! files (`crates/engine/tests/fuzz_regressions.rs`, `crates/embed/tests/fuzz_regressions.rs`).

pub mod embed_checks;
pub mod engine_checks;
