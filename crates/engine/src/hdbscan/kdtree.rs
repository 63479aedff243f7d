//! A kd-tree over the points, for the k-nearest-neighbour core distances and the Borůvka spanning tree.
//!
//! The tree copies the points into tree order (each node's points are one contiguous run), so both searches read
//! memory sequentially and per-node facts (one component, smallest core distance) are plain arrays indexed by node.
//! Nodes split at the median of their widest side, which keeps the depth at log₂(n / leaf size) whatever the data.
//! Every distance here is squared Euclidean: the square root is monotone, so comparisons need none.

/// Points per leaf: large enough that the per-node overhead is amortised, small enough to prune well in 5–10-D.
const LEAF_SIZE: usize = 24;

/// No child index: the root is never anyone's child, so 0 can mark a leaf.
const LEAF: u32 = 0;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    /// First point (in tree order) of the node's run.
    pub start: u32,
    /// One past the last point of the run.
    pub end: u32,
    pub left: u32,
    pub right: u32,
}

impl Node {
    #[inline(always)]
    pub fn is_leaf(&self) -> bool {
        self.left == LEAF
    }
}

pub(crate) struct KdTree {
    pub dim: usize,
    /// The points in tree order, row-major.
    pub points: Vec<f32>,
    /// `original[i]` is the caller's index of tree-order point `i`.
    pub original: Vec<u32>,
    /// Nodes in pre-order: a parent always comes before its children, so a reverse sweep is bottom-up.
    pub nodes: Vec<Node>,
    /// Tight bounding boxes, `dim` values per node.
    lower: Vec<f32>,
    upper: Vec<f32>,
}

// The release profile optimises for size (opt-level "z"), which inlines almost nothing on its own and turns
// `f32::max` into a libm call; the hot helpers below are therefore forced inline and use plain comparisons.

/// In many dimensions, four running sums rather than one: a single accumulator is one long dependency chain,
/// which the size-optimised build sometimes keeps in memory (3× slower in 50-D, measured); in few dimensions the
/// plain loop is faster (1.5 s against 2.3 s for 100k points in 5-D).
#[inline(always)]
pub(crate) fn squared_distance(a: &[f32], b: &[f32]) -> f32 {
    if a.len() < 16 {
        let mut sum = 0.0;
        for (x, y) in a.iter().zip(b) {
            sum += (x - y) * (x - y);
        }
        return sum;
    }
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let mut tail = 0.0;
    for (x, y) in a4.remainder().iter().zip(b4.remainder()) {
        tail += (x - y) * (x - y);
    }
    let (mut s0, mut s1, mut s2, mut s3) = (0.0, 0.0, 0.0, 0.0);
    for (x, y) in a4.zip(b4) {
        let (d0, d1, d2, d3) = (x[0] - y[0], x[1] - y[1], x[2] - y[2], x[3] - y[3]);
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
    }
    (s0 + s1) + (s2 + s3) + tail
}

/// The larger of two numbers, neither NaN.
#[inline(always)]
pub(crate) fn larger(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else {
        b
    }
}

impl KdTree {
    pub fn build(data: &[f32], dim: usize) -> Self {
        let n = data.len() / dim;
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut tree = KdTree {
            dim,
            points: Vec::new(),
            original: Vec::new(),
            nodes: Vec::with_capacity(2 * n / LEAF_SIZE + 1),
            lower: Vec::new(),
            upper: Vec::new(),
        };
        tree.split(data, &mut order, 0, n);
        tree.points = order.iter().flat_map(|&i| &data[i as usize * dim..(i as usize + 1) * dim]).copied().collect();
        tree.original = order;
        tree
    }

    pub fn len(&self) -> usize {
        self.original.len()
    }

    #[inline(always)]
    pub fn point(&self, i: usize) -> &[f32] {
        &self.points[i * self.dim..(i + 1) * self.dim]
    }

    /// Builds the node for `order[start..end]` and, below it, its subtree; returns the node's index.
    fn split(&mut self, data: &[f32], order: &mut [u32], start: usize, end: usize) -> u32 {
        let dim = self.dim;
        let index = self.nodes.len();
        self.nodes.push(Node { start: start as u32, end: end as u32, left: LEAF, right: LEAF });
        let mut lower = vec![f32::INFINITY; dim];
        let mut upper = vec![f32::NEG_INFINITY; dim];
        for &i in &order[start..end] {
            for (d, &v) in data[i as usize * dim..(i as usize + 1) * dim].iter().enumerate() {
                lower[d] = lower[d].min(v);
                upper[d] = upper[d].max(v);
            }
        }
        let (widest, extent) = (0..dim)
            .map(|d| (d, upper[d] - lower[d]))
            .fold((0, f32::NEG_INFINITY), |best, (d, e)| if e > best.1 { (d, e) } else { best });
        self.lower.extend_from_slice(&lower);
        self.upper.extend_from_slice(&upper);
        // A run of identical points cannot be split by position; it stays one (possibly large) leaf.
        if end - start <= LEAF_SIZE || extent <= 0.0 {
            return index as u32;
        }
        let middle = (start + end) / 2;
        let value = |i: u32| data[i as usize * dim + widest];
        // Ties broken by index so the tree, and everything downstream, depends only on the input.
        order[start..end]
            .select_nth_unstable_by(middle - start, |&a, &b| value(a).total_cmp(&value(b)).then(a.cmp(&b)));
        let left = self.split(data, order, start, middle);
        let right = self.split(data, order, middle, end);
        self.nodes[index].left = left;
        self.nodes[index].right = right;
        index as u32
    }

