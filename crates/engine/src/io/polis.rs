//! The Polis export: `comments.csv` (one row per statement) together with `participants-votes.csv` (one row per
//! participant: its opinion group and a vote on each statement in a column named by the statement's
//! `comment-id`).
//!
//! Recognised by headers, not file names, because people rename downloads: a table with `comment-id` and
//! `comment-body` plus a table with `participant` and `group-id`, uploaded together. The comments become the
//! statements; rejected ones (`moderated` = −1) are left out with a warning, since Polis never showed them to
//! voters, while unmoderated ones (0) stay because conversations without strict moderation show them. The vote
//! matrix is read raw (its many numeric columns are votes, not an embedding) and folded into per-statement
//! tallies per opinion group ([`Votes`]); participants Polis put in no group still count in a statement's total.
//! Votes are 1 (agree), −1 (disagree), 0 (pass) or empty (not seen).

use std::collections::{HashMap, HashSet};

use super::{decode_text_noting, delimited, InputFile};
use crate::dataset::Dataset;
use crate::error::{InputError, Warning};
use crate::lens::{StatementVotes, Tally, Votes};

const KEY: &str = "comment-id";
const BODY: &str = "comment-body";
const MODERATED: &str = "moderated";
const PARTICIPANT: &str = "participant";
const GROUP: &str = "group-id";

/// Which of the uploaded files are a Polis pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pair {
    pub comments: usize,
    pub votes: usize,
}

/// The header cells of a text file, if it is delimited text with a header; only the start is looked at.
fn header(file: &InputFile) -> Option<Vec<String>> {
    let start = &file.bytes[..file.bytes.len().min(64 * 1024)];
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    let line_end = start.iter().position(|&byte| byte == b'\n').unwrap_or(start.len());
    let line = std::str::from_utf8(&start[..line_end]).ok()?;
    let delimiter = delimited::sniff_delimiter(line);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).from_reader(line.as_bytes());
    let record = reader.records().next()?.ok()?;
    Some(record.iter().map(|cell| cell.trim().to_owned()).collect())
}

/// Finds a comments file and a votes file among the uploads.
pub(super) fn find_pair(files: &[InputFile]) -> Option<Pair> {
    let headers: Vec<Option<Vec<String>>> = files.iter().map(header).collect();
    let has = |index: usize, names: &[&str]| {
        headers[index].as_ref().is_some_and(|header| names.iter().all(|name| header.iter().any(|cell| cell == name)))
    };
    let comments = (0..files.len()).find(|&index| has(index, &[KEY, BODY]))?;
    let votes = (0..files.len()).find(|&index| index != comments && has(index, &[PARTICIPANT, GROUP]))?;
    Some(Pair { comments, votes })
}

/// Leaves out rejected comments and attaches the votes of `votes_file` to the data read from the comments.
pub(super) fn attach(dataset: &mut Dataset, comments_file: &str, votes_file: &InputFile) -> Result<(), InputError> {
    let key = dataset.column_index(KEY).ok_or_else(|| InputError::Malformed {
        file: comments_file.to_owned(),
        detail: format!("expected a \"{KEY}\" column next to the votes in {}", votes_file.name),
    })?;
    if let (Some(moderated), None) = (dataset.column_index(MODERATED), &dataset.vectors) {
        let before = dataset.rows.len();
        dataset.rows.retain(|row| row[moderated].trim() != "-1");
        let rejected = before - dataset.rows.len();
        if rejected > 0 {
            dataset.warnings.push(Warning::RejectedComments { file: comments_file.to_owned(), count: rejected });
        }
    }
    let kept: HashSet<&str> = dataset.rows.iter().map(|row| row[key].trim()).collect();
    dataset.votes = Some(read_votes(votes_file, &kept)?);
    Ok(())
}

