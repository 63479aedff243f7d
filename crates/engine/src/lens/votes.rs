//! Votes on statements by members of opinion groups, as deliberation tools such as Polis collect them.
//!
//! They are kept per statement (not per voter: the lenses need only the tallies, and a project file stays small
//! and holds nobody's individual votes) and matched to map points through a key column (Polis: `comment-id`),
//! so they survive every reordering and filtering the pipeline does.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// How one set of voters voted on one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub agree: u32,
    pub disagree: u32,
    /// Seen and passed: counts as a vote (Polis shows it as one) but neither agrees nor disagrees.
    pub pass: u32,
}

impl Tally {
    pub fn total(&self) -> u32 {
        self.agree + self.disagree + self.pass
    }

    pub fn add(&mut self, other: &Tally) {
        self.agree += other.agree;
        self.disagree += other.disagree;
        self.pass += other.pass;
    }

    /// Polis's agree rate, (agree + 1) / (votes + 2): Laplace's rule of succession, so a statement two people saw
    /// is not "100 % agreed". This is the rate Polis's `comment_group_stats` reports per group.
    pub fn agree_rate(&self) -> f64 {
        (f64::from(self.agree) + 1.0) / (f64::from(self.total()) + 2.0)
    }
}

/// The votes of one statement.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatementVotes {
    /// The statement's value in [`Votes::key_column`].
    pub key: String,
    /// One tally per opinion group, in the order of [`Votes::groups`].
    pub groups: Vec<Tally>,
    /// Everyone's votes, including voters in no opinion group.
    pub all: Tally,
}

/// The votes that came with the data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Votes {
    /// The data column whose values name statements in [`StatementVotes::key`].
    pub key_column: String,
    /// The opinion groups' names as the source gives them (Polis numbers them from 0).
    pub groups: Vec<String>,
    pub statements: Vec<StatementVotes>,
}

impl Votes {
    /// The votes of each row, matched by the key column; `None` for rows without votes (or all of them when the
    /// data has no key column).
    pub fn for_rows<'a>(&'a self, columns: &[String], rows: &[Vec<String>]) -> Vec<Option<&'a StatementVotes>> {
        let Some(key) = columns.iter().position(|column| *column == self.key_column) else {
            return vec![None; rows.len()];
        };
        let by_key: HashMap<&str, &StatementVotes> =
            self.statements.iter().map(|statement| (statement.key.as_str(), statement)).collect();
        rows.iter().map(|row| row.get(key).and_then(|cell| by_key.get(cell.trim()).copied())).collect()
    }
}
