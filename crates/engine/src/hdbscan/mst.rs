//! Minimum spanning tree of the mutual-reachability graph, where the weight of an edge is
//! `max(core(a), core(b), distance(a, b))` (all squared here).
//!
//! Two ways, chosen by the caller:
//! - [`boruvka`] over the kd-tree for low dimensions: each round finds, for every component, its lightest edge to
//!   another component, then joins along those edges, so there are at most log₂ n rounds. A round is a nearest-
//!   other-component search per point, pruned by (1) skipping nodes whose points all lie in the query's component,
//!   (2) the component's best edge so far against the node's lower bound (box distance, the query's core distance
//!   and the node's smallest core distance), and (3) per-point memory across rounds: the weight to the nearest
//!   point outside one's component never decreases as components grow, so last round's answer is a lower bound,
//!   and an exact answer whose far end is still outside is still the answer.
//! - [`prim`] for high dimensions or few points, where a kd-tree cannot prune: O(n²) distance evaluations and O(n)
//!   memory, never the n×n matrix.
//!
//! Mutual reachability has many equal weights (every edge from a point to its sparser-than-itself neighbours weighs
//! its core distance), and which of several equal edges enter the tree changes the shape of the hierarchy. So both
//! order edges strictly by (weight, smaller point index, larger point index), in the caller's indices: under a
//! strict order the minimum spanning tree is unique, so both methods return the same tree for the same input.
//! The price is that a bound equal to the best weight so far cannot prune.

use super::kdtree::{larger, squared_distance, KdTree};
use crate::progress::Cancelled;

const NONE: u32 = u32::MAX;

/// An edge of the spanning tree; `weight` is the squared mutual-reachability distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edge {
    pub a: u32,
    pub b: u32,
    pub weight: f32,
}

/// Disjoint sets with path halving and union by size.
pub(crate) struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind { parent: (0..n as u32).collect(), size: vec![1; n] }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    /// Joins the sets of `a` and `b`; returns the new root, or `None` if they were already one set.
    pub fn union(&mut self, a: u32, b: u32) -> Option<u32> {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return None;
        }
        if self.size[ra as usize] < self.size[rb as usize] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb as usize] = ra;
        self.size[ra as usize] += self.size[rb as usize];
        Some(ra)
    }

    pub fn size_of_root(&self, root: u32) -> u32 {
        self.size[root as usize]
    }
}

/// An edge's place in the strict order: weight, then the smaller and the larger of its ends' caller indices.
type Key = (f32, u32, u32);

#[inline(always)]
fn key(weight: f32, a: u32, b: u32) -> Key {
    (weight, a.min(b), a.max(b))
}

#[inline(always)]
fn precedes(x: Key, y: Key) -> bool {
    x.0 < y.0 || (x.0 == y.0 && (x.1, x.2) < (y.1, y.2))
}

/// The lightest known edge leaving a component in the current round.
#[derive(Clone, Copy)]
struct Best {
    key: Key,
    from: u32,
    to: u32,
}

impl Best {
    #[inline(always)]
    fn weight(&self) -> f32 {
        self.key.0
    }
}

const NO_EDGE: Best = Best { key: (f32::INFINITY, NONE, NONE), from: NONE, to: NONE };

struct Boruvka<'a> {
    tree: &'a KdTree,
    core: &'a [f32],
    component: Vec<u32>,
    /// The component all of a node's points belong to, or `NONE` if they straddle components.
    node_component: Vec<u32>,
    node_min_core: Vec<f32>,
    best: Vec<Best>,
}

