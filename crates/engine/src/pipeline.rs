//! The whole analysis, from files to a clustered, labelled 2-D map, with progress and cancellation.
//!
//! Vectors come from the data when it brings an embedding, otherwise from TF-IDF over the statements. They are
//! reduced by PCA to a 50-dimensional analysis space (for TF-IDF this is latent semantic analysis), rows are
//! scaled to unit length so distances follow cosine similarity, and k-means groups them there. The map shows
//! the first two principal components. Clusters are named by c-TF-IDF over their statements.

use serde::{Deserialize, Serialize};

use crate::cluster::{cluster, ClusterCount, Points};
use crate::dataset::{ColumnChoice, ColumnRoles, Dataset, Vectors, Workbook};
use crate::error::{AnalysisError, InputError, Warning};
use crate::io::{read_files, InputFile, ReadOptions};
use crate::label::c_tf_idf;
use crate::pca::{pca, PcaInput};
use crate::progress::{ProgressSink, Stage};
use crate::text::words;
use crate::tfidf::tfidf;

/// Dimensions of the space clusters are found in. Enough to keep the structure of 384–1024-dimensional
/// embeddings and of TF-IDF (LSA with 50–100 components is the usual choice) while keeping k-means fast.
pub const ANALYSIS_DIMENSIONS: usize = 50;
/// Terms kept per cluster; the label shows the first three.
pub const TERMS_PER_CLUSTER: usize = 8;
const TERMS_IN_LABEL: usize = 3;

/// Everything the user can choose about an analysis.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnalysisOptions {
    pub read: ReadOptions,
    pub columns: ColumnChoice,
    pub clusters: ClusterCount,
    pub seed: u64,
}

/// Where the vectors came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum VectorSource {
    /// The data brought an embedding of this many dimensions.
    Provided { dimensions: usize },
    /// TF-IDF over the text column, with this many words in the vocabulary.
    TfIdf { vocabulary: usize },
}

/// A cluster as the legend shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSummary {
    pub id: i32,
    pub size: usize,
    /// The top terms joined; empty when the data has no text (the UI then names it by number).
    pub label: String,
    pub terms: Vec<String>,
    /// Mean position of its points on the map.
    pub centre: [f32; 2],
}

/// The result of an analysis: one map point per kept record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub columns: Vec<String>,
    pub roles: ColumnRoles,
    /// Metadata cells of each point, in input order.
    pub rows: Vec<Vec<String>>,
    /// 2-D position of each point.
    pub positions: Vec<[f32; 2]>,
    /// Cluster id of each point (−1 is noise; k-means leaves none).
    pub assignments: Vec<i32>,
    pub clusters: Vec<ClusterSummary>,
    pub vectors: VectorSource,
    /// Each point in the analysis space (unit rows, [`ANALYSIS_DIMENSIONS`] or fewer columns) that clusters were
    /// found in: what splitting a cluster, nearest neighbours and representative statements measure in.
    pub space: Vectors,
    /// Mean silhouette for each k tried when k was chosen automatically.
    pub silhouettes: Vec<(usize, f64)>,
    /// Share of the variance the two map axes show.
    pub layout_variance: [f64; 2],
    pub workbooks: Vec<Workbook>,
    pub warnings: Vec<Warning>,
}

impl Analysis {
    pub fn text_of(&self, point: usize) -> Option<&str> {
        self.roles.text.map(|column| self.rows[point][column].as_str())
    }

    pub fn cluster(&self, id: i32) -> Option<&ClusterSummary> {
        self.clusters.iter().find(|cluster| cluster.id == id)
    }

