//! Named stages of an analysis, the plan that weighs them, and the sink that hears how far each has come.
//!
//! Which stages run depends on the data (texts are embedded or TF-IDF'd, vectors are not) and on the options
//! (UMAP or PCA, HDBSCAN or k-means), and their cost differs by orders of magnitude: embedding 2,000 statements
//! takes a minute, TF-IDF a blink. So once the data is read, the pipeline makes a [`Plan`] of the stages it will
//! run, weighted by measured cost for the data's size, and one progress bar spans exactly those.
//!
//! The worker forwards every report to the UI. A sink also hears intermediate layouts (the map animates while
//! UMAP converges) and can ask the engine to stop: native callers (tests, the command line) use that, while the
//! browser cancels by ending the worker, because a busy worker cannot read messages until the job returns.

use serde::{Deserialize, Serialize};

/// What the analysis is doing, in the order it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    /// Fetching the sentence-embedding model (only the first time; then it comes from the browser's cache).
    Downloading,
    LoadingModel,
    /// Sentence embeddings of the statements, counted in statements.
    Embedding,
    /// TF-IDF of the statements.
    Vectorising,
    Reducing,
    /// The k-nearest-neighbour graph.
    Neighbours,
    /// UMAP's layout (the map moves while this runs) or the PCA map.
    Layout,
    Clustering,
    Labelling,
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::Reading,
        Stage::Downloading,
        Stage::LoadingModel,
        Stage::Embedding,
        Stage::Vectorising,
        Stage::Reducing,
        Stage::Neighbours,
        Stage::Layout,
        Stage::Clustering,
        Stage::Labelling,
    ];
}

/// The stages one analysis runs, each with its expected share of the total time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    stages: Vec<(Stage, f32)>,
}

impl Plan {
    /// A plan from stages and their relative costs (any positive scale); shares are normalised to sum to 1.
    pub fn new(costs: &[(Stage, f32)]) -> Plan {
        let total: f32 = costs.iter().map(|(_, cost)| cost.max(0.0)).sum();
        let stages = costs
            .iter()
            .map(|&(stage, cost)| (stage, if total > 0.0 { cost.max(0.0) / total } else { 1.0 / costs.len() as f32 }))
            .collect();
        Plan { stages }
    }

    pub fn stages(&self) -> impl Iterator<Item = Stage> + '_ {
        self.stages.iter().map(|(stage, _)| *stage)
    }

    pub fn share(&self, stage: Stage) -> f32 {
        self.stages.iter().find(|(s, _)| *s == stage).map_or(0.0, |(_, share)| *share)
    }

    /// Fraction of the whole job done when `stage` is `fraction` done. A stage outside the plan counts as the
    /// start of the job, so a bar never runs backwards past where it was.
    pub fn overall(&self, stage: Stage, fraction: f32) -> f32 {
        let Some(position) = self.stages.iter().position(|(s, _)| *s == stage) else { return 0.0 };
        let before: f32 = self.stages[..position].iter().map(|(_, share)| share).sum();
        (before + self.stages[position].1 * fraction.clamp(0.0, 1.0)).min(1.0)
    }
}

impl Default for Plan {
    /// Before the data is read, only reading is known.
    fn default() -> Plan {
        Plan::new(&[(Stage::Reading, 1.0)])
    }
}

/// The caller asked the analysis to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the analysis was cancelled")]
pub struct Cancelled;

/// Receives progress; returning `Err(Cancelled)` stops the analysis at the next report.
pub trait ProgressSink {
    fn report(&mut self, stage: Stage, fraction: f32) -> Result<(), Cancelled>;

    /// Progress counted in items (statements embedded), so the UI can show a rate and the time left.
    fn report_count(&mut self, stage: Stage, done: usize, total: usize) -> Result<(), Cancelled> {
        self.report(stage, if total == 0 { 1.0 } else { done as f32 / total as f32 })
    }

    /// The stages the analysis will run, once the data is read.
    fn plan(&mut self, _plan: &Plan) {}

    /// An intermediate 2-D layout while UMAP converges, one position per point.
    fn layout(&mut self, _positions: &[[f32; 2]]) {}
}

/// Any closure can be a sink.
impl<F: FnMut(Stage, f32) -> Result<(), Cancelled>> ProgressSink for F {
    fn report(&mut self, stage: Stage, fraction: f32) -> Result<(), Cancelled> {
        self(stage, fraction)
    }
}

/// A sink for callers that do not watch.
pub struct Silent;

impl ProgressSink for Silent {
    fn report(&mut self, _stage: Stage, _fraction: f32) -> Result<(), Cancelled> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_covers_the_whole_job_in_order() {
        let plan = Plan::new(&[(Stage::Reading, 1.0), (Stage::Layout, 6.0), (Stage::Clustering, 3.0)]);
        let total: f32 = plan.stages().map(|stage| plan.share(stage)).sum();
        assert!((total - 1.0).abs() < 1e-6);
        assert_eq!(plan.overall(Stage::Reading, 0.0), 0.0);
        assert!((plan.overall(Stage::Layout, 0.5) - 0.4).abs() < 1e-6);
        assert!((plan.overall(Stage::Clustering, 1.0) - 1.0).abs() < 1e-6);
        assert_eq!(plan.overall(Stage::Embedding, 0.7), 0.0, "a stage the plan lacks");
        assert_eq!(plan.share(Stage::Embedding), 0.0);
    }

    #[test]
    fn a_plan_of_zero_costs_still_sums_to_one() {
        let plan = Plan::new(&[(Stage::Reading, 0.0), (Stage::Labelling, 0.0)]);
        assert!((plan.overall(Stage::Labelling, 1.0) - 1.0).abs() < 1e-6);
    }
}
