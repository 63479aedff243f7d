//! The conflict lens: where opinion groups part ways, and where they meet.
//!
//! **With votes** (a Polis export) every statement gets, per opinion group, Polis's smoothed agree rate
//! (agree + 1) / (votes + 2) ([`Tally::agree_rate`]), its *gap* (the largest difference between two groups' agree
//! rates: Polis's `group_disagreement`) and its *group-informed consensus* (the product of the groups' agree
//! rates: high only when every group agrees). These reproduce Polis's own `comment_group_stats.csv` (tested
//! against it). A cluster's **divisiveness** is the mean gap of its voted statements: a cluster is divisive when
//! its statements divide, and averaging per statement keeps a cluster whose statements split the groups in
//! opposite directions (group A for one, group B for the other) from looking agreed, which pooling its votes
//! first would do. The pooled gap over all the cluster's votes is reported beside it. A cluster is **shared**
//! by its mean consensus.
//!
//! **Without votes**, a group column (party, municipality) stands in: a cluster is divisive when its statements
//! come from the groups in proportions unlike the whole data's, measured as the total variation distance
//! ½ Σ |p_cluster(g) − p_all(g)|. Against the whole data rather than against an even spread (normalised entropy)
//! because groups rarely write equally much: a cluster that mirrors a data set where one party wrote half the
//! statements is not a party's cluster. The distance reads directly as the share of the cluster's statements
//! that would have to come from other groups for it to mirror the data. Small clusters drift from the whole by
//! chance, so the UI shows their size beside it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::scale::Points;
use super::{StatementVotes, Tally, Votes};

/// A statement's conflict, from its votes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementConflict {
    /// Everyone's votes on it, voters outside any opinion group included.
    pub votes: u32,
    /// Per opinion group, Polis's smoothed agree rate.
    pub agree_rates: Vec<f64>,
    /// The largest difference between two groups' agree rates, 0 to 1.
    pub gap: f64,
    /// Polis's group-informed consensus: the product of the groups' agree rates, 0 to 1.
    pub consensus: f64,
}

/// The largest difference between two of `rates`; 0 with fewer than two.
fn widest_gap(rates: &[f64]) -> f64 {
    let highest = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lowest = rates.iter().copied().fold(f64::INFINITY, f64::min);
    if rates.len() < 2 {
        0.0
    } else {
        highest - lowest
    }
}

impl StatementConflict {
    pub fn of(votes: &StatementVotes) -> StatementConflict {
        let agree_rates: Vec<f64> = votes.groups.iter().map(Tally::agree_rate).collect();
        StatementConflict {
            votes: votes.all.total(),
            gap: widest_gap(&agree_rates),
            consensus: agree_rates.iter().product(),
            agree_rates,
        }
    }
}

/// What a cluster's conflict was measured from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ClusterMeasure {
    Votes {
        /// The cluster's statements that have votes.
        voted_statements: usize,
        votes: u32,
        /// Mean of the voted statements' gaps: the cluster's divisiveness.
        mean_gap: f64,
        /// The gap between the groups' agree rates over all the cluster's votes taken together.
        pooled_gap: f64,
        /// Per opinion group, the agree rate over all the cluster's votes.
        pooled_agree_rates: Vec<f64>,
        /// Mean of the voted statements' group-informed consensus.
        consensus: f64,
    },
    Spread {
        /// Total variation distance between the cluster's mix of groups and the whole data's, 0 to 1.
        distance: f64,
        /// The group most over-represented in the cluster, with its share there and in the whole data.
        over: Option<(String, f64, f64)>,
    },
}

/// The conflict of one cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterConflict {
    pub cluster: i32,
    pub statements: usize,
    /// 0 (groups agree / the cluster mirrors the data) to 1; what "most divisive" ranks by.
    pub divisiveness: f64,
    /// 0 to 1; what "most shared" ranks by: consensus with votes, 1 − distance without.
    pub shared: f64,
    pub measure: ClusterMeasure,
}