impl Boruvka<'_> {
    /// Looks for a lighter edge from `q` to another component; returns the lightest one `q` itself found
    /// (weight, far end), which is infinite if pruning left nothing to look at.
    fn search(&mut self, q: usize) -> (Key, u32) {
        let mut own = ((f32::INFINITY, NONE, NONE), NONE);
        let query_core = self.core[q];
        let root_bound = self.node_bound(0, q, query_core);
        self.visit(0, root_bound, q, query_core, &mut own);
        own
    }

    #[inline(always)]
    fn node_bound(&self, node: u32, q: usize, query_core: f32) -> f32 {
        let floor = larger(query_core, self.node_min_core[node as usize]);
        larger(self.tree.box_distance(node, self.tree.point(q)), floor)
    }

    fn visit(&mut self, node: u32, bound: f32, q: usize, query_core: f32, own: &mut (Key, u32)) {
        let component = self.component[q];
        if self.node_component[node as usize] == component || bound > self.best[component as usize].weight() {
            return;
        }
        let current = self.tree.nodes[node as usize];
        if current.is_leaf() {
            let query = self.tree.point(q);
            let query_original = self.tree.original[q];
            let mut best = self.best[component as usize];
            for p in current.start as usize..current.end as usize {
                if self.component[p] == component || self.core[p] > best.weight() {
                    continue;
                }
                let weight = larger(squared_distance(query, self.tree.point(p)), larger(query_core, self.core[p]));
                if weight > best.weight() && weight > own.0 .0 {
                    continue;
                }
                let edge = key(weight, query_original, self.tree.original[p]);
                if precedes(edge, own.0) {
                    *own = (edge, p as u32);
                }
                if precedes(edge, best.key) {
                    best = Best { key: edge, from: q as u32, to: p as u32 };
                }
            }
            self.best[component as usize] = best;
            return;
        }
        let left_bound = self.node_bound(current.left, q, query_core);
        let right_bound = self.node_bound(current.right, q, query_core);
        if left_bound <= right_bound {
            self.visit(current.left, left_bound, q, query_core, own);
            self.visit(current.right, right_bound, q, query_core, own);
        } else {
            self.visit(current.right, right_bound, q, query_core, own);
            self.visit(current.left, left_bound, q, query_core, own);
        }
    }

    fn refresh_node_components(&mut self) {
        for node in (0..self.tree.nodes.len()).rev() {
            let current = self.tree.nodes[node];
            self.node_component[node] = if current.is_leaf() {
                let first = self.component[current.start as usize];
                let range = current.start as usize..current.end as usize;
                if self.component[range].iter().all(|&c| c == first) {
                    first
                } else {
                    NONE
                }
            } else {
                let left = self.node_component[current.left as usize];
                if left == self.node_component[current.right as usize] {
                    left
                } else {
                    NONE
                }
            };
        }
    }
}

/// Each point's nearest others (tree-order indices, nearest first) and their squared distances, `width` per point:
/// one more than the core distance's k, or all other points when there are no more.
pub(crate) struct Neighbours<'a> {
    pub indices: &'a [u32],
    pub distances: &'a [f32],
    pub width: usize,
}

