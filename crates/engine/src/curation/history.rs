//! Undo and redo: each applied edit is stored as a [`Patch`], the exact before and after of the few things it
//! touched, so undoing restores the earlier state bit for bit and redoing never re-runs a computation (a split's
//! k-means, c-TF-IDF labels).
//!
//! A patch holds the statements whose cluster changed (not all assignments), the clusters that changed (whole,
//! before and after; clusters are small), the way operations in order, and the id counters. Applying it forward
//! or backward is O(changes).
//!
//! **The change log** is the applied steps followed by the undone ones that can still be redone, marked
//! `undone`. A new edit discards the redoable steps, so they leave the log too: the log always tells how the
//! current map came about, plus what redo would bring back, and never shows changes that no longer exist.

use serde::{Deserialize, Serialize};

use super::edit::{Edit, Outcome};
use super::plan::FreshIds;
use super::{Cluster, Curation};
use crate::ways::Way;

/// One statement that changed cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PointChange {
    pub point: u32,
    pub before: i32,
    pub after: i32,
}

/// A cluster before and after an edit; `None` when it did not (or no longer does) exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ClusterChange {
    pub id: i32,
    pub before: Option<Cluster>,
    pub after: Option<Cluster>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum WayText {
    Name,
    Description,
    Colour,
}

/// One invertible change to the ways. Visibility is never part of one: showing or hiding a way is a view matter
/// that undo leaves alone (a deleted way comes back as visible as it was when deleted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum WaysChange {
    Member { way: u32, cluster: i32, member: bool },
    Text { way: u32, field: WayText, before: String, after: String },
    Insert { index: usize, way: Way },
    Remove { index: usize, way: Way },
    Reorder { from: usize, to: usize },
    Axis { before: [String; 2], after: [String; 2] },
}

impl WaysChange {
    fn inverse(&self) -> WaysChange {
        match self {
            WaysChange::Member { way, cluster, member } => {
                WaysChange::Member { way: *way, cluster: *cluster, member: !member }
            }
            WaysChange::Text { way, field, before, after } => {
                WaysChange::Text { way: *way, field: *field, before: after.clone(), after: before.clone() }
            }
            WaysChange::Insert { index, way } => WaysChange::Remove { index: *index, way: way.clone() },
            WaysChange::Remove { index, way } => WaysChange::Insert { index: *index, way: way.clone() },
            WaysChange::Reorder { from, to } => WaysChange::Reorder { from: *to, to: *from },
            WaysChange::Axis { before, after } => WaysChange::Axis { before: after.clone(), after: before.clone() },
        }
    }

    /// Applies the change. Indices are clamped and missing ways skipped rather than panicking, so a hand-edited
    /// project file cannot crash the app; [`super::Curation::plan`] only ever produces changes that fit.
    pub(crate) fn apply(&self, state: &mut Curation) {
        let ways = &mut state.ways;
        match self {
            WaysChange::Member { way, cluster, member } => {
                if let Some(way) = ways.ways.iter_mut().find(|w| w.id == *way) {
                    if *member {
                        way.clusters.insert(*cluster);
                    } else {
                        way.clusters.remove(cluster);
                    }
                }
            }
            WaysChange::Text { way, field, after, .. } => {
                if let Some(way) = ways.ways.iter_mut().find(|w| w.id == *way) {
                    let text = match field {
                        WayText::Name => &mut way.name,
                        WayText::Description => &mut way.description,
                        WayText::Colour => &mut way.colour,
                    };
                    after.clone_into(text);
                }
            }
            WaysChange::Insert { index, way } => {
                let index = (*index).min(ways.ways.len());
                ways.ways.insert(index, way.clone());
            }
            WaysChange::Remove { way, .. } => ways.ways.retain(|w| w.id != way.id),
            WaysChange::Reorder { from, to } => {
                if *from < ways.ways.len() {
                    let moved = ways.ways.remove(*from);
                    let to = (*to).min(ways.ways.len());
                    ways.ways.insert(to, moved);
                }
            }
            WaysChange::Axis { after, .. } => {
                after[0].clone_into(&mut ways.axis_start);
                after[1].clone_into(&mut ways.axis_end);
            }
        }
    }
}

/// Everything an edit changed, enough to apply it again or take it back exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub(crate) struct Patch {
    pub points: Vec<PointChange>,
    pub clusters: Vec<ClusterChange>,
    pub ways: Vec<WaysChange>,
    pub next_cluster_id: [i32; 2],
    pub next_way_id: [u32; 2],
}

