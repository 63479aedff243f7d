//! Curation: the machine proposes a map, people correct and name it.
//!
//! A [`Curation`] is the state people work on: each statement's cluster, the clusters with their labels (and
//! whether a person or the machine gave them), descriptions, terms, sizes and centres, and the [`Ways`]. It
//! changes only through [`Edit`] values, so the UI sends an edit and re-renders from the new state, and the
//! same edit can be logged, saved and undone.
//!
//! A [`Corpus`] is what edits read but never change: each statement's words, its map position, its place in the
//! analysis space and its respondent. A [`Curator`] holds the three together with the [`History`] and is
//! what the UI talks to: [`Curator::apply`], [`Curator::undo`], [`Curator::redo`], [`Curator::card`],
//! [`Curator::neighbours`].
//!
//! Clusters keep their ids for life; clusters made by a split get fresh ids from `next_cluster_id`, never a
//! used one, so a reference to "cluster 7" (in a way, a log line, a saved view) never silently means another
//! group. Machine labels are recomputed for the clusters an edit touches, with c-TF-IDF over the whole current
//! partition so their terms are weighed against the same background as everyone else's; labels of untouched
//! clusters stay as they were, so moving one statement never renames clusters elsewhere on the map.

mod edit;
mod history;
mod plan;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use edit::{Edit, EditError, Outcome, Part};
pub use history::{History, LogEntry, LogLine};

use crate::dataset::{ColumnRoles, Vectors};
use crate::pipeline::{Analysis, ClusterSummary};
use crate::text::words;
use crate::ways::Ways;

/// Terms shown in a machine label, as the pipeline names clusters.
const TERMS_IN_LABEL: usize = 3;
/// Statements shown on a cluster card.
pub const REPRESENTATIVES: usize = 3;

/// Who gave a cluster its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Provenance {
    /// The top c-TF-IDF terms; recomputed when the cluster's statements change.
    #[default]
    Machine,
    /// A person named it; kept until a person changes it.
    Person,
}

/// A cluster as people see and edit it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: i32,
    /// Empty for a machine label when the data has no text (the UI then names it by number).
    pub label: String,
    pub provenance: Provenance,
    #[serde(default)]
    pub description: Option<String>,
    /// Top c-TF-IDF terms, best first (always the machine's, whoever named the cluster).
    pub terms: Vec<String>,
    pub size: usize,
    /// Mean map position of its statements.
    pub centre: [f32; 2],
}

/// The curated map: what people change through edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curation {
    /// Cluster id per statement; −1 is noise.
    pub assignments: Vec<i32>,
    /// Ordered by id; never holds an empty cluster.
    pub clusters: Vec<Cluster>,
    pub ways: Ways,
    /// The id the next new cluster gets.
    pub next_cluster_id: i32,
    /// The id the next new way gets.
    pub next_way_id: u32,
}

/// The machine label for a cluster with these terms.
pub fn machine_label(terms: &[String]) -> String {
    terms.iter().take(TERMS_IN_LABEL).cloned().collect::<Vec<_>>().join(", ")
}

impl Curation {
    /// The analysis's clustering, all labels the machine's, with `ways` (memberships of clusters the analysis
    /// does not have are dropped).
    pub fn from_analysis(analysis: &Analysis, mut ways: Ways) -> Curation {
        let mut clusters: Vec<Cluster> = analysis
            .clusters
            .iter()
            .map(|summary| Cluster {
                id: summary.id,
                label: summary.label.clone(),
                provenance: Provenance::Machine,
                description: None,
                terms: summary.terms.clone(),
                size: summary.size,
                centre: summary.centre,
            })
            .filter(|cluster| cluster.size > 0)
            .collect();
        clusters.sort_by_key(|cluster| cluster.id);
        for way in &mut ways.ways {
            way.clusters.retain(|id| clusters.binary_search_by_key(id, |c| c.id).is_ok());
        }
        let next_cluster_id = clusters.iter().map(|c| c.id + 1).max().unwrap_or(0).max(0);
        let next_way_id = ways.ways.iter().map(|w| w.id + 1).max().unwrap_or(1);
        Curation { assignments: analysis.assignments.clone(), clusters, ways, next_cluster_id, next_way_id }
    }

    /// The clusters as the pipeline's legend summaries, a person's label where there is one.
    pub fn summaries(&self) -> Vec<ClusterSummary> {
        self.clusters
            .iter()
            .map(|cluster| ClusterSummary {
                id: cluster.id,
                size: cluster.size,
                label: cluster.label.clone(),
                terms: cluster.terms.clone(),
                centre: cluster.centre,
            })
            .collect()
    }

