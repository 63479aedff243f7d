//! Turning an edit into a [`Patch`] without changing anything: every check happens here, so an edit either
//! applies whole or is refused whole.
//!
//! Edits that move statements between clusters (merge, split, move, noise) share one path, [`Curation::repartition`]:
//! given the assignments after the edit, it finds the statements that changed, recomputes size, centre and terms
//! of the touched clusters (O(n) plus one c-TF-IDF pass over all words), drops emptied clusters from the map and
//! from their ways, and records the before and after of each.

use std::collections::{BTreeMap, BTreeSet};

use super::edit::{Edit, EditError, Outcome, Part};
use super::history::{ClusterChange, Patch, PointChange, WayText, WaysChange};
use super::{machine_label, Cluster, Corpus, Curation, Provenance};
use crate::cluster::{cluster as k_means, ClusterCount, Points};
use crate::label::c_tf_idf;
use crate::pipeline::TERMS_PER_CLUSTER;
use crate::progress::Silent;
use crate::ways::Way;

/// The lowest ids new clusters and ways may get: above every id ever given out, including by edits since undone,
/// so an id never comes to mean a second thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct FreshIds {
    pub cluster: i32,
    pub way: u32,
}

/// A partition edit before its consequences are worked out.
struct Repartition {
    assignments: Vec<i32>,
    /// Clusters whose statements change, including ones the edit creates.
    touched: BTreeSet<i32>,
    /// Clusters the edit creates.
    fresh: Vec<i32>,
    /// Label, provenance and description a touched cluster gets instead of its own.
    naming: BTreeMap<i32, (String, Provenance, Option<String>)>,
    /// Way memberships to add, `(way, cluster)`.
    joins: Vec<(u32, i32)>,
    next_cluster_id: i32,
}

fn non_empty(text: &str) -> Result<String, EditError> {
    let text = text.trim();
    if text.is_empty() {
        Err(EditError::EmptyName)
    } else {
        Ok(text.to_owned())
    }
}

fn colour(text: &str) -> Result<String, EditError> {
    let text = text.trim();
    let valid = text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid {
        Ok(text.to_owned())
    } else {
        Err(EditError::InvalidColour { colour: text.to_owned() })
    }
}

impl Curation {
    fn existing(&self, id: i32) -> Result<&Cluster, EditError> {
        self.cluster(id).ok_or(EditError::UnknownCluster { cluster: id })
    }

    fn way_index(&self, way: u32) -> Result<usize, EditError> {
        self.ways.ways.iter().position(|w| w.id == way).ok_or(EditError::UnknownWay { way })
    }

    fn patch(&self) -> Patch {
        Patch { next_cluster_id: [self.next_cluster_id; 2], next_way_id: [self.next_way_id; 2], ..Patch::default() }
    }

    /// A patch that replaces one cluster.
    fn cluster_patch(&self, before: &Cluster, after: Cluster) -> Patch {
        let mut patch = self.patch();
        patch.clusters.push(ClusterChange { id: before.id, before: Some(before.clone()), after: Some(after) });
        patch
    }

    fn ways_patch(&self, changes: Vec<WaysChange>) -> Patch {
        Patch { ways: changes, ..self.patch() }
    }

    /// Checks statement indices and drops repeats, keeping the order given.
    fn points(&self, points: &[usize]) -> Result<Vec<usize>, EditError> {
        if points.is_empty() {
            return Err(EditError::NoStatements);
        }
        let count = self.assignments.len();
        let mut seen = BTreeSet::new();
        let mut unique = Vec::with_capacity(points.len());
        for &point in points {
            if point >= count {
                return Err(EditError::UnknownPoint { point, count });
            }
            if seen.insert(point) {
                unique.push(point);
            }
        }
        Ok(unique)
    }