/// What the conflict lens was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Basis {
    /// Votes of these opinion groups.
    Votes { groups: Vec<String> },
    /// The spread over the values of this column.
    GroupColumn { column: String },
}

/// The conflict lens over a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub basis: Basis,
    /// One per cluster asked about that had something to measure (voted statements, or group cells).
    pub clusters: Vec<ClusterConflict>,
    /// Per point, the divisiveness to colour it by: its statement's gap with votes, its cluster's distance
    /// without; `None` for points with nothing to measure (no votes, noise).
    pub points: Vec<Option<f64>>,
}

impl Conflict {
    /// Clusters (noise aside) from most to least divisive; ties by id so the order is stable.
    pub fn most_divisive(&self) -> Vec<&ClusterConflict> {
        let mut ranked: Vec<&ClusterConflict> = self.clusters.iter().filter(|c| c.cluster >= 0).collect();
        ranked.sort_by(|a, b| b.divisiveness.total_cmp(&a.divisiveness).then(a.cluster.cmp(&b.cluster)));
        ranked
    }

    /// Clusters (noise aside) from most to least shared.
    pub fn most_shared(&self) -> Vec<&ClusterConflict> {
        let mut ranked: Vec<&ClusterConflict> = self.clusters.iter().filter(|c| c.cluster >= 0).collect();
        ranked.sort_by(|a, b| b.shared.total_cmp(&a.shared).then(a.cluster.cmp(&b.cluster)));
        ranked
    }
}

/// The conflict lens: from `votes` when given and any point has some, else from the `group` column; `None`
/// when there is neither.
pub fn conflict(
    points: Points<'_>,
    columns: &[String],
    clusters: &[i32],
    votes: Option<&Votes>,
    group: Option<usize>,
) -> Option<Conflict> {
    if let Some(votes) = votes {
        let matched = votes.for_rows(columns, points.rows);
        if matched.iter().any(Option::is_some) {
            return Some(from_votes(points, clusters, votes, &matched));
        }
    }
    let group = group?;
    Some(from_spread(points, clusters, group, columns.get(group).cloned().unwrap_or_default()))
}

fn from_votes(points: Points<'_>, clusters: &[i32], votes: &Votes, matched: &[Option<&StatementVotes>]) -> Conflict {
    let statements: Vec<Option<StatementConflict>> =
        matched.iter().map(|votes| votes.map(StatementConflict::of)).collect();
    let measured = clusters
        .iter()
        .filter_map(|&cluster| {
            let members: Vec<usize> =
                (0..points.rows.len()).filter(|&point| points.assignments.get(point) == Some(&cluster)).collect();
            let voted: Vec<usize> = members.iter().copied().filter(|&point| statements[point].is_some()).collect();
            if voted.is_empty() {
                return None;
            }
            let mut pooled = vec![Tally::default(); votes.groups.len()];
            let (mut gap_sum, mut consensus_sum, mut total) = (0.0, 0.0, 0);
            for &point in &voted {
                if let (Some(tallies), Some(conflict)) = (matched[point], &statements[point]) {
                    for (sum, tally) in pooled.iter_mut().zip(&tallies.groups) {
                        sum.add(tally);
                    }
                    gap_sum += conflict.gap;
                    consensus_sum += conflict.consensus;
                    total += conflict.votes;
                }
            }
            let pooled_agree_rates: Vec<f64> = pooled.iter().map(Tally::agree_rate).collect();
            let mean_gap = gap_sum / voted.len() as f64;
            let consensus = consensus_sum / voted.len() as f64;
            Some(ClusterConflict {
                cluster,
                statements: members.len(),
                divisiveness: mean_gap,
                shared: consensus,
                measure: ClusterMeasure::Votes {
                    voted_statements: voted.len(),
                    votes: total,
                    mean_gap,
                    pooled_gap: widest_gap(&pooled_agree_rates),
                    pooled_agree_rates,
                    consensus,
                },
            })
        })
        .collect();
    Conflict {
        basis: Basis::Votes { groups: votes.groups.clone() },
        clusters: measured,
        points: statements.iter().map(|statement| statement.as_ref().map(|s| s.gap)).collect(),
    }
}

