//! Instant mode: a static word-vector table distilled from multilingual-e5-small (the Model2Vec method), which
//! embeds a statement by looking up its pieces instead of running the transformer.
//!
//! The full model costs about 14 ms per statement natively and more in a browser; a live workshop with hundreds
//! of answers arriving, or an input of 100,000 statements, needs something a thousand times faster that still
//! knows what words mean. The table holds one vector per vocabulary piece: the model's own sentence embedding of
//! that piece alone, reduced by PCA and weighted by how rare the piece is (see [`crate::distil`]). A statement's
//! vector is the mean of its pieces' vectors, scaled to unit length. Word order and context are lost; meaning
//! that lives in single words (topics, named things) stays.
//!
//! The file carries the whole SentencePiece vocabulary, so texts are segmented exactly as the model segments
//! them, but vectors only for the pieces that were kept (Latin-script ones): a piece without a vector adds
//! nothing, as an unknown word would.
//!
//! File layout (little-endian): magic `VKST`, version `u32`, the SHA-256 of the model file it was distilled from
//! (32 bytes, so setup can tell a stale table without reading further), dimensions `u32`, kept pieces `u32`,
//! the special ids (`bos`, `eos`, `pad`, `unk`, `u32` each), the normalisation map (`u32` count; per entry the
//! code point `u32`, replacement length `u8`, its code points `u32`), the vocabulary (`u32` count; per piece its
//! UTF-8 length `u16` and bytes; then one `f32` score per piece), the kept piece ids (`u32`, ascending), one `f32`
//! scale per kept piece and its `i8` values (row-major).

use crate::format::VocabularyData;
use crate::tokenizer::Tokenizer;
use crate::Cancelled;

const MAGIC: &[u8; 4] = b"VKST";
const VERSION: u32 = 1;
/// Where the source model's checksum sits in the file.
pub const SOURCE_SHA256_OFFSET: usize = 8;
/// A piece with no vector.
const NO_ROW: u32 = u32::MAX;
/// Statements between two progress reports: frequent enough for a bar, rare enough to cost nothing.
const PROGRESS_EVERY: usize = 2048;

/// Why a table file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("not a Vejkort static word-vector table (the file does not start with VKST)")]
    BadMagic,
    #[error("static table version {0} is not supported (expected {VERSION})")]
    UnsupportedVersion(u32),
    #[error("the static table ends early, while reading {0}")]
    Truncated(&'static str),
    #[error("the static table is inconsistent: {0}")]
    Inconsistent(String),
}

/// What a table is made of before quantisation: written by the distillation, compared with in tests.
#[derive(Debug, Clone)]
pub struct TableData {
    pub source_sha256: [u8; 32],
    pub dims: usize,
    pub vocabulary: VocabularyData,
    /// Ids of the pieces that have a vector, ascending.
    pub kept: Vec<u32>,
    /// `kept.len() × dims`, row-major, weights already applied.
    pub vectors: Vec<f32>,
}

