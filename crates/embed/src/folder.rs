//! Reads a user's own sentence-transformers model folder (a BERT-family encoder) from its files' bytes, so the
//! browser can embed with any such model the user has, without anything leaving the page.
//!
//! A folder holds `config.json` (architecture and sizes), `model.safetensors` (the weights), `tokenizer.json`
//! (the exact tokenizer), and from sentence-transformers `modules.json` (is there a `Normalize` module, where is
//! the pooling), `1_Pooling/config.json` (mean, CLS, max or mean/√length pooling), `sentence_bert_config.json`
//! (`max_seq_length`) and `config_sentence_transformers.json` (prompts such as e5's `"query: "`). Everything
//! that is wrong is a [`FolderError`] naming the file and the field, never a panic: the files come from a user.

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::Value;

use crate::bert::{BertLayer, BertWeights, Linear, Norm, OwnModel, Pooling, TextTokenizer};
use crate::format::VocabularyData;
use crate::safetensors::{Dtype, SafeTensors};
use crate::tokenizer::Tokenizer;
use crate::wordpiece::{BertNormaliser, WordPiece};
use crate::DEFAULT_BATCH_TOKENS;

/// One file of the folder: its path relative to the folder (or including the folder's own name, as a browser's
/// directory picker gives it) and its bytes.
#[derive(Debug, Clone)]
pub struct FolderFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why a folder cannot be used. `file` is the path inside the folder (`1_Pooling/config.json`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FolderError {
    #[error("{file} is missing from the model folder")]
    Missing { file: String },
    #[error("{file} is malformed: {detail}")]
    Malformed { file: String, detail: String },
    #[error("{file}: {detail} is not supported")]
    Unsupported { file: String, detail: String },
}

impl FolderError {
    pub fn file(&self) -> &str {
        match self {
            FolderError::Missing { file }
            | FolderError::Malformed { file, .. }
            | FolderError::Unsupported { file, .. } => file,
        }
    }
}

const CONFIG: &str = "config.json";
const WEIGHTS: &str = "model.safetensors";
const TOKENIZER: &str = "tokenizer.json";
const MODULES: &str = "modules.json";
const SENTENCE_CONFIG: &str = "sentence_bert_config.json";
const PROMPTS: &str = "config_sentence_transformers.json";

fn malformed(file: &str, detail: impl Into<String>) -> FolderError {
    FolderError::Malformed { file: file.to_owned(), detail: detail.into() }
}

fn unsupported(file: &str, detail: impl Into<String>) -> FolderError {
    FolderError::Unsupported { file: file.to_owned(), detail: detail.into() }
}

/// The files by path inside the folder, and the folder's name when the paths carried it.
struct Folder {
    name: Option<String>,
    files: HashMap<String, Vec<u8>>,
}

impl Folder {
    fn new(files: Vec<FolderFile>) -> Folder {
        let paths: Vec<String> = files
            .iter()
            .map(|f| f.path.replace('\\', "/").trim_start_matches("./").trim_start_matches('/').to_owned())
            .collect();
        // A directory picker names files "folder/config.json"; dropped files are bare names. Strip a first
        // component all files share, and keep it as the model's name.
        let first = |p: &str| p.split_once('/').map(|(head, _)| head.to_owned());
        let common =
            paths.first().and_then(|p| first(p)).filter(|head| paths.iter().all(|p| first(p).as_ref() == Some(head)));
        let files = paths
            .into_iter()
            .zip(files)
            .map(|(path, file)| {
                let inside = match &common {
                    Some(head) => path[head.len() + 1..].to_owned(),
                    None => path,
                };
                (inside, file.bytes)
            })
            .collect();
        Folder { name: common, files }
    }

    fn get(&self, file: &str) -> Option<&[u8]> {
        self.files.get(file).map(Vec::as_slice)
    }

    fn json(&self, file: &str) -> Result<Option<Value>, FolderError> {
        self.get(file)
            .map(|bytes| {
                serde_json::from_slice(bytes).map_err(|error| malformed(file, format!("not valid JSON ({error})")))
            })
            .transpose()
    }
}

fn field_usize(json: &Value, file: &str, field: &str) -> Result<usize, FolderError> {
    match json.get(field) {
        None | Some(Value::Null) => Err(malformed(file, format!("the field \"{field}\" is missing"))),
        Some(value) => value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n > 0)
            .ok_or_else(|| malformed(file, format!("\"{field}\" should be a positive whole number, not {value}"))),
    }
}

