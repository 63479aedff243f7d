//! Naming clusters by their most characteristic words: class-based TF-IDF as BERTopic defines it
//! (Grootendorst 2022).
//!
//! All statements of a cluster are treated as one document. A word's weight in cluster `c` is its frequency in
//! `c`, normalised by the number of words in `c`, times `ln(1 + A / f)`, where `A` is the average number of words
//! per cluster and `f` the word's frequency over all clusters. Words frequent in one cluster and rare elsewhere
//! rise to the top; words everyone uses sink.
//!
//! What is counted are Snowball stems of the words ("borger", "borgere", "borgerne" are one term), in the
//! statements' language (see [`crate::language`]), without stop words. A stem is not a word a person would
//! write ("borg"), so a label shows for each stem the form the cluster itself uses most.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::language::{Language, LanguageChoice};
use crate::text::{stop_words, tokens, StopWords};

/// What the user can choose about labels.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LabelOptions {
    /// The language to stem and stop-word in; automatic by default.
    pub language: LanguageChoice,
    /// The user's own stop words. Each also removes the word's inflections (it is matched by stem), since a
    /// person who strikes "kommune" means "kommunen" too.
    pub extra_stop_words: Vec<String>,
    /// Built-in stop words the user wants back as label candidates (matched as written).
    pub kept_words: Vec<String>,
}

/// One counted word of a statement: its stem and the form it was written in (lower-case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub stem: String,
    pub surface: String,
}

/// Turns statements into [`Term`]s by one language's rules and the user's stop words.
pub struct Labeller {
    stemmer: Option<Stemmer>,
    builtin: &'static HashSet<&'static str>,
    kept: HashSet<String>,
    extra_stems: HashSet<String>,
}

/// A user's word as the labeller compares it: trimmed, lower-cased, apostrophes straightened.
pub fn normalise_word(word: &str) -> String {
    word.trim().to_lowercase().replace('’', "'")
}

impl Labeller {
    /// A labeller for text in `language`. Mixed text is not stemmed: one language's suffix rules would wrongly
    /// merge or cut the other's words.
    pub fn new(language: Language, options: &LabelOptions) -> Self {
        let (stemmer, builtin) = match language {
            Language::Danish => (Some(Stemmer::create(Algorithm::Danish)), stop_words(StopWords::Danish)),
            Language::English => (Some(Stemmer::create(Algorithm::English)), stop_words(StopWords::English)),
            Language::Mixed => (None, stop_words(StopWords::Both)),
        };
        let mut labeller = Labeller { stemmer, builtin, kept: HashSet::new(), extra_stems: HashSet::new() };
        labeller.kept = options.kept_words.iter().map(|w| normalise_word(w)).collect();
        labeller.extra_stems = options
            .extra_stop_words
            .iter()
            .map(|w| normalise_word(w))
            .filter(|w| !w.is_empty())
            .map(|w| labeller.stem(&w))
            .collect();
        labeller
    }

    fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(stemmer) => stemmer.stem(word).into_owned(),
            None => word.to_owned(),
        }
    }

    /// The terms of `text` that can name a topic, in order.
    pub fn terms(&self, text: &str) -> Vec<Term> {
        tokens(text)
            .filter(|word| !self.builtin.contains(word.as_str()) || self.kept.contains(word))
            .filter_map(|surface| {
                let stem = self.stem(&surface);
                (!self.extra_stems.contains(&stem)).then_some(Term { stem, surface })
            })
            .collect()
    }
}