impl Patch {
    pub(crate) fn apply(&self, state: &mut Curation) {
        for change in &self.points {
            if let Some(slot) = state.assignments.get_mut(change.point as usize) {
                *slot = change.after;
            }
        }
        for change in &self.clusters {
            state.put_cluster(change.id, change.after.clone());
        }
        for change in &self.ways {
            change.apply(state);
        }
        state.next_cluster_id = self.next_cluster_id[1];
        state.next_way_id = self.next_way_id[1];
    }

    pub(crate) fn revert(&self, state: &mut Curation) {
        for change in self.ways.iter().rev() {
            change.inverse().apply(state);
        }
        for change in self.clusters.iter().rev() {
            state.put_cluster(change.id, change.before.clone());
        }
        for change in &self.points {
            if let Some(slot) = state.assignments.get_mut(change.point as usize) {
                *slot = change.before;
            }
        }
        state.next_cluster_id = self.next_cluster_id[0];
        state.next_way_id = self.next_way_id[0];
    }

    /// The largest statement index the patch refers to, to check a loaded history against its data.
    pub(crate) fn max_point(&self) -> Option<usize> {
        self.points.iter().map(|change| change.point as usize).max()
    }
}

/// One line of the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Numbers the edits of a project from 1; never reused, even for discarded edits.
    pub sequence: u64,
    pub edit: Edit,
    pub outcome: Outcome,
    /// `outcome` in one English sentence.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Step {
    pub entry: LogEntry,
    pub patch: Patch,
}

/// A log entry as the UI lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLine<'a> {
    pub entry: &'a LogEntry,
    /// Undone, and brought back by redo (the next redo brings the first undone line).
    pub undone: bool,
}

/// The applied and the undone edits of a project, with their patches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct History {
    pub(crate) done: Vec<Step>,
    /// Most recently undone last, so redo pops from the end.
    pub(crate) undone: Vec<Step>,
    pub(crate) next_sequence: u64,
    /// Above every cluster and way id any edit (even an undone one) gave out.
    #[serde(default)]
    pub(crate) fresh_cluster_id: i32,
    #[serde(default)]
    pub(crate) fresh_way_id: u32,
}

impl History {
    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// Records an edit already applied to the state; the redoable steps are discarded.
    pub(crate) fn record(&mut self, edit: Edit, outcome: Outcome, patch: Patch) -> &LogEntry {
        self.undone.clear();
        self.fresh_cluster_id = self.fresh_cluster_id.max(patch.next_cluster_id[1]);
        self.fresh_way_id = self.fresh_way_id.max(patch.next_way_id[1]);
        self.next_sequence = self.next_sequence.max(1);
        let summary = outcome.summary();
        let entry = LogEntry { sequence: self.next_sequence, edit, outcome, summary };
        self.next_sequence += 1;
        self.done.push(Step { entry, patch });
        &self.done[self.done.len() - 1].entry
    }

    /// Takes back the latest applied edit; `None` when there is none.
    pub fn undo(&mut self, state: &mut Curation) -> Option<&LogEntry> {
        let step = self.done.pop()?;
        step.patch.revert(state);
        self.undone.push(step);
        self.undone.last().map(|step| &step.entry)
    }

    /// Applies the latest undone edit again; `None` when there is none.
    pub fn redo(&mut self, state: &mut Curation) -> Option<&LogEntry> {
        let step = self.undone.pop()?;
        step.patch.apply(state);
        self.done.push(step);
        self.done.last().map(|step| &step.entry)
    }

    /// The change log, oldest first: applied edits, then the undone ones redo can bring back.
    pub fn log(&self) -> impl Iterator<Item = LogLine<'_>> {
        let done = self.done.iter().map(|step| LogLine { entry: &step.entry, undone: false });
        let undone = self.undone.iter().rev().map(|step| LogLine { entry: &step.entry, undone: true });
        done.chain(undone)
    }

    pub(crate) fn fresh_ids(&self) -> FreshIds {
        FreshIds { cluster: self.fresh_cluster_id, way: self.fresh_way_id }
    }

    /// The largest statement index any stored edit refers to, to check a loaded history against its data.
    pub(crate) fn max_point(&self) -> Option<usize> {
        self.done.iter().chain(&self.undone).filter_map(|step| step.patch.max_point()).max()
    }
}