fn field_str<'a>(json: &'a Value, file: &str, field: &str) -> Result<Option<&'a str>, FolderError> {
    match json.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(malformed(file, format!("\"{field}\" should be a string, not {other}"))),
    }
}

/// The encoder's shape as `config.json` gives it.
struct Config {
    model_type: String,
    hidden: usize,
    layers: usize,
    heads: usize,
    intermediate: usize,
    layer_norm_eps: f32,
    max_positions: usize,
    position_offset: usize,
    type_vocab_size: usize,
    name_or_path: Option<String>,
}

fn read_config(folder: &Folder) -> Result<Config, FolderError> {
    let json = folder.json(CONFIG)?.ok_or_else(|| FolderError::Missing { file: CONFIG.into() })?;
    let model_type = field_str(&json, CONFIG, "model_type")?
        .ok_or_else(|| malformed(CONFIG, "the field \"model_type\" is missing"))?
        .to_owned();
    let position_offset = match model_type.as_str() {
        "bert" => 0,
        // RoBERTa-style models number positions after the padding index (fairseq's convention).
        "roberta" | "xlm-roberta" => json.get("pad_token_id").and_then(Value::as_u64).unwrap_or(1) as usize + 1,
        other => {
            return Err(unsupported(CONFIG, format!("model_type \"{other}\" (supported: bert, roberta, xlm-roberta)")))
        }
    };
    if let Some(activation) = field_str(&json, CONFIG, "hidden_act")? {
        if activation != "gelu" {
            return Err(unsupported(CONFIG, format!("hidden_act \"{activation}\" (supported: gelu)")));
        }
    }
    if let Some(kind) = field_str(&json, CONFIG, "position_embedding_type")? {
        if kind != "absolute" {
            return Err(unsupported(CONFIG, format!("position_embedding_type \"{kind}\" (supported: absolute)")));
        }
    }
    let hidden = field_usize(&json, CONFIG, "hidden_size")?;
    let heads = field_usize(&json, CONFIG, "num_attention_heads")?;
    if hidden % heads != 0 {
        return Err(malformed(
            CONFIG,
            format!("hidden_size {hidden} is not a multiple of num_attention_heads {heads}"),
        ));
    }
    let layer_norm_eps =
        match json.get("layer_norm_eps") {
            None | Some(Value::Null) => 1e-12,
            Some(value) => value.as_f64().filter(|eps| *eps > 0.0).ok_or_else(|| {
                malformed(CONFIG, format!("\"layer_norm_eps\" should be a positive number, not {value}"))
            })? as f32,
        };
    Ok(Config {
        hidden,
        heads,
        layers: field_usize(&json, CONFIG, "num_hidden_layers")?,
        intermediate: field_usize(&json, CONFIG, "intermediate_size")?,
        layer_norm_eps,
        max_positions: field_usize(&json, CONFIG, "max_position_embeddings")?,
        position_offset,
        type_vocab_size: json.get("type_vocab_size").and_then(Value::as_u64).unwrap_or(0) as usize,
        name_or_path: field_str(&json, CONFIG, "_name_or_path")?.filter(|s| !s.is_empty()).map(str::to_owned),
        model_type,
    })
}

/// Tensors by their names in `transformers` checkpoints, with or without the `bert.`/`roberta.` prefix.
struct TensorSource<'a> {
    tensors: SafeTensors<'a>,
    prefix: &'static str,
}

