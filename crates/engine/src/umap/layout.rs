//! Stochastic gradient descent on the fuzzy cross-entropy between the graph and the layout (paper §3.2).
//!
//! With `q(d) = 1 / (1 + a·d^(2b))` the layout's similarity at distance d, an edge of weight w costs
//! `−w·log q − (1 − w)·log(1 − q)`. Instead of summing over all n² pairs, each edge is sampled in proportion to
//! its weight (every `epochs_per_sample = max_weight / weight` epochs) and pulls its two ends together with the
//! gradient of `−log q`; each such pull is followed by a few random points pushed away from the head with the
//! gradient of `−log(1 − q)` (negative sampling). Each gradient component is clipped to ±4, and the learning
//! rate decays linearly to zero.
//!
//! The descent direction of `−log q` for the head is `c·(y_head − y_tail)` with
//! `c = −2ab·d^(2(b−1)) / (1 + a·d^(2b))`, and of `−γ·log(1 − q)` it is `c·(y_head − y_other)` with
//! `c = 2γb / ((ε + d²)(1 + a·d^(2b)))`, where ε = 0.001 keeps coincident points finite. The unit tests check
//! both against finite differences of the costs.

use bytemuck::cast;
use rand::RngCore;
use rand_xoshiro::Xoshiro256PlusPlus;
use wide::{f32x4, i32x4, CmpEq, CmpGt};

/// Largest step of any coordinate in one update.
const CLIP: f32 = 4.0;
/// Keeps the repulsion of (nearly) coincident points finite.
const REPULSION_EPSILON: f32 = 0.001;
/// Layouts wider than this many axes are not supported: a local buffer holds one point's difference vector.
pub(crate) const MAX_COMPONENTS: usize = 16;

/// `x^y` for x > 0 to about 3·10⁻⁵ relative error (10⁻⁴ at worst for y ≤ 2), far more than SGD's noise needs and several times faster than
/// `powf`, which dominated the optimisation: `2^(y·log2 x)` with the exponent taken from the float's bits and the
/// fractional parts from polynomials (least-squares fits on Chebyshev nodes of log2(1 + t) and 2^t on [0, 1],
/// degrees 5 and 4). Pure f32 arithmetic, so it gives the same bits on every platform.
#[inline]
pub(crate) fn fast_pow(x: f32, y: f32) -> f32 {
    let bits = x.max(f32::MIN_POSITIVE).to_bits();
    let exponent = ((bits >> 23) & 0xff) as i32 - 127;
    let t = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000) - 1.0;
    // Both polynomials are evaluated in Estrin's scheme (pairs, then powers of t) rather than Horner's: the
    // dependency chain is half as long, and the SGD waits on it.
    let t2 = t * t;
    let log2_mantissa = (3.190_813e-5 + t * 1.441_267_4)
        + t2 * ((-0.705_704_15 + t * 0.408_721_75) + t2 * (-0.187_722_64 + t * 0.043_428_91));
    let power = (y * (exponent as f32 + log2_mantissa)).clamp(-126.0, 127.0);
    // floor() without a library call: truncate, then step down for negative non-integers.
    let truncated = power as i32;
    let whole = truncated - i32::from((truncated as f32) > power);
    let f = power - whole as f32;
    let f2 = f * f;
    let fraction = (1.000_007_3 + f * 0.692_931_3) + f2 * ((0.241_710_26 + f * 0.051_666_88) + f2 * 0.013_676_531);
    fraction * f32::from_bits(((whole + 127) as u32) << 23)
}

/// Coefficient of `(y_head − y_tail)` in the attracting step for squared distance `d2` (0 when the points
/// coincide: the pull has no direction).
#[inline]
pub(crate) fn attraction(d2: f32, a: f32, b: f32) -> f32 {
    if d2 <= 0.0 {
        return 0.0;
    }
    let power = fast_pow(d2, b);
    -2.0 * a * b * (power / d2) / (1.0 + a * power)
}

/// Coefficient of `(y_head − y_other)` in the repelling step.
#[inline]
pub(crate) fn repulsion(d2: f32, a: f32, b: f32, gamma: f32) -> f32 {
    if d2 <= 0.0 {
        return 0.0;
    }
    let power = fast_pow(d2, b);
    2.0 * gamma * b / ((REPULSION_EPSILON + d2) * (1.0 + a * power))
}

#[inline]
fn clip(value: f32) -> f32 {
    value.clamp(-CLIP, CLIP)
}

