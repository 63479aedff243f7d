//! The XLM-RoBERTa (BERT) encoder forward pass over a packed batch of token sequences.
//!
//! Sequences are concatenated into one `tokens × hidden` matrix with no padding: the token-wise matrix products run
//! once over the whole batch (each weight tile unpacked once per batch), and attention is restricted to each
//! sequence's own token range, which is exactly what an attention mask over padded rows would compute, without
//! the padded rows. Layers are post-LN (`x = LN(x + Attention(x))`, `x = LN(x + FFN(x))`) with exact GELU; the
//! sentence vector is the mean of the last hidden states over all of a sequence's tokens, `<s>` and `</s>`
//! included (the attention mask's mean pooling), normalised to unit length.

use crate::format::{LayerTensors, ParsedModel};
use crate::kernels::{add_layer_norm, dequantise_row, dot, fast_exp, gelu, matmul_q4, QuantisedActivations};

/// Buffers reused across layers and batches.
#[derive(Default)]
pub struct Workspace {
    hidden: Vec<f32>,
    query: Vec<f32>,
    key: Vec<f32>,
    value: Vec<f32>,
    context: Vec<f32>,
    projected: Vec<f32>,
    intermediate: Vec<f32>,
    quantised: QuantisedActivations,
    probabilities: Vec<f32>,
}

fn resize(buffer: &mut Vec<f32>, len: usize) {
    buffer.clear();
    buffer.resize(len, 0.0);
}

/// Unit-length sentence vectors of `sequences` (token ids incl. `<s>`/`</s>`), written row-major into `out`.
pub fn encode_batch(
    model: &ParsedModel,
    bytes: &[u8],
    sequences: &[&[u32]],
    workspace: &mut Workspace,
    out: &mut [f32],
) {
    let hyper = &model.hyper;
    let h = hyper.hidden;
    let tokens: usize = sequences.iter().map(|s| s.len()).sum();
    let Workspace { hidden, query, key, value, context, projected, intermediate, quantised, probabilities } = workspace;
    for buffer in [&mut *hidden, query, key, value, context, projected] {
        resize(buffer, tokens * h);
    }
    resize(intermediate, tokens * hyper.ffn);

    // Embeddings: word + position + token type 0, then layer norm.
    let mut row_at = 0;
    for sequence in sequences {
        for (position, &id) in sequence.iter().enumerate() {
            let row = &mut hidden[row_at * h..][..h];
            dequantise_row(bytes, &model.word_embeddings, id as usize, row);
            let position_row = &model.position_embeddings[position * h..][..h];
            for ((x, p), t) in row.iter_mut().zip(position_row).zip(&model.token_type_embedding) {
                *x += p + t;
            }
            add_layer_norm(row, None, &model.embedding_norm_weight, &model.embedding_norm_bias, hyper.layer_norm_eps);
            row_at += 1;
        }
    }

    let ranges: Vec<(usize, usize)> = sequences
        .iter()
        .scan(0, |start, s| {
            let range = (*start, *start + s.len());
            *start += s.len();
            Some(range)
        })
        .collect();

    for layer in &model.layers {
        encoder_layer(
            model,
            bytes,
            layer,
            &ranges,
            LayerBuffers { hidden, query, key, value, context, projected, intermediate, quantised, probabilities },
        );
    }

    mean_pool_normalised(hidden, &ranges, h, out);
}

/// For each token range, the mean of its rows scaled to unit length. The 1/len factor of the mean cancels in the
/// normalisation, so only the sum is formed.
pub fn mean_pool_normalised(hidden: &[f32], ranges: &[(usize, usize)], h: usize, out: &mut [f32]) {
    for (&(start, end), sentence) in ranges.iter().zip(out.chunks_exact_mut(h)) {
        sentence.fill(0.0);
        for row in hidden[start * h..end * h].chunks_exact(h) {
            for (s, x) in sentence.iter_mut().zip(row) {
                *s += x;
            }
        }
        normalise(sentence);
    }
}

/// Scales `vector` to unit length (a zero vector stays zero).
pub fn normalise(vector: &mut [f32]) {
    let norm = dot(vector, vector).sqrt().max(1e-12);
    for x in vector.iter_mut() {
        *x /= norm;
    }
}

struct LayerBuffers<'a> {
    hidden: &'a mut [f32],
    query: &'a mut [f32],
    key: &'a mut [f32],
    value: &'a mut [f32],
    context: &'a mut [f32],
    projected: &'a mut [f32],
    intermediate: &'a mut [f32],
    quantised: &'a mut QuantisedActivations,
    probabilities: &'a mut Vec<f32>,
}

