//! Where the layout starts: spectral, PCA or random coordinates, scaled to the 10-unit box SGD expects.
//!
//! A good start matters more than many epochs: stochastic gradient descent only untangles locally. The paper
//! (§3.2) starts from a spectral embedding: the eigenvectors of the normalised graph Laplacian `L = I − D^−½ W D^−½`
//! with the smallest non-zero eigenvalues, which place strongly connected points together. They are the largest
//! eigenvectors of `M = D^−½ W D^−½` after the trivial one (`D^½·1`, eigenvalue 1), found here by block power
//! iteration on `(I + M) / 2` (its spectrum is shifted into [0, 1] so the negative end of M's cannot dominate),
//! with the trivial vector projected out, then a Rayleigh–Ritz step to sort out the directions within the block.
//! A disconnected graph has several trivial eigenvectors (one per component) that say nothing about layout, so
//! it, like any numerical failure, falls back to PCA of the input.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::fuzzy::FuzzyGraph;
use super::layout::{Axes, Fixed, Runtime};
use crate::dataset::Vectors;
use crate::pca::{pca, PcaInput};

/// How the layout starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Init {
    /// Eigenvectors of the graph Laplacian; PCA if the graph is disconnected.
    Spectral,
    /// The leading principal components of the input vectors.
    Pca,
    /// Uniformly random in the box.
    Random,
}

/// Which start was actually used (spectral may fall back to PCA).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    Spectral,
    Pca,
    Random,
}

/// Power iterations for the spectral start; enough for a smooth layout, not for converged eigenvectors, which
/// SGD does not need.
const POWER_ITERATIONS: usize = 150;
/// Extra vectors in the block: the wanted directions converge faster when the block is wider than they are.
const EXTRA_VECTORS: usize = 3;

/// Row-major `n × components` starting coordinates in [0, 10] per axis, with a little seeded noise so no two
/// points coincide.
pub(crate) fn initial_layout(
    init: Init,
    graph: &FuzzyGraph,
    data: &[f32],
    dim: usize,
    components: usize,
    seed: u64,
) -> (Vec<f32>, Start) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let n = graph.n;
    let (mut layout, start) = match init {
        Init::Random => (random_layout(n, components, &mut rng), Start::Random),
        Init::Pca => (pca_layout(data, dim, components, seed, &mut rng), Start::Pca),
        Init::Spectral => match spectral_layout(graph, components, &mut rng) {
            Some(layout) => (layout, Start::Spectral),
            None => (pca_layout(data, dim, components, seed, &mut rng), Start::Pca),
        },
    };
    scale_to_box(&mut layout, components, &mut rng);
    (layout, start)
}

fn random_layout(n: usize, components: usize, rng: &mut Xoshiro256PlusPlus) -> Vec<f32> {
    (0..n * components).map(|_| rng.gen_range(-10.0..10.0)).collect()
}

fn pca_layout(data: &[f32], dim: usize, components: usize, seed: u64, rng: &mut Xoshiro256PlusPlus) -> Vec<f32> {
    let n = data.len().checked_div(dim).unwrap_or(0);
    let vectors = Vectors { dim, values: data.to_vec() };
    let reduced = pca(PcaInput::Dense(&vectors), components, seed);
    let mut layout = Vec::with_capacity(n * components);
    for point in 0..n {
        for axis in 0..components {
            // Data with fewer dimensions (or points) than axes: the missing axes start random.
            let value = if axis < reduced.components {
                reduced.scores[point * reduced.components + axis] as f32
            } else {
                rng.gen_range(-1.0..1.0)
            };
            layout.push(if value.is_finite() { value } else { 0.0 });
        }
    }
    layout
}

