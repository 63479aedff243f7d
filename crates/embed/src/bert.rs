//! The f32 forward pass of a BERT-family encoder (BERT, MiniLM, RoBERTa, XLM-R) loaded from a user's own model
//! folder (see [`crate::folder`]), and the sentence-transformers pooling after it.
//!
//! It follows the architecture of the BERT paper (Devlin et al. 2018) as the `transformers` checkpoints store it:
//! embeddings are word + position + token type 0, layer-normed; each layer is post-LN self-attention
//! (`x = LN(x + Wo·Attention(Wq·x, Wk·x, Wv·x))`) then a GELU feed-forward block (`x = LN(x + W2·GELU(W1·x))`).
//! As in [`crate::encoder`], the texts of a batch are packed into one matrix without padding and attention stays
//! inside each text's token range, which is what the padded, masked computation gives for the real tokens.
//! The weights stay f32 (an f16 file is widened when loaded): a user's model is used exactly as published.

use crate::encoder::attention;
use crate::kernels::{add_layer_norm, dot, gelu};
use crate::wordpiece::WordPiece;
use crate::{tokenizer::Tokenizer, Cancelled};

/// A `rows × cols` matrix (torch's `Linear.weight`, outputs × inputs) and its bias.
pub struct Linear {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
    pub rows: usize,
    pub cols: usize,
}

pub struct Norm {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

pub struct BertLayer {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub attention_out: Linear,
    pub attention_norm: Norm,
    pub ffn_in: Linear,
    pub ffn_out: Linear,
    pub output_norm: Norm,
}

pub struct BertWeights {
    pub hidden: usize,
    pub heads: usize,
    pub layer_norm_eps: f32,
    pub word_embeddings: Vec<f32>,
    pub vocabulary_rows: usize,
    pub position_embeddings: Vec<f32>,
    /// XLM-R and RoBERTa number positions from `padding_idx + 1`; BERT from 0.
    pub position_offset: usize,
    /// Row 0 of the token type embeddings (a single text is all type 0); zeros when the model has none.
    pub token_type: Vec<f32>,
    pub embedding_norm: Norm,
    pub layers: Vec<BertLayer>,
}

/// How token vectors become one sentence vector (sentence-transformers' `Pooling` module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    Mean,
    Cls,
    Max,
    MeanSqrtLength,
}

/// The tokenizer the folder's `tokenizer.json` describes.
pub enum TextTokenizer {
    WordPiece(WordPiece),
    Unigram(Tokenizer),
}

impl TextTokenizer {
    fn encode(&self, text: &str, max_len: usize) -> Vec<u32> {
        match self {
            TextTokenizer::WordPiece(tokenizer) => tokenizer.encode(text, max_len),
            TextTokenizer::Unigram(tokenizer) => tokenizer.encode(text, max_len),
        }
    }
}

/// A user's own sentence model, ready to embed.
pub struct OwnModel {
    pub(crate) name: String,
    pub(crate) weights: BertWeights,
    pub(crate) tokenizer: TextTokenizer,
    pub(crate) pooling: Pooling,
    pub(crate) normalise: bool,
    pub(crate) max_tokens: usize,
    pub(crate) prompt: String,
    pub(crate) batch_tokens: usize,
}