impl TensorSource<'_> {
    fn get(&self, name: &str, shape: &[usize]) -> Result<Vec<f32>, FolderError> {
        let full = format!("{}{name}", self.prefix);
        if let Some(Dtype::Other(dtype, _)) = self.tensors.info(&full).map(|info| info.dtype) {
            return Err(unsupported(
                WEIGHTS,
                format!("the tensor \"{full}\" in {dtype}; weights must be F32, F16 or BF16"),
            ));
        }
        let (values, found) =
            self.tensors.f32(&full).ok_or_else(|| malformed(WEIGHTS, format!("the tensor \"{full}\" is missing")))?;
        if found != shape {
            return Err(malformed(
                WEIGHTS,
                format!("the tensor \"{full}\" has shape {found:?}, config.json implies {shape:?}"),
            ));
        }
        Ok(values)
    }

    /// A layer norm, under its current (`weight`/`bias`) or original TensorFlow (`gamma`/`beta`) names.
    fn norm(&self, name: &str, size: usize) -> Result<Norm, FolderError> {
        let exists = |suffix: &str| self.tensors.info(&format!("{}{name}.{suffix}", self.prefix)).is_some();
        let (w, b) = if !exists("weight") && exists("gamma") { ("gamma", "beta") } else { ("weight", "bias") };
        Ok(Norm {
            weight: self.get(&format!("{name}.{w}"), &[size])?,
            bias: self.get(&format!("{name}.{b}"), &[size])?,
        })
    }

    fn linear(&self, name: &str, rows: usize, cols: usize) -> Result<Linear, FolderError> {
        Ok(Linear {
            weight: self.get(&format!("{name}.weight"), &[rows, cols])?,
            bias: self.get(&format!("{name}.bias"), &[rows])?,
            rows,
            cols,
        })
    }
}

fn read_weights(folder: &Folder, config: &Config) -> Result<BertWeights, FolderError> {
    let bytes = match folder.get(WEIGHTS) {
        Some(bytes) => bytes,
        None if folder.get("pytorch_model.bin").is_some() => {
            return Err(unsupported(
                "pytorch_model.bin",
                "PyTorch's pickle format (save the model as model.safetensors)",
            ))
        }
        None => return Err(FolderError::Missing { file: WEIGHTS.into() }),
    };
    let tensors = SafeTensors::parse(bytes).map_err(|detail| malformed(WEIGHTS, detail))?;
    let prefix = ["", "bert.", "roberta.", "model."]
        .into_iter()
        .find(|p| tensors.info(&format!("{p}embeddings.word_embeddings.weight")).is_some())
        .ok_or_else(|| malformed(WEIGHTS, "the tensor \"embeddings.word_embeddings.weight\" is missing"))?;
    let source = TensorSource { tensors, prefix };
    let h = config.hidden;
    let vocabulary_rows = source
        .tensors
        .info(&format!("{prefix}embeddings.word_embeddings.weight"))
        .and_then(|info| info.shape.first().copied())
        .unwrap_or(0);
    let token_type = if config.type_vocab_size > 0 {
        let table = source.get("embeddings.token_type_embeddings.weight", &[config.type_vocab_size, h])?;
        table[..h].to_vec()
    } else {
        vec![0.0; h]
    };
    let mut layers = Vec::with_capacity(config.layers);
    for i in 0..config.layers {
        let at = |part: &str| format!("encoder.layer.{i}.{part}");
        layers.push(BertLayer {
            query: source.linear(&at("attention.self.query"), h, h)?,
            key: source.linear(&at("attention.self.key"), h, h)?,
            value: source.linear(&at("attention.self.value"), h, h)?,
            attention_out: source.linear(&at("attention.output.dense"), h, h)?,
            attention_norm: source.norm(&at("attention.output.LayerNorm"), h)?,
            ffn_in: source.linear(&at("intermediate.dense"), config.intermediate, h)?,
            ffn_out: source.linear(&at("output.dense"), h, config.intermediate)?,
            output_norm: source.norm(&at("output.LayerNorm"), h)?,
        });
    }
    Ok(BertWeights {
        hidden: h,
        heads: config.heads,
        layer_norm_eps: config.layer_norm_eps,
        word_embeddings: source.get("embeddings.word_embeddings.weight", &[vocabulary_rows, h])?,
        vocabulary_rows,
        position_embeddings: source.get("embeddings.position_embeddings.weight", &[config.max_positions, h])?,
        position_offset: config.position_offset,
        token_type,
        embedding_norm: source.norm("embeddings.LayerNorm", h)?,
        layers,
    })
}

