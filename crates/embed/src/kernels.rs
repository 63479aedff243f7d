//! The numeric kernels of the encoder: 4-bit × 8-bit matrix products, exp, GELU and layer norm.
//!
//! Matrix products take the weights as stored (Q4_0: per 32 weights an fp16 scale and 4-bit values with an offset
//! of 8) and the activations quantised the same way to 8 bits (per 32 values a scale of max|x|/127). A block's dot
//! product is then an exact integer sum, scaled once by both block scales. Weights are unpacked a few rows at a
//! time into a small i16 tile that stays in L1 while every token of the batch streams past it, so unpacking costs
//! O(weights) per batch while the integer products cost O(weights × tokens). Products use i16 lanes because both
//! wasm SIMD128 (`i32x4.dot_i16x8_s`) and x86 (`pmaddwd`) multiply-add adjacent i16 pairs into i32 in one
//! instruction.
//!
//! All reductions keep several independent lanes so the compiler can vectorise them without reassociating floats.

use crate::format::{f16_to_f32, Q4Tensor, BLOCK, BLOCK_BYTES};

/// Activations of `rows × cols` quantised per 32-value block: values as i16 (range −127..=127) and one scale per
/// block.
pub struct QuantisedActivations {
    pub cols: usize,
    pub values: Vec<i16>,
    pub scales: Vec<f32>,
}

impl QuantisedActivations {
    pub fn new() -> QuantisedActivations {
        QuantisedActivations { cols: 0, values: Vec::new(), scales: Vec::new() }
    }

    /// Quantises `input` (row-major, `cols` per row) into `self`, reusing its buffers.
    pub fn quantise(&mut self, input: &[f32], cols: usize) {
        debug_assert_eq!(cols % BLOCK, 0);
        self.cols = cols;
        self.values.resize(input.len(), 0);
        self.scales.resize(input.len() / BLOCK, 0.0);
        for ((block, values), scale) in
            input.chunks_exact(BLOCK).zip(self.values.chunks_exact_mut(BLOCK)).zip(self.scales.iter_mut())
        {
            let largest = block.iter().fold(0.0f32, |acc, &x| acc.max(x.abs()));
            *scale = largest / 127.0;
            let inverse = if largest > 0.0 { 127.0 / largest } else { 0.0 };
            for (value, &x) in values.iter_mut().zip(block) {
                *value = round_small(x * inverse) as i16;
            }
        }
    }
}

impl Default for QuantisedActivations {
    fn default() -> Self {
        QuantisedActivations::new()
    }
}

/// Output rows unpacked together: their i16 tile (ROWS × 1536 × 2 bytes at most) stays in L1.
const ROWS: usize = 4;

/// `output[t][o] = bias[o] + Σ_i weights[o][i] · input[t][i]` for every token `t`, with `weights` a Q4_0 matrix in
/// `model_bytes` (`rows` outputs × `cols` inputs) and `input` quantised activations with `cols` columns.
pub fn matmul_q4(
    model_bytes: &[u8],
    weights: &Q4Tensor,
    bias: &[f32],
    input: &QuantisedActivations,
    output: &mut [f32],
) {
    let (rows, cols) = (weights.rows, weights.cols);
    let blocks = cols / BLOCK;
    debug_assert_eq!(input.cols, cols);
    debug_assert_eq!(rows % ROWS, 0);
    let tokens = input.values.len() / cols;
    debug_assert_eq!(output.len(), tokens * rows);
    let weight_bytes = &model_bytes[weights.bytes.clone()];
    let row_bytes = blocks * BLOCK_BYTES;

    // Block-interleaved tile: for each block, the ROWS rows' 32 values side by side, so one pass over the blocks
    // walks the tile, the activations and the scales in step.
    let mut tile = vec![0i16; ROWS * cols];
    let mut tile_scales = vec![0f32; ROWS * blocks];
    for first_row in (0..rows).step_by(ROWS) {
        for r in 0..ROWS {
            let row = &weight_bytes[(first_row + r) * row_bytes..][..row_bytes];
            unpack_row_into_tile(row, r, &mut tile, &mut tile_scales);
        }
        for ((activations, activation_scales), out) in
            input.values.chunks_exact(cols).zip(input.scales.chunks_exact(blocks)).zip(output.chunks_exact_mut(rows))
        {
            let sums = dot_rows4(&tile, &tile_scales, activations, activation_scales);
            for ((value, sum), b) in out[first_row..first_row + ROWS].iter_mut().zip(sums).zip(&bias[first_row..]) {
                *value = b + sum;
            }
        }
    }
}