    /// Works out what an edit would change, or why it cannot be made.
    pub(crate) fn plan(&self, corpus: &Corpus, edit: &Edit, fresh: FreshIds) -> Result<(Patch, Outcome), EditError> {
        match edit {
            Edit::RenameCluster { cluster, label } => {
                let before = self.existing(*cluster)?;
                let label = non_empty(label)?;
                let after = Cluster { label: label.clone(), provenance: Provenance::Person, ..before.clone() };
                let outcome = Outcome::ClusterRenamed { cluster: *cluster, before: before.label.clone(), after: label };
                Ok((self.cluster_patch(before, after), outcome))
            }
            Edit::ResetClusterLabel { cluster } => {
                let before = self.existing(*cluster)?;
                let label = machine_label(&before.terms);
                let after = Cluster { label: label.clone(), provenance: Provenance::Machine, ..before.clone() };
                let outcome =
                    Outcome::ClusterLabelReset { cluster: *cluster, before: before.label.clone(), after: label };
                Ok((self.cluster_patch(before, after), outcome))
            }
            Edit::DescribeCluster { cluster, description } => {
                let before = self.existing(*cluster)?;
                let description = Some(description.trim().to_owned()).filter(|text| !text.is_empty());
                let after = Cluster { description: description.clone(), ..before.clone() };
                let outcome = Outcome::ClusterDescribed { cluster: *cluster, label: before.label.clone(), description };
                Ok((self.cluster_patch(before, after), outcome))
            }
            Edit::MergeClusters { clusters } => self.plan_merge(corpus, clusters),
            Edit::SplitCluster { cluster, parts } => self.plan_split(corpus, *cluster, *parts, fresh.cluster),
            Edit::MoveStatements { points, to } => {
                let target = self.existing(*to)?;
                let label = target.label.clone();
                let (patch, count, emptied) = self.plan_move(corpus, points, *to)?;
                let label = patch
                    .clusters
                    .iter()
                    .find(|change| change.id == *to)
                    .and_then(|change| change.after.as_ref())
                    .map_or(label, |after| after.label.clone());
                Ok((patch, Outcome::StatementsMoved { count, to: *to, label, emptied }))
            }
            Edit::MarkNoise { points } => {
                let (patch, count, emptied) = self.plan_move(corpus, points, -1)?;
                Ok((patch, Outcome::StatementsMarkedNoise { count, emptied }))
            }
            Edit::CreateWay { name, description, colour: wanted } => {
                let name = non_empty(name)?;
                if self.ways.ways.iter().any(|w| w.name == name) {
                    return Err(EditError::DuplicateWayName { name });
                }
                let id =
                    self.next_way_id.max(fresh.way).max(self.ways.ways.iter().map(|w| w.id + 1).max().unwrap_or(1));
                let way = Way {
                    id,
                    name: name.clone(),
                    description: description.trim().to_owned(),
                    colour: colour(wanted)?,
                    clusters: BTreeSet::new(),
                    visible: true,
                };
                let mut patch = self.ways_patch(vec![WaysChange::Insert { index: self.ways.ways.len(), way }]);
                patch.next_way_id[1] = id + 1;
                Ok((patch, Outcome::WayCreated { way: id, name }))
            }
            Edit::RenameWay { way, name } => {
                let current = &self.ways.ways[self.way_index(*way)?];
                let name = non_empty(name)?;
                if self.ways.ways.iter().any(|w| w.id != *way && w.name == name) {
                    return Err(EditError::DuplicateWayName { name });
                }
                let change = WaysChange::Text {
                    way: *way,
                    field: WayText::Name,
                    before: current.name.clone(),
                    after: name.clone(),
                };
                Ok((
                    self.ways_patch(vec![change]),
                    Outcome::WayRenamed { way: *way, before: current.name.clone(), after: name },
                ))
            }
            Edit::DescribeWay { way, description } => {
                let current = &self.ways.ways[self.way_index(*way)?];
                let description = description.trim().to_owned();
                let change = WaysChange::Text {
                    way: *way,
                    field: WayText::Description,
                    before: current.description.clone(),
                    after: description.clone(),
                };
                let outcome = Outcome::WayDescribed { way: *way, name: current.name.clone(), description };
                Ok((self.ways_patch(vec![change]), outcome))
            }
            Edit::RecolourWay { way, colour: wanted } => {
                let current = &self.ways.ways[self.way_index(*way)?];
                let colour = colour(wanted)?;
                let change = WaysChange::Text {
                    way: *way,
                    field: WayText::Colour,
                    before: current.colour.clone(),
                    after: colour.clone(),
                };
                let outcome = Outcome::WayRecoloured { way: *way, name: current.name.clone(), colour };
                Ok((self.ways_patch(vec![change]), outcome))
            }
            Edit::DeleteWay { way } => {
                let index = self.way_index(*way)?;
                let removed = self.ways.ways[index].clone();
                let outcome = Outcome::WayDeleted { way: *way, name: removed.name.clone() };
                Ok((self.ways_patch(vec![WaysChange::Remove { index, way: removed }]), outcome))
            }
            Edit::MoveWay { way, index } => {
                let from = self.way_index(*way)?;
                let count = self.ways.ways.len();
                if *index >= count {
                    return Err(EditError::WayPositionOutOfRange { index: *index, count });
                }
                let outcome =
                    Outcome::WayMoved { way: *way, name: self.ways.ways[from].name.clone(), from, to: *index };
                Ok((self.ways_patch(vec![WaysChange::Reorder { from, to: *index }]), outcome))
            }
            Edit::AddClusterToWay { way, cluster } | Edit::RemoveClusterFromWay { way, cluster } => {
                let adding = matches!(edit, Edit::AddClusterToWay { .. });
                let current = &self.ways.ways[self.way_index(*way)?];
                let label = self.existing(*cluster)?.label.clone();
                match (adding, current.clusters.contains(cluster)) {
                    (true, true) => return Err(EditError::AlreadyInWay { way: *way, cluster: *cluster }),
                    (false, false) => return Err(EditError::NotInWay { way: *way, cluster: *cluster }),
                    _ => {}
                }
                let change = WaysChange::Member { way: *way, cluster: *cluster, member: adding };
                let name = current.name.clone();
                let outcome = if adding {
                    Outcome::ClusterAddedToWay { way: *way, name, cluster: *cluster, label }
                } else {
                    Outcome::ClusterRemovedFromWay { way: *way, name, cluster: *cluster, label }
                };
                Ok((self.ways_patch(vec![change]), outcome))
            }
            Edit::NameAxis { start, end } => {
                let after = [non_empty(start)?, non_empty(end)?];
                let change = WaysChange::Axis {
                    before: [self.ways.axis_start.clone(), self.ways.axis_end.clone()],
                    after: after.clone(),
                };
                let [start, end] = after;
                Ok((self.ways_patch(vec![change]), Outcome::AxisNamed { start, end }))
            }
        }
    }