/// The special tokens the post-processor puts before and after a single text.
fn specials(json: &Value) -> Result<(Vec<u32>, Vec<u32>), FolderError> {
    let processor = &json["post_processor"];
    let id_of_pair = |field: &str| -> Result<u32, FolderError> {
        processor[field][1]
            .as_u64()
            .map(|id| id as u32)
            .ok_or_else(|| malformed(TOKENIZER, format!("post_processor.{field} should be [token, id]")))
    };
    match processor["type"].as_str() {
        None if processor.is_null() => Ok((Vec::new(), Vec::new())),
        Some("BertProcessing") | Some("RobertaProcessing") => Ok((vec![id_of_pair("cls")?], vec![id_of_pair("sep")?])),
        Some("TemplateProcessing") => {
            let Some(single) = processor["single"].as_array() else {
                return Err(malformed(TOKENIZER, "post_processor.single is missing"));
            };
            let (mut before, mut after, mut seen_text) = (Vec::new(), Vec::new(), false);
            for piece in single {
                if piece.get("Sequence").is_some() {
                    seen_text = true;
                } else if let Some(token) = piece["SpecialToken"]["id"].as_str() {
                    let ids = processor["special_tokens"][token]["ids"].as_array().ok_or_else(|| {
                        malformed(TOKENIZER, format!("post_processor.special_tokens lacks \"{token}\""))
                    })?;
                    let ids = ids.iter().filter_map(Value::as_u64).map(|id| id as u32);
                    if seen_text {
                        after.extend(ids)
                    } else {
                        before.extend(ids)
                    }
                } else {
                    return Err(malformed(
                        TOKENIZER,
                        "post_processor.single has an entry that is neither text nor a special token",
                    ));
                }
            }
            Ok((before, after))
        }
        other => Err(unsupported(TOKENIZER, format!("post_processor type {}", other.unwrap_or("?")))),
    }
}

fn read_tokenizer(folder: &Folder) -> Result<TextTokenizer, FolderError> {
    let json = folder.json(TOKENIZER)?.ok_or_else(|| FolderError::Missing { file: TOKENIZER.into() })?;
    let model = &json["model"];
    let (before, after) = specials(&json)?;
    match model["type"].as_str() {
        Some("WordPiece") => {
            let normaliser = match json["normalizer"]["type"].as_str() {
                None if json["normalizer"].is_null() => None,
                Some("BertNormalizer") => {
                    let n = &json["normalizer"];
                    let flag = |field: &str, default: bool| n[field].as_bool().unwrap_or(default);
                    let lowercase = flag("lowercase", true);
                    Some(BertNormaliser {
                        clean_text: flag("clean_text", true),
                        handle_chinese_chars: flag("handle_chinese_chars", true),
                        // Unset, accents follow lowercasing, as in BERT's uncased models.
                        strip_accents: n["strip_accents"].as_bool().unwrap_or(lowercase),
                        lowercase,
                    })
                }
                other => {
                    return Err(unsupported(TOKENIZER, format!("normalizer {} with WordPiece", other.unwrap_or("?"))))
                }
            };
            match json["pre_tokenizer"]["type"].as_str() {
                Some("BertPreTokenizer") => {}
                other => {
                    return Err(unsupported(
                        TOKENIZER,
                        format!("pre_tokenizer {} with WordPiece", other.unwrap_or("none")),
                    ))
                }
            }
            let vocabulary: HashMap<String, u32> = model["vocab"]
                .as_object()
                .ok_or_else(|| malformed(TOKENIZER, "model.vocab should be an object of piece: id"))?
                .iter()
                .map(|(piece, id)| id.as_u64().map(|id| (piece.clone(), id as u32)))
                .collect::<Option<_>>()
                .ok_or_else(|| malformed(TOKENIZER, "model.vocab has an id that is not a whole number"))?;
            let unknown_token = model["unk_token"].as_str().unwrap_or("[UNK]");
            let unknown = *vocabulary.get(unknown_token).ok_or_else(|| {
                malformed(TOKENIZER, format!("the unknown token \"{unknown_token}\" is not in model.vocab"))
            })?;
            let mut tokenizer = WordPiece::new(
                vocabulary,
                unknown,
                model["continuing_subword_prefix"].as_str().unwrap_or("##").to_owned(),
                model["max_input_chars_per_word"].as_u64().unwrap_or(100) as usize,
                normaliser,
            );
            tokenizer.before = before;
            tokenizer.after = after;
            Ok(TextTokenizer::WordPiece(tokenizer))
        }
        Some("Unigram") => read_unigram(&json, before, after).map(TextTokenizer::Unigram),
        other => Err(unsupported(
            TOKENIZER,
            format!("tokenizer model {} (supported: WordPiece, Unigram)", other.unwrap_or("?")),
        )),
    }
}

