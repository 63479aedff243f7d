//! The data set every analysis starts from: records with metadata cells, optional vectors, and the roles the
//! user (or a guess) gives to columns.
//!
//! Files of any format are read into one [`Dataset`] by [`crate::io`]; from then on nothing depends on where the
//! data came from.

use serde::{Deserialize, Serialize};

use crate::error::{InputError, Warning};

/// Records read from the user's files. `rows[i][j]` is the cell of record `i` in column `columns[j]`; every row has
/// exactly `columns.len()` cells.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Dataset {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Vectors brought by the data (an embedding), one per record, if any.
    pub vectors: Option<Vectors>,
    /// Sheet names of each workbook read, so the UI can offer the others.
    pub workbooks: Vec<Workbook>,
    /// Things worth telling the user that did not stop the analysis (skipped empty lines, a header guessed).
    pub warnings: Vec<Warning>,
    /// Votes on the statements (a Polis export), for the conflict lens.
    #[serde(default)]
    pub votes: Option<crate::lens::Votes>,
}

/// A dense row-major matrix of `len() × dim` values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Vectors {
    pub dim: usize,
    pub values: Vec<f32>,
}

impl Vectors {
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.dim).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn row(&self, index: usize) -> &[f32] {
        &self.values[index * self.dim..(index + 1) * self.dim]
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Workbook {
    pub file: String,
    pub sheets: Vec<String>,
    pub chosen: String,
}

/// How the user wants a column role filled.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ColumnPick {
    /// Let Vejkort guess (the default).
    #[default]
    Auto,
    /// The user said there is no such column.
    Nothing,
    /// The user chose this column by name.
    Named(String),
}

/// The user's raw choices of column roles, as the UI holds them; [`Dataset::resolve_roles`] turns them into
/// [`ColumnRoles`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnChoice {
    pub text: ColumnPick,
    pub kind: ColumnPick,
    pub respondent: ColumnPick,
    pub group: ColumnPick,
}

/// Column indices with a meaning for the analysis, checked against the data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnRoles {
    /// The statements; the column with the longest mean text unless the user chose another.
    pub text: Option<usize>,
    /// What kind of statement a row is (cause, solution, …).
    pub kind: Option<usize>,
    pub respondent: Option<usize>,
    pub group: Option<usize>,
}

/// Lower-case column names that mark a role, checked in this order. Danish and English, plus the names used by
/// the survey and deliberation tools people export from (Polis calls respondents `author-id`).
const KIND_NAMES: &[&str] = &["kind", "type", "slags", "kategori", "category", "statement type", "svartype"];
const RESPONDENT_NAMES: &[&str] = &[
    "respondent",
    "respondent_id",
    "respondent id",
    "respondentid",
    "author-id",
    "author_id",
    "author",
    "participant",
    "participant_id",
    "pid",
    "deltager",
    "besvarelse",
    "response id",
    "responseid",
];
const GROUP_NAMES: &[&str] =
    &["group", "gruppe", "municipality", "kommune", "party", "parti", "region", "organisation", "organization"];

impl Dataset {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column == name)
    }

    /// True when every non-empty cell of the column parses as a number (ids, counts, timestamps).
    pub fn is_numeric_column(&self, column: usize) -> bool {
        let mut any = false;
        for row in &self.rows {
            let cell = row[column].trim();
            if cell.is_empty() {
                continue;
            }
            if cell.parse::<f64>().is_err() {
                return false;
            }
            any = true;
        }
        any
    }

    /// The string column whose cells are longest on average: in survey exports that is the free text.
    pub fn guess_text_column(&self) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for column in 0..self.columns.len() {
            if self.is_numeric_column(column) {
                continue;
            }
            let total: usize = self.rows.iter().map(|row| row[column].trim().chars().count()).sum();
            let mean = total as f64 / self.rows.len().max(1) as f64;
            if mean > 0.0 && best.is_none_or(|(_, best_mean)| mean > best_mean) {
                best = Some((column, mean));
            }
        }
        best.map(|(column, _)| column)
    }

    fn guess_by_name(&self, names: &[&str], taken: &[Option<usize>]) -> Option<usize> {
        names.iter().find_map(|wanted| {
            self.columns
                .iter()
                .position(|column| column.trim().to_lowercase() == *wanted)
                .filter(|index| !taken.contains(&Some(*index)))
        })
    }

    fn pick(&self, pick: &ColumnPick, guess: impl FnOnce() -> Option<usize>) -> Result<Option<usize>, InputError> {
        match pick {
            ColumnPick::Auto => Ok(guess()),
            ColumnPick::Nothing => Ok(None),
            ColumnPick::Named(name) => self
                .column_index(name)
                .map(Some)
                .ok_or_else(|| InputError::NoSuchColumn { column: name.clone(), available: self.columns.join(", ") }),
        }
    }

    /// Turns the user's choices into column indices, guessing where the user left it to Vejkort.
    pub fn resolve_roles(&self, choice: &ColumnChoice) -> Result<ColumnRoles, InputError> {
        let text = self.pick(&choice.text, || self.guess_text_column())?;
        let kind = self.pick(&choice.kind, || self.guess_by_name(KIND_NAMES, &[text]))?;
        let respondent = self.pick(&choice.respondent, || self.guess_by_name(RESPONDENT_NAMES, &[text, kind]))?;
        let group = self.pick(&choice.group, || self.guess_by_name(GROUP_NAMES, &[text, kind, respondent]))?;
        Ok(ColumnRoles { text, kind, respondent, group })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn polis_like() -> Dataset {
        Dataset {
            columns: vec!["comment-id".into(), "author-id".into(), "agrees".into(), "comment-body".into()],
            rows: vec![
                vec!["1".into(), "7".into(), "3".into(), "More bike lanes downtown".into()],
                vec!["2".into(), "9".into(), "0".into(), "Fix the potholes on the bypass before winter".into()],
            ],
            ..Dataset::default()
        }
    }

    #[test]
    fn text_column_is_the_string_column_with_the_longest_mean() {
        assert_eq!(polis_like().guess_text_column(), Some(3));
    }

    #[test]
    fn numeric_columns_are_never_the_text_even_when_long() {
        let data = Dataset {
            columns: vec!["timestamp".into(), "word".into()],
            rows: vec![vec!["1700000000000".into(), "ja".into()], vec!["1700000000001".into(), "nej".into()]],
            ..Dataset::default()
        };
        assert_eq!(data.guess_text_column(), Some(1));
    }

    #[test]
    fn roles_are_guessed_by_name_and_can_be_overridden() {
        let data = polis_like();
        let roles = data.resolve_roles(&ColumnChoice::default()).unwrap();
        assert_eq!(roles.text, Some(3));
        assert_eq!(roles.respondent, Some(1));
        assert_eq!(roles.kind, None);

        let choice = ColumnChoice {
            respondent: ColumnPick::Nothing,
            group: ColumnPick::Named("agrees".into()),
            ..ColumnChoice::default()
        };
        let roles = data.resolve_roles(&choice).unwrap();
        assert_eq!(roles.respondent, None);
        assert_eq!(roles.group, Some(2));
    }

    #[test]
    fn choosing_a_missing_column_names_the_ones_that_exist() {
        let choice = ColumnChoice { text: ColumnPick::Named("svar".into()), ..ColumnChoice::default() };
        let error = polis_like().resolve_roles(&choice).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no column named \"svar\"; the data has comment-id, author-id, agrees, comment-body"
        );
    }
}
