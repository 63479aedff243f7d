//! From spanning tree to flat clusters: single-linkage hierarchy, condensed tree, stability, selection, labels,
//! membership probabilities and GLOSH outlier scores (Campello, Moulavi, Zimek & Sander 2015).
//!
//! Densities are λ = 1 / distance. A cluster is born at the λ where it splits from its parent and every point
//! leaves its cluster at some λ (when it, or a group smaller than `min_cluster_size` with it, splits off).
//! Stability is Σ over the cluster's points of (λ_leave − λ_birth), counting a child cluster's points as leaving
//! at the child's birth. Distances of 0 give λ = ∞: a split at distance 0 separates copies of the same position,
//! which is no real split, so its points all leave the current cluster at λ = ∞ instead of forming children.

use std::collections::VecDeque;

use super::mst::{Edge, UnionFind};
use super::ClusterSelection;

/// One merge of the single-linkage hierarchy. Nodes below `n` are points; merge `i` creates node `n + i`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Merge {
    pub left: u32,
    pub right: u32,
    pub distance: f64,
    pub size: u32,
}

/// Kruskal's merge order over the spanning tree's edges (lightest first; equal weights by point indices, so the
/// hierarchy is deterministic). `weight` is squared, `distance` is not.
pub(crate) fn single_linkage(n: usize, edges: &mut [Edge]) -> Vec<Merge> {
    edges.sort_by(|x, y| {
        x.weight.total_cmp(&y.weight).then((x.a.min(x.b), x.a.max(x.b)).cmp(&(y.a.min(y.b), y.a.max(y.b))))
    });
    let mut sets = UnionFind::new(n);
    let mut node_of_root: Vec<u32> = (0..n as u32).collect();
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    for edge in edges.iter() {
        let (ra, rb) = (sets.find(edge.a), sets.find(edge.b));
        let (left, right) = (node_of_root[ra as usize], node_of_root[rb as usize]);
        let Some(root) = sets.union(ra, rb) else { continue };
        node_of_root[root as usize] = (n + merges.len()) as u32;
        merges.push(Merge { left, right, distance: (edge.weight as f64).sqrt(), size: sets.size_of_root(root) });
    }
    merges
}

/// The hierarchy with every split into a part smaller than `min_cluster_size` read as points leaving.
/// Cluster 0 is the root; children always have larger ids than their parents.
pub(crate) struct CondensedTree {
    pub parent: Vec<usize>,
    pub birth: Vec<f64>,
    pub size: Vec<usize>,
    pub children: Vec<Vec<usize>>,
    /// The cluster each point leaves, and the λ at which it leaves.
    pub point_cluster: Vec<usize>,
    pub point_lambda: Vec<f64>,
}

const NO_PARENT: usize = usize::MAX;

fn lambda_of(distance: f64) -> f64 {
    if distance > 0.0 {
        1.0 / distance
    } else {
        f64::INFINITY
    }
}

/// `(λ − birth)` where both may be infinite: a cluster born at λ = ∞ whose points leave at ∞ contributes nothing.
fn persistence(lambda: f64, birth: f64) -> f64 {
    if lambda == birth {
        0.0
    } else {
        lambda - birth
    }
}

pub(crate) fn condense(n: usize, merges: &[Merge], min_cluster_size: usize) -> CondensedTree {
    let mut tree = CondensedTree {
        parent: vec![NO_PARENT],
        birth: vec![0.0],
        size: vec![n],
        children: vec![Vec::new()],
        point_cluster: vec![0; n],
        point_lambda: vec![0.0; n],
    };
    let size_of = |node: u32| if (node as usize) < n { 1 } else { merges[node as usize - n].size as usize };
    let mut stack = Vec::new();
    let mut leave = |tree: &mut CondensedTree, node: u32, cluster: usize, lambda: f64| {
        stack.push(node);
        while let Some(node) = stack.pop() {
            if (node as usize) < n {
                tree.point_cluster[node as usize] = cluster;
                tree.point_lambda[node as usize] = lambda;
            } else {
                let merge = merges[node as usize - n];
                stack.push(merge.right);
                stack.push(merge.left);
            }
        }
    };
    if merges.is_empty() {
        // A single point: it is the root's only member and never leaves.
        tree.point_lambda.iter_mut().for_each(|l| *l = f64::INFINITY);
        return tree;
    }
    // Breadth first, as the reference numbers its clusters.
    let mut queue = VecDeque::from([((n + merges.len() - 1) as u32, 0usize)]);
    while let Some((node, cluster)) = queue.pop_front() {
        let merge = merges[node as usize - n];
        let lambda = lambda_of(merge.distance);
        let (left_size, right_size) = (size_of(merge.left), size_of(merge.right));
        let left_big = left_size >= min_cluster_size && lambda.is_finite();
        let right_big = right_size >= min_cluster_size && lambda.is_finite();
        match (left_big, right_big) {
            (true, true) => {
                for (child, size) in [(merge.left, left_size), (merge.right, right_size)] {
                    let id = tree.parent.len();
                    tree.parent.push(cluster);
                    tree.birth.push(lambda);
                    tree.size.push(size);
                    tree.children.push(Vec::new());
                    tree.children[cluster].push(id);
                    queue.push_back((child, id));
                }
            }
            (false, false) => {
                leave(&mut tree, merge.left, cluster, lambda);
                leave(&mut tree, merge.right, cluster, lambda);
            }
            (true, false) => {
                leave(&mut tree, merge.right, cluster, lambda);
                queue.push_back((merge.left, cluster));
            }
            (false, true) => {
                leave(&mut tree, merge.left, cluster, lambda);
                queue.push_back((merge.right, cluster));
            }
        }
    }
    tree
}

