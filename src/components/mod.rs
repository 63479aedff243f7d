//! The UI's components, one per file.

pub mod card;
pub mod columns;
pub mod legend;
pub mod history;
pub mod map;
pub mod method;
pub mod notices;
pub mod progress;
pub mod toolbar;
pub mod ways;