/// Borůvka's algorithm over `tree`. `core` holds squared core distances, in tree order like the neighbours; the
/// edges returned use tree-order indices too.
pub(crate) fn boruvka(
    tree: &KdTree,
    core: &[f32],
    near: &Neighbours,
    report: &mut dyn FnMut(f32) -> Result<(), Cancelled>,
) -> Result<Vec<Edge>, Cancelled> {
    let n = tree.len();
    let mut node_min_core = vec![f32::INFINITY; tree.nodes.len()];
    for node in (0..tree.nodes.len()).rev() {
        let current = tree.nodes[node];
        node_min_core[node] = if current.is_leaf() {
            core[current.start as usize..current.end as usize].iter().copied().fold(f32::INFINITY, f32::min)
        } else {
            node_min_core[current.left as usize].min(node_min_core[current.right as usize])
        };
    }
    let mut state = Boruvka {
        tree,
        core,
        component: (0..n as u32).collect(),
        node_component: vec![NONE; tree.nodes.len()],
        node_min_core,
        best: vec![NO_EDGE; n],
    };
    let mut sets = UnionFind::new(n);
    // Per point: a lower bound on the weight to the nearest point outside its component, and that point itself
    // (with the edge's key) when it is known exactly.
    let mut lower_bound = core.to_vec();
    let mut exact_to = vec![NONE; n];
    let mut exact_key = vec![NO_EDGE.key; n];
    let mut edges = Vec::with_capacity(n.saturating_sub(1));

    // Round one starts from the nearest neighbours. No edge from q weighs less than its core distance, and only
    // points within that distance can weigh exactly that; if the furthest neighbour listed lies beyond it (or all
    // points are listed), every such point is listed, so the first of them in the strict order is q's answer.
    // Otherwise the neighbours still give an upper bound that lets the search prune from the start.
    let width = near.width;
    let complete = width + 1 >= n;
    for q in 0..n {
        let listed = q * width..(q + 1) * width;
        for &p in &near.indices[listed.clone()] {
            let weight =
                larger(squared_distance(tree.point(q), tree.point(p as usize)), larger(core[q], core[p as usize]));
            let edge = key(weight, tree.original[q], tree.original[p as usize]);
            if precedes(edge, state.best[q].key) {
                state.best[q] = Best { key: edge, from: q as u32, to: p };
            }
        }
        let beyond = complete || near.distances[listed.end - 1] > core[q];
        if state.best[q].weight() <= core[q] && beyond {
            exact_to[q] = state.best[q].to;
            exact_key[q] = state.best[q].key;
        }
    }

    let mut components = n;
    let mut round = 0;
    while components > 1 {
        if round > 0 {
            for q in 0..n {
                state.component[q] = sets.find(q as u32);
            }
            for best in state.best.iter_mut() {
                *best = NO_EDGE;
            }
            for q in 0..n {
                let to = exact_to[q];
                if to == NONE {
                    continue;
                }
                let component = state.component[q] as usize;
                if state.component[to as usize] as usize == component {
                    exact_to[q] = NONE;
                    continue;
                }
                if precedes(exact_key[q], state.best[component].key) {
                    state.best[component] = Best { key: exact_key[q], from: q as u32, to };
                }
            }
        }
        state.refresh_node_components();
        for q in 0..n {
            let component = state.component[q] as usize;
            if exact_to[q] != NONE || lower_bound[q] > state.best[component].weight() {
                continue;
            }
            let (own_key, own_to) = state.search(q);
            let after = state.best[component].weight();
            if own_to != NONE && own_key.0 <= after {
                // Everything pruned weighed more than `after`, so what q found is its first edge outside.
                lower_bound[q] = own_key.0;
                exact_to[q] = own_to;
                exact_key[q] = own_key;
            } else {
                lower_bound[q] = lower_bound[q].max(after);
            }
        }
        for c in 0..n {
            let best = state.best[c];
            if best.from == NONE || state.component[c] != c as u32 {
                continue;
            }
            if sets.union(best.from, best.to).is_some() {
                edges.push(Edge { a: best.from, b: best.to, weight: best.weight() });
                components -= 1;
            }
        }
        round += 1;
        report(1.0 - components as f32 / n as f32)?;
    }
    Ok(edges)
}