impl OwnModel {
    /// The name to show: the folder's name, else the one in `config.json`.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn dim(&self) -> usize {
        self.weights.hidden
    }

    pub fn layers(&self) -> usize {
        self.weights.layers.len()
    }

    pub fn pooling(&self) -> Pooling {
        self.pooling
    }

    pub fn normalises(&self) -> bool {
        self.normalise
    }

    /// Longest input in tokens, specials included (sentence-transformers' `max_seq_length`).
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// The prompt put before every text (e.g. e5's `"query: "`), empty when the model has none.
    pub fn prompt(&self) -> &str {
        &self.prompt
    }

    pub fn set_batch_tokens(&mut self, tokens: usize) {
        self.batch_tokens = tokens.max(1);
    }

    /// The model's input ids for `text` as given (no prompt added), truncated to [`OwnModel::max_tokens`].
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        self.tokenizer.encode(text, self.max_tokens)
    }

    /// Embeds `texts`, each behind the model's prompt, into `texts.len() × dim()` vectors, row-major; progress as
    /// in [`crate::Model::embed`].
    pub fn embed(
        &self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vec<f32>, Cancelled> {
        let dim = self.dim();
        let total = texts.len();
        progress(0, total)?;
        let sequences: Vec<Vec<u32>> =
            texts.iter().map(|text| self.tokenize(&format!("{}{text}", self.prompt))).collect();
        let mut order: Vec<usize> = (0..total).collect();
        order.sort_by_key(|&i| sequences[i].len());
        let mut out = vec![0.0f32; total * dim];
        let mut workspace = Workspace::default();
        let mut done = 0;
        while done < total {
            let mut end = done;
            let mut tokens = 0;
            while end < total && (end == done || tokens + sequences[order[end]].len() <= self.batch_tokens) {
                tokens += sequences[order[end]].len();
                end += 1;
            }
            let batch: Vec<&[u32]> = order[done..end].iter().map(|&i| sequences[i].as_slice()).collect();
            let vectors = self.encode_batch(&batch, &mut workspace);
            for (&i, vector) in order[done..end].iter().zip(vectors.chunks_exact(dim)) {
                out[i * dim..][..dim].copy_from_slice(vector);
            }
            done = end;
            progress(done, total)?;
        }
        Ok(out)
    }

    fn encode_batch(&self, sequences: &[&[u32]], workspace: &mut Workspace) -> Vec<f32> {
        let weights = &self.weights;
        let h = weights.hidden;
        let tokens: usize = sequences.iter().map(|s| s.len()).sum();
        let Workspace { hidden, query, key, value, context, projected, intermediate, probabilities } = workspace;
        for buffer in [&mut *hidden, query, key, value, context, projected] {
            buffer.clear();
            buffer.resize(tokens * h, 0.0);
        }
        let mut row_at = 0;
        for sequence in sequences {
            for (position, &id) in sequence.iter().enumerate() {
                let row = &mut hidden[row_at * h..][..h];
                // Ids are checked against the vocabulary when the folder is loaded; clamp defensively anyway.
                let id = (id as usize).min(weights.vocabulary_rows - 1);
                row.copy_from_slice(&weights.word_embeddings[id * h..][..h]);
                let position_row = &weights.position_embeddings[(position + weights.position_offset) * h..][..h];
                for ((x, p), t) in row.iter_mut().zip(position_row).zip(&weights.token_type) {
                    *x += p + t;
                }
                let norm = &weights.embedding_norm;
                add_layer_norm(row, None, &norm.weight, &norm.bias, weights.layer_norm_eps);
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
        let eps = weights.layer_norm_eps;
        for layer in &weights.layers {
            linear(&layer.query, hidden, query);
            linear(&layer.key, hidden, key);
            linear(&layer.value, hidden, value);
            attention(query, key, value, context, &ranges, weights.heads, h, probabilities);
            linear(&layer.attention_out, context, projected);
            for (row, residual) in hidden.chunks_exact_mut(h).zip(projected.chunks_exact(h)) {
                add_layer_norm(row, Some(residual), &layer.attention_norm.weight, &layer.attention_norm.bias, eps);
            }
            intermediate.clear();
            intermediate.resize(tokens * layer.ffn_in.rows, 0.0);
            linear(&layer.ffn_in, hidden, intermediate);
            for x in intermediate.iter_mut() {
                *x = gelu(*x);
            }
            linear(&layer.ffn_out, intermediate, projected);
            for (row, residual) in hidden.chunks_exact_mut(h).zip(projected.chunks_exact(h)) {
                add_layer_norm(row, Some(residual), &layer.output_norm.weight, &layer.output_norm.bias, eps);
            }
        }
        let mut out = vec![0.0; sequences.len() * h];
        pool(hidden, &ranges, h, self.pooling, &mut out);
        if self.normalise {
            for vector in out.chunks_exact_mut(h) {
                crate::encoder::normalise(vector);
            }
        }
        out
    }
}

#[derive(Default)]
struct Workspace {
    hidden: Vec<f32>,
    query: Vec<f32>,
    key: Vec<f32>,
    value: Vec<f32>,
    context: Vec<f32>,
    projected: Vec<f32>,
    intermediate: Vec<f32>,
    probabilities: Vec<f32>,
}

/// Output rows computed together, so each input row is read once per four weight rows.
const ROWS: usize = 4;

/// Tokens whose input rows are kept hot together (16 × 1536 floats = 96 KB, in L2) while the weights stream past.
const TOKENS: usize = 16;

/// `output[t] = bias + W · input[t]` for every token row `t`. The weights (up to 2.4 MB) are read once per block of
/// [`TOKENS`] tokens rather than once per token: per token they would be fetched from memory again each time.
pub fn linear(layer: &Linear, input: &[f32], output: &mut [f32]) {
    let (rows, cols) = (layer.rows, layer.cols);
    let full = rows - rows % ROWS;
    for (inputs, outputs) in input.chunks(TOKENS * cols).zip(output.chunks_mut(TOKENS * rows)) {
        for first in (0..full).step_by(ROWS) {
            let w = &layer.weight[first * cols..(first + ROWS) * cols];
            for (x, out) in inputs.chunks_exact(cols).zip(outputs.chunks_exact_mut(rows)) {
                let sums = dot4(w, x, cols);
                for (r, sum) in sums.into_iter().enumerate() {
                    out[first + r] = layer.bias[first + r] + sum;
                }
            }
        }
        for (x, out) in inputs.chunks_exact(cols).zip(outputs.chunks_exact_mut(rows)) {
            for ((o, b), w) in
                out[full..].iter_mut().zip(&layer.bias[full..]).zip(layer.weight[full * cols..].chunks_exact(cols))
            {
                *o = b + dot(w, x);
            }
        }
    }
}

/// Four dot products of consecutive weight rows with `x`, eight lanes each so the loop vectorises.
#[inline(always)]
fn dot4(w: &[f32], x: &[f32], cols: usize) -> [f32; ROWS] {
    let (w0, rest) = w.split_at(cols);
    let (w1, rest) = rest.split_at(cols);
    let (w2, w3) = rest.split_at(cols);
    let mut lanes = [[0.0f32; 8]; ROWS];
    let chunks = cols / 8;
    for c in 0..chunks {
        let at = c * 8;
        let xs = &x[at..at + 8];
        for (lane_set, row) in lanes.iter_mut().zip([w0, w1, w2, w3]) {
            let ws = &row[at..at + 8];
            for lane in 0..8 {
                lane_set[lane] += ws[lane] * xs[lane];
            }
        }
    }
    let mut sums = [0.0f32; ROWS];
    for (sum, (lane_set, row)) in sums.iter_mut().zip(lanes.iter().zip([w0, w1, w2, w3])) {
        let tail: f32 = row[chunks * 8..].iter().zip(&x[chunks * 8..]).map(|(a, b)| a * b).sum();
        *sum = lane_set.iter().sum::<f32>() + tail;
    }
    sums
}

/// One sentence vector per token range. Every token counts: packed batches have no padding to mask.
pub fn pool(hidden: &[f32], ranges: &[(usize, usize)], h: usize, pooling: Pooling, out: &mut [f32]) {
    for (&(start, end), sentence) in ranges.iter().zip(out.chunks_exact_mut(h)) {
        let rows = hidden[start * h..end * h].chunks_exact(h);
        let count = (end - start).max(1) as f32;
        match pooling {
            Pooling::Cls => sentence.copy_from_slice(&hidden[start * h..][..h]),
            Pooling::Max => {
                sentence.fill(f32::NEG_INFINITY);
                for row in rows {
                    for (s, x) in sentence.iter_mut().zip(row) {
                        *s = s.max(*x);
                    }
                }
            }
            Pooling::Mean | Pooling::MeanSqrtLength => {
                sentence.fill(0.0);
                for row in rows {
                    for (s, x) in sentence.iter_mut().zip(row) {
                        *s += x;
                    }
                }
                let divisor = if pooling == Pooling::Mean { count } else { count.sqrt() };
                sentence.iter_mut().for_each(|s| *s /= divisor);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_matches_the_definition() {
        // 5 outputs (one past the 4-row blocks) × 11 inputs (one block of 8 and a tail), 19 tokens (one past a
        // token block).
        let (rows, cols, tokens) = (5, 11, 19);
        let weight: Vec<f32> = (0..rows * cols).map(|i| ((i * 7 % 13) as f32 - 6.0) / 4.0).collect();
        let bias: Vec<f32> = (0..rows).map(|i| i as f32 - 2.0).collect();
        let input: Vec<f32> = (0..tokens * cols).map(|i| ((i * 5 % 9) as f32 - 4.0) / 3.0).collect();
        let layer = Linear { weight: weight.clone(), bias: bias.clone(), rows, cols };
        let mut output = vec![0.0; tokens * rows];
        linear(&layer, &input, &mut output);
        for t in 0..tokens {
            for o in 0..rows {
                let expected: f32 =
                    bias[o] + (0..cols).map(|i| weight[o * cols + i] * input[t * cols + i]).sum::<f32>();
                assert!((output[t * rows + o] - expected).abs() < 1e-5, "token {t} output {o}");
            }
        }
    }

    #[test]
    fn pooling_modes() {
        // One sequence of two 2-dimensional rows.
        let hidden = [1.0, -4.0, 3.0, 2.0];
        let mut out = [0.0; 2];
        pool(&hidden, &[(0, 2)], 2, Pooling::Mean, &mut out);
        assert_eq!(out, [2.0, -1.0]);
        pool(&hidden, &[(0, 2)], 2, Pooling::Cls, &mut out);
        assert_eq!(out, [1.0, -4.0]);
        pool(&hidden, &[(0, 2)], 2, Pooling::Max, &mut out);
        assert_eq!(out, [3.0, 2.0]);
        pool(&hidden, &[(0, 2)], 2, Pooling::MeanSqrtLength, &mut out);
        assert!((out[0] - 4.0 / 2f32.sqrt()).abs() < 1e-6 && (out[1] + 2.0 / 2f32.sqrt()).abs() < 1e-6);
    }
}
