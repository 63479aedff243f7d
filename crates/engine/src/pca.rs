//! Principal component analysis by randomized SVD (Halko, Martinsson & Tropp 2011).
//!
//! Only the leading components are wanted (50 for the analysis space, 2 for the map), so a randomized range
//! finder with a few power iterations is far cheaper than a full decomposition, and it works on sparse TF-IDF
//! rows without ever centring (and so densifying) them: `Xc·B = X·B − 1(μᵀB)`. The remaining small problem is
//! solved exactly with Jacobi rotations. Signs are fixed so the same input and seed always give the same picture.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use wide::f32x4;

use crate::dataset::Vectors;
use crate::tfidf::SparseMatrix;

/// The data to reduce, dense (an embedding) or sparse (TF-IDF).
#[derive(Debug, Clone, Copy)]
pub enum PcaInput<'a> {
    Dense(&'a Vectors),
    Sparse(&'a SparseMatrix),
}

/// Coordinates of every point on the leading principal axes.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// Row-major `n × components` scores.
    pub scores: Vec<f64>,
    pub components: usize,
    /// Share of the total variance each component explains.
    pub explained_variance_ratio: Vec<f64>,
    /// Column means of the input, subtracted before projecting.
    pub means: Vec<f64>,
    /// Row-major `input dimensions × components`: the principal axes, so a new row `x` scores `(x − means)·axes`
    /// (what places a live statement into the same space as the data).
    pub axes: Vec<f64>,
}

impl Pca {
    pub fn point(&self, index: usize) -> &[f64] {
        &self.scores[index * self.components..(index + 1) * self.components]
    }
}

/// A column-major-free helper: row-major `rows × cols` matrix of f64.
#[derive(Debug, Clone)]
struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    fn zeros(rows: usize, cols: usize) -> Self {
        Matrix { rows, cols, data: vec![0.0; rows * cols] }
    }

    fn row(&self, r: usize) -> &[f64] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    fn row_mut(&mut self, r: usize) -> &mut [f64] {
        &mut self.data[r * self.cols..(r + 1) * self.cols]
    }

    /// Makes the columns orthonormal (modified Gram–Schmidt, run twice for stability). A column that is
    /// numerically dependent on earlier ones becomes zero rather than noise. Works on a column-major copy:
    /// walking a row-major matrix down its columns would miss the cache on every element.
    fn orthonormalise_columns(&mut self) {
        let mut columns: Vec<Vec<f64>> =
            (0..self.cols).map(|c| (0..self.rows).map(|r| self.data[r * self.cols + c]).collect()).collect();
        for _pass in 0..2 {
            for c in 0..columns.len() {
                let (done, rest) = columns.split_at_mut(c);
                let column = &mut rest[0];
                for previous in done.iter() {
                    let dot: f64 = column.iter().zip(previous).map(|(a, b)| a * b).sum();
                    column.iter_mut().zip(previous).for_each(|(a, b)| *a -= dot * b);
                }
                let norm = column.iter().map(|x| x * x).sum::<f64>().sqrt();
                let scale = if norm > 1e-12 { 1.0 / norm } else { 0.0 };
                column.iter_mut().for_each(|x| *x *= scale);
            }
        }
        for (c, column) in columns.iter().enumerate() {
            for (r, value) in column.iter().enumerate() {
                self.data[r * self.cols + c] = *value;
            }
        }
    }
}