/// Folds the vote matrix into tallies per statement (of those in `statements`) and opinion group.
fn read_votes(file: &InputFile, statements: &HashSet<&str>) -> Result<Votes, InputError> {
    let name = file.name.as_str();
    let (text, _) = decode_text_noting(name, &file.bytes)?;
    let raw = delimited::read_rows(name, &text)?;
    let column = |wanted: &str| raw.header.iter().position(|cell| cell.trim() == wanted);
    let group_column = column(GROUP).ok_or_else(|| InputError::Malformed {
        file: name.to_owned(),
        detail: format!("expected a \"{GROUP}\" column"),
    })?;
    let vote_columns: Vec<usize> =
        (0..raw.header.len()).filter(|&index| statements.contains(raw.header[index].trim())).collect();
    if vote_columns.is_empty() {
        return Err(InputError::Malformed {
            file: name.to_owned(),
            detail: format!("no column is named by a {KEY} of the comments; expected one vote column per comment"),
        });
    }

    let mut group_names: Vec<String> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    let mut everyone = vec![Tally::default(); vote_columns.len()];
    // by_group[statement][group], grown as groups appear.
    let mut by_group: Vec<Vec<Tally>> = vec![Vec::new(); vote_columns.len()];
    for (record, line) in &raw.rows {
        let group = match record.get(group_column).map(str::trim).unwrap_or("") {
            "" => None,
            value => Some(*group_of.entry(value.to_owned()).or_insert_with(|| {
                group_names.push(value.to_owned());
                group_names.len() - 1
            })),
        };
        for (statement, &index) in vote_columns.iter().enumerate() {
            let cell = record.get(index).map(str::trim).unwrap_or("");
            let count: fn(&mut Tally) = match cell {
                "" => continue,
                "1" => |tally| tally.agree += 1,
                "-1" => |tally| tally.disagree += 1,
                "0" => |tally| tally.pass += 1,
                _ => {
                    return Err(InputError::BadVote {
                        file: name.to_owned(),
                        row: *line,
                        column: raw.header[index].clone(),
                        value: cell.to_owned(),
                    })
                }
            };
            count(&mut everyone[statement]);
            if let Some(group) = group {
                let tallies = &mut by_group[statement];
                if tallies.len() <= group {
                    tallies.resize(group + 1, Tally::default());
                }
                count(&mut tallies[group]);
            }
        }
    }

    // Polis numbers its groups; list them in that order whatever order participants came in.
    let mut order: Vec<usize> = (0..group_names.len()).collect();
    order.sort_by(|&a, &b| match (group_names[a].parse::<i64>(), group_names[b].parse::<i64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => group_names[a].cmp(&group_names[b]),
    });
    let statements = vote_columns
        .iter()
        .enumerate()
        .map(|(statement, &index)| StatementVotes {
            key: raw.header[index].trim().to_owned(),
            groups: order.iter().map(|&group| by_group[statement].get(group).copied().unwrap_or_default()).collect(),
            all: everyone[statement],
        })
        .collect();
    Ok(Votes {
        key_column: KEY.to_owned(),
        groups: order.iter().map(|&group| group_names[group].clone()).collect(),
        statements,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::io::{read_files, ReadOptions};

    fn file(name: &str, text: &str) -> InputFile {
        InputFile { name: name.into(), bytes: text.as_bytes().to_vec() }
    }

    const COMMENTS: &str = "timestamp,comment-id,author-id,agrees,disagrees,moderated,comment-body\n\
        1,0,5,2,1,1,More buses to the villages\n\
        2,1,6,0,3,-1,Spam spam spam\n\
        3,2,5,1,1,0,\"Keep the library open, please\"\n";
    // Participants 10 and 11 in group 1, 12 in group 0, 13 in no group; votes on comments 0, 1 and 2.
    const VOTES: &str = "participant,group-id,n-comments,n-votes,0,1,2\n\
        10,1,1,3,1,-1,0\n\
        11,1,0,2,1,,-1\n\
        12,0,1,2,-1,1,\n\
        13,,0,1,1,,\n";

    #[test]
    fn the_pair_becomes_statements_with_votes_per_opinion_group() {
        // Uploaded in either order, under any names.
        let files = [file("votes.csv", VOTES), file("export.csv", COMMENTS)];
        let data = read_files(&files, &ReadOptions::default()).unwrap();
        let body = data.column_index("comment-body").unwrap();
        let texts: Vec<&str> = data.rows.iter().map(|row| row[body].as_str()).collect();
        assert_eq!(texts, ["More buses to the villages", "Keep the library open, please"]);
        assert_eq!(data.warnings, [Warning::RejectedComments { file: "export.csv".into(), count: 1 }]);
        assert!(!data.columns.iter().any(|column| column == "file"), "the votes are not a second table");

        let votes = data.votes.unwrap();
        assert_eq!(votes.key_column, "comment-id");
        assert_eq!(votes.groups, ["0", "1"], "groups in Polis's order, not in order of appearance");
        let keys: Vec<&str> = votes.statements.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["0", "2"], "the rejected comment's votes are not kept");
        let tally = |agree, disagree, pass| Tally { agree, disagree, pass };
        assert_eq!(votes.statements[0].groups, [tally(0, 1, 0), tally(2, 0, 0)]);
        assert_eq!(votes.statements[0].all, tally(3, 1, 0), "the ungrouped participant counts in the total");
        assert_eq!(votes.statements[1].groups, [tally(0, 0, 0), tally(0, 1, 1)]);
    }

    #[test]
    fn comments_alone_are_read_as_a_plain_table() {
        let data = read_files(&[file("comments.csv", COMMENTS)], &ReadOptions::default()).unwrap();
        assert_eq!(data.rows.len(), 3);
        assert!(data.votes.is_none());
    }

    #[test]
    fn a_bad_vote_names_the_file_row_and_comment() {
        let votes = VOTES.replace("12,0,1,2,-1,1,", "12,0,1,2,-1,1,yes");
        let files = [file("comments.csv", COMMENTS), file("participants-votes.csv", &votes)];
        let error = read_files(&files, &ReadOptions::default()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "participants-votes.csv, row 4, column 2: expected a vote 1 (agree), -1 (disagree), 0 (pass) or nothing, \
             found \"yes\""
        );
    }

    #[test]
    fn votes_for_no_known_comment_are_an_error() {
        let votes = "participant,group-id,n-votes,70,71\n1,0,1,1,\n";
        let files = [file("comments.csv", COMMENTS), file("participants-votes.csv", votes)];
        let error = read_files(&files, &ReadOptions::default()).unwrap_err();
        assert!(error.to_string().starts_with("participants-votes.csv: no column is named by a comment-id"), "{error}");
    }
}
