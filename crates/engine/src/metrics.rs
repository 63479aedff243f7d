//! Agreement between two partitions of the same points: adjusted Rand index and normalised mutual information.
//!
//! Tests and benchmarks compare a clustering with ground truth or with a reference implementation through these.
//! Labels are arbitrary integers; a label's value means nothing beyond which points share it, so noise (−1) is
//! treated as one more group, as scikit-learn does.

use std::collections::HashMap;

/// Counts of each (left, right) label pair and of each label on either side.
struct Contingency {
    joint: HashMap<(i32, i32), f64>,
    left: HashMap<i32, f64>,
    right: HashMap<i32, f64>,
    total: f64,
}

impl Contingency {
    fn new(a: &[i32], b: &[i32]) -> Self {
        assert_eq!(a.len(), b.len(), "both partitions must label the same points");
        let mut table = Contingency { joint: HashMap::new(), left: HashMap::new(), right: HashMap::new(), total: 0.0 };
        for (&x, &y) in a.iter().zip(b) {
            *table.joint.entry((x, y)).or_default() += 1.0;
            *table.left.entry(x).or_default() += 1.0;
            *table.right.entry(y).or_default() += 1.0;
        }
        table.total = a.len() as f64;
        table
    }
}

/// Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions, about 0 for chance agreement, and
/// negative for less than chance. Two partitions that each put everything in one group agree perfectly (1).
pub fn adjusted_rand_index(a: &[i32], b: &[i32]) -> f64 {
    let table = Contingency::new(a, b);
    let pairs = |v: f64| v * (v - 1.0) / 2.0;
    let index: f64 = table.joint.values().map(|&v| pairs(v)).sum();
    let sum_left: f64 = table.left.values().map(|&v| pairs(v)).sum();
    let sum_right: f64 = table.right.values().map(|&v| pairs(v)).sum();
    let all_pairs = pairs(table.total);
    if all_pairs == 0.0 {
        return 1.0;
    }
    let expected = sum_left * sum_right / all_pairs;
    let maximum = (sum_left + sum_right) / 2.0;
    if maximum == expected {
        // Both sides are trivial (one group each, or all singletons): nothing to adjust for, so they agree.
        return 1.0;
    }
    (index - expected) / (maximum - expected)
}

/// Normalised mutual information with the arithmetic-mean normaliser (scikit-learn's default): 1 for identical
/// partitions, 0 for independent ones. Not adjusted for chance, so many small groups score above 0 by luck.
pub fn normalized_mutual_info(a: &[i32], b: &[i32]) -> f64 {
    let table = Contingency::new(a, b);
    let n = table.total;
    let entropy = |counts: &HashMap<i32, f64>| -> f64 {
        counts.values().filter(|&&c| c > 0.0).map(|&c| -(c / n) * (c / n).ln()).sum()
    };
    let h_left = entropy(&table.left);
    let h_right = entropy(&table.right);
    if h_left == 0.0 && h_right == 0.0 {
        return 1.0;
    }
    let mutual: f64 = table
        .joint
        .iter()
        .map(|(&(x, y), &c)| {
            let expected = table.left[&x] * table.right[&y];
            (c / n) * (c * n / expected).ln()
        })
        .sum();
    let normaliser = (h_left + h_right) / 2.0;
    if normaliser == 0.0 {
        return 0.0;
    }
    (mutual / normaliser).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_partitions_score_one_whatever_the_label_values() {
        let a = [0, 0, 1, 1, 2, 2, -1];
        let b = [5, 5, 3, 3, 9, 9, 7];
        assert!((adjusted_rand_index(&a, &b) - 1.0).abs() < 1e-12);
        assert!((normalized_mutual_info(&a, &b) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn unrelated_partitions_score_near_zero() {
        let a: Vec<i32> = (0..600).map(|i| i % 3).collect();
        let b: Vec<i32> = (0..600).map(|i| (i / 3) % 3).collect();
        assert!(adjusted_rand_index(&a, &b).abs() < 0.05);
        assert!(normalized_mutual_info(&a, &b) < 0.05);
    }

    /// Values worked by hand: a = {0,0,0,1,1,1}, b = {0,0,1,1,2,2}. Cells (0,0)=2, (0,1)=1, (1,1)=1, (1,2)=2 give
    /// 2 agreeing pairs; the sides give 6 and 3 pairs of 15. Expected 6·3/15 = 1.2, so ARI = (2 − 1.2)/(4.5 − 1.2).
    /// I = Σ p(x,y) ln(p(x,y)/(p(x)p(y))) = 2·(1/3)·ln 2, H(a) = ln 2, H(b) = ln 3.
    #[test]
    fn small_case_matches_hand_computation() {
        let a = [0, 0, 0, 1, 1, 1];
        let b = [0, 0, 1, 1, 2, 2];
        assert!((adjusted_rand_index(&a, &b) - 0.8 / 3.3).abs() < 1e-12);
        let expected_nmi = (2.0 / 3.0) * 2f64.ln() / ((2f64.ln() + 3f64.ln()) / 2.0);
        assert!((normalized_mutual_info(&a, &b) - expected_nmi).abs() < 1e-12);
    }
}
