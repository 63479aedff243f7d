//! Naming clusters by their most characteristic words: class-based TF-IDF as BERTopic defines it
//! (Grootendorst 2022).
//!
//! All statements of a cluster are treated as one document. A word's weight in cluster `c` is its frequency in
//! `c`, normalised by the number of words in `c`, times `ln(1 + A / f)`, where `A` is the average number of words
//! per cluster and `f` the word's frequency over all clusters. Words frequent in one cluster and rare elsewhere
//! rise to the top; words everyone uses sink.

use std::collections::HashMap;

/// The top `top` terms of each cluster `0..k`, best first, with their weights. Points with a negative cluster id
/// (noise) are not counted. Ties are broken alphabetically so labels are stable.
pub fn c_tf_idf(words_per_point: &[Vec<String>], assignments: &[i32], k: usize, top: usize) -> Vec<Vec<(String, f64)>> {
    let mut counts: Vec<HashMap<&str, usize>> = vec![HashMap::new(); k];
    for (words, &cluster) in words_per_point.iter().zip(assignments) {
        let Ok(cluster) = usize::try_from(cluster) else { continue };
        if cluster >= k {
            continue;
        }
        for word in words {
            *counts[cluster].entry(word.as_str()).or_default() += 1;
        }
    }
    let mut frequency: HashMap<&str, usize> = HashMap::new();
    for class in &counts {
        for (&word, &count) in class {
            *frequency.entry(word).or_default() += count;
        }
    }
    let words_in_class: Vec<usize> = counts.iter().map(|class| class.values().sum()).collect();
    let average_words = words_in_class.iter().sum::<usize>() as f64 / k.max(1) as f64;

    counts
        .iter()
        .zip(&words_in_class)
        .map(|(class, &total)| {
            let mut weighted: Vec<(String, f64)> = class
                .iter()
                .map(|(&word, &count)| {
                    let tf = count as f64 / total.max(1) as f64;
                    (word.to_owned(), tf * (1.0 + average_words / frequency[word] as f64).ln())
                })
                .collect();
            weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            weighted.truncate(top);
            weighted
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn words_particular_to_a_cluster_outrank_shared_ones() {
        let points = vec![
            words("velfærd ældre pleje"),
            words("velfærd ældre hjemmepleje"),
            words("velfærd skole lærere"),
            words("velfærd skole klasser"),
            words("støj"),
        ];
        let labels = c_tf_idf(&points, &[0, 0, 1, 1, -1], 2, 2);
        assert_eq!(labels[0][0].0, "ældre");
        assert_eq!(labels[1][0].0, "skole");
        // "velfærd" is everywhere: it must not lead any label.
        assert!(labels.iter().all(|terms| terms[0].0 != "velfærd"));
        // Noise words are not counted.
        assert!(labels.iter().flatten().all(|(w, _)| w != "støj"));
    }

    #[test]
    fn weights_follow_the_published_formula() {
        // Cluster 0: a a b (3 words); cluster 1: b c (2 words). A = 2.5; f(a)=2, f(b)=2, f(c)=1.
        let labels = c_tf_idf(&[words("a a b"), words("b c")], &[0, 1], 2, 3);
        let weight = |cluster: usize, word: &str| labels[cluster].iter().find(|(w, _)| w == word).unwrap().1;
        assert!((weight(0, "a") - 2.0 / 3.0 * (1.0f64 + 2.5 / 2.0).ln()).abs() < 1e-12);
        assert!((weight(1, "c") - 0.5 * (1.0f64 + 2.5).ln()).abs() < 1e-12);
    }
}