impl TableData {
    /// The file's bytes. Each row is quantised to `i8` with its own scale (largest magnitude ↦ 127): rows differ in
    /// length by their frequency weight, and one scale per row keeps a rare piece's small components as precise as
    /// a frequent piece's.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.kept.len() * (self.dims + 8) + self.vocabulary.pieces.len() * 12);
        let u32s = |out: &mut Vec<u8>, value: u32| out.extend_from_slice(&value.to_le_bytes());
        out.extend_from_slice(MAGIC);
        u32s(&mut out, VERSION);
        out.extend_from_slice(&self.source_sha256);
        u32s(&mut out, self.dims as u32);
        u32s(&mut out, self.kept.len() as u32);
        let vocabulary = &self.vocabulary;
        for special in [vocabulary.bos, vocabulary.eos, vocabulary.pad, vocabulary.unk] {
            u32s(&mut out, special);
        }
        u32s(&mut out, vocabulary.normalisation.len() as u32);
        for (from, to) in &vocabulary.normalisation {
            u32s(&mut out, *from as u32);
            out.push(to.len() as u8);
            for &c in to {
                u32s(&mut out, c as u32);
            }
        }
        u32s(&mut out, vocabulary.pieces.len() as u32);
        for piece in &vocabulary.pieces {
            out.extend_from_slice(&(piece.len() as u16).to_le_bytes());
            out.extend_from_slice(piece.as_bytes());
        }
        for score in &vocabulary.scores {
            out.extend_from_slice(&score.to_le_bytes());
        }
        for &id in &self.kept {
            u32s(&mut out, id);
        }
        let rows: Vec<&[f32]> = self.vectors.chunks_exact(self.dims.max(1)).collect();
        let scales: Vec<f32> = rows.iter().map(|row| row.iter().fold(0.0f32, |m, x| m.max(x.abs())) / 127.0).collect();
        for scale in &scales {
            out.extend_from_slice(&scale.to_le_bytes());
        }
        for (row, &scale) in rows.iter().zip(&scales) {
            let inverse = if scale > 0.0 { 1.0 / scale } else { 0.0 };
            out.extend(row.iter().map(|x| ((x * inverse).round().clamp(-127.0, 127.0) as i8) as u8));
        }
        out
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize, what: &'static str) -> Result<&'a [u8], TableError> {
        let end =
            self.at.checked_add(count).filter(|&end| end <= self.bytes.len()).ok_or(TableError::Truncated(what))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, TableError> {
        let mut word = [0u8; 4];
        word.copy_from_slice(self.take(4, what)?);
        Ok(u32::from_le_bytes(word))
    }

    /// A count whose elements take at least `bytes_each`: refused before allocating if the file cannot hold it.
    fn count(&mut self, bytes_each: usize, what: &'static str) -> Result<usize, TableError> {
        let count = self.u32(what)? as usize;
        if count.saturating_mul(bytes_each) > self.bytes.len() - self.at {
            return Err(TableError::Truncated(what));
        }
        Ok(count)
    }

    fn char(&mut self, what: &'static str) -> Result<char, TableError> {
        let value = self.u32(what)?;
        char::from_u32(value).ok_or_else(|| TableError::Inconsistent(format!("{what}: {value:#x} is not a character")))
    }
}

/// A loaded table: the tokenizer and the quantised vectors.
pub struct StaticTable {
    tokenizer: Tokenizer,
    source_sha256: [u8; 32],
    dims: usize,
    /// For every vocabulary piece, its row in `values`, or [`NO_ROW`].
    row_of_piece: Vec<u32>,
    scales: Vec<f32>,
    values: Vec<i8>,
}

impl StaticTable {
    /// Reads a table file (`public/models/e5-small-static.bin`).
    pub fn from_bytes(bytes: &[u8]) -> Result<StaticTable, TableError> {
        if bytes.len() < 4 || &bytes[..4] != MAGIC {
            return Err(TableError::BadMagic);
        }
        let mut reader = Reader { bytes, at: 4 };
        let version = reader.u32("the version")?;
        if version != VERSION {
            return Err(TableError::UnsupportedVersion(version));
        }
        let mut source_sha256 = [0u8; 32];
        source_sha256.copy_from_slice(reader.take(32, "the model checksum")?);
        let dims = reader.u32("the dimensions")? as usize;
        let kept_count = reader.u32("the number of kept pieces")? as usize;
        let bos = reader.u32("the special ids")?;
        let eos = reader.u32("the special ids")?;
        let pad = reader.u32("the special ids")?;
        let unk = reader.u32("the special ids")?;
        let entries = reader.count(5, "the normalisation map")?;
        let mut normalisation = Vec::with_capacity(entries);
        for _ in 0..entries {
            let from = reader.char("the normalisation map")?;
            let len = reader.take(1, "the normalisation map")?[0] as usize;
            let to = (0..len).map(|_| reader.char("the normalisation map")).collect::<Result<Vec<_>, _>>()?;
            normalisation.push((from, to));
        }
        let piece_count = reader.count(6, "the vocabulary")?;
        let mut pieces = Vec::with_capacity(piece_count);
        for _ in 0..piece_count {
            let len_bytes = reader.take(2, "the vocabulary")?;
            let len = u16::from_le_bytes([len_bytes[0], len_bytes[1]]) as usize;
            let text = std::str::from_utf8(reader.take(len, "the vocabulary")?)
                .map_err(|_| TableError::Inconsistent(format!("piece {} is not UTF-8", pieces.len())))?;
            pieces.push(text.to_owned());
        }
        let scores: Vec<f32> = reader
            .take(piece_count * 4, "the piece scores")?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        for special in [bos, eos, pad, unk] {
            if special as usize >= piece_count {
                return Err(TableError::Inconsistent(format!("special id {special} is outside the vocabulary")));
            }
        }
        let needed = kept_count.saturating_mul(dims.saturating_add(8));
        if needed > bytes.len() - reader.at {
            return Err(TableError::Truncated("the vectors"));
        }
        let mut row_of_piece = vec![NO_ROW; piece_count];
        let mut previous = None;
        for row in 0..kept_count {
            let id = reader.u32("the kept pieces")?;
            if id as usize >= piece_count || previous.is_some_and(|p| p >= id) {
                return Err(TableError::Inconsistent(format!("kept piece {id} is out of order or range")));
            }
            row_of_piece[id as usize] = row as u32;
            previous = Some(id);
        }
        let scales: Vec<f32> = reader
            .take(kept_count * 4, "the row scales")?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let values: Vec<i8> = reader.take(kept_count * dims, "the vectors")?.iter().map(|&b| b as i8).collect();
        if reader.at != bytes.len() {
            return Err(TableError::Inconsistent(format!("{} bytes after the vectors", bytes.len() - reader.at)));
        }
        let tokenizer = Tokenizer::new(VocabularyData { pieces, scores, bos, eos, pad, unk, normalisation });
        Ok(StaticTable { tokenizer, source_sha256, dims, row_of_piece, scales, values })
    }