/// A SentencePiece unigram `tokenizer.json` (XLM-R, e5) for the existing unigram tokenizer: the pieces and scores,
/// and the normalisation table decoded from the `Precompiled` normaliser's character map.
fn read_unigram(json: &Value, before: Vec<u32>, after: Vec<u32>) -> Result<Tokenizer, FolderError> {
    let normalizers: Vec<&Value> = match json["normalizer"]["type"].as_str() {
        None if json["normalizer"].is_null() => Vec::new(),
        Some("Sequence") => {
            json["normalizer"]["normalizers"].as_array().map(|n| n.iter().collect()).unwrap_or_default()
        }
        Some(_) => vec![&json["normalizer"]],
        None => return Err(malformed(TOKENIZER, "the normalizer has no type")),
    };
    let mut normalisation = Vec::new();
    for normalizer in normalizers {
        match normalizer["type"].as_str() {
            Some("Precompiled") => {
                let encoded = normalizer["precompiled_charsmap"]
                    .as_str()
                    .ok_or_else(|| malformed(TOKENIZER, "normalizer.precompiled_charsmap is missing"))?;
                let blob = base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|e| {
                    malformed(TOKENIZER, format!("normalizer.precompiled_charsmap is not base64 ({e})"))
                })?;
                normalisation = decode_charsmap(&blob)
                    .ok_or_else(|| malformed(TOKENIZER, "normalizer.precompiled_charsmap is damaged"))?;
            }
            // Runs of spaces collapse in the unigram tokenizer anyway (SentencePiece's default).
            Some("Replace") if normalizer["content"].as_str() == Some(" ") => {}
            other => return Err(unsupported(TOKENIZER, format!("normalizer {} with Unigram", other.unwrap_or("?")))),
        }
    }
    let pre = &json["pre_tokenizer"];
    let metaspace = pre["type"].as_str() == Some("Metaspace")
        || pre["pretokenizers"].as_array().is_some_and(|p| p.iter().any(|p| p["type"].as_str() == Some("Metaspace")));
    if !metaspace {
        return Err(unsupported(
            TOKENIZER,
            format!("pre_tokenizer {} with Unigram", pre["type"].as_str().unwrap_or("none")),
        ));
    }
    let vocab =
        json["model"]["vocab"].as_array().ok_or_else(|| malformed(TOKENIZER, "model.vocab should be a list"))?;
    let mut pieces = Vec::with_capacity(vocab.len());
    let mut scores = Vec::with_capacity(vocab.len());
    for entry in vocab {
        let (Some(piece), Some(score)) = (entry[0].as_str(), entry[1].as_f64()) else {
            return Err(malformed(TOKENIZER, "model.vocab should hold [piece, score] pairs"));
        };
        pieces.push(piece.to_owned());
        scores.push(score as f32);
    }
    let unk = json["model"]["unk_id"].as_u64().ok_or_else(|| malformed(TOKENIZER, "model.unk_id is missing"))? as u32;
    let ([bos], [eos]) = (before.as_slice(), after.as_slice()) else {
        return Err(unsupported(TOKENIZER, "a post_processor that does not put one token before and one after"));
    };
    Ok(Tokenizer::new(VocabularyData { pieces, scores, bos: *bos, eos: *eos, pad: 0, unk, normalisation }))
}