/// A uniform index below `n` by multiply-and-shift.
#[inline]
fn bounded(rng: &mut Xoshiro256PlusPlus, n: usize) -> usize {
    ((u64::from(rng.next_u32()) * n as u64) >> 32) as usize
}

/// Number of axes, either known when compiling (so the per-axis loops unroll) or at run time.
pub(crate) trait Axes: Copy {
    fn count(self) -> usize;
}

#[derive(Clone, Copy)]
pub(crate) struct Fixed<const D: usize>;

impl<const D: usize> Axes for Fixed<D> {
    #[inline(always)]
    fn count(self) -> usize {
        D
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Runtime(pub usize);

impl Axes for Runtime {
    #[inline(always)]
    fn count(self) -> usize {
        self.0
    }
}

/// The sampled edges and when each is next due.
#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    pub heads: Vec<u32>,
    pub tails: Vec<u32>,
    pub epochs_per_sample: Vec<f32>,
    pub next_sample: Vec<f32>,
    pub epochs_per_negative: Vec<f32>,
    pub next_negative: Vec<f32>,
}

impl Schedule {
    /// Edges lighter than `max_weight / epochs` would never be sampled, so they are dropped.
    ///
    /// The edges keep their order, sorted by head. Interleaving heads (all first edges, then all second edges, …)
    /// was tried: about 10% faster, as consecutive updates no longer wait on each other, but trustworthiness on
    /// the Bowling Green embeddings fell by about 0.005 on every seed tried, so a point's edges stay together.
    pub(crate) fn new(
        heads: &[u32],
        tails: &[u32],
        weights: &[f32],
        epochs: usize,
        negative_sample_rate: usize,
    ) -> Self {
        let max_weight = weights.iter().copied().fold(0.0f32, f32::max);
        let floor = max_weight / epochs.max(1) as f32;
        let mut schedule = Schedule {
            heads: Vec::new(),
            tails: Vec::new(),
            epochs_per_sample: Vec::new(),
            next_sample: Vec::new(),
            epochs_per_negative: Vec::new(),
            next_negative: Vec::new(),
        };
        for ((&head, &tail), &weight) in heads.iter().zip(tails).zip(weights) {
            if weight <= 0.0 || weight < floor {
                continue;
            }
            let every = max_weight / weight;
            schedule.heads.push(head);
            schedule.tails.push(tail);
            schedule.epochs_per_sample.push(every);
            schedule.next_sample.push(every);
            let negative_every =
                if negative_sample_rate > 0 { every / negative_sample_rate as f32 } else { f32::INFINITY };
            schedule.epochs_per_negative.push(negative_every);
            schedule.next_negative.push(negative_every);
        }
        schedule
    }

    pub(crate) fn len(&self) -> usize {
        self.heads.len()
    }
}

/// The learning rate of one epoch and its 1-based number (edges due at or before it are sampled).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pass {
    pub alpha: f32,
    pub epoch: f32,
}

/// Constants of one run of SGD.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Curve {
    pub a: f32,
    pub b: f32,
    pub gamma: f32,
}

/// Negatives handled together: four lanes fill one SIMD register (SSE natively, SIMD128 in wasm).
const LANES: usize = 4;

/// [`fast_pow`] on four bases at once, with the same operations in the same order, so each lane's bits equal the
/// scalar result. Bases are non-negative squared distances (never NaN), so the NaN-blind `fast_max`/`fast_min`
/// are exact here.
#[inline(always)]
fn fast_pow_lanes(x: f32x4, y: f32) -> f32x4 {
    let bits: i32x4 = cast(x.fast_max(f32x4::splat(f32::MIN_POSITIVE)));
    let exponent: i32x4 = ((bits >> 23_i32) & i32x4::splat(0xff)) - i32x4::splat(127);
    let t = cast::<i32x4, f32x4>((bits & i32x4::splat(0x007f_ffff)) | i32x4::splat(0x3f80_0000)) - f32x4::ONE;
    let c = |value: f32| f32x4::splat(value);
    let t2 = t * t;
    let log2_mantissa = (c(3.190_813e-5) + t * c(1.441_267_4))
        + t2 * ((c(-0.705_704_15) + t * c(0.408_721_75)) + t2 * (c(-0.187_722_64) + t * c(0.043_428_91)));
    let power = (c(y) * (exponent.round_float() + log2_mantissa)).fast_max(c(-126.0)).fast_min(c(127.0));
    let truncated = power.trunc_int();
    // The comparison's mask is −1 where the truncation rounded up (negative non-integers): adding it steps down.
    let whole = truncated + cast::<f32x4, i32x4>(truncated.round_float().cmp_gt(power));
    let f = power - whole.round_float();
    let f2 = f * f;
    let fraction =
        (c(1.000_007_3) + f * c(0.692_931_3)) + f2 * ((c(0.241_710_26) + f * c(0.051_666_88)) + f2 * c(0.013_676_531));
    fraction * cast::<i32x4, f32x4>((whole + i32x4::splat(127)) << 23_i32)
}