/// The top `top` labels of each cluster `0..k`, best first, with their c-TF-IDF weights: stems are ranked, and
/// each is shown as the form written most often in that cluster (ties: alphabetically first).
pub fn cluster_labels(
    terms_per_point: &[Vec<Term>],
    assignments: &[i32],
    k: usize,
    top: usize,
) -> Vec<Vec<(String, f64)>> {
    let stems: Vec<Vec<String>> =
        terms_per_point.iter().map(|terms| terms.iter().map(|term| term.stem.clone()).collect()).collect();
    let ranked = c_tf_idf(&stems, assignments, k, top);
    // Surface counts per cluster and stem; a BTreeMap so the alphabetical tie-break is the iteration order.
    let mut forms: Vec<HashMap<&str, BTreeMap<&str, usize>>> = vec![HashMap::new(); k];
    for (terms, &cluster) in terms_per_point.iter().zip(assignments) {
        let Some(forms) = usize::try_from(cluster).ok().and_then(|c| forms.get_mut(c)) else { continue };
        for term in terms {
            *forms.entry(term.stem.as_str()).or_default().entry(term.surface.as_str()).or_default() += 1;
        }
    }
    ranked
        .into_iter()
        .zip(&forms)
        .map(|(terms, forms)| {
            terms.into_iter().map(|(stem, weight)| (most_used_form(forms.get(stem.as_str()), &stem), weight)).collect()
        })
        .collect()
}

/// The most frequent form, the alphabetically first among equals; the stem only if no form was seen, which
/// c-TF-IDF never asks for (every ranked stem was counted from a form).
fn most_used_form(forms: Option<&BTreeMap<&str, usize>>, stem: &str) -> String {
    forms
        .and_then(|forms| forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))))
        .map_or_else(|| stem.to_owned(), |(form, _)| (*form).to_owned())
}

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

    fn danish() -> Labeller {
        Labeller::new(Language::Danish, &LabelOptions::default())
    }

    fn labels(labeller: &Labeller, texts: &[&str], assignments: &[i32], k: usize) -> Vec<Vec<String>> {
        let terms: Vec<Vec<Term>> = texts.iter().map(|t| labeller.terms(t)).collect();
        cluster_labels(&terms, assignments, k, 3).into_iter().map(|c| c.into_iter().map(|(w, _)| w).collect()).collect()
    }

    #[test]
    fn inflections_share_a_stem_and_the_label_shows_the_most_written_form() {
        let labeller = danish();
        let stems: HashSet<String> = labeller.terms("borger borgere borgerne").into_iter().map(|t| t.stem).collect();
        assert_eq!(stems.len(), 1, "{stems:?}");
        let got = labels(
            &labeller,
            &["borgerne vil have svar", "borgerne klager", "en borger klager", "skolen lukker", "skolen åbner"],
            &[0, 0, 0, 1, 1],
            2,
        );
        assert_eq!(got[0][0], "borgerne");
        assert_eq!(got[1][0], "skolen");
    }

    #[test]
    fn equally_frequent_forms_are_shown_alphabetically_first() {
        let got = labels(&danish(), &["borgere", "borgerne", "skole"], &[0, 0, 1], 2);
        assert_eq!(got[0], ["borgere"]);
    }

    #[test]
    fn labels_never_show_a_bare_stem() {
        let labeller = danish();
        let texts = ["kommunens økonomi", "kommunernes økonomier", "kommunen sparer", "skolerne lukker"];
        let got = labels(&labeller, &texts, &[0, 0, 0, 1], 2);
        let written: HashSet<String> = texts.iter().flat_map(|t| tokens(t)).collect();
        assert!(got.iter().flatten().all(|w| written.contains(w)), "{got:?}");
    }

    #[test]
    fn the_users_stop_words_go_with_their_inflections_and_kept_words_come_back() {
        let texts = ["kommunen skal spare", "kommunens budget", "skolen over alt", "skolen over alt"];
        let options = LabelOptions {
            extra_stop_words: vec![" Kommune ".into()],
            kept_words: vec!["over".into()],
            ..LabelOptions::default()
        };
        let got = labels(&Labeller::new(Language::Danish, &options), &texts, &[0, 0, 1, 1], 2);
        assert!(got[0].iter().all(|w| !w.starts_with("kommun")), "{got:?}");
        assert!(got[1].contains(&"over".to_owned()), "{got:?}");
        assert!(!got[1].contains(&"alt".to_owned()), "{got:?}");
    }

    #[test]
    fn mixed_text_is_not_stemmed_and_loses_both_languages_stop_words() {
        let labeller = Labeller::new(Language::Mixed, &LabelOptions::default());
        let terms = labeller.terms("the borgerne og the schools");
        assert_eq!(terms.iter().map(|t| t.stem.as_str()).collect::<Vec<_>>(), ["borgerne", "schools"]);
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