impl CondensedTree {
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Per cluster: its own stability, and the largest λ of anything leaving it directly (its "death").
    fn stability_and_death(&self) -> (Vec<f64>, Vec<f64>) {
        let mut stability = vec![0.0; self.len()];
        let mut death = vec![0.0f64; self.len()];
        for (&cluster, &lambda) in self.point_cluster.iter().zip(&self.point_lambda) {
            stability[cluster] += persistence(lambda, self.birth[cluster]);
            death[cluster] = death[cluster].max(lambda);
        }
        for child in 1..self.len() {
            let parent = self.parent[child];
            stability[parent] += persistence(self.birth[child], self.birth[parent]) * self.size[child] as f64;
            death[parent] = death[parent].max(self.birth[child]);
        }
        (stability, death)
    }

    fn descendants(&self, cluster: usize) -> Vec<usize> {
        let mut found = Vec::new();
        let mut stack = self.children[cluster].clone();
        while let Some(c) = stack.pop() {
            found.push(c);
            stack.extend_from_slice(&self.children[c]);
        }
        found
    }

    /// Which clusters are the flat clustering (see [`super::HdbscanParams`] for the rules).
    pub fn select(&self, selection: ClusterSelection, epsilon: f64, allow_single_cluster: bool) -> Vec<bool> {
        let (mut stability, _) = self.stability_and_death();
        let mut selected = vec![false; self.len()];
        let has_children = self.len() > 1;
        match selection {
            ClusterSelection::ExcessOfMass => {
                let lowest = if allow_single_cluster { 0 } else { 1 };
                // Reverse id order is children before parents.
                let mut beats_children = vec![false; self.len()];
                for cluster in (lowest..self.len()).rev() {
                    let below: f64 = self.children[cluster].iter().map(|&c| stability[c]).sum();
                    if below > stability[cluster] {
                        stability[cluster] = below;
                    } else {
                        beats_children[cluster] = true;
                    }
                }
                // A cluster that beats its children hides everything below it; one top-down pass keeps this linear
                // where deselecting each winner's subtree would be quadratic on deep trees.
                let mut hidden = vec![false; self.len()];
                selected[0] = beats_children[0];
                for cluster in 1..self.len() {
                    let parent = self.parent[cluster];
                    hidden[cluster] = hidden[parent] || selected[parent];
                    selected[cluster] = beats_children[cluster] && !hidden[cluster];
                }
                if epsilon > 0.0 && has_children && !selected[0] {
                    selected = self.epsilon_merge(&selected, epsilon, allow_single_cluster);
                }
            }
            ClusterSelection::Leaf => {
                if has_children {
                    for (cluster, children) in self.children.iter().enumerate().skip(1) {
                        selected[cluster] = children.is_empty();
                    }
                    if epsilon > 0.0 {
                        selected = self.epsilon_merge(&selected, epsilon, allow_single_cluster);
                    }
                }
                // Without any split there are no leaves, and the reference then selects nothing, even with
                // `allow_single_cluster`.
            }
        }
        selected
    }

    /// Replaces each selected cluster born below distance ε (λ > 1/ε) by its nearest ancestor born at or above ε
    /// (the root's children stay unless a single cluster is allowed), after Malzer & Baum (2019).
    fn epsilon_merge(&self, selected: &[bool], epsilon: f64, allow_single_cluster: bool) -> Vec<bool> {
        let mut result = vec![false; self.len()];
        let mut absorbed = vec![false; self.len()];
        for cluster in (1..self.len()).filter(|&c| selected[c]) {
            if absorbed[cluster] {
                continue;
            }
            if 1.0 / self.birth[cluster] >= epsilon {
                result[cluster] = true;
                continue;
            }
            let mut current = cluster;
            let chosen = loop {
                let parent = self.parent[current];
                if parent == 0 {
                    break if allow_single_cluster { 0 } else { current };
                }
                if 1.0 / self.birth[parent] > epsilon {
                    break parent;
                }
                current = parent;
            };
            result[chosen] = true;
            for d in self.descendants(chosen) {
                absorbed[d] = true;
                result[d] = false;
            }
        }
        result
    }

