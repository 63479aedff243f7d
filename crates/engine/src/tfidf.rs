//! TF-IDF vectors for statements that come without an embedding.
//!
//! Sublinear term frequency (1 + ln tf) times smoothed inverse document frequency, each row scaled to unit
//! length, as scikit-learn's `TfidfVectorizer(sublinear_tf=True)` does. Words seen in only one statement (when
//! there are enough statements) or in nearly all of them do not help group statements and are left out of the
//! vocabulary. The result stays sparse: 20,000 statements over a 10,000-word vocabulary would not fit densely.

use std::collections::HashMap;

/// A compressed sparse row matrix: row `i` holds `values[indptr[i]..indptr[i+1]]` at columns `indices[..]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SparseMatrix {
    pub n_cols: usize,
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl SparseMatrix {
    pub fn n_rows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }

    pub fn row(&self, row: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let span = self.indptr[row]..self.indptr[row + 1];
        self.indices[span.clone()].iter().map(|&col| col as usize).zip(self.values[span].iter().copied())
    }
}

/// The TF-IDF matrix and the word behind each column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TfIdf {
    pub matrix: SparseMatrix,
    pub vocabulary: Vec<String>,
    /// Inverse document frequency of each vocabulary word, kept so a new statement can be weighed the same way.
    pub idf: Vec<f32>,
}

/// Builds TF-IDF vectors from each statement's words (see [`crate::text::words`]).
pub fn tfidf(documents: &[Vec<String>]) -> TfIdf {
    let n_docs = documents.len();
    let mut document_frequency: HashMap<&str, usize> = HashMap::new();
    for words in documents {
        let mut seen: Vec<&str> = words.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for word in seen {
            *document_frequency.entry(word).or_default() += 1;
        }
    }

    // Below ~50 statements every word counts; above, a word must recur to say something about a group.
    let min_df = if n_docs >= 50 { 2 } else { 1 };
    let max_df = if n_docs >= 20 { (n_docs as f64 * 0.95).floor() as usize } else { n_docs };
    let mut vocabulary: Vec<&str> =
        document_frequency.iter().filter(|(_, &df)| df >= min_df && df <= max_df).map(|(&word, _)| word).collect();
    vocabulary.sort_unstable();
    let column_of: HashMap<&str, u32> = vocabulary.iter().enumerate().map(|(i, &w)| (w, i as u32)).collect();
    let idf: Vec<f32> = vocabulary
        .iter()
        .map(|word| (((1 + n_docs) as f64 / (1 + document_frequency[word]) as f64).ln() + 1.0) as f32)
        .collect();

    let mut matrix = SparseMatrix { n_cols: vocabulary.len(), indptr: vec![0], ..SparseMatrix::default() };
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for words in documents {
        counts.clear();
        for word in words {
            if let Some(&column) = column_of.get(word.as_str()) {
                *counts.entry(column).or_default() += 1;
            }
        }
        let mut row: Vec<(u32, f32)> = counts
            .iter()
            .map(|(&column, &count)| (column, (1.0 + (count as f32).ln()) * idf[column as usize]))
            .collect();
        row.sort_unstable_by_key(|(column, _)| *column);
        let norm = row.iter().map(|(_, value)| value * value).sum::<f32>().sqrt();
        for (column, value) in row {
            matrix.indices.push(column);
            matrix.values.push(value / norm);
        }
        matrix.indptr.push(matrix.indices.len());
    }

    TfIdf { matrix, vocabulary: vocabulary.into_iter().map(str::to_owned).collect(), idf }
}

/// The TF-IDF row of a statement the vocabulary was not fitted on, weighed like the fitted rows (sublinear term
/// frequency times the fitted idf, unit length): sorted `(column, value)` pairs, empty when none of its words
/// are in the `vocabulary` (which is sorted, as [`tfidf`] makes it).
pub fn tfidf_row(words: &[String], vocabulary: &[String], idf: &[f32]) -> Vec<(u32, f32)> {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for word in words {
        if let Ok(column) = vocabulary.binary_search_by(|known| known.as_str().cmp(word.as_str())) {
            *counts.entry(column as u32).or_default() += 1;
        }
    }
    let mut row: Vec<(u32, f32)> = counts
        .iter()
        .filter_map(|(&column, &count)| Some((column, (1.0 + (count as f32).ln()) * idf.get(column as usize)?)))
        .collect();
    row.sort_unstable_by_key(|(column, _)| *column);
    let norm = row.iter().map(|(_, value)| value * value).sum::<f32>().sqrt();
    if norm > 0.0 {
        row.iter_mut().for_each(|(_, value)| *value /= norm);
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(texts: &[&str]) -> Vec<Vec<String>> {
        texts.iter().map(|t| t.split_whitespace().map(str::to_owned).collect()).collect()
    }

    #[test]
    fn rows_are_unit_length_and_rare_words_weigh_more() {
        let result = tfidf(&docs(&["ældre pleje pleje", "ældre skole", "ældre budget"]));
        assert_eq!(result.vocabulary, ["budget", "pleje", "skole", "ældre"]);
        for row in 0..3 {
            let norm: f32 = result.matrix.row(row).map(|(_, v)| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-5);
        }
        let first: HashMap<usize, f32> = result.matrix.row(0).collect();
        // "pleje" is in one document, "ældre" in all three: the rarer word dominates.
        assert!(first[&1] > first[&3]);
    }

    #[test]
    fn a_fitted_statement_weighed_again_gives_its_own_row() {
        let documents = docs(&["ældre pleje pleje", "ældre skole", "ældre budget skole", "pleje budget"]);
        let result = tfidf(&documents);
        for (i, words) in documents.iter().enumerate() {
            let again = tfidf_row(words, &result.vocabulary, &result.idf);
            let fitted: Vec<(u32, f32)> = result.matrix.row(i).map(|(c, v)| (c as u32, v)).collect();
            assert_eq!(again, fitted);
        }
        assert!(tfidf_row(&docs(&["ukendt ord"])[0], &result.vocabulary, &result.idf).is_empty());
    }

    #[test]
    fn a_statement_without_known_words_is_an_empty_row_not_nan() {
        let result = tfidf(&docs(&["a b", "a c", ""]));
        assert_eq!(result.matrix.row(2).count(), 0);
        assert!(result.matrix.values.iter().all(|v| v.is_finite()));
    }
}