    /// How many statements of each kind (cause, solution, …) the map holds, most common first; empty without
    /// a kind column. An empty cell counts as "–".
    pub fn kind_counts(&self) -> Vec<(String, usize)> {
        let Some(kind) = self.roles.kind else { return Vec::new() };
        let mut counts: Vec<(String, usize)> = Vec::new();
        for row in &self.rows {
            let value = match row[kind].trim() {
                "" => "–",
                value => value,
            };
            match counts.iter_mut().find(|(known, _)| known == value) {
                Some((_, count)) => *count += 1,
                None => counts.push((value.to_owned(), 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }
}

/// Reads the files and analyses them.
pub fn analyze(
    files: &[InputFile],
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<Analysis, AnalysisError> {
    progress.report(Stage::Reading, 0.0)?;
    let dataset = read_files(files, &options.read)?;
    analyze_dataset(dataset, options, progress)
}

/// Scales each row of a row-major matrix to unit length (zero rows stay zero), so Euclidean distances follow
/// cosine similarity.
fn unit_rows<F: linfa::Float>(values: &mut [F], dim: usize) {
    for row in values.chunks_mut(dim.max(1)) {
        let norm = row.iter().fold(F::zero(), |sum, &x| sum + x * x).sqrt();
        if norm > F::zero() {
            row.iter_mut().for_each(|x| *x /= norm);
        }
    }
}

/// Analyses a data set already read.
pub fn analyze_dataset(
    dataset: Dataset,
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<Analysis, AnalysisError> {
    let roles = dataset.resolve_roles(&options.columns)?;
    let Dataset { columns, rows, vectors, workbooks, mut warnings } = dataset;
    progress.report(Stage::Vectorising, 0.0)?;

    // Which records become points: all of them when vectors are given, else those with text.
    let (rows, vectors) = match (vectors, roles.text) {
        (Some(vectors), _) => (rows, Some(vectors)),
        (None, Some(text)) => {
            let before = rows.len();
            let kept: Vec<Vec<String>> = rows.into_iter().filter(|row| !row[text].trim().is_empty()).collect();
            if kept.is_empty() {
                return Err(InputError::NoText { column: columns[text].clone() }.into());
            }
            if kept.len() < before {
                warnings.push(Warning::RowsWithoutText { count: before - kept.len() });
            }
            (kept, None)
        }
        (None, None) => return Err(InputError::NothingToAnalyse.into()),
    };
    let n = rows.len();
    if n < crate::cluster::MIN_POINTS {
        return Err(InputError::TooFewPoints { count: n, minimum: crate::cluster::MIN_POINTS }.into());
    }

    let point_words: Vec<Vec<String>> = match roles.text {
        Some(text) => rows.iter().map(|row| words(&row[text]).collect()).collect(),
        None => vec![Vec::new(); n],
    };
    let (reduced, source) = match vectors {
        Some(mut vectors) => {
            unit_rows(&mut vectors.values, vectors.dim);
            progress.report(Stage::Reducing, 0.0)?;
            (
                pca(PcaInput::Dense(&vectors), ANALYSIS_DIMENSIONS, options.seed),
                VectorSource::Provided { dimensions: vectors.dim },
            )
        }
        None => {
            let tfidf = tfidf(&point_words);
            if tfidf.vocabulary.is_empty() {
                return Err(
                    InputError::NoText { column: roles.text.map(|t| columns[t].clone()).unwrap_or_default() }.into()
                );
            }
            progress.report(Stage::Reducing, 0.0)?;
            let vocabulary = tfidf.vocabulary.len();
            (
                pca(PcaInput::Sparse(&tfidf.matrix), ANALYSIS_DIMENSIONS, options.seed),
                VectorSource::TfIdf { vocabulary },
            )
        }
    };

    let positions: Vec<[f32; 2]> = (0..n)
        .map(|i| {
            let point = reduced.point(i);
            [point.first().copied().unwrap_or(0.0) as f32, point.get(1).copied().unwrap_or(0.0) as f32]
        })
        .collect();
    let layout_variance = [
        reduced.explained_variance_ratio.first().copied().unwrap_or(0.0),
        reduced.explained_variance_ratio.get(1).copied().unwrap_or(0.0),
    ];

    progress.report(Stage::Clustering, 0.0)?;
    let mut space = reduced.scores;
    unit_rows(&mut space, reduced.components);
    let clustering =
        cluster(Points { dim: reduced.components, values: &space }, options.clusters, options.seed, progress)?;
    let space = Vectors { dim: reduced.components, values: space.iter().map(|&x| x as f32).collect() };

    progress.report(Stage::Labelling, 0.0)?;
    let k = clustering.k;
    let terms = if roles.text.is_some() {
        c_tf_idf(&point_words, &clustering.assignments, k, TERMS_PER_CLUSTER)
    } else {
        vec![Vec::new(); k]
    };
    let clusters = (0..k as i32)
        .map(|id| {
            let members: Vec<usize> = (0..n).filter(|&i| clustering.assignments[i] == id).collect();
            let size = members.len().max(1) as f32;
            let centre = members
                .iter()
                .fold([0.0f32; 2], |acc, &i| [acc[0] + positions[i][0] / size, acc[1] + positions[i][1] / size]);
            let terms: Vec<String> = terms[id as usize].iter().map(|(term, _)| term.clone()).collect();
            let label = terms.iter().take(TERMS_IN_LABEL).cloned().collect::<Vec<_>>().join(", ");
            ClusterSummary { id, size: members.len(), label, terms, centre }
        })
        .collect();
    progress.report(Stage::Labelling, 1.0)?;

    Ok(Analysis {
        columns,
        roles,
        rows,
        positions,
        assignments: clustering.assignments,
        clusters,
        vectors: source,
        space,
        silhouettes: clustering.silhouettes,
        layout_variance,
        workbooks,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    fn statements() -> Dataset {
        let texts = [
            "flere ældre kræver mere hjemmepleje",
            "ældreplejen mangler hænder og hjemmepleje",
            "hjemmepleje til ældre bliver dyrere",
            "ældre borgere har brug for pleje",
            "skolen mangler lærere i klasserne",
            "lærere forlader skolen og klasserne bliver store",
            "skolen har for få lærere",
            "klasserne i skolen er for store",
            "bureaukrati og dokumentation stjæler tid",
            "for meget dokumentation og bureaukrati",
            "bureaukrati tager tid fra borgerne",
            "dokumentation og regler og bureaukrati",
        ];
        Dataset {
            columns: vec!["id".into(), "svar".into()],
            rows: texts.iter().enumerate().map(|(i, t)| vec![(i + 1).to_string(), (*t).to_owned()]).collect(),
            ..Dataset::default()
        }
    }

    #[test]
    fn text_becomes_labelled_clusters() {
        let options = AnalysisOptions { clusters: ClusterCount::Fixed(3), seed: 1, ..AnalysisOptions::default() };
        let analysis = analyze_dataset(statements(), &options, &mut Silent).unwrap();
        assert_eq!(analysis.positions.len(), 12);
        assert_eq!(analysis.roles.text, Some(1));
        assert!(matches!(analysis.vectors, VectorSource::TfIdf { .. }));
        // The three topics are found: statements of a topic share a cluster.
        for topic in 0..3 {
            let ids = &analysis.assignments[topic * 4..topic * 4 + 4];
            assert!(ids.iter().all(|&id| id == ids[0]), "{:?}", analysis.assignments);
        }
        let labels: Vec<&str> = analysis.clusters.iter().map(|c| c.label.as_str()).collect();
        assert!(labels.iter().any(|l| l.contains("skolen") || l.contains("lærere")), "{labels:?}");
        assert!(labels.iter().any(|l| l.contains("bureaukrati") || l.contains("dokumentation")), "{labels:?}");
    }

    #[test]
    fn kinds_are_counted_most_common_first() {
        let mut data = statements();
        data.columns.push("type".into());
        for (i, row) in data.rows.iter_mut().enumerate() {
            row.push(["årsag", "løsning", "årsag", ""][i % 4].into());
        }
        let options = AnalysisOptions { clusters: ClusterCount::Fixed(3), ..AnalysisOptions::default() };
        let analysis = analyze_dataset(data, &options, &mut Silent).unwrap();
        assert_eq!(analysis.kind_counts(), [("årsag".to_owned(), 6), ("løsning".to_owned(), 3), ("–".to_owned(), 3)]);
    }

    #[test]
    fn rows_without_text_are_left_out_with_a_warning() {
        let mut data = statements();
        data.rows.push(vec!["13".into(), "   ".into()]);
        let options = AnalysisOptions { clusters: ClusterCount::Fixed(3), ..AnalysisOptions::default() };
        let analysis = analyze_dataset(data, &options, &mut Silent).unwrap();
        assert_eq!(analysis.rows.len(), 12);
        assert_eq!(analysis.warnings, [Warning::RowsWithoutText { count: 1 }]);
    }

    #[test]
    fn same_input_and_seed_give_the_same_map() {
        let options = AnalysisOptions::default();
        let a = analyze_dataset(statements(), &options, &mut Silent).unwrap();
        let b = analyze_dataset(statements(), &options, &mut Silent).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn data_without_text_or_vectors_is_refused() {
        let data = Dataset {
            columns: vec!["n".into()],
            rows: vec![vec!["1".into()], vec!["2".into()], vec!["3".into()]],
            ..Dataset::default()
        };
        let error = analyze_dataset(data, &AnalysisOptions::default(), &mut Silent).unwrap_err();
        assert_eq!(error, AnalysisError::Input(InputError::NothingToAnalyse));
    }
}