    /// Labels (cluster index into `selected`'s true entries by id, or `None` for noise), membership
    /// probabilities and GLOSH outlier scores.
    pub fn label(&self, selected: &[bool], epsilon: f64, allow_single_cluster: bool) -> Labelling {
        let n = self.point_cluster.len();
        let (_, death) = self.stability_and_death();
        // The selected cluster at or above each cluster, found top-down since parents have smaller ids.
        let mut owner = vec![None; self.len()];
        for cluster in 0..self.len() {
            owner[cluster] = if selected[cluster] {
                Some(cluster)
            } else if cluster == 0 {
                None
            } else {
                owner[self.parent[cluster]]
            };
        }
        // The root only ever holds the points at its very densest (or denser than 1/ε), as in the reference.
        let root_threshold = if epsilon > 0.0 { 1.0 / epsilon } else { death[0] };
        let mut cluster_of = vec![None; n];
        let mut probability = vec![0.0f32; n];
        for point in 0..n {
            let lambda = self.point_lambda[point];
            let Some(cluster) = owner[self.point_cluster[point]] else { continue };
            if cluster == 0 && !(allow_single_cluster && lambda >= root_threshold) {
                continue;
            }
            cluster_of[point] = Some(cluster);
            let max_lambda = death[cluster];
            probability[point] = if max_lambda == 0.0 || !lambda.is_finite() {
                1.0
            } else {
                (lambda.min(max_lambda) / max_lambda) as f32
            };
        }

        // GLOSH compares a point's λ with the densest λ anywhere below the cluster it leaves.
        let mut deepest = death;
        for cluster in (1..self.len()).rev() {
            let parent = self.parent[cluster];
            deepest[parent] = deepest[parent].max(deepest[cluster]);
        }
        let outlier_scores = (0..n)
            .map(|point| {
                let lambda = self.point_lambda[point];
                let max_lambda = deepest[self.point_cluster[point]];
                if max_lambda == 0.0 || !lambda.is_finite() {
                    0.0
                } else if !max_lambda.is_finite() {
                    1.0
                } else {
                    ((max_lambda - lambda) / max_lambda) as f32
                }
            })
            .collect();
        Labelling { cluster_of, probability, outlier_scores }
    }
}

pub(crate) struct Labelling {
    /// Condensed-tree cluster id of each point's flat cluster, or `None` for noise.
    pub cluster_of: Vec<Option<usize>>,
    pub probability: Vec<f32>,
    pub outlier_scores: Vec<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two groups of three points on a line, 1 apart inside and 10 apart between:
    /// 0,1,2 and 12,13,14 with core distance 0 (min_samples 1 in effect).
    fn two_groups() -> (usize, Vec<Merge>) {
        let mut edges = vec![
            Edge { a: 0, b: 1, weight: 1.0 },
            Edge { a: 1, b: 2, weight: 1.0 },
            Edge { a: 2, b: 3, weight: 100.0 },
            Edge { a: 3, b: 4, weight: 1.0 },
            Edge { a: 4, b: 5, weight: 1.0 },
        ];
        (6, single_linkage(6, &mut edges))
    }

    #[test]
    fn single_linkage_merges_lightest_first_and_counts_sizes() {
        let (_, merges) = two_groups();
        assert_eq!(merges.len(), 5);
        assert_eq!(merges.last().unwrap().size, 6);
        assert_eq!(merges.last().unwrap().distance, 10.0);
        assert!(merges.windows(2).all(|w| w[0].distance <= w[1].distance));
    }

    #[test]
    fn two_separated_groups_become_two_clusters_with_full_membership() {
        let (n, merges) = two_groups();
        let tree = condense(n, &merges, 3);
        assert_eq!(tree.len(), 3, "root and two children");
        assert_eq!(tree.birth[1], 0.1);
        let selected = tree.select(ClusterSelection::ExcessOfMass, 0.0, false);
        assert_eq!(selected, vec![false, true, true]);
        let labelling = tree.label(&selected, 0.0, false);
        assert_eq!(labelling.cluster_of[0], labelling.cluster_of[2]);
        assert_ne!(labelling.cluster_of[0], labelling.cluster_of[3]);
        assert!(labelling.cluster_of.iter().all(Option::is_some));
        // Every point leaves at λ = 1, which is also each cluster's death: probability 1, outlier score 0.
        assert!(labelling.probability.iter().all(|&p| p == 1.0));
        assert!(labelling.outlier_scores.iter().all(|&s| s == 0.0));
    }

    #[test]
    fn groups_below_min_cluster_size_leave_as_noise() {
        let (n, merges) = two_groups();
        let tree = condense(n, &merges, 4);
        assert_eq!(tree.len(), 1);
        let selected = tree.select(ClusterSelection::ExcessOfMass, 0.0, false);
        assert_eq!(tree.label(&selected, 0.0, false).cluster_of, vec![None; 6]);
    }

    #[test]
    fn epsilon_merges_clusters_split_below_it() {
        let (n, merges) = two_groups();
        let tree = condense(n, &merges, 3);
        let eom = tree.select(ClusterSelection::ExcessOfMass, 0.0, false);
        // The split is at distance 10: ε = 20 would merge into the root, which needs allow_single_cluster.
        assert_eq!(tree.select(ClusterSelection::ExcessOfMass, 20.0, false), eom);
        assert_eq!(tree.select(ClusterSelection::ExcessOfMass, 20.0, true), vec![true, false, false]);
        assert_eq!(tree.select(ClusterSelection::Leaf, 5.0, false), eom);
    }
}