/// Decodes SentencePiece's precompiled character map (a little-endian u32 trie size, a Darts double-array trie
/// over UTF-8 bytes, then the NUL-terminated replacements) into a table per code point, by looking up every code
/// point. Rules whose key is several characters are not kept (the unigram tokenizer maps single characters).
fn decode_charsmap(blob: &[u8]) -> Option<Vec<(char, Vec<char>)>> {
    let size = u32::from_le_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let trie: Vec<u32> =
        blob.get(4..4 + size)?.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let strings = blob.get(4 + size..)?;
    let offset = |unit: u32| ((unit >> 10) << ((unit & (1 << 9)) >> 6)) as usize;
    let lookup = |key: &[u8]| -> Option<usize> {
        let mut at = offset(*trie.first()?);
        let mut unit = 0;
        for &byte in key {
            at ^= byte as usize;
            unit = *trie.get(at)?;
            if unit & ((1 << 31) | 0xff) != u32::from(byte) {
                return None;
            }
            at ^= offset(unit);
        }
        // The node reached by the key's last byte says whether a rule ends there; the rule's value sits at the
        // node's child position.
        let value = *trie.get(at)?;
        ((unit >> 8) & 1 == 1).then_some((value & ((1 << 31) - 1)) as usize)
    };
    let mut table = Vec::new();
    let mut buffer = [0u8; 4];
    for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
        if let Some(at) = lookup(c.encode_utf8(&mut buffer).as_bytes()) {
            let rest = strings.get(at..)?;
            let end = rest.iter().position(|&b| b == 0)?;
            let replacement = std::str::from_utf8(&rest[..end]).ok()?;
            table.push((c, replacement.chars().collect()));
        }
    }
    Some(table)
}

fn read_pooling(folder: &Folder) -> Result<(Pooling, bool), FolderError> {
    let Some(modules) = folder.json(MODULES)? else {
        // A plain `transformers` folder: sentence-transformers then builds mean pooling without normalisation.
        return Ok((Pooling::Mean, false));
    };
    let modules = modules.as_array().ok_or_else(|| malformed(MODULES, "should be a list of modules"))?;
    let kind = |m: &Value| m["type"].as_str().unwrap_or("").rsplit('.').next().unwrap_or("").to_owned();
    let normalise = modules.iter().any(|m| kind(m) == "Normalize");
    for module in modules {
        match kind(module).as_str() {
            "Transformer" | "Normalize" => {}
            "Pooling" => {}
            other => return Err(unsupported(MODULES, format!("the module {other}"))),
        }
    }
    let Some(pooling_module) = modules.iter().find(|m| kind(m) == "Pooling") else {
        return Ok((Pooling::Mean, normalise));
    };
    let path = pooling_module["path"].as_str().unwrap_or("1_Pooling").trim_end_matches('/');
    let file = format!("{path}/config.json");
    let config = folder.json(&file)?.ok_or_else(|| FolderError::Missing { file: file.clone() })?;
    let flag = |field: &str| config[field].as_bool().unwrap_or(false);
    if config["include_prompt"].as_bool() == Some(false) {
        return Err(unsupported(&file, "include_prompt false"));
    }
    let modes: Vec<Pooling> = [
        ("pooling_mode_mean_tokens", Pooling::Mean),
        ("pooling_mode_cls_token", Pooling::Cls),
        ("pooling_mode_max_tokens", Pooling::Max),
        ("pooling_mode_mean_sqrt_len_tokens", Pooling::MeanSqrtLength),
    ]
    .into_iter()
    .filter(|(field, _)| flag(field))
    .map(|(_, mode)| mode)
    .collect();
    for field in ["pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"] {
        if flag(field) {
            return Err(unsupported(&file, field));
        }
    }
    match modes[..] {
        [mode] => Ok((mode, normalise)),
        [] => Err(malformed(&file, "no pooling_mode_… field is true")),
        _ => Err(unsupported(&file, "several pooling modes at once")),
    }
}

/// The prompt for clustering: the folder's default prompt if it names one, else one named for clustering or
/// `query` (e5's model card asks for "query: " on symmetric tasks such as clustering), else none.
fn read_prompt(folder: &Folder) -> Result<String, FolderError> {
    let Some(json) = folder.json(PROMPTS)? else {
        return Ok(String::new());
    };
    let prompts = &json["prompts"];
    let named = |name: &str| prompts[name].as_str().map(str::to_owned);
    if let Some(default) = field_str(&json, PROMPTS, "default_prompt_name")? {
        return named(default)
            .ok_or_else(|| malformed(PROMPTS, format!("default_prompt_name \"{default}\" is not among the prompts")));
    }
    Ok(named("clustering").or_else(|| named("query")).unwrap_or_default())
}

