//! The UI's components, one per file.

pub mod card;
pub mod axis;
pub mod columns;
pub mod filters;
pub mod corners;
pub mod explorer;
pub mod legend;
pub mod lenses;
pub mod live;
pub mod history;
pub mod map;
pub mod method;
pub mod notices;
pub mod own_model;
pub mod point_card;
pub mod present;
pub mod progress;
pub mod projects;
pub mod search;
pub mod selection;
pub mod table;
pub mod stopwords;
pub mod toolbar;
pub mod tour;
pub mod ways;