    /// Length of each vector.
    pub fn dim(&self) -> usize {
        self.dims
    }

    /// Pieces that have a vector.
    pub fn kept_pieces(&self) -> usize {
        self.scales.len()
    }

    /// SHA-256 of the model file the table was distilled from.
    pub fn source_sha256(&self) -> [u8; 32] {
        self.source_sha256
    }

    /// The piece ids of `text`, as the model's tokenizer segments it (no `<s>`/`</s>`).
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        self.tokenizer.content_ids(text)
    }

    /// One statement's vector into `out` (`dim()` long): the sum of its pieces' rows scaled to unit length (the
    /// mean's 1/count cancels). A text with no known piece gets the zero vector.
    pub fn embed_into(&self, text: &str, out: &mut [f32]) {
        out.fill(0.0);
        for id in self.tokenizer.content_ids(text) {
            let Some(&row) = self.row_of_piece.get(id as usize) else { continue };
            if row == NO_ROW {
                continue;
            }
            let scale = self.scales[row as usize];
            let values = &self.values[row as usize * self.dims..][..self.dims];
            for (o, &v) in out.iter_mut().zip(values) {
                *o += scale * v as f32;
            }
        }
        crate::encoder::normalise(out);
    }

    /// `texts.len() × dim()` unit vectors, row-major; `progress(done, total)` as in [`crate::Model::embed`].
    pub fn embed(
        &self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vec<f32>, Cancelled> {
        let total = texts.len();
        let mut out = vec![0.0f32; total * self.dims];
        progress(0, total)?;
        for (i, (text, row)) in texts.iter().zip(out.chunks_exact_mut(self.dims.max(1))).enumerate() {
            self.embed_into(text, row);
            if (i + 1) % PROGRESS_EVERY == 0 {
                progress(i + 1, total)?;
            }
        }
        progress(total, total)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy vocabulary: ids 0–3 special, then pieces whose vectors are easy to reason about.
    fn toy_data() -> TableData {
        let pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁cat", "▁dog", "▁the", "s", "▁猫"];
        let scores = [0.0, 0.0, 0.0, 0.0, -8.0, -8.0, -3.0, -4.0, -9.0];
        TableData {
            source_sha256: [7; 32],
            dims: 3,
            vocabulary: VocabularyData {
                pieces: pieces.iter().map(|p| p.to_string()).collect(),
                scores: scores.to_vec(),
                bos: 0,
                eos: 2,
                pad: 1,
                unk: 3,
                normalisation: vec![('\t', vec![' '])],
            },
            // "▁猫" (id 8) has no vector.
            kept: vec![4, 5, 6, 7],
            vectors: vec![
                1.0, 0.0, 0.0, // ▁cat
                0.0, 2.0, 0.0, // ▁dog
                0.0, 0.0, 0.1, // ▁the
                0.5, 0.5, 0.0, // s
            ],
        }
    }

    fn dot(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    #[test]
    fn round_trip_keeps_vocabulary_and_vectors_within_quantisation() {
        let data = toy_data();
        let table = StaticTable::from_bytes(&data.to_bytes()).unwrap();
        assert_eq!(table.dim(), 3);
        assert_eq!(table.kept_pieces(), 4);
        assert_eq!(table.source_sha256(), [7; 32]);
        assert_eq!(table.tokenize("cats\tdog"), vec![4, 7, 5]);
        let mut out = [0.0f32; 3];
        table.embed_into("cat", &mut out);
        assert!((out[0] - 1.0).abs() < 1e-6 && out[1].abs() < 1e-6, "{out:?}");
    }

    #[test]
    fn a_statement_is_the_normalised_sum_of_its_pieces() {
        let table = StaticTable::from_bytes(&toy_data().to_bytes()).unwrap();
        let mut out = [0.0f32; 3];
        // ▁the + ▁cat + s = (1.5, 0.5, 0.1), worked out by hand from the rows above.
        table.embed_into("the cats", &mut out);
        let expected = [1.5f32, 0.5, 0.1];
        let norm = dot(&expected, &expected).sqrt();
        for (o, e) in out.iter().zip(expected) {
            assert!((o - e / norm).abs() < 0.01, "{out:?}");
        }
    }

    #[test]
    fn pieces_without_vectors_add_nothing_and_unknown_text_is_zero() {
        let table = StaticTable::from_bytes(&toy_data().to_bytes()).unwrap();
        let mut with = [0.0f32; 3];
        let mut without = [0.0f32; 3];
        table.embed_into("dog 猫", &mut with);
        table.embed_into("dog", &mut without);
        assert_eq!(with, without);
        table.embed_into("猫 🙂", &mut with);
        assert_eq!(with, [0.0; 3]);
    }

    #[test]
    fn embed_reports_progress_and_stops_when_asked() {
        let table = StaticTable::from_bytes(&toy_data().to_bytes()).unwrap();
        let texts = ["cat", "dog", "the"];
        let mut seen = Vec::new();
        let vectors = table.embed(&texts, &mut |done, total| {
            seen.push((done, total));
            Ok(())
        });
        assert_eq!(vectors.unwrap().len(), 9);
        assert_eq!(seen.first(), Some(&(0, 3)));
        assert_eq!(seen.last(), Some(&(3, 3)));
        assert!(table.embed(&texts, &mut |_, _| Err(Cancelled)).is_err());
    }

    #[test]
    fn damaged_files_are_refused_with_a_reason() {
        let bytes = toy_data().to_bytes();
        assert_eq!(StaticTable::from_bytes(b"VKSX").err(), Some(TableError::BadMagic));
        let mut other_version = bytes.clone();
        other_version[4] = 9;
        assert_eq!(StaticTable::from_bytes(&other_version).err(), Some(TableError::UnsupportedVersion(9)));
        for cut in [10, 60, bytes.len() / 2, bytes.len() - 1] {
            assert!(StaticTable::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(StaticTable::from_bytes(&longer), Err(TableError::Inconsistent(_))));
    }
}