/// Whether every point can reach every other along the graph's edges.
pub(crate) fn is_connected(graph: &FuzzyGraph) -> bool {
    let mut parent: Vec<u32> = (0..graph.n as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    let mut components = graph.n;
    for (&head, &tail) in graph.heads.iter().zip(&graph.tails) {
        let (a, b) = (root(&mut parent, head), root(&mut parent, tail));
        if a != b {
            parent[a as usize] = b;
            components -= 1;
        }
    }
    components <= 1
}

/// The spectral start, or `None` if the graph is disconnected, too small, or the iteration broke down.
fn spectral_layout(graph: &FuzzyGraph, components: usize, rng: &mut Xoshiro256PlusPlus) -> Option<Vec<f32>> {
    let n = graph.n;
    let width = components + EXTRA_VECTORS;
    if n <= width + 1 || !is_connected(graph) {
        return None;
    }
    // Compressed rows of M = D^−½ W D^−½; the fuzzy graph's edges are already sorted by head.
    let mut degree = vec![0f64; n];
    for (&head, &weight) in graph.heads.iter().zip(&graph.weights) {
        degree[head as usize] += f64::from(weight);
    }
    let inverse_root: Vec<f64> = degree.iter().map(|&d| if d > 0.0 { 1.0 / d.sqrt() } else { 0.0 }).collect();
    let mut row_starts = vec![0usize; n + 1];
    for &head in &graph.heads {
        row_starts[head as usize + 1] += 1;
    }
    for i in 0..n {
        row_starts[i + 1] += row_starts[i];
    }
    let normalised: Vec<f64> = graph
        .heads
        .iter()
        .zip(&graph.tails)
        .zip(&graph.weights)
        .map(|((&h, &t), &w)| f64::from(w) * inverse_root[h as usize] * inverse_root[t as usize])
        .collect();
    let rows = CompressedRows { starts: &row_starts, tails: &graph.tails, weights: &normalised };

    let total_degree: f64 = degree.iter().sum();
    let trivial: Vec<f64> = degree.iter().map(|&d| (d / total_degree).sqrt()).collect();
    let mut block: Vec<f64> = (0..n * width).map(|_| rng.gen_range(-1.0..1.0)).collect();
    // The block's width is known when compiling for the map's and the clustering layout's, so each row's update
    // unrolls into whole SIMD registers.
    let image = match width {
        5 => power_iteration(Fixed::<5>, &rows, &trivial, &mut block),
        8 => power_iteration(Fixed::<8>, &rows, &trivial, &mut block),
        _ => power_iteration(Runtime(width), &rows, &trivial, &mut block),
    }?;

    // Rayleigh–Ritz: eigenvectors of the small matrix Bᵀ·A·B give the best directions inside the block.
    let mut projected = vec![0f64; width * width];
    for row in 0..n {
        let (b, ab) = (&block[row * width..(row + 1) * width], &image[row * width..(row + 1) * width]);
        for i in 0..width {
            for j in 0..width {
                projected[i * width + j] += b[i] * ab[j];
            }
        }
    }
    let (_, rotation) = symmetric_eigen(&mut projected, width);
    let mut layout = Vec::with_capacity(n * components);
    for row in 0..n {
        let b = &block[row * width..(row + 1) * width];
        for axis in 0..components {
            let value: f64 = (0..width).map(|i| b[i] * rotation[i * width + axis]).sum();
            layout.push(value as f32);
        }
    }
    layout.iter().all(|v| v.is_finite()).then_some(layout)
}

/// Block power iteration on `(I + M) / 2`, the trivial vector projected out at every step: leaves `block`
/// orthonormal and returns its image under the operator, which Rayleigh–Ritz needs. `None` if the block lost rank.
fn power_iteration<A: Axes>(
    width: A,
    matrix: &CompressedRows<'_>,
    trivial: &[f64],
    block: &mut Vec<f64>,
) -> Option<Vec<f64>> {
    let mut next = vec![0f64; block.len()];
    orthonormalise(width, block, trivial)?;
    for _ in 0..POWER_ITERATIONS {
        half_step(width, matrix, block, &mut next);
        std::mem::swap(block, &mut next);
        orthonormalise(width, block, trivial)?;
    }
    half_step(width, matrix, block, &mut next);
    Some(next)
}

/// A sparse symmetric matrix by rows: row i's entries are `tails[starts[i]..starts[i + 1]]` with `weights`.
struct CompressedRows<'a> {
    starts: &'a [usize],
    tails: &'a [u32],
    weights: &'a [f64],
}

/// `out = (I + M)·block / 2` for row-major `n × width` blocks.
///
/// Not inlined: the power iteration calls it once per step, so in the browser V8 swaps in its optimised code after
/// the first few (see `knn::join`).
#[inline(never)]
fn half_step<A: Axes>(width: A, matrix: &CompressedRows<'_>, block: &[f64], out: &mut [f64]) {
    let width = width.count();
    for (row, out_row) in out.chunks_exact_mut(width).enumerate() {
        out_row.copy_from_slice(&block[row * width..(row + 1) * width]);
        let edges = matrix.starts[row]..matrix.starts[row + 1];
        for (&tail, &weight) in matrix.tails[edges.clone()].iter().zip(&matrix.weights[edges]) {
            let tail = tail as usize;
            for (o, &b) in out_row.iter_mut().zip(&block[tail * width..(tail + 1) * width]) {
                *o += weight * b;
            }
        }
        out_row.iter_mut().for_each(|o| *o *= 0.5);
    }
}

