//! Lenses: ways of reading a finished map beyond "what is said where", after the seed study's model of
//! *scale* (how many stand behind a cluster) and *conflict* (how far opinion groups part over it).
//!
//! Both work on a map's points as they are (the machine's clusters or a curated copy) and return plain numbers
//! per cluster, so the UI can chart them and colour the map without knowing how they were computed:
//!
//! - [`scale`]: statements per cluster and the share of respondents and of groups who contributed;
//! - [`conflict`]: with votes (a Polis export, [`Votes`]), per statement and per cluster how differently the
//!   opinion groups agree, and Polis's group-informed consensus; without votes, how unevenly a cluster is
//!   spread over the values of a group column.

pub mod conflict;
pub mod scale;
mod votes;

pub use votes::{StatementVotes, Tally, Votes};
