//! The UI's components, one per file.

pub mod columns;
pub mod legend;
pub mod map;
pub mod method;
pub mod notices;
pub mod progress;
pub mod stopwords;
pub mod toolbar;
pub mod ways;