/// Shares of each non-empty group value among the points `keep` selects, and how many such points there were.
fn group_shares<'a>(points: Points<'a>, group: usize, keep: impl Fn(usize) -> bool) -> (HashMap<&'a str, f64>, usize) {
    let mut counts: HashMap<&str, f64> = HashMap::new();
    let mut total = 0;
    for (point, row) in points.rows.iter().enumerate() {
        let Some(value) = row.get(group).map(|cell| cell.trim()).filter(|cell| !cell.is_empty()) else { continue };
        if keep(point) {
            *counts.entry(value).or_default() += 1.0;
            total += 1;
        }
    }
    counts.values_mut().for_each(|count| *count /= total.max(1) as f64);
    (counts, total)
}

fn from_spread(points: Points<'_>, clusters: &[i32], group: usize, column: String) -> Conflict {
    let (whole, _) = group_shares(points, group, |_| true);
    let measured: Vec<ClusterConflict> = clusters
        .iter()
        .filter_map(|&cluster| {
            let member = |point: usize| points.assignments.get(point) == Some(&cluster);
            let (shares, counted) = group_shares(points, group, member);
            if counted == 0 {
                return None;
            }
            let distance = 0.5
                * whole
                    .iter()
                    .map(|(value, &overall)| (shares.get(value).copied().unwrap_or(0.0) - overall).abs())
                    .sum::<f64>();
            let over = shares
                .iter()
                .map(|(&value, &share)| (value, share, whole.get(value).copied().unwrap_or(0.0)))
                .max_by(|a, b| (a.1 - a.2).total_cmp(&(b.1 - b.2)).then(b.0.cmp(a.0)))
                .map(|(value, share, overall)| (value.to_owned(), share, overall));
            Some(ClusterConflict {
                cluster,
                statements: (0..points.rows.len()).filter(|&point| member(point)).count(),
                divisiveness: distance,
                shared: 1.0 - distance,
                measure: ClusterMeasure::Spread { distance, over },
            })
        })
        .collect();
    let by_cluster: HashMap<i32, f64> =
        measured.iter().filter(|c| c.cluster >= 0).map(|c| (c.cluster, c.divisiveness)).collect();
    Conflict {
        basis: Basis::GroupColumn { column },
        points: points.assignments.iter().map(|cluster| by_cluster.get(cluster).copied()).collect(),
        clusters: measured,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn tally(agree: u32, disagree: u32, pass: u32) -> Tally {
        Tally { agree, disagree, pass }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn a_statement_gets_smoothed_rates_its_widest_gap_and_the_product_as_consensus() {
        let votes = StatementVotes {
            key: "7".into(),
            groups: vec![tally(3, 0, 1), tally(0, 2, 0), tally(1, 1, 0)],
            all: tally(5, 3, 2),
        };
        let conflict = StatementConflict::of(&votes);
        // (3+1)/(4+2), (0+1)/(2+2), (1+1)/(2+2)
        assert!(close(conflict.agree_rates[0], 4.0 / 6.0));
        assert!(close(conflict.agree_rates[1], 0.25));
        assert!(close(conflict.agree_rates[2], 0.5));
        assert!(close(conflict.gap, 4.0 / 6.0 - 0.25));
        assert!(close(conflict.consensus, 4.0 / 6.0 * 0.25 * 0.5));
        assert_eq!(conflict.votes, 10);
    }

    fn votes() -> Votes {
        let statement = |key: &str, a: Tally, b: Tally| StatementVotes {
            key: key.into(),
            groups: vec![a, b],
            all: {
                let mut all = a;
                all.add(&b);
                all
            },
        };
        Votes {
            key_column: "id".into(),
            groups: vec!["0".into(), "1".into()],
            statements: vec![
                // Cluster 0: group 0 for s1 and against s2, group 1 the other way round.
                statement("s1", tally(8, 0, 0), tally(0, 8, 0)),
                statement("s2", tally(0, 8, 0), tally(8, 0, 0)),
                // Cluster 1: everyone agrees.
                statement("s3", tally(8, 0, 0), tally(8, 0, 0)),
            ],
        }
    }

    #[test]
    fn opposite_splits_make_a_cluster_divisive_though_its_pooled_votes_balance() {
        let rows: Vec<Vec<String>> = ["s1", "s2", "s3", "s4"].iter().map(|key| vec![key.to_string()]).collect();
        let assignments = [0, 0, 1, 1];
        let points = Points { rows: &rows, assignments: &assignments };
        let votes = votes();
        let lens = conflict(points, &["id".into()], &[0, 1], Some(&votes), None).unwrap();
        let split = 9.0 / 10.0 - 1.0 / 10.0;
        assert!(close(lens.clusters[0].divisiveness, split));
        let ClusterMeasure::Votes { pooled_gap, voted_statements, .. } = lens.clusters[0].measure else { panic!() };
        assert!(close(pooled_gap, 0.0));
        assert_eq!(voted_statements, 2);
        // s4 has no votes: cluster 1 is measured by s3 alone.
        assert!(close(lens.clusters[1].divisiveness, 0.0));
        assert!(close(lens.clusters[1].shared, 0.81));
        assert_eq!(lens.most_divisive()[0].cluster, 0);
        assert_eq!(lens.most_shared()[0].cluster, 1);
        assert_eq!(lens.points[3], None);
        assert!(close(lens.points[0].unwrap(), split));
    }

    #[test]
    fn without_votes_the_spread_over_groups_is_measured_against_the_whole_data() {
        // Whole data: A 4/8, B 4/8. Cluster 0: A, A, A, B (3/4 A): distance ½(|¾−½| + |¼−½|) = ¼.
        // Cluster 1: A, B, B, B mirrors it the other way; cluster 2 would mirror it exactly.
        let groups = ["A", "A", "A", "B", "A", "B", "B", "B"];
        let rows: Vec<Vec<String>> = groups.iter().map(|group| vec![group.to_string()]).collect();
        let assignments = [0, 0, 0, 0, 1, 1, 1, 1];
        let points = Points { rows: &rows, assignments: &assignments };
        let lens = conflict(points, &["party".into()], &[0, 1, 2], None, Some(0)).unwrap();
        assert_eq!(lens.basis, Basis::GroupColumn { column: "party".into() });
        assert_eq!(lens.clusters.len(), 2, "cluster 2 has no statements to measure");
        assert!(close(lens.clusters[0].divisiveness, 0.25));
        let ClusterMeasure::Spread { over, .. } = &lens.clusters[0].measure else { panic!() };
        assert_eq!(over, &Some(("A".to_owned(), 0.75, 0.5)));
        let ClusterMeasure::Spread { over, .. } = &lens.clusters[1].measure else { panic!() };
        assert_eq!(over.as_ref().unwrap().0, "B");
        assert_eq!(lens.points, vec![Some(0.25); 8]);
    }

    #[test]
    fn a_cluster_of_one_group_in_an_even_data_set_is_half_way_to_the_maximum() {
        let rows: Vec<Vec<String>> = ["A", "A", "B", "B"].iter().map(|g| vec![g.to_string()]).collect();
        let lens = conflict(Points { rows: &rows, assignments: &[0, 0, 1, 1] }, &["g".into()], &[0], None, Some(0));
        assert!(close(lens.unwrap().clusters[0].divisiveness, 0.5));
    }

    #[test]
    fn nothing_to_measure_gives_no_lens() {
        let rows = vec![vec!["x".to_owned()]];
        assert!(conflict(Points { rows: &rows, assignments: &[0] }, &["id".into()], &[0], None, None).is_none());
    }
}
