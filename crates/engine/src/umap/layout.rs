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
///
/// This and the two coefficients below are the scalar definitions. The SGD evaluates them four lanes at a time
/// ([`edge_steps`]), and the tests hold every lane to these bits and these to the gradients of the costs.
#[cfg(test)]
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
#[cfg(test)]
pub(crate) fn attraction(d2: f32, a: f32, b: f32) -> f32 {
    if d2 <= 0.0 {
        return 0.0;
    }
    let power = fast_pow(d2, b);
    // One division, not `(power / d2) / (1 + a·power)`: the SGD waits on each one.
    -2.0 * a * b * power / (d2 * (1.0 + a * power))
}

/// Coefficient of `(y_head − y_other)` in the repelling step.
#[cfg(test)]
pub(crate) fn repulsion(d2: f32, a: f32, b: f32, gamma: f32) -> f32 {
    if d2 <= 0.0 {
        return 0.0;
    }
    let power = fast_pow(d2, b);
    2.0 * gamma * b / ((REPULSION_EPSILON + d2) * (1.0 + a * power))
}

/// The scalar clip, which the lanes do with `max` and `min`; the oracle of the tests.
#[cfg(test)]
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

/// What one sampled edge does to its head: the attracting step towards the tail (the tail takes the opposite
/// one) and the summed repelling steps away from `negatives` random points of `others` (row offset `skip`
/// excluded: the head itself), each clipped, before the learning rate.
pub(crate) struct EdgeSteps {
    pub pull: [f32; MAX_COMPONENTS],
    pub pushes: [f32; MAX_COMPONENTS],
}

/// [`EdgeSteps`] of one edge, every force computed from the head where it stands before the edge moves it.
///
/// umap-learn moves the head after the pull and after each push, so each force waits on the one before; here
/// they are independent, so the pull and the pushes share four-lane SIMD registers (the pull in the first lane,
/// then the negatives in the order they were drawn) and one `x^b` evaluation serves four of them. With the usual
/// five negatives that is two evaluations where one at a time took six. The step each force takes is the same
/// as umap-learn's to first order in the learning rate, and the Bowling Green layouts keep their trustworthiness
/// (mean T@15 over 12 seeds 0.904, against 0.905 moving the head each time; `umap_report bowling`).
///
/// Each lane does the scalar [`attraction`] or [`repulsion`] operation for operation. The pushes are summed in
/// lanes: each lane adds up its own forces (the first, fifth, … drawn; the second, sixth, …), and the four lane
/// totals are added pairwise at the end. Added one after another into one total, as before, the sums made a chain
/// of dependent additions the next edge waited on; summed this way the SGD took 4% less time in Node's V8, and the
/// unit tests hold the lanes to this order of the scalar steps bit for bit.
#[inline]
#[allow(clippy::too_many_arguments, reason = "one edge's whole context; a struct would only rename it")]
fn edge_steps<A: Axes>(
    axes: A,
    head: &[f32],
    tail: Option<usize>,
    others: &[f32],
    skip: Option<usize>,
    negatives: usize,
    curve: Curve,
    rng: &mut Xoshiro256PlusPlus,
) -> EdgeSteps {
    let d = axes.count();
    let n = others.len() / d.max(1);
    let mut steps = EdgeSteps { pull: [0f32; MAX_COMPONENTS], pushes: [0f32; MAX_COMPONENTS] };
    let (attract, repel) = (-2.0 * curve.a * curve.b, 2.0 * curve.gamma * curve.b);
    // Lanes to fill: the pull (if there is a tail), then each negative; a lane past the end stands on the head
    // and does nothing.
    let forces = negatives + usize::from(tail.is_some());
    let mut done = 0;
    // Per axis, each lane's running total of pushes.
    let mut pushed = [f32x4::ZERO; MAX_COMPONENTS];
    let push_lanes: f32x4 = cast(i32x4::new([0, -1, -1, -1]));
    while done < forces {
        let first = done == 0 && tail.is_some();
        let lanes = (forces - done).min(LANES);
        let picks: [Option<usize>; LANES] = std::array::from_fn(|lane| {
            if lane >= lanes {
                None
            } else if first && lane == 0 {
                tail
            } else {
                Some(bounded(rng, n) * d)
            }
        });
        let mut difference = [f32x4::ZERO; MAX_COMPONENTS];
        let mut d2 = f32x4::ZERO;
        for axis in 0..d {
            let others_here = f32x4::new(std::array::from_fn(|lane| match picks[lane] {
                Some(at) => others[at + axis],
                None => head[axis],
            }));
            difference[axis] = f32x4::splat(head[axis]) - others_here;
            d2 += difference[axis] * difference[axis];
        }
        let power = fast_pow_lanes(d2, curve.b);
        let one_plus = f32x4::ONE + f32x4::splat(curve.a) * power;
        let pull_lane = f32x4::new([if first { 1.0 } else { 0.0 }, 0.0, 0.0, 0.0]).cmp_eq(f32x4::ONE);
        // The scalar `attraction` in the pull's lane, `repulsion` in the others'.
        let numerator = pull_lane.blend(f32x4::splat(attract) * power, f32x4::splat(repel));
        let denominator = pull_lane.blend(d2, f32x4::splat(REPULSION_EPSILON) + d2) * one_plus;
        let value = numerator / denominator;
        // Coincident points and the head itself (drawn as a negative, or standing in an empty lane) do nothing.
        let is_head = f32x4::new(std::array::from_fn(|lane| {
            if picks[lane].is_none() || (picks[lane] == skip && !(first && lane == 0)) {
                1.0
            } else {
                0.0
            }
        }));
        let counts = d2.cmp_gt(f32x4::ZERO) & is_head.cmp_eq(f32x4::ZERO);
        let coefficient = value & counts;
        // `clip` lane by lane with the NaN-blind `fast_max`/`fast_min` (one instruction each, where wasm's
        // NaN-aware min and max take several on x86; no lane is NaN: the coefficient is masked and the positions
        // are finite). The pull's lane is kept apart; the others join their lane's total. Empty lanes add a zero,
        // which leaves a total's bits as they were (a sum that starts at +0 is never −0).
        let (low, high) = (f32x4::splat(-CLIP), f32x4::splat(CLIP));
        for (axis, &along) in difference.iter().enumerate().take(d) {
            let clipped = (coefficient * along).fast_max(low).fast_min(high);
            if first {
                steps.pull[axis] = clipped.to_array()[0];
                pushed[axis] += clipped & push_lanes;
            } else {
                pushed[axis] += clipped;
            }
        }
        done += lanes;
    }
    for (total, lanes) in steps.pushes.iter_mut().zip(&pushed).take(d) {
        let [l0, l1, l2, l3] = lanes.to_array();
        *total = (l0 + l1) + (l2 + l3);
    }
    steps
}