/// Unpacks one Q4_0 row into slot `r` of the tile as signed i16 values (−8..=7) and f32 block scales. Byte j of a
/// block holds weight j in its low nibble and weight j + 16 in its high nibble.
fn unpack_row_into_tile(row: &[u8], r: usize, tile: &mut [i16], tile_scales: &mut [f32]) {
    for ((block, tile_block), scales) in
        row.chunks_exact(BLOCK_BYTES).zip(tile.chunks_exact_mut(ROWS * BLOCK)).zip(tile_scales.chunks_exact_mut(ROWS))
    {
        scales[r] = f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
        let (low, high) = tile_block[r * BLOCK..(r + 1) * BLOCK].split_at_mut(BLOCK / 2);
        for ((&byte, low), high) in block[2..].iter().zip(low).zip(high) {
            *low = i16::from(byte & 0x0f) - 8;
            *high = i16::from(byte >> 4) - 8;
        }
    }
}

/// Four outputs at once, so each activation block is loaded once for four weight rows.
///
/// Native targets go through `wide`'s safe SIMD types: `i16x8::dot` multiplies adjacent i16 pairs and adds them
/// into i32 lanes (`pmaddwd` on x86_64's baseline SSE2; plain lanes on targets without SIMD), eight products per
/// instruction. The compiler does not find this shape by itself here: it vectorises across blocks with gathers.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn dot_rows4(tile: &[i16], tile_scales: &[f32], activations: &[i16], activation_scales: &[f32]) -> [f32; ROWS] {
    use wide::{f32x4, i16x8, i32x4};
    let load = |values: &[i16; 8]| -> i16x8 { i16x8::new(*values) };
    let tile: &[[i16; 8]] = bytemuck::cast_slice(tile);
    let activations: &[[i16; 8]] = bytemuck::cast_slice(activations);
    let tile_scales: &[[f32; 4]] = bytemuck::cast_slice(tile_scales);
    // Lane r accumulates row r: each block's four row sums are transposed into one vector, so the float
    // conversion and scaling happen once per block for all four rows.
    let mut total = f32x4::ZERO;
    for (((tile_block, &scales), x), &xs) in tile
        .chunks_exact(ROWS * BLOCK / 8)
        .zip(tile_scales)
        .zip(activations.chunks_exact(BLOCK / 8))
        .zip(activation_scales)
    {
        let x = [load(&x[0]), load(&x[1]), load(&x[2]), load(&x[3])];
        let row_sums = |w: &[[i16; 8]]| -> i32x4 {
            (load(&w[0]).dot(x[0]) + load(&w[1]).dot(x[1])) + (load(&w[2]).dot(x[2]) + load(&w[3]).dot(x[3]))
        };
        let [a, b, c, d] = i32x4::transpose([
            row_sums(&tile_block[0..4]),
            row_sums(&tile_block[4..8]),
            row_sums(&tile_block[8..12]),
            row_sums(&tile_block[12..16]),
        ]);
        total += ((a + b) + (c + d)).round_float() * (f32x4::new(scales) * f32x4::splat(xs));
    }
    total.to_array()
}