    /// Moves statements to `to` (−1 for noise). Returns the patch, how many statements moved, and the clusters
    /// emptied.
    fn plan_move(&self, corpus: &Corpus, points: &[usize], to: i32) -> Result<(Patch, usize, Vec<i32>), EditError> {
        let points = self.points(points)?;
        let mut assignments = self.assignments.clone();
        let mut touched = BTreeSet::new();
        let mut count = 0;
        for point in points {
            let from = assignments[point];
            if from != to {
                if from >= 0 {
                    touched.insert(from);
                }
                assignments[point] = to;
                count += 1;
            }
        }
        if count == 0 {
            return Err(EditError::AlreadyThere);
        }
        if to >= 0 {
            touched.insert(to);
        }
        let patch = self.repartition(
            corpus,
            Repartition {
                assignments,
                touched,
                fresh: Vec::new(),
                naming: BTreeMap::new(),
                joins: Vec::new(),
                next_cluster_id: self.next_cluster_id,
            },
        );
        let emptied = emptied(&patch);
        Ok((patch, count, emptied))
    }

    fn plan_merge(&self, corpus: &Corpus, clusters: &[i32]) -> Result<(Patch, Outcome), EditError> {
        let mut ids: Vec<i32> = clusters.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() < 2 {
            return Err(EditError::MergeNeedsTwo { given: ids.len() });
        }
        let mut merging: Vec<&Cluster> = ids.iter().map(|&id| self.existing(id)).collect::<Result<_, _>>()?;
        // Largest first, ties to the smaller id: the survivor, and the order in which names are preferred.
        merging.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
        let into = merging[0].id;
        let person = merging.iter().find(|c| c.provenance == Provenance::Person);
        let (label, provenance) = match person {
            Some(named) => (named.label.clone(), Provenance::Person),
            None => (String::new(), Provenance::Machine),
        };
        let description = merging.iter().find_map(|c| c.description.clone());

        let assignments: Vec<i32> =
            self.assignments.iter().map(|&c| if ids.binary_search(&c).is_ok() { into } else { c }).collect();
        let joins = self
            .ways
            .ways
            .iter()
            .filter(|way| ids.iter().any(|id| way.clusters.contains(id)))
            .map(|way| (way.id, into))
            .collect();
        let patch = self.repartition(
            corpus,
            Repartition {
                assignments,
                touched: ids.iter().copied().collect(),
                fresh: Vec::new(),
                naming: BTreeMap::from([(into, (label, provenance, description))]),
                joins,
                next_cluster_id: self.next_cluster_id,
            },
        );
        let merged_cluster = patch.clusters.iter().find(|c| c.id == into).and_then(|c| c.after.as_ref());
        let outcome = Outcome::ClustersMerged {
            into,
            merged: ids.iter().copied().filter(|&id| id != into).collect(),
            label: merged_cluster.map_or_else(String::new, |c| c.label.clone()),
            size: merged_cluster.map_or(0, |c| c.size),
        };
        Ok((patch, outcome))
    }