/// The summed, clipped repelling steps of `negatives` random points of `others` (row offset `skip` excluded:
/// the head itself). Every push is computed from the same head position and applied together afterwards, unlike
/// umap-learn, which moves the head after each one: the expected step is the same, and independent pushes can be
/// computed side by side (four lanes at a time) instead of each waiting on the one before.
///
/// The pushes are added to the total in the order the points were drawn, so the result is bit-for-bit the same
/// as one push at a time: lanes change the speed, not the layout.
#[inline]
fn negative_pushes<A: Axes>(
    axes: A,
    head: &[f32],
    others: &[f32],
    skip: Option<usize>,
    negatives: usize,
    curve: Curve,
    rng: &mut Xoshiro256PlusPlus,
) -> [f32; MAX_COMPONENTS] {
    let d = axes.count();
    let n = others.len() / d.max(1);
    let mut total = [0f32; MAX_COMPONENTS];
    let mut drawn = 0;
    while drawn + LANES <= negatives {
        let picks: [usize; LANES] = std::array::from_fn(|_| bounded(rng, n) * d);
        let mut difference = [f32x4::ZERO; MAX_COMPONENTS];
        let mut d2 = f32x4::ZERO;
        for axis in 0..d {
            let others_here = f32x4::new(std::array::from_fn(|lane| others[picks[lane] + axis]));
            difference[axis] = f32x4::splat(head[axis]) - others_here;
            d2 += difference[axis] * difference[axis];
        }
        let power = fast_pow_lanes(d2, curve.b);
        // The scalar `repulsion`, lane by lane; the head itself and coincident points push nothing.
        let value = f32x4::splat(2.0 * curve.gamma * curve.b)
            / ((f32x4::splat(REPULSION_EPSILON) + d2) * (f32x4::ONE + f32x4::splat(curve.a) * power));
        let is_head = f32x4::new(std::array::from_fn(|lane| if Some(picks[lane]) == skip { 1.0 } else { 0.0 }));
        let counts = d2.cmp_gt(f32x4::ZERO) & is_head.cmp_eq(f32x4::ZERO);
        let push = (value & counts).to_array();
        let difference: [[f32; LANES]; MAX_COMPONENTS] = std::array::from_fn(|axis| difference[axis].to_array());
        // A zero push adds a zero, which leaves the total's bits as they were.
        for lane in 0..LANES {
            for axis in 0..d {
                total[axis] += clip(push[lane] * difference[axis][lane]);
            }
        }
        drawn += LANES;
    }
    for _ in drawn..negatives {
        push_one(axes, head, others, skip, curve, rng, &mut total);
    }
    total
}

/// One negative drawn and its clipped push added to `total`: the lanes' remainder, and their oracle in the tests.
#[inline]
fn push_one<A: Axes>(
    axes: A,
    head: &[f32],
    others: &[f32],
    skip: Option<usize>,
    curve: Curve,
    rng: &mut Xoshiro256PlusPlus,
    total: &mut [f32; MAX_COMPONENTS],
) {
    let d = axes.count();
    let other = bounded(rng, others.len() / d.max(1)) * d;
    if Some(other) == skip {
        return;
    }
    let mut difference = [0f32; MAX_COMPONENTS];
    let mut d2 = 0.0;
    for axis in 0..d {
        difference[axis] = head[axis] - others[other + axis];
        d2 += difference[axis] * difference[axis];
    }
    let push = repulsion(d2, curve.a, curve.b, curve.gamma);
    for axis in 0..d {
        total[axis] += clip(push * difference[axis]);
    }
}

