//! How faithful a low-dimensional layout is to the original vectors.
//!
//! Trustworthiness (Venna & Kaski 2001) asks: of the points that look close on the map, how many were really
//! close? Every point that is among a point's k nearest on the map but not in the original space is penalised
//! by how far down the original ranking it really is:
//!
//! `T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uᵢ} (r(i, j) − k)`
//!
//! where `r(i, j)` is j's rank among i's neighbours in the original space and `Uᵢ` the intruders. 1 is perfect;
//! a random layout scores about 0.5. Computed exactly in O(n²·dim), fine up to about 20,000 points. Distances
//! are Euclidean in both spaces, the convention of scikit-learn's `trustworthiness`, so the numbers compare.

use crate::knn::squared_euclidean;

/// Trustworthiness of `low` (row-major, `dim_low` wide) as a picture of `high` (`dim_high` wide) at `k`
/// neighbours. Returns 1 when there are too few points for the measure to mean anything (k ≥ n/2).
pub fn trustworthiness(high: &[f32], dim_high: usize, low: &[f32], dim_low: usize, k: usize) -> f64 {
    let n = high.len().checked_div(dim_high).unwrap_or(0);
    if n == 0 || k == 0 || 2 * n <= 3 * k + 1 || low.len() < n * dim_low {
        return 1.0;
    }
    let mut high_distances = vec![0f32; n];
    let mut low_order: Vec<(f32, u32)> = Vec::with_capacity(n);
    let mut scratch = vec![0f32; n];
    let mut penalty = 0u64;
    for i in 0..n {
        let high_row = &high[i * dim_high..(i + 1) * dim_high];
        let low_row = &low[i * dim_low..(i + 1) * dim_low];
        low_order.clear();
        for j in 0..n {
            high_distances[j] = squared_euclidean(high_row, &high[j * dim_high..(j + 1) * dim_high]);
            let low_distance = squared_euclidean(low_row, &low[j * dim_low..(j + 1) * dim_low]);
            if j != i {
                low_order.push((low_distance, j as u32));
            }
        }
        high_distances[i] = f32::NEG_INFINITY;
        // The k map neighbours, ties broken by index so the result does not depend on the sort.
        low_order.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        // The k-th smallest original distance (self excluded) tells members of the true neighbourhood apart.
        scratch.copy_from_slice(&high_distances);
        scratch.swap(i, n - 1);
        let (_, &mut kth, _) = scratch[..n - 1].select_nth_unstable_by(k - 1, f32::total_cmp);
        for &(_, j) in &low_order[..k] {
            let distance = high_distances[j as usize];
            if distance <= kth {
                continue;
            }
            // Rank (1 = nearest) among the other points: one more than the number strictly closer.
            let closer = high_distances.iter().filter(|&&d| d < distance).count() - 1;
            penalty += (closer + 1 - k) as u64;
        }
    }
    let (n, k) = (n as f64, k as f64);
    1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// The formula written out with full sorts, as an independent oracle.
    fn naive(high: &[f32], dim_high: usize, low: &[f32], dim_low: usize, k: usize) -> f64 {
        let n = high.len() / dim_high;
        let distance = |data: &[f32], dim: usize, i: usize, j: usize| -> f64 {
            (0..dim).map(|d| f64::from(data[i * dim + d] - data[j * dim + d]).powi(2)).sum()
        };
        let mut sum = 0.0;
        for i in 0..n {
            let mut high_rank: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            high_rank.sort_by(|&a, &b| distance(high, dim_high, i, a).total_cmp(&distance(high, dim_high, i, b)));
            let mut low_rank: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            low_rank.sort_by(|&a, &b| distance(low, dim_low, i, a).total_cmp(&distance(low, dim_low, i, b)));
            for &j in &low_rank[..k] {
                let rank = high_rank.iter().position(|&m| m == j).unwrap() + 1;
                if rank > k {
                    sum += (rank - k) as f64;
                }
            }
        }
        let (n, k) = (n as f64, k as f64);
        1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * sum
    }

    #[test]
    fn matches_the_formula_on_random_data() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let high: Vec<f32> = (0..120 * 6).map(|_| rng.gen_range(-1.0..1.0)).collect();
        // A layout that keeps the first two coordinates plus noise: partly faithful.
        let low: Vec<f32> = high.chunks(6).flat_map(|row| [row[0] + rng.gen_range(-0.3..0.3), row[1]]).collect();
        for k in [1, 5, 12] {
            let fast = trustworthiness(&high, 6, &low, 2, k);
            let slow = naive(&high, 6, &low, 2, k);
            assert!((fast - slow).abs() < 1e-9, "k {k}: {fast} vs {slow}");
        }
    }

    #[test]
    fn a_copy_is_perfect_and_a_shuffle_is_not() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        let high: Vec<f32> = (0..200 * 3).map(|_| rng.gen_range(-1.0..1.0)).collect();
        assert!((trustworthiness(&high, 3, &high, 3, 7) - 1.0).abs() < 1e-12);
        let shuffled: Vec<f32> = (0..200 * 2).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let random = trustworthiness(&high, 3, &shuffled, 2, 7);
        assert!((0.4..0.6).contains(&random), "random layout scored {random}");
    }
}