    fn plan_split(&self, corpus: &Corpus, id: i32, parts: usize, floor: i32) -> Result<(Patch, Outcome), EditError> {
        let parent = self.existing(id)?;
        if parts < 2 {
            return Err(EditError::TooFewParts { parts });
        }
        let members = self.members(id);
        if members.len() < (parts + 1).max(crate::cluster::MIN_POINTS) {
            return Err(EditError::TooSmallToSplit { cluster: id, size: members.len(), parts });
        }
        let dim = corpus.space.dim;
        if dim == 0 || corpus.space.len() != corpus.len() {
            return Err(EditError::NoAnalysisSpace);
        }
        let values: Vec<f64> =
            members.iter().flat_map(|&i| corpus.space.row(i).iter().map(|&x| f64::from(x))).collect();
        // The cluster id joins the seed so splitting different clusters does not start k-means alike.
        let seed = corpus.seed ^ (u64::from(id as u32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let clustering = k_means(Points { dim, values: &values }, ClusterCount::Fixed(parts), seed, &mut Silent)
            .map_err(|error| EditError::SplitFailed { cluster: id, detail: error.to_string() })?;
        if clustering.k < 2 {
            return Err(EditError::NothingToSplit { cluster: id });
        }
        // k-means numbers its groups by size, largest first, so the new ids follow size too.
        let first = self.next_cluster_id.max(floor);
        let fresh: Vec<i32> = (0..clustering.k as i32).map(|part| first + part).collect();
        let mut assignments = self.assignments.clone();
        for (&point, &part) in members.iter().zip(&clustering.assignments) {
            assignments[point] = fresh[part as usize];
        }
        let joins = self.ways.of_cluster(id).flat_map(|way| fresh.iter().map(move |&new| (way.id, new))).collect();
        let mut touched: BTreeSet<i32> = fresh.iter().copied().collect();
        touched.insert(id);
        let patch = self.repartition(
            corpus,
            Repartition {
                assignments,
                touched,
                fresh: fresh.clone(),
                naming: BTreeMap::new(),
                joins,
                next_cluster_id: first + fresh.len() as i32,
            },
        );
        let parts = patch
            .clusters
            .iter()
            .filter_map(|change| change.after.as_ref())
            .filter(|cluster| fresh.contains(&cluster.id))
            .map(|cluster| Part { cluster: cluster.id, label: cluster.label.clone(), size: cluster.size })
            .collect();
        Ok((patch, Outcome::ClusterSplit { cluster: id, label: parent.label.clone(), parts }))
    }

    fn repartition(&self, corpus: &Corpus, plan: Repartition) -> Patch {
        let Repartition { assignments, touched, fresh, naming, joins, next_cluster_id } = plan;
        let points: Vec<PointChange> = self
            .assignments
            .iter()
            .zip(&assignments)
            .enumerate()
            .filter(|(_, (before, after))| before != after)
            .map(|(point, (&before, &after))| PointChange { point: point as u32, before, after })
            .collect();

        // Size and summed position of each touched cluster after the edit.
        let mut sums: BTreeMap<i32, (usize, f64, f64)> = touched.iter().map(|&id| (id, (0, 0.0, 0.0))).collect();
        for (point, cluster) in assignments.iter().enumerate() {
            if let Some(sum) = sums.get_mut(cluster) {
                let [x, y] = corpus.positions[point];
                *sum = (sum.0 + 1, sum.1 + f64::from(x), sum.2 + f64::from(y));
            }
        }
        let size = |id: i32| sums.get(&id).map_or(0, |sum| sum.0);

        let mut ids_after: Vec<i32> = self
            .clusters
            .iter()
            .map(|c| c.id)
            .chain(fresh.iter().copied())
            .filter(|&id| !touched.contains(&id) || size(id) > 0)
            .collect();
        ids_after.sort_unstable();
        ids_after.dedup();
        let terms: Vec<Vec<String>> = if corpus.has_text {
            let dense: Vec<i32> =
                assignments.iter().map(|c| ids_after.binary_search(c).map_or(-1, |index| index as i32)).collect();
            c_tf_idf(&corpus.words, &dense, ids_after.len(), TERMS_PER_CLUSTER)
                .into_iter()
                .map(|weighted| weighted.into_iter().map(|(term, _)| term).collect())
                .collect()
        } else {
            vec![Vec::new(); ids_after.len()]
        };

        let clusters = touched
            .iter()
            .map(|&id| {
                let before = self.cluster(id).cloned();
                let (count, x, y) = sums[&id];
                let after = (count > 0).then(|| {
                    let mut cluster = before.clone().unwrap_or(Cluster {
                        id,
                        label: String::new(),
                        provenance: Provenance::Machine,
                        description: None,
                        terms: Vec::new(),
                        size: 0,
                        centre: [0.0; 2],
                    });
                    if let Some((label, provenance, description)) = naming.get(&id) {
                        cluster.label.clone_from(label);
                        cluster.provenance = *provenance;
                        cluster.description.clone_from(description);
                    }
                    cluster.size = count;
                    cluster.centre = [(x / count as f64) as f32, (y / count as f64) as f32];
                    if let Ok(index) = ids_after.binary_search(&id) {
                        cluster.terms.clone_from(&terms[index]);
                    }
                    if cluster.provenance == Provenance::Machine {
                        cluster.label = machine_label(&cluster.terms);
                    }
                    cluster
                });
                ClusterChange { id, before, after }
            })
            .collect::<Vec<_>>();

        // Way changes are worked out on a copy so only real changes are recorded, which keeps undo exact.
        let mut ways = self.ways.clone();
        let mut changes = Vec::new();
        let mut change_member = |way_id: u32, cluster: i32, member: bool| {
            let Some(way) = ways.ways.iter_mut().find(|w| w.id == way_id) else { return };
            let changed = if member { way.clusters.insert(cluster) } else { way.clusters.remove(&cluster) };
            if changed {
                changes.push(WaysChange::Member { way: way_id, cluster, member });
            }
        };
        for (way, cluster) in joins {
            change_member(way, cluster, true);
        }
        let gone: Vec<i32> =
            clusters.iter().filter(|c| c.before.is_some() && c.after.is_none()).map(|c| c.id).collect();
        for &id in &gone {
            for way in self.ways.ways.iter().filter(|way| way.clusters.contains(&id)) {
                change_member(way.id, id, false);
            }
        }

        Patch {
            points,
            clusters,
            ways: changes,
            next_cluster_id: [self.next_cluster_id, next_cluster_id],
            next_way_id: [self.next_way_id; 2],
        }
    }
}

fn emptied(patch: &Patch) -> Vec<i32> {
    patch.clusters.iter().filter(|c| c.before.is_some() && c.after.is_none()).map(|c| c.id).collect()
}