/// One negative drawn and its clipped push, one at a time (zero for the head itself): the oracle for the lanes.
#[cfg(test)]
fn push_one<A: Axes>(
    axes: A,
    head: &[f32],
    others: &[f32],
    skip: Option<usize>,
    curve: Curve,
    rng: &mut Xoshiro256PlusPlus,
) -> [f32; MAX_COMPONENTS] {
    let d = axes.count();
    let other = bounded(rng, others.len() / d.max(1)) * d;
    let mut step = [0f32; MAX_COMPONENTS];
    if Some(other) == skip {
        return step;
    }
    let mut difference = [0f32; MAX_COMPONENTS];
    let mut d2 = 0.0;
    for axis in 0..d {
        difference[axis] = head[axis] - others[other + axis];
        d2 += difference[axis] * difference[axis];
    }
    let push = repulsion(d2, curve.a, curve.b, curve.gamma);
    for axis in 0..d {
        step[axis] = clip(push * difference[axis]);
    }
    step
}

/// The pushes' total as the lanes form it: force `i` (counting the pull, if any, as force 0 and leaving it out)
/// joins lane `i % 4`, each lane adds its forces in turn, and the lane totals are added pairwise.
#[cfg(test)]
fn lane_order_total(pushes: &[[f32; MAX_COMPONENTS]], pull_first: bool) -> [f32; MAX_COMPONENTS] {
    let mut lanes = [[0f32; MAX_COMPONENTS]; LANES];
    for (index, push) in pushes.iter().enumerate() {
        let lane = (index + usize::from(pull_first)) % LANES;
        for (total, &step) in lanes[lane].iter_mut().zip(push) {
            *total += step;
        }
    }
    std::array::from_fn(|axis| (lanes[0][axis] + lanes[1][axis]) + (lanes[2][axis] + lanes[3][axis]))
}

