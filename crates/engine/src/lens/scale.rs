//! The scale lens: how much weight stands behind each cluster.
//!
//! A cluster of forty statements may be forty people or one person writing forty times; the seed study reads
//! scale as breadth of support, so besides the count of statements this reports the share of all respondents
//! and the share of all groups (municipalities, parties) with at least one statement in the cluster. Empty
//! cells name nobody and are not counted.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

/// The scale of one cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterScale {
    pub cluster: i32,
    pub statements: usize,
    /// Distinct respondents with a statement here; `None` without a respondent column.
    pub respondents: Option<usize>,
    /// `respondents` over all distinct respondents in the data, 0 to 1.
    pub respondent_share: Option<f64>,
    /// Distinct groups with a statement here; `None` without a group column.
    pub groups: Option<usize>,
    /// `groups` over all distinct groups in the data, 0 to 1.
    pub group_share: Option<f64>,
}

/// Where the map's data is: cells of each point, and each point's cluster (−1 for noise).
#[derive(Debug, Clone, Copy)]
pub struct Points<'a> {
    pub rows: &'a [Vec<String>],
    pub assignments: &'a [i32],
}

/// Distinct non-empty values of `column` among the points `keep` selects.
fn distinct<'a>(points: Points<'a>, column: usize, keep: impl Fn(usize) -> bool) -> HashSet<&'a str> {
    points
        .rows
        .iter()
        .enumerate()
        .filter(|&(point, _)| keep(point))
        .filter_map(|(_, row)| row.get(column).map(|cell| cell.trim()).filter(|cell| !cell.is_empty()))
        .collect()
}

/// The scale of each of `clusters` (noise, −1, may be among them).
pub fn scale(
    points: Points<'_>,
    clusters: &[i32],
    respondent: Option<usize>,
    group: Option<usize>,
) -> Vec<ClusterScale> {
    let everyone = respondent.map(|column| distinct(points, column, |_| true).len());
    let all_groups = group.map(|column| distinct(points, column, |_| true).len());
    let share = |part: usize, whole: usize| if whole == 0 { 0.0 } else { part as f64 / whole as f64 };
    clusters
        .iter()
        .map(|&cluster| {
            let member = |point: usize| points.assignments.get(point) == Some(&cluster);
            let statements = (0..points.rows.len()).filter(|&point| member(point)).count();
            let respondents = respondent.map(|column| distinct(points, column, member).len());
            let groups = group.map(|column| distinct(points, column, member).len());
            ClusterScale {
                cluster,
                statements,
                respondents,
                respondent_share: respondents.zip(everyone).map(|(part, whole)| share(part, whole)),
                groups,
                group_share: groups.zip(all_groups).map(|(part, whole)| share(part, whole)),
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rows(cells: &[(&str, &str)]) -> Vec<Vec<String>> {
        cells.iter().map(|(respondent, group)| vec![respondent.to_string(), group.to_string()]).collect()
    }

    #[test]
    fn counts_statements_distinct_respondents_and_groups() {
        // Respondents a, b, c, d in groups X, X, Y, Z; cluster 0 has a twice and c, cluster 1 has b and d.
        let rows = rows(&[("a", "X"), ("a", "X"), ("c", "Y"), ("b", "X"), ("d", "Z"), ("", "")]);
        let assignments = [0, 0, 0, 1, 1, -1];
        let points = Points { rows: &rows, assignments: &assignments };
        let scales = scale(points, &[0, 1, -1], Some(0), Some(1));
        assert_eq!(scales[0].statements, 3);
        assert_eq!(scales[0].respondents, Some(2));
        assert_eq!(scales[0].respondent_share, Some(0.5));
        assert_eq!(scales[0].groups, Some(2));
        assert!((scales[0].group_share.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!((scales[1].statements, scales[1].respondents, scales[1].groups), (2, Some(2), Some(2)));
        // The noise point's empty cells name nobody.
        assert_eq!((scales[2].statements, scales[2].respondents, scales[2].groups), (1, Some(0), Some(0)));
    }

    #[test]
    fn without_role_columns_only_statements_are_counted() {
        let rows = rows(&[("a", "X"), ("b", "Y")]);
        let points = Points { rows: &rows, assignments: &[0, 0] };
        let scales = scale(points, &[0, 7], None, None);
        assert_eq!(scales[0].statements, 2);
        assert_eq!(scales[0].respondent_share, None);
        assert_eq!(scales[0].group_share, None);
        assert_eq!(scales[1].statements, 0);
    }
}
