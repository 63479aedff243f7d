//! The low-dimensional similarity curve `1 / (1 + a·d^(2b))` and the fit of `a`, `b` to `min_dist` and `spread`.
//!
//! The paper (McInnes, Healy & Melville 2018, §3.2 and appendix) wants the layout's similarity to be 1 up to
//! `min_dist` and then to fall off as `exp(−(d − min_dist) / spread)`, but a smooth, differentiable curve is
//! needed for gradient descent, so the two-parameter family above is fitted by least squares. Two unknowns and
//! a few hundred residuals are a tiny problem: a hand-written Levenberg–Marquardt does it in microseconds.

/// The target curve sampled at 300 distances from 0 to 3·spread, as umap-learn samples it, so that the fitted
/// `a`, `b` agree with the values users know from Python (a ≈ 1.577, b ≈ 0.895 for the defaults).
fn target(min_dist: f64, spread: f64) -> (Vec<f64>, Vec<f64>) {
    let samples = 300;
    let xs: Vec<f64> = (0..samples).map(|i| 3.0 * spread * i as f64 / (samples - 1) as f64).collect();
    let ys = xs.iter().map(|&x| if x < min_dist { 1.0 } else { (-(x - min_dist) / spread).exp() }).collect();
    (xs, ys)
}

/// Residuals and their Jacobian (columns ∂/∂a, ∂/∂b) of `1/(1 + a·x^(2b)) − y`.
fn residuals(a: f64, b: f64, xs: &[f64], ys: &[f64]) -> (Vec<f64>, Vec<[f64; 2]>) {
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| {
            if x <= 0.0 {
                return (1.0 - y, [0.0, 0.0]);
            }
            let power = x.powf(2.0 * b);
            let curve = 1.0 / (1.0 + a * power);
            let squared = curve * curve;
            (curve - y, [-power * squared, -a * power * 2.0 * x.ln() * squared])
        })
        .unzip()
}

fn cost(residuals: &[f64]) -> f64 {
    residuals.iter().map(|r| r * r).sum()
}

/// Least-squares `a`, `b` for the given `min_dist` and `spread`, by Levenberg–Marquardt from (1, 1).
pub fn fit_ab(min_dist: f32, spread: f32) -> (f32, f32) {
    let (xs, ys) = target(f64::from(min_dist), f64::from(spread));
    let (mut a, mut b) = (1.0f64, 1.0f64);
    let mut damping = 1e-3;
    let (mut r, mut jacobian) = residuals(a, b, &xs, &ys);
    let mut current = cost(&r);
    for _ in 0..200 {
        // Normal equations of the 2×2 problem: (JᵀJ + λ·diag(JᵀJ))·δ = −Jᵀr.
        let (mut jaa, mut jab, mut jbb, mut ga, mut gb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (residual, [da, db]) in r.iter().zip(&jacobian) {
            jaa += da * da;
            jab += da * db;
            jbb += db * db;
            ga += da * residual;
            gb += db * residual;
        }
        let mut improved = false;
        while damping < 1e12 {
            let (maa, mbb) = (jaa * (1.0 + damping), jbb * (1.0 + damping));
            let determinant = maa * mbb - jab * jab;
            if determinant.abs() < f64::MIN_POSITIVE {
                damping *= 10.0;
                continue;
            }
            let step_a = -(mbb * ga - jab * gb) / determinant;
            let step_b = -(maa * gb - jab * ga) / determinant;
            let (trial_a, trial_b) = (a + step_a, b + step_b);
            let (trial_r, trial_jacobian) = residuals(trial_a, trial_b, &xs, &ys);
            let trial_cost = cost(&trial_r);
            if trial_cost.is_finite() && trial_cost < current {
                let converged = (current - trial_cost) <= 1e-15 * current.max(1e-300);
                (a, b, r, jacobian, current) = (trial_a, trial_b, trial_r, trial_jacobian, trial_cost);
                damping = (damping / 10.0).max(1e-12);
                improved = !converged;
                break;
            }
            damping *= 10.0;
        }
        if !improved {
            break;
        }
    }
    (a as f32, b as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_give_the_published_a_and_b() {
        // The values umap-learn (scipy's curve_fit) reports for min_dist 0.1, spread 1.0.
        let (a, b) = fit_ab(0.1, 1.0);
        assert!((a - 1.577).abs() < 0.002, "a = {a}");
        assert!((b - 0.895).abs() < 0.002, "b = {b}");
    }

    #[test]
    fn the_fit_is_a_least_squares_minimum() {
        // Any nudge of the fitted parameters must make the fit worse.
        for (min_dist, spread) in [(0.0, 1.0), (0.5, 1.0), (0.1, 2.0), (0.99, 1.0)] {
            let (a, b) = fit_ab(min_dist, spread);
            let (xs, ys) = target(f64::from(min_dist), f64::from(spread));
            let best = cost(&residuals(f64::from(a), f64::from(b), &xs, &ys).0);
            for (da, db) in [(1e-2, 0.0), (-1e-2, 0.0), (0.0, 1e-2), (0.0, -1e-2)] {
                let nudged = cost(&residuals(f64::from(a) + da, f64::from(b) + db, &xs, &ys).0);
                assert!(nudged > best, "min_dist {min_dist} spread {spread}: ({a}, {b}) is not a minimum");
            }
        }
    }
}