/// Makes the columns of a row-major `n × width` block orthonormal and orthogonal to the trivial eigenvector. `None`
/// if a column vanishes (the block lost rank).
///
/// Cholesky QR: one pass takes each row's trivial part out and sums the Gram matrix `BᵀB = RᵀR`, a second turns
/// the rows into `B·R⁻¹`. Both read the block row by row, where Gram–Schmidt walked it column by column, once per
/// pair of columns (`width²` strided passes, a third of the spectral start's time). Squaring the condition number
/// is harmless here: each step starts from an orthonormal block and applies an operator with spectrum in [0, 1], and
/// any loss of orthogonality is undone at the next step; a block too ill-conditioned for it (a column nearly in the
/// span of the ones before) goes through Gram–Schmidt instead.
#[inline(never)]
fn orthonormalise<A: Axes>(width: A, block: &mut [f64], trivial: &[f64]) -> Option<()> {
    let (n, width) = (trivial.len(), width.count());
    let mut along = vec![0f64; width];
    for (row, &t) in block.chunks_exact(width).zip(trivial) {
        for (a, &x) in along.iter_mut().zip(row) {
            *a += x * t;
        }
    }
    let mut gram = vec![0f64; width * width];
    for (row, &t) in block.chunks_exact_mut(width).zip(trivial) {
        for (x, &a) in row.iter_mut().zip(&along) {
            *x -= a * t;
        }
        for i in 0..width {
            for j in i..width {
                gram[i * width + j] += row[i] * row[j];
            }
        }
    }
    let Some(factor) = cholesky_upper(&gram, width) else {
        return gram_schmidt(block, n, width, trivial);
    };
    // x·R = b, solved along the row: each entry needs only the ones before it.
    for row in block.chunks_exact_mut(width) {
        for j in 0..width {
            let mut value = row[j];
            for i in 0..j {
                value -= row[i] * factor[i * width + j];
            }
            row[j] = value / factor[j * width + j];
        }
    }
    Some(())
}

/// The upper-triangular `R` with `RᵀR = gram` (row-major), or `None` if a pivot is not clearly positive (the
/// columns are nearly dependent, or not finite).
fn cholesky_upper(gram: &[f64], width: usize) -> Option<Vec<f64>> {
    let mut factor = vec![0f64; width * width];
    for j in 0..width {
        let mut pivot = gram[j * width + j];
        for k in 0..j {
            pivot -= factor[k * width + j] * factor[k * width + j];
        }
        // A column whose own part is under 10⁻⁴ of its length: Cholesky QR's loss of orthogonality grows with the
        // square of that ratio's inverse, Gram–Schmidt's only with the inverse.
        if pivot.is_nan() || pivot <= 1e-8 * gram[j * width + j].max(1e-300) {
            return None;
        }
        let diagonal = pivot.sqrt();
        factor[j * width + j] = diagonal;
        for i in j + 1..width {
            let mut value = gram[j * width + i];
            for k in 0..j {
                value -= factor[k * width + j] * factor[k * width + i];
            }
            factor[j * width + i] = value / diagonal;
        }
    }
    Some(factor)
}

/// Modified Gram–Schmidt on the columns of a row-major `n × width` block, after removing the trivial
/// eigenvector. `None` if a column vanishes (the block lost rank).
fn gram_schmidt(block: &mut [f64], n: usize, width: usize, trivial: &[f64]) -> Option<()> {
    for column in 0..width {
        let along: f64 = (0..n).map(|row| block[row * width + column] * trivial[row]).sum();
        (0..n).for_each(|row| block[row * width + column] -= along * trivial[row]);
        for earlier in 0..column {
            let along: f64 = (0..n).map(|row| block[row * width + column] * block[row * width + earlier]).sum();
            (0..n).for_each(|row| block[row * width + column] -= along * block[row * width + earlier]);
        }
        let norm = (0..n).map(|row| block[row * width + column].powi(2)).sum::<f64>().sqrt();
        if norm.is_nan() || norm <= 1e-12 {
            return None;
        }
        (0..n).for_each(|row| block[row * width + column] /= norm);
    }
    Some(())
}