impl PcaInput<'_> {
    fn shape(&self) -> (usize, usize) {
        match self {
            PcaInput::Dense(v) => (v.len(), v.dim),
            PcaInput::Sparse(m) => (m.n_rows(), m.n_cols),
        }
    }

    fn for_each_in_row(&self, row: usize, mut f: impl FnMut(usize, f64)) {
        match self {
            PcaInput::Dense(v) => v.row(row).iter().enumerate().for_each(|(j, &x)| f(j, x as f64)),
            PcaInput::Sparse(m) => m.row(row).for_each(|(j, x)| f(j, x as f64)),
        }
    }

    fn column_means(&self) -> Vec<f64> {
        let (n, d) = self.shape();
        let mut means = vec![0.0; d];
        for i in 0..n {
            self.for_each_in_row(i, |j, x| means[j] += x);
        }
        means.iter_mut().for_each(|m| *m /= n.max(1) as f64);
        means
    }

    fn total_variance(&self, means: &[f64]) -> f64 {
        let (n, _) = self.shape();
        let mut sum_sq = 0.0;
        for i in 0..n {
            self.for_each_in_row(i, |_, x| sum_sq += x * x);
        }
        let mean_sq: f64 = means.iter().map(|m| m * m).sum();
        (sum_sq - n as f64 * mean_sq) / (n.saturating_sub(1).max(1)) as f64
    }

    /// `Xc · b` for `b` of shape `d × l`, where `Xc` is the centred data.
    fn times(&self, b: &Matrix, means: &[f64]) -> Matrix {
        let (n, _) = self.shape();
        let mean_b: Vec<f64> =
            (0..b.cols).map(|c| (0..b.rows).map(|j| means[j] * b.data[j * b.cols + c]).sum()).collect();
        let mut out = Matrix::zeros(n, b.cols);
        for i in 0..n {
            let out_row = &mut out.data[i * b.cols..(i + 1) * b.cols];
            self.for_each_in_row(i, |j, x| {
                for (o, bj) in out_row.iter_mut().zip(b.row(j)) {
                    *o += x * bj;
                }
            });
            out_row.iter_mut().zip(&mean_b).for_each(|(o, m)| *o -= m);
        }
        out
    }

    /// `Xcᵀ · a` for `a` of shape `n × l`.
    fn transpose_times(&self, a: &Matrix, means: &[f64]) -> Matrix {
        let (n, d) = self.shape();
        let mut out = Matrix::zeros(d, a.cols);
        let mut column_sums = vec![0.0; a.cols];
        for i in 0..n {
            let a_row = a.row(i);
            column_sums.iter_mut().zip(a_row).for_each(|(s, x)| *s += x);
            self.for_each_in_row(i, |j, x| {
                for (o, ai) in out.row_mut(j).iter_mut().zip(a_row) {
                    *o += x * ai;
                }
            });
        }
        for (j, mean) in means.iter().enumerate().take(d) {
            for (o, s) in out.row_mut(j).iter_mut().zip(&column_sums) {
                *o -= mean * s;
            }
        }
        out
    }
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. Returns eigenvalues in
/// decreasing order and the matching eigenvectors as the columns of a row-major matrix.
fn symmetric_eigen(mut a: Matrix) -> (Vec<f64>, Matrix) {
    let size = a.rows;
    let mut v = Matrix::zeros(size, size);
    (0..size).for_each(|i| v.data[i * size + i] = 1.0);
    for _sweep in 0..100 {
        let off: f64 = (0..size)
            .flat_map(|p| (0..size).filter(move |&q| q != p).map(move |q| (p, q)))
            .map(|(p, q)| a.data[p * size + q].powi(2))
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..size {
            for q in p + 1..size {
                let apq = a.data[p * size + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a.data[q * size + q] - a.data[p * size + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..size {
                    let akp = a.data[k * size + p];
                    let akq = a.data[k * size + q];
                    a.data[k * size + p] = c * akp - s * akq;
                    a.data[k * size + q] = s * akp + c * akq;
                }
                for k in 0..size {
                    let apk = a.data[p * size + k];
                    let aqk = a.data[q * size + k];
                    a.data[p * size + k] = c * apk - s * aqk;
                    a.data[q * size + k] = s * apk + c * aqk;
                }
                for k in 0..size {
                    let vkp = v.data[k * size + p];
                    let vkq = v.data[k * size + q];
                    v.data[k * size + p] = c * vkp - s * vkq;
                    v.data[k * size + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..size).collect();
    order.sort_by(|&i, &j| a.data[j * size + j].total_cmp(&a.data[i * size + i]));
    let values = order.iter().map(|&i| a.data[i * size + i]).collect();
    let mut vectors = Matrix::zeros(size, size);
    for (new_col, &old_col) in order.iter().enumerate() {
        for r in 0..size {
            vectors.data[r * size + new_col] = v.data[r * size + old_col];
        }
    }
    (values, vectors)
}

fn gaussian(rng: &mut Xoshiro256PlusPlus) -> f64 {
    // Box–Muller; one of the pair is enough here.
    let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Dense data up to this many dimensions is reduced through its covariance matrix instead. Building the
/// `d × d` covariance is one pass costing `n·d²/2` multiply-adds; the randomized SVD makes six passes over the data
/// with 60 columns (`6·n·d·60`), so the covariance wins below about 700 dimensions. Measured natively on 100,000 ×
/// 384: 1.4 s against 5.3 s, with the leading subspace converged further (20 iterations on the small matrix cost
/// nothing, where the randomized SVD affords two over the data). Sentence embeddings are 384–1,024-dimensional.
const COVARIANCE_MAX_DIMENSIONS: usize = 512;
/// Rows summed in f32 before the block is added to the f64 total: short enough that f32 loses nothing that
/// matters, long enough that converting the block costs nothing.
const COVARIANCE_BLOCK_ROWS: usize = 256;
/// Subspace iterations on the covariance matrix. Each costs `2·d²·l`, under a millisecond at d = 384.
const SUBSPACE_ITERATIONS: usize = 20;

/// Projects the data onto its `components` leading principal axes (fewer if the data has fewer dimensions or
/// points). Same input and seed give the same output.
pub fn pca(input: PcaInput<'_>, components: usize, seed: u64) -> Pca {
    let (n, d) = input.shape();
    let k = components.min(d).min(n);
    if k == 0 {
        return Pca {
            scores: Vec::new(),
            components: 0,
            explained_variance_ratio: Vec::new(),
            means: Vec::new(),
            axes: Vec::new(),
        };
    }
    if let PcaInput::Dense(vectors) = input {
        if d <= COVARIANCE_MAX_DIMENSIONS {
            return covariance_pca(vectors, k, seed);
        }
    }
    let oversampled = (k + 10).min(d).min(n);
    let means = input.column_means();

    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut omega = Matrix::zeros(d, oversampled);
    omega.data.iter_mut().for_each(|x| *x = gaussian(&mut rng));

    let mut q = input.times(&omega, &means);
    q.orthonormalise_columns();
    for _power_iteration in 0..2 {
        let mut z = input.transpose_times(&q, &means);
        z.orthonormalise_columns();
        q = input.times(&z, &means);
        q.orthonormalise_columns();
    }
    // B = Qᵀ Xc, held transposed as Z = Xcᵀ Q; B Bᵀ = Zᵀ Z is small.
    let z = input.transpose_times(&q, &means);
    let mut gram = Matrix::zeros(oversampled, oversampled);
    for r in 0..oversampled {
        for c in r..oversampled {
            let dot: f64 = (0..d).map(|j| z.data[j * oversampled + r] * z.data[j * oversampled + c]).sum();
            gram.data[r * oversampled + c] = dot;
            gram.data[c * oversampled + r] = dot;
        }
    }
    let (eigenvalues, eigenvectors) = symmetric_eigen(gram);

    // Scores Xc·V = Q·U_B·S: the left singular vectors scaled by the singular values.
    let mut scores = vec![0.0; n * k];
    for i in 0..n {
        let q_row = q.row(i);
        for c in 0..k {
            let singular = eigenvalues[c].max(0.0).sqrt();
            let u: f64 = (0..oversampled).map(|r| q_row[r] * eigenvectors.data[r * oversampled + c]).sum();
            scores[i * k + c] = u * singular;
        }
    }
    // The axes themselves, V = Xcᵀ·Q·U_B / S = Z·U_B / S, for projecting rows the fit never saw.
    let mut axes = vec![0.0; d * k];
    for c in 0..k {
        let singular = eigenvalues[c].max(0.0).sqrt();
        if singular <= 1e-12 {
            continue;
        }
        for j in 0..d {
            let z_row = &z.data[j * oversampled..(j + 1) * oversampled];
            let dot: f64 = (0..oversampled).map(|r| z_row[r] * eigenvectors.data[r * oversampled + c]).sum();
            axes[j * k + c] = dot / singular;
        }
    }
    fix_signs(&mut scores, &mut axes, k);

    let total = input.total_variance(&means);
    let explained_variance_ratio = eigenvalues[..k]
        .iter()
        .map(|&value| if total > 0.0 { value.max(0.0) / (n.saturating_sub(1).max(1)) as f64 / total } else { 0.0 })
        .collect();
    Pca { scores, components: k, explained_variance_ratio, means, axes }
}

/// A component's sign is arbitrary; put the first point that lies clearly off its centre on the positive side so
/// reruns look alike. (The point with the largest score was used before, but a symmetric component has two
/// nearly equal extremes, and rounding then chose between them.)
/// The axes (`d × k`, row-major) turn with their scores.
fn fix_signs(scores: &mut [f64], axes: &mut [f64], k: usize) {
    let n = scores.len() / k.max(1);
    let d = axes.len() / k.max(1);
    for c in 0..k {
        let largest = (0..n).map(|i| scores[i * k + c].abs()).fold(0.0, f64::max);
        let first_clear = (0..n).map(|i| scores[i * k + c]).find(|s| s.abs() > largest * 1e-3).unwrap_or(0.0);
        if first_clear < 0.0 {
            (0..n).for_each(|i| scores[i * k + c] = -scores[i * k + c]);
            (0..d).for_each(|j| axes[j * k + c] = -axes[j * k + c]);
        }
    }
}

/// `Σ (x − μ)(x − μ)ᵀ` over the rows, as a full symmetric row-major `d × d` matrix. Four rows go through each
/// pass over the upper triangle, so every load and store of the accumulator serves four multiply-adds.
fn scatter_matrix(data: &Vectors, means: &[f32]) -> Vec<f64> {
    let (n, d) = (data.len(), data.dim);
    let mut total = vec![0f64; d * d];
    let mut block = vec![0f32; d * d];
    let mut centred = vec![0f32; 4 * d];
    let centre = |row: usize, out: &mut [f32]| {
        for ((o, &x), &m) in out.iter_mut().zip(data.row(row)).zip(means) {
            *o = x - m;
        }
    };
    for start in (0..n).step_by(COVARIANCE_BLOCK_ROWS) {
        let end = (start + COVARIANCE_BLOCK_ROWS).min(n);
        block.iter_mut().for_each(|c| *c = 0.0);
        let mut row = start;
        while row + 4 <= end {
            for r in 0..4 {
                centre(row + r, &mut centred[r * d..(r + 1) * d]);
            }
            scatter_four(&mut block, &centred, d);
            row += 4;
        }
        for single in row..end {
            centre(single, &mut centred[..d]);
            let x = &centred[..d];
            for i in 0..d {
                let a = x[i];
                for (c, &b) in block[i * d + i..(i + 1) * d].iter_mut().zip(&x[i..]) {
                    *c += a * b;
                }
            }
        }
        for i in 0..d {
            for j in i..d {
                total[i * d + j] += f64::from(block[i * d + j]);
            }
        }
    }
    for i in 0..d {
        for j in 0..i {
            total[i * d + j] = total[j * d + i];
        }
    }
    total
}

/// Adds the products of four centred rows (`centred`, 4 × d) to the upper triangle of `block`.
///
/// This, [`row_times`] and [`project_row`] are functions of their own, called thousands of times, because V8 runs
/// a WebAssembly function in its baseline compiler until a later call picks up the optimised code: inlined into
/// the PCA's single call, these loops ran unoptimised throughout. In Node's V8 the first PCA of 10,000 × 384 took
/// 300 ms that way and 160–190 ms with them apart (130 ms once everything is optimised).
#[inline(never)]
fn scatter_four(block: &mut [f32], centred: &[f32], d: usize) {
    let (x0, rest) = centred.split_at(d);
    let (x1, rest) = rest.split_at(d);
    let (x2, x3) = rest.split_at(d);
    for i in 0..d {
        scatter_row(&mut block[i * d + i..(i + 1) * d], [x0, x1, x2, x3], i);
    }
}

/// Adds four rows' products to one row of the upper triangle: `upper[j − i] += Σ_r x_r[i]·x_r[j]` for j ≥ i.
/// Written in explicit four-lane vectors because the compiler left the five-way zip scalar in wasm, where it was
/// most of the PCA's time; each lane does the same operations in the same order as the scalar tail, so the sums
/// have the same bits either way.
#[inline]
fn scatter_row(upper: &mut [f32], rows: [&[f32]; 4], i: usize) {
    let a = rows.map(|row| row[i]);
    let b = rows.map(|row| &row[i..]);
    let lanes = upper.len() / 4 * 4;
    let splat = a.map(f32x4::splat);
    let quads = b.map(|row| bytemuck::cast_slice::<f32, [f32; 4]>(&row[..lanes]));
    let totals: &mut [[f32; 4]] = bytemuck::cast_slice_mut(&mut upper[..lanes]);
    for (at, total) in totals.iter_mut().enumerate() {
        let sum = splat[0] * f32x4::from(quads[0][at])
            + splat[1] * f32x4::from(quads[1][at])
            + splat[2] * f32x4::from(quads[2][at])
            + splat[3] * f32x4::from(quads[3][at]);
        *total = (f32x4::from(*total) + sum).to_array();
    }
    for j in lanes..upper.len() {
        upper[j] += a[0] * b[0][j] + a[1] * b[1][j] + a[2] * b[2][j] + a[3] * b[3][j];
    }
}

/// `out = row · b`, one row of a matrix product.
#[inline(never)]
fn row_times(row: &[f64], b: &Matrix, out: &mut [f64]) {
    for (j, &s) in row.iter().enumerate() {
        for (o, &x) in out.iter_mut().zip(b.row(j)) {
            *o += s * x;
        }
    }
}

/// The scores of one row: `(x − μ)·axes`, with `axes` row-major `d × k`.
#[inline(never)]
fn project_row(row: &[f32], means: &[f32], axes: &[f32], scores: &mut [f32]) {
    let k = scores.len();
    scores.iter_mut().for_each(|s| *s = 0.0);
    for ((&x, &m), axis) in row.iter().zip(means).zip(axes.chunks_exact(k)) {
        let centred = x - m;
        for (s, &a) in scores.iter_mut().zip(axis) {
            *s += centred * a;
        }
    }
}

/// PCA of dense data from its scatter matrix: subspace iteration finds the leading eigenvectors of the small
/// `d × d` matrix, and one more pass projects the rows onto them.
fn covariance_pca(data: &Vectors, k: usize, seed: u64) -> Pca {
    let (n, d) = (data.len(), data.dim);
    let means = PcaInput::Dense(data).column_means();
    let means32: Vec<f32> = means.iter().map(|&m| m as f32).collect();
    let scatter = Matrix { rows: d, cols: d, data: scatter_matrix(data, &means32) };
    let width = (k + 10).min(d);

    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut basis = Matrix::zeros(d, width);
    basis.data.iter_mut().for_each(|x| *x = gaussian(&mut rng));
    basis.orthonormalise_columns();
    let times_scatter = |b: &Matrix| {
        let mut out = Matrix::zeros(d, b.cols);
        for i in 0..d {
            row_times(scatter.row(i), b, &mut out.data[i * b.cols..(i + 1) * b.cols]);
        }
        out
    };
    for _ in 0..SUBSPACE_ITERATIONS {
        basis = times_scatter(&basis);
        basis.orthonormalise_columns();
    }
    // Rayleigh–Ritz: the small matrix Bᵀ S B has the leading eigenvalues, its eigenvectors rotate B onto the axes.
    let image = times_scatter(&basis);
    let mut small = Matrix::zeros(width, width);
    for r in 0..width {
        for c in r..width {
            let dot: f64 = (0..d).map(|j| basis.data[j * width + r] * image.data[j * width + c]).sum();
            small.data[r * width + c] = dot;
            small.data[c * width + r] = dot;
        }
    }
    let (eigenvalues, rotation) = symmetric_eigen(small);
    // Axes as f32 rows of length k, so projecting a row is d short, vectorisable multiply-adds.
    let mut axes = vec![0f32; d * k];
    for j in 0..d {
        for c in 0..k {
            let value: f64 = (0..width).map(|r| basis.data[j * width + r] * rotation.data[r * width + c]).sum();
            axes[j * k + c] = value as f32;
        }
    }
    let mut scores = vec![0f64; n * k];
    let mut row_scores = vec![0f32; k];
    for i in 0..n {
        project_row(data.row(i), &means32, &axes, &mut row_scores);
        for (out, &s) in scores[i * k..(i + 1) * k].iter_mut().zip(&row_scores) {
            *out = f64::from(s);
        }
    }
    let mut axes: Vec<f64> = axes.iter().map(|&a| f64::from(a)).collect();
    fix_signs(&mut scores, &mut axes, k);
    let trace: f64 = (0..d).map(|i| scatter.data[i * d + i]).sum();
    let explained_variance_ratio =
        eigenvalues[..k].iter().map(|&value| if trace > 0.0 { value.max(0.0) / trace } else { 0.0 }).collect();
    Pca { scores, components: k, explained_variance_ratio, means, axes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scatter_rows_in_lanes_have_the_scalar_bits() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let d = 37;
        let rows: Vec<Vec<f32>> = (0..4).map(|_| (0..d).map(|_| rng.gen_range(-1.0f32..1.0)).collect()).collect();
        for i in 0..d {
            let start: Vec<f32> = (i..d).map(|_| rng.gen_range(-1.0f32..1.0)).collect();
            let mut lanes = start.clone();
            scatter_row(&mut lanes, [&rows[0], &rows[1], &rows[2], &rows[3]], i);
            for (j, (&lane, &before)) in lanes.iter().zip(&start).enumerate() {
                let (a, b) = (|r: usize| rows[r][i], |r: usize| rows[r][i + j]);
                let scalar = before + (a(0) * b(0) + a(1) * b(1) + a(2) * b(2) + a(3) * b(3));
                assert_eq!(lane.to_bits(), scalar.to_bits(), "row {i}, column {}", i + j);
            }
        }
    }

    /// Points on a tilted line with a little noise across it: the first axis must carry nearly all variance.
    fn line(n: usize) -> Vectors {
        let mut values = Vec::new();
        for i in 0..n {
            let t = i as f32 / n as f32 * 10.0;
            let wobble = if i % 2 == 0 { 0.05 } else { -0.05 };
            values.extend_from_slice(&[t, 2.0 * t + wobble, -t, 3.0]);
        }
        Vectors { dim: 4, values }
    }

    #[test]
    fn first_component_follows_the_line() {
        let data = line(200);
        let result = pca(PcaInput::Dense(&data), 2, 7);
        assert_eq!(result.components, 2);
        assert!(result.explained_variance_ratio[0] > 0.999, "{:?}", result.explained_variance_ratio);
        // Scores along the first axis are ordered like t (or reversed) and centred.
        let first: Vec<f64> = (0..200).map(|i| result.point(i)[0]).collect();
        assert!(first.windows(2).all(|w| w[1] > w[0]) || first.windows(2).all(|w| w[1] < w[0]));
        // Dense rows are projected in f32 (the analysis space is f32 anyway): centred to f32 precision.
        assert!(first.iter().sum::<f64>().abs() < 1e-3);
        // Lengths are preserved: the end points differ by (9.95, 19.9 - 0.1, -9.95), seen along (1, 2, -1)/√6.
        let span = first.iter().cloned().fold(f64::MIN, f64::max) - first.iter().cloned().fold(f64::MAX, f64::min);
        let expected = (9.95 + 2.0 * 19.8 + 9.95) / 6f64.sqrt();
        assert!((span - expected).abs() < 1e-2, "{span} vs {expected}");
    }

    #[test]
    fn sparse_and_dense_input_give_the_same_scores() {
        let dense = line(50);
        let mut sparse = SparseMatrix { n_cols: 4, indptr: vec![0], ..SparseMatrix::default() };
        for i in 0..50 {
            for (j, &x) in dense.row(i).iter().enumerate() {
                if x != 0.0 {
                    sparse.indices.push(j as u32);
                    sparse.values.push(x);
                }
            }
            sparse.indptr.push(sparse.indices.len());
        }
        let a = pca(PcaInput::Dense(&dense), 2, 1);
        let b = pca(PcaInput::Sparse(&sparse), 2, 1);
        for (x, y) in a.scores.iter().zip(&b.scores) {
            assert!((x - y).abs() < 1e-4, "{x} vs {y}");
        }
    }

    fn as_sparse(dense: &Vectors) -> SparseMatrix {
        let mut sparse = SparseMatrix { n_cols: dense.dim, indptr: vec![0], ..SparseMatrix::default() };
        for i in 0..dense.len() {
            for (j, &x) in dense.row(i).iter().enumerate() {
                if x != 0.0 {
                    sparse.indices.push(j as u32);
                    sparse.values.push(x);
                }
            }
            sparse.indptr.push(sparse.indices.len());
        }
        sparse
    }

    /// The covariance route (dense input) and the randomized SVD (the same data as sparse input) are independent
    /// computations of the same decomposition: on data with clear gaps between its leading variances they must agree.
    #[test]
    fn covariance_and_randomized_svd_agree() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let scales = [10.0, 7.0, 5.0, 3.5, 2.5];
        let (n, d) = (601, 30);
        let values: Vec<f32> = (0..n * d)
            .map(|index| {
                let axis = index % d;
                let scale = scales.get(axis).copied().unwrap_or(0.3);
                (gaussian(&mut rng) * scale + axis as f64) as f32
            })
            .collect();
        let dense = Vectors { dim: d, values };
        let by_covariance = pca(PcaInput::Dense(&dense), 5, 3);
        let by_svd = pca(PcaInput::Sparse(&as_sparse(&dense)), 5, 3);
        for (a, b) in by_covariance.explained_variance_ratio.iter().zip(&by_svd.explained_variance_ratio) {
            assert!(
                (a - b).abs() < 1e-4,
                "{:?} vs {:?}",
                by_covariance.explained_variance_ratio,
                by_svd.explained_variance_ratio
            );
        }
        let worst = by_covariance.scores.iter().zip(&by_svd.scores).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        assert!(worst < 1e-2, "largest score difference {worst}");
    }

    #[test]
    fn same_seed_same_output() {
        let data = line(100);
        assert_eq!(pca(PcaInput::Dense(&data), 3, 5), pca(PcaInput::Dense(&data), 3, 5));
    }

    #[test]
    fn axes_project_the_training_rows_onto_their_scores() {
        // Five directions of spread in 8 dimensions, reduced to 3: the projection of a training row through the
        // kept axes must agree with the score the fit gave it (up to the randomized fit's small residual).
        let mut values = Vec::new();
        for i in 0..120 {
            let t = i as f32;
            values.extend_from_slice(&[
                (t * 0.37).sin() * 3.0,
                (t * 0.11).cos() * 2.0,
                (t * 0.53).sin(),
                t / 60.0,
                (t * 0.07).cos() * 0.5,
                1.0,
                -(t * 0.37).sin(),
                (t * 0.11).cos(),
            ]);
        }
        let data = Vectors { dim: 8, values };
        let result = pca(PcaInput::Dense(&data), 3, 3);
        for i in [0, 17, 64, 119] {
            for c in 0..3 {
                let projected: f64 =
                    (0..8).map(|j| (data.row(i)[j] as f64 - result.means[j]) * result.axes[j * 3 + c]).sum();
                assert!(
                    (projected - result.point(i)[c]).abs() < 1e-3,
                    "row {i} axis {c}: {projected} vs {}",
                    result.point(i)[c]
                );
            }
        }
    }

    #[test]
    fn jacobi_recovers_known_eigenvalues() {
        let a = Matrix { rows: 3, cols: 3, data: vec![4.0, 1.0, 0.0, 1.0, 3.0, 0.0, 0.0, 0.0, 1.0] };
        let (values, _) = symmetric_eigen(a);
        let expected = [(7.0 + 5f64.sqrt()) / 2.0, (7.0 - 5f64.sqrt()) / 2.0, 1.0];
        for (v, e) in values.iter().zip(expected) {
            assert!((v - e).abs() < 1e-9, "{values:?}");
        }
    }
}