fn encoder_layer(
    model: &ParsedModel,
    bytes: &[u8],
    layer: &LayerTensors,
    ranges: &[(usize, usize)],
    buffers: LayerBuffers,
) {
    let LayerBuffers { hidden, query, key, value, context, projected, intermediate, quantised, probabilities } =
        buffers;
    let hyper = &model.hyper;
    let (h, eps) = (hyper.hidden, hyper.layer_norm_eps);

    quantised.quantise(hidden, h);
    matmul_q4(bytes, &layer.query, &layer.query_bias, quantised, query);
    matmul_q4(bytes, &layer.key, &layer.key_bias, quantised, key);
    matmul_q4(bytes, &layer.value, &layer.value_bias, quantised, value);
    attention(query, key, value, context, ranges, hyper.heads, h, probabilities);

    quantised.quantise(context, h);
    matmul_q4(bytes, &layer.attention_out, &layer.attention_out_bias, quantised, projected);
    for (row, residual) in hidden.chunks_exact_mut(h).zip(projected.chunks_exact(h)) {
        add_layer_norm(row, Some(residual), &layer.attention_norm_weight, &layer.attention_norm_bias, eps);
    }

    quantised.quantise(hidden, h);
    matmul_q4(bytes, &layer.ffn_in, &layer.ffn_in_bias, quantised, intermediate);
    gelu_all(intermediate);
    quantised.quantise(intermediate, hyper.ffn);
    matmul_q4(bytes, &layer.ffn_out, &layer.ffn_out_bias, quantised, projected);
    for (row, residual) in hidden.chunks_exact_mut(h).zip(projected.chunks_exact(h)) {
        add_layer_norm(row, Some(residual), &layer.output_norm_weight, &layer.output_norm_bias, eps);
    }
}

/// Scaled dot-product attention per head, each token attending only to its own sequence.
#[allow(clippy::too_many_arguments)]
pub(crate) fn attention(
    query: &[f32],
    key: &[f32],
    value: &[f32],
    context: &mut [f32],
    ranges: &[(usize, usize)],
    heads: usize,
    h: usize,
    probabilities: &mut Vec<f32>,
) {
    let head_dim = h / heads;
    let scale = 1.0 / (head_dim as f32).sqrt();
    for &(start, end) in ranges {
        probabilities.resize(end - start, 0.0);
        for head in 0..heads {
            let columns = head * head_dim..(head + 1) * head_dim;
            for t in start..end {
                let q = &query[t * h..][columns.clone()];
                let mut largest = f32::NEG_INFINITY;
                for (s, p) in (start..end).zip(probabilities.iter_mut()) {
                    *p = dot(q, &key[s * h..][columns.clone()]) * scale;
                    largest = largest.max(*p);
                }
                let mut total = 0.0;
                for p in probabilities.iter_mut() {
                    *p = fast_exp(*p - largest);
                    total += *p;
                }
                let out = &mut context[t * h..][columns.clone()];
                out.fill(0.0);
                for (s, &p) in (start..end).zip(probabilities.iter()) {
                    let weight = p / total;
                    for (o, v) in out.iter_mut().zip(&value[s * h..][columns.clone()]) {
                        *o += weight * v;
                    }
                }
            }
        }
    }
}

/// GELU in place over a whole activation matrix.
fn gelu_all(values: &mut [f32]) {
    for x in values.iter_mut() {
        *x = gelu(*x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooling_averages_each_sequence_and_normalises() {
        // Two sequences over 3-dimensional rows: rows 0..2 and 2..5.
        let hidden = [1.0, 2.0, 2.0, 3.0, 2.0, 0.0, 0.0, 0.0, 3.0, 0.0, 4.0, 0.0, 0.0, 2.0, 0.0];
        let mut out = [0.0; 6];
        mean_pool_normalised(&hidden, &[(0, 2), (2, 5)], 3, &mut out);
        // Means (2, 2, 1) and (0, 2, 1); norms 3 and √5.
        let expected = [2.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0, 0.0, 2.0 / 5f32.sqrt(), 1.0 / 5f32.sqrt()];
        for (got, want) in out.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{out:?} vs {expected:?}");
        }
    }

    #[test]
    fn zero_vector_stays_finite() {
        let mut zero = [0.0f32; 4];
        normalise(&mut zero);
        assert_eq!(zero, [0.0; 4]);
    }
}