    /// Squared distance from `query` to the nearest point of the node's bounding box (0 inside it).
    #[inline(always)]
    pub fn box_distance(&self, node: u32, query: &[f32]) -> f32 {
        let at = node as usize * self.dim;
        let lower = &self.lower[at..at + self.dim];
        let upper = &self.upper[at..at + self.dim];
        let mut sum = 0.0;
        for ((&q, &low), &high) in query.iter().zip(lower).zip(upper) {
            let gap = if q < low {
                low - q
            } else if q > high {
                q - high
            } else {
                0.0
            };
            sum += gap * gap;
        }
        sum
    }

    /// For every point, its `k` nearest other points (tree-order indices, nearest first) and squared distances.
    /// The point itself is never among them, but an identical copy of it is, at distance 0.
    /// `report` hears the fraction of points done and may stop the search.
    pub fn nearest_neighbours<E>(
        &self,
        k: usize,
        report: &mut dyn FnMut(f32) -> Result<(), E>,
    ) -> Result<(Vec<u32>, Vec<f32>), E> {
        let n = self.len();
        let mut indices = Vec::with_capacity(n * k);
        let mut distances = Vec::with_capacity(n * k);
        let mut found: Vec<(f32, u32)> = Vec::with_capacity(k + 1);
        let step = (n / 20).max(1);
        for q in 0..n {
            found.clear();
            self.search_neighbours(0, q, k, &mut found);
            indices.extend(found.iter().map(|&(_, i)| i));
            distances.extend(found.iter().map(|&(d, _)| d));
            if q % step == step - 1 {
                report(q as f32 / n as f32)?;
            }
        }
        Ok((indices, distances))
    }

    fn search_neighbours(&self, node: u32, q: usize, k: usize, found: &mut Vec<(f32, u32)>) {
        let current = self.nodes[node as usize];
        let query = self.point(q);
        if current.is_leaf() {
            for p in current.start as usize..current.end as usize {
                if p == q {
                    continue;
                }
                let d = squared_distance(query, self.point(p));
                if found.len() == k {
                    if d >= found[k - 1].0 {
                        continue;
                    }
                    found.pop();
                }
                let at = found.partition_point(|&(e, i)| (e, i) < (d, p as u32));
                found.insert(at, (d, p as u32));
            }
            return;
        }
        let near_left = self.box_distance(current.left, query);
        let near_right = self.box_distance(current.right, query);
        let (first, first_distance, second, second_distance) = if near_left <= near_right {
            (current.left, near_left, current.right, near_right)
        } else {
            (current.right, near_right, current.left, near_left)
        };
        for (child, distance) in [(first, first_distance), (second, second_distance)] {
            if found.len() < k || distance < found[k - 1].0 {
                self.search_neighbours(child, q, k, found);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lattice_with_noise(n: usize, dim: usize) -> Vec<f32> {
        // A cheap deterministic scatter: fractional parts of multiples of irrational-ish steps.
        (0..n * dim).map(|i| ((i as f32 * 0.618_034 + (i % 7) as f32 * 0.1) % 1.0) * 10.0).collect()
    }

    #[test]
    fn neighbours_match_a_brute_force_scan() {
        let dim = 3;
        let data = lattice_with_noise(500, dim);
        let tree = KdTree::build(&data, dim);
        let k = 7;
        let (indices, distances) = tree.nearest_neighbours::<()>(k, &mut |_| Ok(())).unwrap();
        for q in 0..tree.len() {
            let mut all: Vec<f32> =
                (0..tree.len()).filter(|&p| p != q).map(|p| squared_distance(tree.point(q), tree.point(p))).collect();
            all.sort_by(f32::total_cmp);
            assert_eq!(&distances[q * k..(q + 1) * k], &all[..k], "point {q}");
            assert!(indices[q * k..(q + 1) * k].iter().all(|&p| p as usize != q));
        }
    }

    #[test]
    fn tree_order_is_a_permutation_and_boxes_hold_their_points() {
        let dim = 4;
        let data = lattice_with_noise(300, dim);
        let tree = KdTree::build(&data, dim);
        let mut seen = tree.original.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..300).collect::<Vec<u32>>());
        for (node, current) in tree.nodes.iter().enumerate() {
            for p in current.start..current.end {
                assert_eq!(tree.box_distance(node as u32, tree.point(p as usize)), 0.0);
            }
        }
    }
}