    /// Writes the curated assignments and clusters into the analysis, so code that shows or exports an
    /// [`Analysis`] (the map, [`crate::export::assignments_csv`]) shows the curated map.
    pub fn write_into(&self, analysis: &mut Analysis) {
        analysis.assignments.clone_from(&self.assignments);
        analysis.clusters = self.summaries();
    }

    pub fn cluster(&self, id: i32) -> Option<&Cluster> {
        self.clusters.binary_search_by_key(&id, |c| c.id).ok().map(|index| &self.clusters[index])
    }

    /// Statement indices of a cluster, in input order.
    pub fn members(&self, id: i32) -> Vec<usize> {
        (0..self.assignments.len()).filter(|&i| self.assignments[i] == id).collect()
    }

    /// Sets, replaces or (with `None`) removes the cluster with this id, keeping the id order.
    pub(crate) fn put_cluster(&mut self, id: i32, cluster: Option<Cluster>) {
        match (self.clusters.binary_search_by_key(&id, |c| c.id), cluster) {
            (Ok(index), Some(cluster)) => self.clusters[index] = cluster,
            (Ok(index), None) => {
                self.clusters.remove(index);
            }
            (Err(index), Some(cluster)) => self.clusters.insert(index, cluster),
            (Err(_), None) => {}
        }
    }
}

/// What edits read but never change: the statements.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Corpus {
    /// Words of each statement, as labels count them (empty without a text column).
    words: Vec<Vec<String>>,
    has_text: bool,
    positions: Vec<[f32; 2]>,
    /// The analysis space; splits, neighbours and representatives measure in it (the map positions stand in
    /// when it is empty).
    space: Vectors,
    /// Respondent of each statement as a small number; `None` for an empty cell or without a respondent column.
    respondents: Vec<Option<u32>>,
    respondent_count: usize,
    /// Seeds the k-means of splits.
    seed: u64,
}

impl Corpus {
    pub fn new(rows: &[Vec<String>], roles: &ColumnRoles, positions: Vec<[f32; 2]>, space: Vectors, seed: u64) -> Self {
        let words = match roles.text {
            Some(text) => rows.iter().map(|row| row.get(text).map_or_else(Vec::new, |t| words(t).collect())).collect(),
            None => vec![Vec::new(); rows.len()],
        };
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let respondents = match roles.respondent {
            Some(column) => rows
                .iter()
                .map(|row| {
                    let cell = row.get(column).map_or("", |cell| cell.trim());
                    if cell.is_empty() {
                        return None;
                    }
                    let next = ids.len() as u32;
                    Some(*ids.entry(cell).or_insert(next))
                })
                .collect(),
            None => vec![None; rows.len()],
        };
        Corpus {
            words,
            has_text: roles.text.is_some(),
            positions,
            space,
            respondents,
            respondent_count: ids.len(),
            seed,
        }
    }

    pub fn from_analysis(analysis: &Analysis, seed: u64) -> Self {
        Corpus::new(&analysis.rows, &analysis.roles, analysis.positions.clone(), analysis.space.clone(), seed)
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The vector a statement is measured by: its row of the analysis space, or its map position without one.
    fn vector(&self, point: usize) -> &[f32] {
        if self.space.dim > 0 && self.space.len() == self.len() {
            self.space.row(point)
        } else {
            &self.positions[point]
        }
    }
}

/// What a cluster's card shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterCard {
    pub id: i32,
    pub label: String,
    pub provenance: Provenance,
    pub description: Option<String>,
    pub size: usize,
    /// Distinct respondents in the cluster over distinct respondents overall; `None` without a respondent column.
    pub share_of_respondents: Option<f64>,
    pub terms: Vec<String>,
    /// Up to [`REPRESENTATIVES`] statement indices nearest the cluster's centre in the analysis space, nearest
    /// first (the verbatim text is in the data's rows).
    pub representatives: Vec<usize>,
    /// Ids of the ways the cluster is in, in axis order.
    pub ways: Vec<u32>,
}

/// A statement near another.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    pub point: usize,
    /// Cosine similarity in the analysis space.
    pub similarity: f32,
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The curation of one map: statements, state and history together; the one handle the UI needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Curator {
    corpus: Corpus,
    state: Curation,
    history: History,
}

impl Curator {
    /// Starts curating a fresh analysis. `seed` is the analysis seed (it seeds the k-means of splits).
    pub fn new(analysis: &Analysis, ways: Ways, seed: u64) -> Self {
        Curator {
            corpus: Corpus::from_analysis(analysis, seed),
            state: Curation::from_analysis(analysis, ways),
            history: History::default(),
        }
    }