impl OwnModel {
    /// Builds the model from a folder's files. Files the loader does not read (README, vocab.txt, …) are ignored.
    pub fn from_files(files: Vec<FolderFile>) -> Result<OwnModel, FolderError> {
        let folder = Folder::new(files);
        let config = read_config(&folder)?;
        let tokenizer = read_tokenizer(&folder)?;
        let (pooling, normalise) = read_pooling(&folder)?;
        let prompt = read_prompt(&folder)?;
        let max_seq_length = match folder.json(SENTENCE_CONFIG)? {
            Some(json) => Some(field_usize(&json, SENTENCE_CONFIG, "max_seq_length")?),
            None => None,
        };
        let weights = read_weights(&folder, &config)?;
        let largest_id = match &tokenizer {
            TextTokenizer::WordPiece(t) => t.largest_id(),
            TextTokenizer::Unigram(t) => t.piece_count().saturating_sub(1) as u32,
        };
        if largest_id as usize >= weights.vocabulary_rows {
            return Err(malformed(
                TOKENIZER,
                format!("token id {largest_id} is beyond the model's {} word embeddings", weights.vocabulary_rows),
            ));
        }
        let positions = config.max_positions.saturating_sub(config.position_offset);
        let max_tokens = max_seq_length.unwrap_or(512).min(positions);
        let name = folder
            .name
            .clone()
            .or_else(|| config.name_or_path.as_deref().and_then(|p| p.rsplit('/').next()).map(str::to_owned))
            .unwrap_or_else(|| format!("{} ({} layers)", config.model_type, config.layers));
        Ok(OwnModel {
            name,
            weights,
            tokenizer,
            pooling,
            normalise,
            max_tokens,
            prompt,
            batch_tokens: DEFAULT_BATCH_TOKENS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> FolderFile {
        FolderFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    const CONFIG_JSON: &str = r#"{"model_type":"bert","hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,
        "intermediate_size":16,"max_position_embeddings":16,"type_vocab_size":2,"hidden_act":"gelu"}"#;
    const TOKENIZER_JSON: &str = r#"{"normalizer":{"type":"BertNormalizer","lowercase":true},
        "pre_tokenizer":{"type":"BertPreTokenizer"},
        "post_processor":{"type":"BertProcessing","cls":["[CLS]",1],"sep":["[SEP]",2]},
        "model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"[CLS]":1,"[SEP]":2,"hej":3}}}"#;

    fn error_of(files: Vec<FolderFile>) -> FolderError {
        match OwnModel::from_files(files) {
            Err(error) => error,
            Ok(_) => panic!("the folder should have been refused"),
        }
    }

    #[test]
    fn missing_files_are_named() {
        assert_eq!(error_of(vec![]), FolderError::Missing { file: "config.json".into() });
        let only_config = vec![file("m/config.json", CONFIG_JSON), file("m/README.md", "")];
        assert_eq!(error_of(only_config), FolderError::Missing { file: "tokenizer.json".into() });
        let no_weights = vec![file("config.json", CONFIG_JSON), file("tokenizer.json", TOKENIZER_JSON)];
        assert_eq!(error_of(no_weights), FolderError::Missing { file: "model.safetensors".into() });
        let no_pooling = vec![
            file("config.json", CONFIG_JSON),
            file("tokenizer.json", TOKENIZER_JSON),
            file("model.safetensors", ""),
            file("modules.json", r#"[{"type":"sentence_transformers.models.Pooling","path":"1_Pooling"}]"#),
        ];
        assert_eq!(error_of(no_pooling), FolderError::Missing { file: "1_Pooling/config.json".into() });
    }

    #[test]
    fn malformed_and_unsupported_fields_are_named() {
        let error = error_of(vec![file("config.json", r#"{"model_type":"bert","hidden_size":"big"}"#)]);
        assert!(
            matches!(&error, FolderError::Malformed { file, detail } if file == "config.json" && detail.contains("hidden_size")),
            "{error}"
        );
        let error = error_of(vec![file("config.json", "{")]);
        assert!(matches!(&error, FolderError::Malformed { file, .. } if file == "config.json"), "{error}");
        let error = error_of(vec![file("config.json", &CONFIG_JSON.replace("\"bert\"", "\"gpt2\""))]);
        assert!(matches!(&error, FolderError::Unsupported { detail, .. } if detail.contains("gpt2")), "{error}");
        let bpe = r#"{"model":{"type":"BPE"}}"#;
        let error = error_of(vec![file("config.json", CONFIG_JSON), file("tokenizer.json", bpe)]);
        assert!(
            matches!(&error, FolderError::Unsupported { file, detail } if file == "tokenizer.json" && detail.contains("BPE")),
            "{error}"
        );
        let broken_weights = vec![
            file("config.json", CONFIG_JSON),
            file("tokenizer.json", TOKENIZER_JSON),
            file("model.safetensors", "not a tensor file"),
        ];
        let error = error_of(broken_weights);
        assert!(matches!(&error, FolderError::Malformed { file, .. } if file == "model.safetensors"), "{error}");
    }

    /// A precompiled character map with the single rule "A" → "a", laid out by hand as a Darts double array: the
    /// root's offset 1 leads byte 0x41 to unit 64 (label 0x41, has-leaf bit, offset 1), whose child unit 65 holds
    /// the value 0, the replacement's position in the string pool "a\0".
    fn one_rule_charsmap() -> Vec<u8> {
        let mut trie = vec![0u32; 66];
        trie[0] = 1 << 10;
        trie[64] = 0x41 | (1 << 8) | (1 << 10);
        trie[65] = 1 << 31;
        let mut blob = ((trie.len() * 4) as u32).to_le_bytes().to_vec();
        trie.iter().for_each(|unit| blob.extend_from_slice(&unit.to_le_bytes()));
        blob.extend_from_slice(b"a\0");
        blob
    }

    #[test]
    fn precompiled_charsmap_decodes_to_a_table() {
        assert_eq!(decode_charsmap(&one_rule_charsmap()), Some(vec![('A', vec!['a'])]));
        assert_eq!(decode_charsmap(&[1, 2]), None);
    }

    #[test]
    fn unigram_tokenizer_json_feeds_the_sentencepiece_tokenizer() {
        let charsmap = base64::engine::general_purpose::STANDARD.encode(one_rule_charsmap());
        let json: Value = serde_json::from_str(&format!(
            r#"{{"normalizer":{{"type":"Sequence","normalizers":[{{"type":"Precompiled","precompiled_charsmap":"{charsmap}"}},
                {{"type":"Replace","pattern":{{"Regex":" {{2,}}"}},"content":" "}}]}},
              "pre_tokenizer":{{"type":"Metaspace","replacement":"▁"}},
              "post_processor":{{"type":"TemplateProcessing","single":[{{"SpecialToken":{{"id":"<s>"}}}},{{"Sequence":{{"id":"A"}}}},
                {{"SpecialToken":{{"id":"</s>"}}}}],"special_tokens":{{"<s>":{{"ids":[0]}},"</s>":{{"ids":[2]}}}}}},
              "model":{{"type":"Unigram","unk_id":3,"vocab":[["<s>",0],["<pad>",0],["</s>",0],["<unk>",0],["▁a",-1],["b",-2]]}}}}"#
        ))
        .unwrap();
        let tokenizer = read_unigram(&json, vec![0], vec![2]).unwrap();
        // "A" → "a" by the map; "▁a▁b": ▁a, then "▁" no piece covers (unknown), then b.
        assert_eq!(tokenizer.encode("A b", 16), vec![0, 4, 3, 5, 2]);
        let (before, after) = specials(&json).unwrap();
        assert_eq!((before, after), (vec![0], vec![2]));
    }

    #[test]
    fn a_shared_first_directory_is_the_name_and_is_stripped() {
        let folder = Folder::new(vec![file("minilm/config.json", "{}"), file("minilm/1_Pooling/config.json", "{}")]);
        assert_eq!(folder.name.as_deref(), Some("minilm"));
        assert!(folder.get("1_Pooling/config.json").is_some());
        let flat = Folder::new(vec![file("config.json", "{}"), file("tokenizer.json", "{}")]);
        assert_eq!(flat.name, None);
    }
}
