//! Named stages of an analysis and the sink that hears how far each has come.
//!
//! The worker forwards every report to the UI's progress bar. A sink can also ask the engine to stop: native
//! callers (tests, the command line) use that, while the browser cancels by ending the worker, because a busy
//! worker cannot read messages until the job returns.

use serde::{Deserialize, Serialize};

/// What the analysis is doing, in the order it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Reading,
    Vectorising,
    Reducing,
    Clustering,
    Labelling,
}

impl Stage {
    pub const ALL: [Stage; 5] =
        [Stage::Reading, Stage::Vectorising, Stage::Reducing, Stage::Clustering, Stage::Labelling];

    /// Rough share of the total time each stage takes on typical data, so one bar can cover the whole job.
    /// Measured on the example data set and the Bowling Green comments: choosing k dominates.
    pub fn share(self) -> f32 {
        match self {
            Stage::Reading => 0.05,
            Stage::Vectorising => 0.10,
            Stage::Reducing => 0.15,
            Stage::Clustering => 0.60,
            Stage::Labelling => 0.10,
        }
    }

    /// Fraction of the whole job done when this stage is `fraction` done.
    pub fn overall(self, fraction: f32) -> f32 {
        let before: f32 = Stage::ALL.iter().take_while(|stage| **stage != self).map(|stage| stage.share()).sum();
        (before + self.share() * fraction.clamp(0.0, 1.0)).min(1.0)
    }
}

/// The caller asked the analysis to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the analysis was cancelled")]
pub struct Cancelled;

/// Receives progress; returning `Err(Cancelled)` stops the analysis at the next report.
pub trait ProgressSink {
    fn report(&mut self, stage: Stage, fraction: f32) -> Result<(), Cancelled>;
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
    fn shares_cover_the_whole_job() {
        let total: f32 = Stage::ALL.iter().map(|stage| stage.share()).sum();
        assert!((total - 1.0).abs() < 1e-6);
        assert_eq!(Stage::Reading.overall(0.0), 0.0);
        assert!((Stage::Labelling.overall(1.0) - 1.0).abs() < 1e-6);
        assert!(Stage::Clustering.overall(0.5) > Stage::Reducing.overall(1.0));
    }
}