/// One epoch (1-based `epoch`) over the training layout: both ends of an edge move, negatives are other
/// training points and the head alone moves away from them.
///
/// Not inlined into [`super::Umap::step`], which runs several epochs per call: V8 picks up a function's optimised
/// code only at its next call (see `knn::join`), so a call per epoch gets it after the first epoch.
#[inline(never)]
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
    for edge in 0..schedule.len() {
        if schedule.next_sample[edge] > epoch {
            continue;
        }
        let (head, tail) = (schedule.heads[edge] as usize * d, schedule.tails[edge] as usize * d);
        // The cast saturates, so a negative count (not yet due) is 0; `f32::max` would be a library call in wasm.
        let negatives = ((epoch - schedule.next_negative[edge]) / schedule.epochs_per_negative[edge]) as usize;
        let steps = edge_steps(axes, &layout[head..head + d], Some(tail), layout, Some(head), negatives, curve, rng);
        for axis in 0..d {
            let step = steps.pull[axis] * alpha;
            layout[head + axis] += step + steps.pushes[axis] * alpha;
            layout[tail + axis] -= step;
        }
        schedule.next_sample[edge] += schedule.epochs_per_sample[edge];
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
    for edge in 0..schedule.len() {
        if schedule.next_sample[edge] > epoch {
            continue;
        }
        let (head, tail) = (schedule.heads[edge] as usize * d, schedule.tails[edge] as usize * d);
        let negatives = ((epoch - schedule.next_negative[edge]) / schedule.epochs_per_negative[edge]) as usize;
        // New points are few and placing them is quick either way, so here the order stays umap-learn's: pulled
        // first, then pushed from where the pull left them.
        let pull = edge_steps(axes, &moving[head..head + d], Some(tail), fixed, None, 0, curve, rng).pull;
        for axis in 0..d {
            moving[head + axis] += pull[axis] * alpha;
        }
        let pushes = edge_steps(axes, &moving[head..head + d], None, fixed, None, negatives, curve, rng).pushes;
        for axis in 0..d {
            moving[head + axis] += pushes[axis] * alpha;
        }
        schedule.next_sample[edge] += schedule.epochs_per_sample[edge];
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

    /// The lanes against the scalar pull and one negative at a time, all from the head's starting position: the
    /// same bits, including the head drawn as its own negative and points that coincide with it.
    #[test]
    fn forces_in_lanes_have_the_bits_of_one_at_a_time() {
        use rand::SeedableRng;
        let curve = Curve { a: 1.577, b: 0.895, gamma: 1.0 };
        let mut positions = Xoshiro256PlusPlus::seed_from_u64(7);
        // Six points, one a copy of another, so coincident points and the head itself are drawn often.
        let mut layout: Vec<f32> = (0..12).map(|_| (positions.next_u32() % 1000) as f32 / 100.0 - 5.0).collect();
        layout[10] = layout[2];
        layout[11] = layout[3];
        for negatives in 0..=11 {
            for head in 0..6 {
                for tail in 0..6 {
                    let (skip, point) = (Some(head * 2), [layout[head * 2], layout[head * 2 + 1]]);
                    let mut lanes_rng = Xoshiro256PlusPlus::seed_from_u64(negatives as u64);
                    let mut scalar_rng = lanes_rng.clone();
                    let steps =
                        edge_steps(Fixed::<2>, &point, Some(tail * 2), &layout, skip, negatives, curve, &mut lanes_rng);
                    let difference = [point[0] - layout[tail * 2], point[1] - layout[tail * 2 + 1]];
                    let pull = attraction(difference[0].powi(2) + difference[1].powi(2), curve.a, curve.b);
                    let expected_pull = difference.map(|x| clip(pull * x));
                    let one_at_a_time: Vec<_> = (0..negatives)
                        .map(|_| push_one(Fixed::<2>, &point, &layout, skip, curve, &mut scalar_rng))
                        .collect();
                    let pushes = lane_order_total(&one_at_a_time, true);
                    let bits = |values: &[f32]| values.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&steps.pull[..2]), bits(&expected_pull), "pull {head}→{tail}");
                    assert_eq!(bits(&steps.pushes[..2]), bits(&pushes[..2]), "{negatives} pushes on {head}");
                    assert!(steps.pull[2..].iter().chain(&steps.pushes[2..]).all(|&x| x == 0.0));
                    // Both consumed the same draws.
                    assert_eq!(lanes_rng.next_u64(), scalar_rng.next_u64());
                }
                // Pushes alone (placing new points), where the first negative takes the first lane.
                let (skip, point) = (Some(head * 2), [layout[head * 2], layout[head * 2 + 1]]);
                let mut lanes_rng = Xoshiro256PlusPlus::seed_from_u64(negatives as u64);
                let mut scalar_rng = lanes_rng.clone();
                let steps = edge_steps(Fixed::<2>, &point, None, &layout, skip, negatives, curve, &mut lanes_rng);
                let one_at_a_time: Vec<_> = (0..negatives)
                    .map(|_| push_one(Fixed::<2>, &point, &layout, skip, curve, &mut scalar_rng))
                    .collect();
                let pushes = lane_order_total(&one_at_a_time, false);
                assert!(steps.pull.iter().all(|&x| x == 0.0));
                assert_eq!(
                    steps.pushes.map(f32::to_bits),
                    pushes.map(f32::to_bits),
                    "{negatives} pushes alone on {head}"
                );
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