/// wasm32 with SIMD128: `i32x4.dot_i16x8_s` is the same pairwise multiply-add as x86's `pmaddwd`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn dot_rows4(tile: &[i16], tile_scales: &[f32], activations: &[i16], activation_scales: &[f32]) -> [f32; ROWS] {
    use core::arch::wasm32::*;
    let load = |values: &[i16; 8]| -> v128 { bytemuck::cast(*values) };
    let tile: &[[i16; 8]] = bytemuck::cast_slice(tile);
    let activations: &[[i16; 8]] = bytemuck::cast_slice(activations);
    let tile_scales: &[[f32; 4]] = bytemuck::cast_slice(tile_scales);
    // Lane r accumulates row r (see the native version).
    let mut total = f32x4_splat(0.0);
    for (((tile_block, &scales), x), &xs) in tile
        .chunks_exact(ROWS * BLOCK / 8)
        .zip(tile_scales)
        .zip(activations.chunks_exact(BLOCK / 8))
        .zip(activation_scales)
    {
        let x = [load(&x[0]), load(&x[1]), load(&x[2]), load(&x[3])];
        let row_sums = |w: &[[i16; 8]]| -> v128 {
            let low = i32x4_add(i32x4_dot_i16x8(load(&w[0]), x[0]), i32x4_dot_i16x8(load(&w[1]), x[1]));
            let high = i32x4_add(i32x4_dot_i16x8(load(&w[2]), x[2]), i32x4_dot_i16x8(load(&w[3]), x[3]));
            i32x4_add(low, high)
        };
        let (a, b) = (row_sums(&tile_block[0..4]), row_sums(&tile_block[4..8]));
        let (c, d) = (row_sums(&tile_block[8..12]), row_sums(&tile_block[12..16]));
        // Horizontal sums of a, b, c, d into the lanes of one vector: pair up, add, pair up again, add.
        let ab = i32x4_add(i32x4_shuffle::<0, 4, 1, 5>(a, b), i32x4_shuffle::<2, 6, 3, 7>(a, b));
        let cd = i32x4_add(i32x4_shuffle::<0, 4, 1, 5>(c, d), i32x4_shuffle::<2, 6, 3, 7>(c, d));
        let sums = i32x4_add(i32x4_shuffle::<0, 1, 4, 5>(ab, cd), i32x4_shuffle::<2, 3, 6, 7>(ab, cd));
        let scale = f32x4_mul(bytemuck::cast::<[f32; 4], v128>(scales), f32x4_splat(xs));
        total = f32x4_add(total, f32x4_mul(f32x4_convert_i32x4(sums), scale));
    }
    bytemuck::cast(total)
}

/// One embedding row of a Q4_0 matrix, dequantised to f32.
pub fn dequantise_row(model_bytes: &[u8], matrix: &Q4Tensor, row: usize, out: &mut [f32]) {
    let row_bytes = matrix.blocks_per_row() * BLOCK_BYTES;
    let bytes = &model_bytes[matrix.bytes.start + row * row_bytes..][..row_bytes];
    for (block, out) in bytes.chunks_exact(BLOCK_BYTES).zip(out.chunks_exact_mut(BLOCK)) {
        let scale = f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
        let (low, high) = out.split_at_mut(BLOCK / 2);
        for ((&byte, low), high) in block[2..].iter().zip(low).zip(high) {
            *low = f32::from(i16::from(byte & 0x0f) - 8) * scale;
            *high = f32::from(i16::from(byte >> 4) - 8) * scale;
        }
    }
}

/// Dot product of two equally long f32 slices, in 8 independent lanes.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let mut chunks_a = a.chunks_exact(8);
    let mut chunks_b = b.chunks_exact(8);
    for (a, b) in (&mut chunks_a).zip(&mut chunks_b) {
        for lane in 0..8 {
            lanes[lane] += a[lane] * b[lane];
        }
    }
    let tail: f32 = chunks_a.remainder().iter().zip(chunks_b.remainder()).map(|(a, b)| a * b).sum();
    lanes.iter().sum::<f32>() + tail
}

