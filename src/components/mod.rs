//! The UI's components, one per file.

pub mod axis;
pub mod card;
pub mod columns;
pub mod corners;
pub mod explorer;
pub mod filters;
pub mod history;
pub mod legend;
pub mod lenses;
pub mod live;
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
pub mod stopwords;
pub mod table;
pub mod toolbar;
pub mod tour;
pub mod ways;