/// One epoch (1-based `epoch`) over the training layout: both ends of an edge move, negatives are other
/// training points and the head alone moves away from them.
pub(crate) fn fit_epoch<A: Axes>(
    axes: A,
    layout: &mut [f32],
    schedule: &mut Schedule,
    curve: Curve,
    pass: Pass,
    rng: &mut Xoshiro256PlusPlus,
) {
    let Pass { alpha, epoch } = pass;
    let d = axes.count();
    let mut difference = [0f32; MAX_COMPONENTS];
    for edge in 0..schedule.len() {
        if schedule.next_sample[edge] > epoch {
            continue;
        }
        let (head, tail) = (schedule.heads[edge] as usize * d, schedule.tails[edge] as usize * d);
        let mut d2 = 0.0;
        for axis in 0..d {
            difference[axis] = layout[head + axis] - layout[tail + axis];
            d2 += difference[axis] * difference[axis];
        }
        let pull = attraction(d2, curve.a, curve.b);
        for axis in 0..d {
            let step = clip(pull * difference[axis]) * alpha;
            layout[head + axis] += step;
            layout[tail + axis] -= step;
        }
        schedule.next_sample[edge] += schedule.epochs_per_sample[edge];

        let negatives = ((epoch - schedule.next_negative[edge]) / schedule.epochs_per_negative[edge]).max(0.0) as usize;
        let pushes = negative_pushes(axes, &layout[head..head + d], layout, Some(head), negatives, curve, rng);
        for axis in 0..d {
            layout[head + axis] += pushes[axis] * alpha;
        }
        schedule.next_negative[edge] += negatives as f32 * schedule.epochs_per_negative[edge];
    }
}