/// Eigenvalues (descending) and eigenvectors (columns, row-major) of a small symmetric matrix by cyclic Jacobi
/// rotations; `matrix` is overwritten.
fn symmetric_eigen(matrix: &mut [f64], size: usize) -> (Vec<f64>, Vec<f64>) {
    let mut vectors = vec![0f64; size * size];
    (0..size).for_each(|i| vectors[i * size + i] = 1.0);
    for _ in 0..100 {
        let off: f64 = (0..size)
            .flat_map(|i| (0..size).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| matrix[i * size + j].powi(2))
            .sum();
        if off < 1e-24 {
            break;
        }
        for p in 0..size {
            for q in p + 1..size {
                let apq = matrix[p * size + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (matrix[q * size + q] - matrix[p * size + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..size {
                    let (akp, akq) = (matrix[k * size + p], matrix[k * size + q]);
                    matrix[k * size + p] = c * akp - s * akq;
                    matrix[k * size + q] = s * akp + c * akq;
                }
                for k in 0..size {
                    let (apk, aqk) = (matrix[p * size + k], matrix[q * size + k]);
                    matrix[p * size + k] = c * apk - s * aqk;
                    matrix[q * size + k] = s * apk + c * aqk;
                }
                for k in 0..size {
                    let (vkp, vkq) = (vectors[k * size + p], vectors[k * size + q]);
                    vectors[k * size + p] = c * vkp - s * vkq;
                    vectors[k * size + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..size).collect();
    order.sort_by(|&i, &j| matrix[j * size + j].total_cmp(&matrix[i * size + i]));
    let values = order.iter().map(|&i| matrix[i * size + i]).collect();
    let mut sorted = vec![0f64; size * size];
    for (new, &old) in order.iter().enumerate() {
        (0..size).for_each(|row| sorted[row * size + new] = vectors[row * size + old]);
    }
    (values, sorted)
}

/// Scales each axis to [0, 10] (the box umap-learn's SGD starts in) and adds Gaussian noise of 10⁻⁴ so no two
/// points start on top of each other.
fn scale_to_box(layout: &mut [f32], components: usize, rng: &mut Xoshiro256PlusPlus) {
    if components == 0 {
        return;
    }
    for axis in 0..components {
        let values = layout.iter().skip(axis).step_by(components);
        let (low, high) = values.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let range = high - low;
        for value in layout.iter_mut().skip(axis).step_by(components) {
            *value = if range > 0.0 { 10.0 * (*value - low) / range } else { 5.0 };
        }
    }
    for value in layout.iter_mut() {
        let u1: f32 = rng.gen_range(f32::MIN_POSITIVE..1.0);
        let u2: f32 = rng.gen();
        *value += 1e-4 * (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ring of `n` points, each joined to its two neighbours on either side.
    fn ring(n: usize) -> FuzzyGraph {
        let mut edges = Vec::new();
        for i in 0..n {
            for step in [1, 2] {
                edges.push((i as u32, ((i + step) % n) as u32));
                edges.push((((i + step) % n) as u32, i as u32));
            }
        }
        edges.sort_unstable();
        FuzzyGraph {
            n,
            heads: edges.iter().map(|e| e.0).collect(),
            tails: edges.iter().map(|e| e.1).collect(),
            weights: vec![1.0; edges.len()],
        }
    }

    #[test]
    fn spectral_layout_of_a_ring_is_a_circle() {
        // The two smallest non-trivial Laplacian eigenvectors of a ring are cos and sin of the angle, so the
        // layout must put every point at about the same distance from the centre, in ring order.
        let n = 60;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let layout = spectral_layout(&ring(n), 2, &mut rng).unwrap();
        let (cx, cy) = (
            layout.iter().step_by(2).sum::<f32>() / n as f32,
            layout.iter().skip(1).step_by(2).sum::<f32>() / n as f32,
        );
        let radii: Vec<f32> = layout.chunks(2).map(|p| ((p[0] - cx).powi(2) + (p[1] - cy).powi(2)).sqrt()).collect();
        let mean = radii.iter().sum::<f32>() / n as f32;
        assert!(radii.iter().all(|r| (r - mean).abs() < 0.05 * mean), "{radii:?}");
        // Neighbours on the ring are neighbours on the circle: consecutive angles differ by about 2π/n.
        let angles: Vec<f32> = layout.chunks(2).map(|p| (p[1] - cy).atan2(p[0] - cx)).collect();
        for i in 0..n {
            let step = (angles[(i + 1) % n] - angles[i]).rem_euclid(std::f32::consts::TAU);
            let step = step.min(std::f32::consts::TAU - step);
            assert!((step - std::f32::consts::TAU / n as f32).abs() < 0.05, "step {step}");
        }
    }

    #[test]
    fn disconnected_graphs_fall_back_to_pca() {
        let mut two = ring(20);
        let other = ring(20);
        two.heads.extend(other.heads.iter().map(|h| h + 20));
        two.tails.extend(other.tails.iter().map(|t| t + 20));
        two.weights.extend(other.weights);
        two.n = 40;
        assert!(!is_connected(&two));
        assert!(is_connected(&ring(20)));
        let data: Vec<f32> = (0..40 * 3).map(|i| (i % 7) as f32).collect();
        let (layout, start) = initial_layout(Init::Spectral, &two, &data, 3, 2, 1);
        assert_eq!(start, Start::Pca);
        assert!(layout.iter().all(|v| (-0.01..=10.01).contains(v)));
    }

    #[test]
    fn small_eigen_problem_is_solved() {
        let mut matrix = vec![2.0, 1.0, 0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 5.0];
        let original = matrix.clone();
        let (values, vectors) = symmetric_eigen(&mut matrix, 3);
        assert!((values[0] - 5.0).abs() < 1e-9 && (values[1] - 3.0).abs() < 1e-9 && (values[2] - 1.0).abs() < 1e-9);
        for (column, value) in values.iter().enumerate() {
            for row in 0..3 {
                let product: f64 = (0..3).map(|k| original[row * 3 + k] * vectors[k * 3 + column]).sum();
                assert!((product - value * vectors[row * 3 + column]).abs() < 1e-9);
            }
        }
    }

    /// Columns' dot products (`width × width`) and each column's dot product with `trivial`.
    fn products(block: &[f64], width: usize, trivial: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut gram = vec![0f64; width * width];
        let mut along = vec![0f64; width];
        for (row, &t) in block.chunks_exact(width).zip(trivial) {
            for i in 0..width {
                along[i] += row[i] * t;
                for j in 0..width {
                    gram[i * width + j] += row[i] * row[j];
                }
            }
        }
        (gram, along)
    }

    /// Both ways of orthonormalising, on a well-conditioned block (Cholesky QR) and on one whose last column nearly
    /// repeats the first (Gram–Schmidt): orthonormal columns, orthogonal to the trivial vector, spanning what the
    /// block spanned apart from it; and a block with a repeated column is refused.
    #[test]
    fn blocks_are_orthonormalised_within_their_span() {
        let (n, width) = (300, 5);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let trivial: Vec<f64> = (0..n).map(|_| 1.0 / (n as f64).sqrt()).collect();
        for nearly_dependent in [false, true] {
            let mut block: Vec<f64> = (0..n * width).map(|_| rng.gen_range(-1.0..1.0)).collect();
            if nearly_dependent {
                for row in 0..n {
                    block[row * width + width - 1] = block[row * width] + 1e-6 * rng.gen_range(-1.0..1.0);
                }
            }
            let original = block.clone();
            orthonormalise(Runtime(width), &mut block, &trivial).expect("full rank");
            let (gram, along) = products(&block, width, &trivial);
            // Gram–Schmidt loses orthogonality in proportion to the condition number (here about 10⁶).
            let tolerance = if nearly_dependent { 1e-8 } else { 1e-12 };
            for i in 0..width {
                assert!(along[i].abs() < tolerance, "column {i} keeps {} of the trivial vector", along[i]);
                for j in 0..width {
                    let expected = if i == j { 1.0 } else { 0.0 };
                    let error = (gram[i * width + j] - expected).abs();
                    assert!(error < tolerance, "({i}, {j}) off by {error}");
                }
            }
            // Each original column, less its trivial part, is a combination of the new columns.
            for column in 0..width {
                let part: Vec<f64> = (0..n).map(|row| original[row * width + column]).collect();
                let trivial_part: f64 = part.iter().zip(&trivial).map(|(x, t)| x * t).sum();
                let part: Vec<f64> = part.iter().zip(&trivial).map(|(x, t)| x - trivial_part * t).collect();
                let coefficients: Vec<f64> =
                    (0..width).map(|c| (0..n).map(|row| part[row] * block[row * width + c]).sum()).collect();
                let residual: f64 = (0..n)
                    .map(|row| part[row] - (0..width).map(|c| coefficients[c] * block[row * width + c]).sum::<f64>())
                    .map(|r| r * r)
                    .sum();
                assert!(residual.sqrt() < 1e-8, "column {column} left the span by {}", residual.sqrt());
            }
        }
        let mut repeated: Vec<f64> = (0..n * width).map(|_| rng.gen_range(-1.0..1.0)).collect();
        for row in 0..n {
            repeated[row * width + 2] = repeated[row * width + 1];
        }
        assert!(orthonormalise(Runtime(width), &mut repeated, &trivial).is_none());
        // The widths the layouts use, unrolled when compiling, do the same.
        let mut block: Vec<f64> = (0..n * 5).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let mut copy = block.clone();
        orthonormalise(Fixed::<5>, &mut block, &trivial).expect("full rank");
        orthonormalise(Runtime(5), &mut copy, &trivial).expect("full rank");
        assert_eq!(block, copy);
    }
}
