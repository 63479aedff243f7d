//! Tests of curation.