    /// Resumes a saved curation (see [`crate::project`]).
    pub fn from_parts(corpus: Corpus, state: Curation, history: History) -> Self {
        Curator { corpus, state, history }
    }

    pub fn into_parts(self) -> (Corpus, Curation, History) {
        (self.corpus, self.state, self.history)
    }

    pub fn state(&self) -> &Curation {
        &self.state
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Validates and applies an edit; on an error nothing changed. A new edit discards what redo could bring back.
    pub fn apply(&mut self, edit: Edit) -> Result<&LogEntry, EditError> {
        let (patch, outcome) = self.state.plan(&self.corpus, &edit, self.history.fresh_ids())?;
        patch.apply(&mut self.state);
        Ok(self.history.record(edit, outcome, patch))
    }

    pub fn undo(&mut self) -> Option<&LogEntry> {
        self.history.undo(&mut self.state)
    }

    pub fn redo(&mut self) -> Option<&LogEntry> {
        self.history.redo(&mut self.state)
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    pub fn log(&self) -> impl Iterator<Item = LogLine<'_>> {
        self.history.log()
    }

    /// Shows or hides a way on the map. Not an edit: it is not logged and undo leaves it alone.
    pub fn set_way_visible(&mut self, way: u32, visible: bool) -> Result<(), EditError> {
        let way = self.state.ways.ways.iter_mut().find(|w| w.id == way).ok_or(EditError::UnknownWay { way })?;
        way.visible = visible;
        Ok(())
    }

    /// The card of a cluster: size, reach among respondents, terms and representative statements.
    pub fn card(&self, id: i32) -> Result<ClusterCard, EditError> {
        let cluster = self.state.cluster(id).ok_or(EditError::UnknownCluster { cluster: id })?;
        let members = self.state.members(id);
        let share_of_respondents = (self.corpus.respondent_count > 0).then(|| {
            let mut seen: Vec<u32> = members.iter().filter_map(|&i| self.corpus.respondents[i]).collect();
            seen.sort_unstable();
            seen.dedup();
            seen.len() as f64 / self.corpus.respondent_count as f64
        });
        Ok(ClusterCard {
            id,
            label: cluster.label.clone(),
            provenance: cluster.provenance,
            description: cluster.description.clone(),
            size: cluster.size,
            share_of_respondents,
            terms: cluster.terms.clone(),
            representatives: self.representatives(&members),
            ways: self.state.ways.of_cluster(id).map(|way| way.id).collect(),
        })
    }

    /// The members nearest the members' mean. For unit vectors the Euclidean distance to the mean ranks like the
    /// dot product with it, which is cheaper.
    fn representatives(&self, members: &[usize]) -> Vec<usize> {
        let Some(&first) = members.first() else { return Vec::new() };
        let mut mean = vec![0.0f32; self.corpus.vector(first).len()];
        for &i in members {
            mean.iter_mut().zip(self.corpus.vector(i)).for_each(|(m, x)| *m += x / members.len() as f32);
        }
        let unit = self.corpus.space.dim > 0 && self.corpus.space.len() == self.corpus.len();
        let mut scored: Vec<(f32, usize)> = members
            .iter()
            .map(|&i| {
                let v = self.corpus.vector(i);
                let score = if unit {
                    dot(v, &mean)
                } else {
                    -v.iter().zip(&mean).map(|(x, m)| (x - m) * (x - m)).sum::<f32>()
                };
                (score, i)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(REPRESENTATIVES).map(|(_, i)| i).collect()
    }

    /// The `k` statements most similar to `point` by cosine in the analysis space, most similar first (ties by
    /// index), the point itself left out. Exact: one pass over all statements.
    pub fn neighbours(&self, point: usize, k: usize) -> Result<Vec<Neighbour>, EditError> {
        let count = self.corpus.len();
        if point >= count {
            return Err(EditError::UnknownPoint { point, count });
        }
        let query = self.corpus.vector(point);
        let query_norm = dot(query, query).sqrt();
        let mut scored: Vec<Neighbour> = (0..count)
            .filter(|&i| i != point)
            .map(|i| {
                let v = self.corpus.vector(i);
                let norms = query_norm * dot(v, v).sqrt();
                let similarity = if norms > 0.0 { dot(query, v) / norms } else { 0.0 };
                Neighbour { point: i, similarity }
            })
            .collect();
        let order = |a: &Neighbour, b: &Neighbour| b.similarity.total_cmp(&a.similarity).then(a.point.cmp(&b.point));
        if k < scored.len() {
            if k == 0 {
                return Ok(Vec::new());
            }
            scored.select_nth_unstable_by(k - 1, order);
            scored.truncate(k);
        }
        scored.sort_by(order);
        Ok(scored)
    }
}