/// Rounds half to even for |x| < 2^22 by adding and removing 1.5·2^23, which pushes the fraction out of the
/// mantissa. Baseline x86_64 (SSE2) has no rounding instruction, so `round_ties_even` would be a libm call per
/// value.
#[inline(always)]
fn round_small(x: f32) -> f32 {
    const SHIFT: f32 = 12_582_912.0;
    (x + SHIFT) - SHIFT
}

/// `e^x` to about 2 ulp over the float range, branch-free so loops over it vectorise. Range reduction by powers of
/// two (x = n·ln2 + r, |r| ≤ ln2/2, with ln2 split in two parts for exactness), a degree-6 Taylor polynomial for
/// e^r, and 2^n assembled in the exponent bits.
#[inline(always)]
pub fn fast_exp(x: f32) -> f32 {
    const LN2_HIGH: f32 = 0.693_145_75;
    const LN2_LOW: f32 = 1.428_606_8e-6;
    let x = x.clamp(-87.0, 88.0);
    let n = round_small(x * std::f32::consts::LOG2_E);
    let r = (x - n * LN2_HIGH) - n * LN2_LOW;
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// The exact (erf-based) GELU of BERT, with erf from Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7).
#[inline(always)]
pub fn gelu(x: f32) -> f32 {
    const P: f32 = 0.327_591_1;
    const A: [f32; 5] = [0.254_829_6, -0.284_496_74, 1.421_413_7, -1.453_152_1, 1.061_405_4];
    let z = x.abs() * std::f32::consts::FRAC_1_SQRT_2;
    let t = 1.0 / (1.0 + P * z);
    let poly = t * (A[0] + t * (A[1] + t * (A[2] + t * (A[3] + t * A[4]))));
    let erf_abs = 1.0 - poly * fast_exp(-z * z);
    let erf = if x < 0.0 { -erf_abs } else { erf_abs };
    0.5 * x * (1.0 + erf)
}

/// `row = LayerNorm(row + residual)` with the given weight, bias and epsilon; `residual` may be absent.
pub fn add_layer_norm(row: &mut [f32], residual: Option<&[f32]>, weight: &[f32], bias: &[f32], eps: f32) {
    if let Some(residual) = residual {
        for (x, r) in row.iter_mut().zip(residual) {
            *x += r;
        }
    }
    let n = row.len() as f32;
    let mean = lane_sum(row) / n;
    let mut squares = [0.0f32; 8];
    let mut chunks = row.chunks_exact(8);
    for chunk in &mut chunks {
        for lane in 0..8 {
            let d = chunk[lane] - mean;
            squares[lane] += d * d;
        }
    }
    let tail: f32 = chunks.remainder().iter().map(|x| (x - mean) * (x - mean)).sum();
    let variance = (squares.iter().sum::<f32>() + tail) / n;
    let inverse = 1.0 / (variance + eps).sqrt();
    for ((x, w), b) in row.iter_mut().zip(weight).zip(bias) {
        *x = (*x - mean) * inverse * w + b;
    }
}

fn lane_sum(values: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let mut chunks = values.chunks_exact(8);
    for chunk in &mut chunks {
        for lane in 0..8 {
            lanes[lane] += chunk[lane];
        }
    }
    lanes.iter().sum::<f32>() + chunks.remainder().iter().sum::<f32>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_exp_matches_std() {
        for i in -2000..=2000 {
            let x = i as f32 * 0.04;
            let (fast, exact) = (fast_exp(x), x.exp());
            assert!(((fast - exact) / exact).abs() < 1e-6, "exp({x}) = {fast}, std says {exact}");
        }
        assert!(fast_exp(-1000.0) < 1e-37);
    }

    #[test]
    fn gelu_matches_the_erf_definition() {
        // Oracle: erf from libm (a different algorithm) in f64.
        for i in -800..=800 {
            let x = i as f32 * 0.01;
            let exact = 0.5 * f64::from(x) * (1.0 + libm::erf(f64::from(x) / std::f64::consts::SQRT_2));
            assert!((f64::from(gelu(x)) - exact).abs() < 2e-6, "gelu({x}) = {}, expected {exact}", gelu(x));
        }
    }

    #[test]
    fn layer_norm_standardises() {
        let mut row: Vec<f32> = (0..384).map(|i| (i as f32 * 0.37).sin() * 3.0 + 1.5).collect();
        let ones = vec![1.0; 384];
        let zeros = vec![0.0; 384];
        add_layer_norm(&mut row, None, &ones, &zeros, 1e-12);
        let mean = row.iter().sum::<f32>() / 384.0;
        let variance = row.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / 384.0;
        assert!(mean.abs() < 1e-5 && (variance - 1.0).abs() < 1e-4, "mean {mean}, variance {variance}");
    }

    /// Packs f32 weights into Q4_0 bytes the way the file stores them (scale = max|w| / 8, nibble = w/scale + 8).
    fn pack_q4(weights: &[f32]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for block in weights.chunks_exact(BLOCK) {
            let largest = block.iter().fold(0.0f32, |m, w| m.max(w.abs()));
            // Powers of two keep the fp16 scale exact for the test.
            let scale = if largest > 0.0 { (largest / 7.0).log2().ceil().exp2() } else { 1.0 };
            let half = half_bits(scale);
            bytes.extend_from_slice(&half.to_le_bytes());
            for j in 0..16 {
                let q = |w: f32| ((w / scale).round().clamp(-8.0, 7.0) as i32 + 8) as u8;
                bytes.push(q(block[j]) | (q(block[j + 16]) << 4));
            }
        }
        bytes
    }

    /// fp16 bits of a power of two within the normal half range.
    fn half_bits(power_of_two: f32) -> u16 {
        let exponent = power_of_two.log2().round() as i32 + 15;
        (exponent as u16) << 10
    }

    #[test]
    fn q4_matmul_matches_a_plain_f32_product() {
        let (rows, cols, tokens) = (8, 64, 3);
        let weights: Vec<f32> = (0..rows * cols).map(|i| ((i * 37 % 101) as f32 / 50.0 - 1.0) * 0.1).collect();
        let bytes = pack_q4(&weights);
        let matrix = Q4Tensor { rows, cols, bytes: 0..bytes.len() };
        // The oracle uses the dequantised weights (what the file encodes), in f64.
        let mut dequantised = vec![0.0f32; rows * cols];
        for r in 0..rows {
            dequantise_row(&bytes, &matrix, r, &mut dequantised[r * cols..][..cols]);
        }
        let input: Vec<f32> = (0..tokens * cols).map(|i| ((i * 53 % 97) as f32 / 48.0 - 1.0) * 2.0).collect();
        let bias: Vec<f32> = (0..rows).map(|r| r as f32 * 0.5).collect();
        let mut quantised = QuantisedActivations::new();
        quantised.quantise(&input, cols);
        let mut output = vec![0.0; tokens * rows];
        matmul_q4(&bytes, &matrix, &bias, &quantised, &mut output);
        for t in 0..tokens {
            for r in 0..rows {
                let exact: f64 = bias[r] as f64
                    + (0..cols).map(|i| dequantised[r * cols + i] as f64 * input[t * cols + i] as f64).sum::<f64>();
                // 8-bit activations: error bounded by Σ|w|·(max|x| per block / 254).
                let bound: f64 = (0..cols).map(|i| dequantised[r * cols + i].abs() as f64).sum::<f64>() * 2.0 / 254.0;
                let got = output[t * rows + r] as f64;
                assert!((got - exact).abs() <= bound + 1e-5, "token {t} row {r}: {got} vs {exact} (bound {bound})");
            }
        }
        // The dequantised weights are what was packed, up to the 4-bit step.
        for (w, d) in weights.iter().zip(&dequantised) {
            assert!((w - d).abs() <= 0.1 / 7.0 + 1e-6, "{w} vs {d}");
        }
    }
}
