//! Distilling the static word-vector table ([`crate::static_table`]) from the model, after Model2Vec (Tulkens &
//! van Dongen, 2024): embed each vocabulary piece with the model, reduce by PCA, weight by frequency.
//!
//! Choices, and why:
//! - **What goes in.** Each piece alone between the specials, `<s> piece </s>`, as Model2Vec does, and what comes
//!   out is the model's own sentence embedding of that one-piece text (mean pooling over the three positions, unit
//!   length): the vector the model gives a one-word statement, i.e. what the model thinks the piece means. e5's
//!   `query: ` prefix is left out: it makes each input five tokens instead of three (two thirds more work, and
//!   the distillation must finish within setup's few minutes on two cores), and the table is used without a
//!   prefix too (in a mean of piece vectors a prefix would add the same vector to every statement). The specials add the same offset to every row; PCA's centring removes
//!   it.
//! - **Which pieces.** Latin-script pieces (plus digits and punctuation): Danish, English and the other languages
//!   the app meets. XLM-R's 250,002 pieces are mostly other scripts; keeping all would triple the download for
//!   no Danish or English statement. The tokenizer still knows every piece, so a Greek word segments correctly and
//!   simply adds nothing.
//! - **PCA** to fewer dimensions (256 by default), centred: Model2Vec finds it removes the shared direction of
//!   the token vectors and costs little quality; it also shrinks the table.
//! - **Weights.** SIF (Arora et al. 2017), `a / (a + p)`, with `p` the piece's probability (`a` measured: see
//!   [`DEFAULT_SIF`]). Model2Vec estimates `p` from the piece's frequency rank by Zipf's law because its
//!   tokenizers have no probabilities; a unigram SentencePiece model does: its scores are the log-probabilities
//!   the tokenizer segments by, so `p = exp(score)` is the frequency the vocabulary was trained to fit, with no
//!   law in between. Frequent pieces (`▁the`, `▁og`, `,`) get small weights, rare content pieces weights near 1.

use crate::format::VocabularyData;
use crate::static_table::TableData;
use crate::{Cancelled, Model};

/// SIF's smoothing constant `a`. The SIF paper's range for word frequencies is 1e-4 to 1e-3; word pieces are more
/// frequent than words (a word is one to three pieces), and on 3,000 StackOverflow titles clustered by k-means
/// (ARCHITECTURE.md) ARI rose from 0.09 (a = 1, nearly unweighted) through 0.19 (1e-3) and 0.28 (1e-4) to 0.31 at
/// 1e-5, then fell again (0.27 at 1e-6); −ln p as the weight (Model2Vec's Zipf weighting) gave 0.22.
pub const DEFAULT_SIF: f32 = 1e-5;
/// Default table width (measured against 128 in ARCHITECTURE.md).
pub const DEFAULT_DIMS: usize = 256;

/// Whether a piece is kept in the table: every character is Latin script, a digit, punctuation or a symbol of
/// the Latin-1 and general-punctuation blocks, or the word-start marker.
pub fn keeps_piece(piece: &str) -> bool {
    !piece.is_empty()
        && piece.chars().all(|c| {
            matches!(c,
                '\u{2581}'
                | '\u{21}'..='\u{7e}'
                | '\u{a1}'..='\u{24f}'
                | '\u{1e00}'..='\u{1eff}'
                | '\u{2010}'..='\u{205e}'
                | '\u{20ac}')
        })
}

/// The SIF weight of a piece with unigram log-probability `score`.
pub fn sif_weight(score: f32, a: f32) -> f32 {
    a / (a + score.exp())
}

/// How a piece's vector is weighted by its frequency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weighting {
    /// SIF with this `a`.
    Sif(f32),
    /// The piece's information, `−ln p`: what Model2Vec's Zipf weighting (log of the frequency rank) estimates.
    Information,
}

impl Weighting {
    pub fn weight(self, score: f32) -> f32 {
        match self {
            Weighting::Sif(a) => sif_weight(score, a),
            Weighting::Information => (-score).max(0.0),
        }
    }
}