/// Prim's algorithm over the implicit complete graph: each step adds the first edge, in the strict order, from
/// the tree to a point outside it. `core` holds squared core distances; edges use the caller's indices.
pub(crate) fn prim(
    data: &[f32],
    dim: usize,
    core: &[f32],
    report: &mut dyn FnMut(f32) -> Result<(), Cancelled>,
) -> Result<Vec<Edge>, Cancelled> {
    let n = core.len();
    let mut outside: Vec<u32> = (1..n as u32).collect();
    let mut lightest = vec![NO_EDGE.key; n];
    let mut from = vec![0u32; n];
    let mut edges = Vec::with_capacity(n.saturating_sub(1));
    let mut newest = 0usize;
    let step = (n / 50).max(1);
    while !outside.is_empty() {
        let newest_point = &data[newest * dim..(newest + 1) * dim];
        let newest_core = core[newest];
        let mut pick = 0usize;
        for (slot, &p) in outside.iter().enumerate() {
            let p = p as usize;
            let weight =
                larger(squared_distance(newest_point, &data[p * dim..(p + 1) * dim]), larger(newest_core, core[p]));
            let edge = key(weight, newest as u32, p as u32);
            if precedes(edge, lightest[p]) {
                lightest[p] = edge;
                from[p] = newest as u32;
            }
            if precedes(lightest[p], lightest[outside[pick] as usize]) {
                pick = slot;
            }
        }
        let next = outside.swap_remove(pick) as usize;
        edges.push(Edge { a: from[next], b: next as u32, weight: lightest[next].0 });
        newest = next;
        if edges.len() % step == 0 {
            report(edges.len() as f32 / n as f32)?;
        }
    }
    Ok(edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scatter(n: usize, dim: usize, seed: u64) -> Vec<f32> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n * dim).map(|i| rng.gen_range(0.0..1.0) + if (i / dim).is_multiple_of(3) { 3.0 } else { 0.0 }).collect()
    }

    fn total(edges: &[Edge]) -> f64 {
        edges.iter().map(|e| e.weight as f64).sum()
    }

    fn core_distances(data: &[f32], dim: usize, k: usize) -> Vec<f32> {
        let n = data.len() / dim;
        (0..n)
            .map(|q| {
                let mut d: Vec<f32> = (0..n)
                    .filter(|&p| p != q)
                    .map(|p| squared_distance(&data[q * dim..(q + 1) * dim], &data[p * dim..(p + 1) * dim]))
                    .collect();
                d.sort_by(f32::total_cmp);
                d[k - 1]
            })
            .collect()
    }

    /// Prim on the full graph is the textbook algorithm, so it is the oracle for Borůvka's total weight.
    #[test]
    fn boruvka_finds_a_spanning_tree_as_light_as_prims() {
        for (n, dim, k, seed) in [(400, 2, 5, 1), (700, 5, 10, 2), (300, 3, 1, 3)] {
            let data = scatter(n, dim, seed);
            let tree = KdTree::build(&data, dim);
            let width = k + 1;
            let (indices, distances) = tree.nearest_neighbours::<Cancelled>(width, &mut |_| Ok(())).unwrap();
            let core: Vec<f32> = (0..n).map(|q| distances[q * width + k - 1]).collect();
            let near = Neighbours { indices: &indices, distances: &distances, width };
            let fast = boruvka(&tree, &core, &near, &mut |_| Ok(())).unwrap();
            assert_eq!(fast.len(), n - 1);
            let mut sets = UnionFind::new(n);
            assert!(fast.iter().all(|e| sets.union(e.a, e.b).is_some()), "Borůvka's edges form a cycle");

            let original_core = core_distances(&data, dim, k);
            let slow = prim(&data, dim, &original_core, &mut |_| Ok(())).unwrap();
            assert_eq!(slow.len(), n - 1);
            let (a, b) = (total(&fast), total(&slow));
            assert!((a - b).abs() <= 1e-4 * b.max(1.0), "n {n} dim {dim}: Borůvka {a} vs Prim {b}");
        }
    }

    #[test]
    fn prim_matches_a_hand_made_path() {
        // Points on a line at 0, 1, 3, 6 with core distance 0: the tree is the path, squared weights 1, 4, 9.
        let data = [0.0, 1.0, 3.0, 6.0];
        let edges = prim(&data, 1, &[0.0; 4], &mut |_| Ok(())).unwrap();
        let weights: Vec<f32> = edges.iter().map(|e| e.weight).collect();
        assert_eq!(weights, vec![1.0, 4.0, 9.0]);
    }
}
