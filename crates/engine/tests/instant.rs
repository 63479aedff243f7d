//! Instant mode's route through the pipeline: the static table arrives as an `Embedder` like the model, its
//! vectors are used and named; without it the job falls back to TF-IDF with its own warning, not the model's.
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use vejkort_engine::dataset::{Dataset, Vectors};
use vejkort_engine::error::Warning;
use vejkort_engine::pipeline::{analyze_dataset_with, AnalysisOptions, Embedder, VectorSource, Vectoriser};
use vejkort_engine::progress::{Cancelled, Silent};

/// Vectors that separate two topics by a word each: enough for the pipeline to find them.
struct TwoTopics;

impl Embedder for TwoTopics {
    fn name(&self) -> String {
        "two topics".into()
    }

    fn embed(
        &mut self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vectors, Cancelled> {
        let values = texts
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                let wobble = (i % 7) as f32 * 0.01;
                if t.contains("school") {
                    [1.0, wobble, 0.0]
                } else {
                    [0.0, wobble, 1.0]
                }
            })
            .collect();
        progress(texts.len(), texts.len())?;
        Ok(Vectors { dim: 3, values })
    }
}

fn statements() -> Dataset {
    let rows = (0..40)
        .map(|i| {
            vec![if i % 2 == 0 { format!("the school needs teachers {i}") } else { format!("roads need repair {i}") }]
        })
        .collect();
    Dataset {
        columns: vec!["text".into()],
        rows,
        vectors: None,
        workbooks: Vec::new(),
        warnings: Vec::new(),
        votes: None,
    }
}

#[test]
fn instant_mode_uses_the_table_it_is_given() {
    let options = AnalysisOptions { vectoriser: Vectoriser::Instant, ..AnalysisOptions::default() };
    let mut table = TwoTopics;
    let analysis = analyze_dataset_with(statements(), &options, Some(&mut table), &mut Silent).expect("analysis");
    assert!(matches!(&analysis.vectors, VectorSource::Model { name, dimensions: 3 } if name == "two topics"));
    assert!(analysis.warnings.is_empty(), "{:?}", analysis.warnings);
}

#[test]
fn instant_mode_without_a_table_falls_back_to_tf_idf_and_says_why() {
    let options = AnalysisOptions { vectoriser: Vectoriser::Instant, ..AnalysisOptions::default() };
    let analysis = analyze_dataset_with(statements(), &options, None, &mut Silent).expect("analysis");
    assert!(matches!(analysis.vectors, VectorSource::TfIdf { .. }));
    assert_eq!(analysis.warnings, [Warning::NoStaticTable]);
}