/// One epoch placing new points: heads index `moving`, tails and negatives index the fixed training layout,
/// which does not move.
pub(crate) fn transform_epoch<A: Axes>(
    axes: A,
    moving: &mut [f32],
    fixed: &[f32],
    schedule: &mut Schedule,
    curve: Curve,
    pass: Pass,
    rng: &mut Xoshiro256PlusPlus,
) {
    let Pass { alpha, epoch } = pass;
    let d = axes.count();
    let mut difference = [0f32; MAX_COMPONENTS];
    for edge in 0..schedule.len() {
        if schedule.next_sample[edge] > epoch {
            continue;
        }
        let (head, tail) = (schedule.heads[edge] as usize * d, schedule.tails[edge] as usize * d);
        let mut d2 = 0.0;
        for axis in 0..d {
            difference[axis] = moving[head + axis] - fixed[tail + axis];
            d2 += difference[axis] * difference[axis];
        }
        let pull = attraction(d2, curve.a, curve.b);
        for axis in 0..d {
            moving[head + axis] += clip(pull * difference[axis]) * alpha;
        }
        schedule.next_sample[edge] += schedule.epochs_per_sample[edge];

        let negatives = ((epoch - schedule.next_negative[edge]) / schedule.epochs_per_negative[edge]).max(0.0) as usize;
        let pushes = negative_pushes(axes, &moving[head..head + d], fixed, None, negatives, curve, rng);
        for axis in 0..d {
            moving[head + axis] += pushes[axis] * alpha;
        }
        schedule.next_negative[edge] += negatives as f32 * schedule.epochs_per_negative[edge];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cost of one edge in 2-D as a function of the head's position, in f64 for clean finite differences.
    fn numerical_gradient(cost: impl Fn(f64, f64) -> f64, x: f64, y: f64) -> (f64, f64) {
        let h = 1e-6;
        ((cost(x + h, y) - cost(x - h, y)) / (2.0 * h), (cost(x, y + h) - cost(x, y - h)) / (2.0 * h))
    }

    #[test]
    fn attraction_is_the_descent_direction_of_minus_log_q() {
        let (a, b) = (1.577f64, 0.895f64);
        let tail = (0.3, -0.2);
        for head in [(1.0, 0.5), (0.4, -0.1), (2.5, 3.0), (-4.0, 1.0)] {
            let cost = |x: f64, y: f64| {
                let d2 = (x - tail.0).powi(2) + (y - tail.1).powi(2);
                (1.0 + a * d2.powf(b)).ln()
            };
            let (gx, gy) = numerical_gradient(cost, head.0, head.1);
            let d2 = ((head.0 - tail.0).powi(2) + (head.1 - tail.1).powi(2)) as f32;
            let c = f64::from(attraction(d2, a as f32, b as f32));
            // The step is −gradient.
            assert!((c * (head.0 - tail.0) + gx).abs() < 1e-3 * (1.0 + gx.abs()), "{head:?}: {c} vs {gx}");
            assert!((c * (head.1 - tail.1) + gy).abs() < 1e-3 * (1.0 + gy.abs()), "{head:?}");
        }
    }

    #[test]
    fn repulsion_is_the_descent_direction_of_minus_log_one_minus_q() {
        let (a, b, gamma) = (1.577f64, 0.895f64, 1.0f64);
        let other = (0.3, -0.2);
        // Far enough apart that the ε = 0.001 softening changes the gradient by well under the tolerance.
        for head in [(1.0, 0.5), (1.3, -0.9), (2.5, 3.0), (-4.0, 1.0)] {
            let cost = |x: f64, y: f64| {
                let d2 = (x - other.0).powi(2) + (y - other.1).powi(2);
                let q = 1.0 / (1.0 + a * d2.powf(b));
                -gamma * (1.0 - q).ln()
            };
            let (gx, gy) = numerical_gradient(cost, head.0, head.1);
            let d2 = ((head.0 - other.0).powi(2) + (head.1 - other.1).powi(2)) as f32;
            let c = f64::from(repulsion(d2, a as f32, b as f32, gamma as f32));
            assert!((c * (head.0 - other.0) + gx).abs() < 5e-3 * gx.abs().max(1e-3), "{head:?}: {c} vs {gx}");
            assert!((c * (head.1 - other.1) + gy).abs() < 5e-3 * gy.abs().max(1e-3), "{head:?}");
        }
    }

    #[test]
    fn fast_pow_is_close_to_powf() {
        let mut worst = 0f64;
        for exponent in [0.5f32, 0.79, 0.895, 1.0, 1.3, 2.0] {
            // x from 10⁻²⁰ to 10²⁰ in steps of 1.37%, keeping only results a normal f32 can hold.
            for x in (0..6_800).map(|i| 1e-20f32 * 1.0137f32.powi(i)) {
                let exact = f64::from(x).powf(f64::from(exponent));
                if (1e-30..1e30).contains(&exact) {
                    worst = worst.max(((f64::from(fast_pow(x, exponent)) - exact) / exact).abs());
                }
            }
        }
        assert!(worst < 1e-4, "worst relative error {worst}");
    }

    #[test]
    fn four_lane_pow_has_the_scalar_bits() {
        for exponent in [0.5f32, 0.79, 0.895, 1.0, 1.3, 2.0] {
            let bases: Vec<f32> = (0..4_000).map(|i| 1e-20f32 * 1.0137f32.powi(i)).chain([0.0, 1.0, 4.0]).collect();
            for chunk in bases.chunks_exact(4) {
                let lanes = fast_pow_lanes(f32x4::new([chunk[0], chunk[1], chunk[2], chunk[3]]), exponent).to_array();
                for (lane, &base) in chunk.iter().enumerate() {
                    assert_eq!(lanes[lane].to_bits(), fast_pow(base, exponent).to_bits(), "{base}^{exponent}");
                }
            }
        }
    }

    /// The lanes against one negative at a time (what the SGD did before them): the same bits.
    #[test]
    fn negatives_in_lanes_push_exactly_as_one_at_a_time() {
        use rand::SeedableRng;
        let curve = Curve { a: 1.577, b: 0.895, gamma: 1.0 };
        let mut positions = Xoshiro256PlusPlus::seed_from_u64(7);
        // Six points, one a copy of another, so coincident points and the head itself are drawn often.
        let mut layout: Vec<f32> = (0..12).map(|_| (positions.next_u32() % 1000) as f32 / 100.0 - 5.0).collect();
        layout[10] = layout[2];
        layout[11] = layout[3];
        for negatives in 0..=11 {
            for head in 0..6 {
                let skip = Some(head * 2);
                let point = [layout[head * 2], layout[head * 2 + 1]];
                let mut lanes_rng = Xoshiro256PlusPlus::seed_from_u64(negatives as u64);
                let mut scalar_rng = lanes_rng.clone();
                let lanes = negative_pushes(Fixed::<2>, &point, &layout, skip, negatives, curve, &mut lanes_rng);
                let mut scalar = [0f32; MAX_COMPONENTS];
                for _ in 0..negatives {
                    push_one(Fixed::<2>, &point, &layout, skip, curve, &mut scalar_rng, &mut scalar);
                }
                assert_eq!([lanes[0].to_bits(), lanes[1].to_bits()], [scalar[0].to_bits(), scalar[1].to_bits()]);
                assert!(lanes[2..].iter().all(|&x| x == 0.0));
            }
        }
    }

    #[test]
    fn light_edges_are_dropped_and_heavy_ones_sampled_every_epoch() {
        let schedule = Schedule::new(&[0, 1, 2], &[1, 2, 0], &[1.0, 0.5, 0.001], 200, 5);
        assert_eq!(schedule.len(), 2);
        assert_eq!(schedule.epochs_per_sample, vec![1.0, 2.0]);
        assert_eq!(schedule.epochs_per_negative, vec![0.2, 0.4]);
    }
}