/// The pieces to distil: kept by script, never the special pieces.
pub fn pieces_to_keep(vocabulary: &VocabularyData) -> Vec<u32> {
    let specials = [vocabulary.bos, vocabulary.eos, vocabulary.pad, vocabulary.unk];
    (0..vocabulary.pieces.len() as u32)
        .filter(|id| !specials.contains(id) && keeps_piece(&vocabulary.pieces[*id as usize]))
        .collect()
}

/// The model's vector of each piece (`pieces.len() × model.dim()`), with `threads` threads sharing the work.
/// `progress(done, total)` may be called from any thread.
pub fn embed_pieces(
    model: &Model,
    pieces: &[u32],
    threads: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<f32>, Cancelled> {
    let dim = model.dim();
    // `tokenize("")` is `<s> ▁ </s>`: only the specials are wanted from it.
    let framed = model.tokenize("");
    let (bos, eos) = (framed[0], framed[framed.len() - 1]);
    let sequences: Vec<Vec<u32>> = pieces.iter().map(|&piece| vec![bos, piece, eos]).collect();
    let threads = threads.clamp(1, sequences.len().max(1));
    let chunk = sequences.len().div_ceil(threads).max(1);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = sequences.len();
    let parts: Vec<Result<Vec<f32>, Cancelled>> = std::thread::scope(|scope| {
        let handles: Vec<_> = sequences
            .chunks(chunk)
            .map(|part| {
                let done = &done;
                scope.spawn(move || {
                    let mut last = 0;
                    model.embed_ids(part, &mut |finished, _| {
                        let now =
                            done.fetch_add(finished - last, std::sync::atomic::Ordering::Relaxed) + finished - last;
                        last = finished;
                        progress(now, total);
                        Ok(())
                    })
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(Err(Cancelled))).collect()
    });
    let mut out = Vec::with_capacity(total * dim);
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// Projects the rows of `vectors` (`dim` wide) on their `dims` leading principal components, after centring.
/// The covariance is `dim × dim` (384²), so an exact eigendecomposition by cyclic Jacobi rotations is cheap and
/// needs no linear-algebra dependency.
pub fn pca(vectors: &[f32], dim: usize, dims: usize) -> Vec<f32> {
    let rows = vectors.len() / dim.max(1);
    let dims = dims.min(dim);
    let mut mean = vec![0.0f64; dim];
    for row in vectors.chunks_exact(dim) {
        for (m, &x) in mean.iter_mut().zip(row) {
            *m += x as f64;
        }
    }
    mean.iter_mut().for_each(|m| *m /= rows.max(1) as f64);
    let mut covariance = vec![0.0f64; dim * dim];
    let mut centred = vec![0.0f64; dim];
    for row in vectors.chunks_exact(dim) {
        for ((c, &x), m) in centred.iter_mut().zip(row).zip(&mean) {
            *c = x as f64 - m;
        }
        for i in 0..dim {
            let ci = centred[i];
            let target = &mut covariance[i * dim..i * dim + i + 1];
            for (t, &cj) in target.iter_mut().zip(&centred[..=i]) {
                *t += ci * cj;
            }
        }
    }
    for i in 0..dim {
        for j in 0..i {
            covariance[j * dim + i] = covariance[i * dim + j];
        }
    }
    let (values, vectors_by_column) = symmetric_eigen(&mut covariance, dim);
    let mut order: Vec<usize> = (0..dim).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let components: Vec<Vec<f64>> =
        order[..dims].iter().map(|&k| (0..dim).map(|i| vectors_by_column[i * dim + k]).collect()).collect();
    let mut out = vec![0.0f32; rows * dims];
    for (row, projected) in vectors.chunks_exact(dim).zip(out.chunks_exact_mut(dims.max(1))) {
        for (p, component) in projected.iter_mut().zip(&components) {
            *p = row.iter().zip(&mean).zip(component).map(|((&x, m), c)| (x as f64 - m) * c).sum::<f64>() as f32;
        }
    }
    out
}

/// Eigenvalues and eigenvectors (as the columns of a row-major `n × n` matrix) of the symmetric matrix `a`, by
/// cyclic Jacobi rotations until the off-diagonal part is negligible. `a` is overwritten.
fn symmetric_eigen(a: &mut [f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0f64; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt().max(f64::MIN_POSITIVE);
    for _sweep in 0..50 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j].powi(2))
            .sum::<f64>()
            .sqrt();
        if off <= 1e-12 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                // A ← Jᵀ A J, touching rows and columns p and q only.
                for k in 0..n {
                    let akp = a[k * n + p];
                    let akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[p * n + k];
                    let aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let vkp = v[k * n + p];
                    let vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// The whole distillation from a loaded model and its vocabulary: pieces kept, embedded, reduced and weighted.
pub fn distil(
    model: &Model,
    vocabulary: VocabularyData,
    source_sha256: [u8; 32],
    dims: usize,
    weighting: Weighting,
    threads: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<TableData, Cancelled> {
    let kept = pieces_to_keep(&vocabulary);
    let raw = embed_pieces(model, &kept, threads, progress)?;
    Ok(reduce_and_weight(&raw, model.dim(), vocabulary, kept, source_sha256, dims, weighting))
}

/// The second half of [`distil`], from the model's vectors of the kept pieces (`kept.len() × dim`): separate so
/// widths and weights can be compared without running the model again.
pub fn reduce_and_weight(
    raw: &[f32],
    dim: usize,
    vocabulary: VocabularyData,
    kept: Vec<u32>,
    source_sha256: [u8; 32],
    dims: usize,
    weighting: Weighting,
) -> TableData {
    let dims = dims.min(dim);
    let mut vectors = pca(raw, dim, dims);
    for (row, &id) in vectors.chunks_exact_mut(dims.max(1)).zip(&kept) {
        let weight = weighting.weight(vocabulary.scores[id as usize]);
        row.iter_mut().for_each(|x| *x *= weight);
    }
    TableData { source_sha256, dims, vocabulary, kept, vectors }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_pieces_are_kept_other_scripts_are_not() {
        for piece in ["▁hus", "ørn", "▁Å", "▁naïve", "123", ",", "▁–", "€", "ş"] {
            assert!(keeps_piece(piece), "{piece}");
        }
        for piece in ["▁猫", "▁дом", "▁σπίτι", "ه", "", "▁ab\u{0301}c\u{0900}"] {
            assert!(!keeps_piece(piece), "{piece}");
        }
    }

    #[test]
    fn frequent_pieces_weigh_less_than_rare_ones() {
        // ln p = -3 (about one piece in twenty) against ln p = -18 (one in sixty million).
        let frequent = sif_weight(-3.0, DEFAULT_SIF);
        let rare = sif_weight(-18.0, DEFAULT_SIF);
        assert!(frequent < 0.05 && rare > 0.99, "{frequent} {rare}");
    }

    #[test]
    fn pca_finds_the_direction_of_largest_spread() {
        // Points along (1, 1, 0) with a little noise along (1, -1, 0): the first component must be ±(1,1,0)/√2,
        // so projecting (t, t, 0) gives ±√2·t around the mean.
        let mut points = Vec::new();
        for i in 0..50 {
            let t = i as f32 - 25.0;
            let noise = if i % 2 == 0 { 0.1 } else { -0.1 };
            points.extend_from_slice(&[t + noise, t - noise, 0.0]);
        }
        let projected = pca(&points, 3, 1);
        let spread = projected[49] - projected[0];
        assert!((spread.abs() - 49.0 * 2f32.sqrt()).abs() < 0.3, "{spread}");
    }

    #[test]
    fn jacobi_diagonalises_a_known_matrix() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1.
        let mut matrix = vec![2.0, 1.0, 1.0, 2.0];
        let (mut values, _) = symmetric_eigen(&mut matrix, 2);
        values.sort_by(f64::total_cmp);
        assert!((values[0] - 1.0).abs() < 1e-9 && (values[1] - 3.0).abs() < 1e-9, "{values:?}");
    }
}
