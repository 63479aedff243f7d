//! The UI's components, one per file.

pub mod axis;
pub mod columns;
pub mod legend;
pub mod map;
pub mod method;
pub mod notices;
pub mod progress;
pub mod toolbar;
pub mod ways;
