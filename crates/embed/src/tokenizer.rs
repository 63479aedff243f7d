//! XLM-RoBERTa's SentencePiece unigram tokenizer, rebuilt from the vocabulary stored in the model file.
//!
//! The steps follow the model's own tokenizer: each code point goes through the stored normalisation map (the
//! NFKC-style "nmt_nfkc" table: compatibility forms folded, control characters dropped, tabs and newlines turned
//! into spaces), runs of spaces collapse to one, a space is put in front unless the text starts with one, and every
//! space becomes the metaspace marker `▁`. The normalised text is then segmented by Viterbi: the segmentation with
//! the highest total piece log-probability wins. A character no piece covers becomes `<unk>`, scored ten below
//! the least likely piece, as SentencePiece does.

use std::collections::HashMap;

use crate::format::VocabularyData;

const METASPACE: char = '\u{2581}';
/// SentencePiece's penalty for an unknown character relative to the least likely piece.
const UNKNOWN_PENALTY: f32 = 10.0;

/// The unigram vocabulary with its lookup structures.
pub struct Tokenizer {
    ids_by_piece: HashMap<Box<str>, u32>,
    scores: Vec<f32>,
    normalisation: HashMap<char, Box<[char]>>,
    /// Longest piece in bytes: bounds the Viterbi's look-ahead.
    longest_piece_bytes: usize,
    unknown_score: f32,
    pub bos: u32,
    pub eos: u32,
    pub unk: u32,
}

impl Tokenizer {
    pub fn new(vocabulary: VocabularyData) -> Tokenizer {
        let VocabularyData { pieces, scores, bos, eos, unk, normalisation, .. } = vocabulary;
        let lowest_score = scores.iter().copied().fold(f32::INFINITY, f32::min);
        let longest_piece_bytes = pieces.iter().map(String::len).max().unwrap_or(1);
        let mut ids_by_piece = HashMap::with_capacity(pieces.len());
        for (id, piece) in pieces.into_iter().enumerate() {
            // `<unk>` is only the fallback for uncovered characters. The other control pieces stay matchable: a
            // literal "<pad>" in a text becomes that token, as in the model's own tokenizer.
            let id = id as u32;
            if id == unk || piece.is_empty() {
                continue;
            }
            ids_by_piece.entry(piece.into_boxed_str()).or_insert(id);
        }
        Tokenizer {
            ids_by_piece,
            scores,
            normalisation: normalisation.into_iter().map(|(from, to)| (from, to.into_boxed_slice())).collect(),
            longest_piece_bytes,
            unknown_score: lowest_score - UNKNOWN_PENALTY,
            bos,
            eos,
            unk,
        }
    }

    pub fn piece_count(&self) -> usize {
        self.scores.len()
    }

    /// The normalised text with metaspace markers, as the segmentation sees it.
    pub fn normalise(&self, text: &str) -> String {
        let mut normalised = String::with_capacity(text.len() + 4);
        let mut previous_was_space = false;
        let mut push = |c: char, out: &mut String| {
            // Runs of spaces collapse to one; this applies after normalisation, which may itself produce spaces.
            let is_space = c == ' ';
            if !(is_space && previous_was_space) {
                out.push(if is_space { METASPACE } else { c });
            }
            previous_was_space = is_space;
        };
        for c in text.chars() {
            match self.normalisation.get(&c) {
                Some(replacement) => replacement.iter().for_each(|&r| push(r, &mut normalised)),
                None => push(c, &mut normalised),
            }
        }
        // The leading marker is added unless the text already starts with a (normalised) space.
        let starts_with_space = text.chars().flat_map(|c| self.normalise_char(c)).next() == Some(' ');
        if !starts_with_space {
            normalised.insert(0, METASPACE);
        }
        normalised
    }

    fn normalise_char(&self, c: char) -> Vec<char> {
        self.normalisation.get(&c).map_or_else(|| vec![c], |replacement| replacement.to_vec())
    }

    /// The piece ids of `text` without `<s>`/`</s>`, untruncated.
    pub fn content_ids(&self, text: &str) -> Vec<u32> {
        self.segment(&self.normalise(text))
    }

    /// Viterbi segmentation of normalised text.
    fn segment(&self, normalised: &str) -> Vec<u32> {
        let boundaries: Vec<usize> =
            normalised.char_indices().map(|(at, _)| at).chain(std::iter::once(normalised.len())).collect();
        let chars = boundaries.len() - 1;

        // best_score[i]: best log-probability of segmenting the first i characters; arrival[i]: (start, piece).
        let mut best_score = vec![f32::NEG_INFINITY; chars + 1];
        let mut arrival = vec![(0usize, self.unk); chars + 1];
        best_score[0] = 0.0;
        for start in 0..chars {
            let base = best_score[start];
            if base == f32::NEG_INFINITY {
                continue;
            }
            let start_byte = boundaries[start];
            for end in start + 1..=chars {
                let span = &normalised[start_byte..boundaries[end]];
                if span.len() > self.longest_piece_bytes {
                    break;
                }
                if let Some(&id) = self.ids_by_piece.get(span) {
                    let score = base + self.scores[id as usize];
                    if score > best_score[end] {
                        best_score[end] = score;
                        arrival[end] = (start, id);
                    }
                }
            }
            // A character no single-character piece covers may still be reachable only as unknown; the
            // fallback is always offered but loses to any real piece over the same character.
            let unknown = base + self.unknown_score;
            if unknown > best_score[start + 1] {
                best_score[start + 1] = unknown;
                arrival[start + 1] = (start, self.unk);
            }
        }

        let mut ids = Vec::new();
        let mut at = chars;
        while at > 0 {
            let (start, id) = arrival[at];
            ids.push(id);
            at = start;
        }
        ids.reverse();
        ids
    }

    /// `<s>` + at most `max_len − 2` content pieces + `</s>`: the model's input ids for `text`.
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<u32> {
        let max_content = max_len.saturating_sub(2);
        let normalised = self.normalise(text);
        // No piece has a marker inside it, so each marker starts a new piece and words segment independently; each
        // word gives at least one piece, so the first `max_content` words hold all the pieces that are kept.
        // Cutting there makes a huge text cost no more than a short one.
        let cut = normalised.match_indices(METASPACE).nth(max_content).map_or(normalised.len(), |(at, _)| at);
        let mut content = self.segment(&normalised[..cut]);
        content.truncate(max_content);
        let mut ids = Vec::with_capacity(content.len() + 2);
        ids.push(self.bos);
        ids.extend(content);
        ids.push(self.eos);
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy vocabulary whose best segmentations can be worked out by hand.
    fn toy() -> Tokenizer {
        let pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "a", "b", "ab", "▁ab", "▁a", "c", "æ", "ø", "å", "A"];
        let scores = [0.0, 0.0, 0.0, 0.0, -2.0, -3.0, -3.0, -4.5, -7.5, -3.0, -3.0, -4.0, -4.0, -4.0, -5.0];
        Tokenizer::new(VocabularyData {
            pieces: pieces.iter().map(|p| p.to_string()).collect(),
            scores: scores.to_vec(),
            bos: 0,
            eos: 2,
            pad: 1,
            unk: 3,
            normalisation: vec![('\t', vec![' ']), ('\u{00ad}', vec![]), ('Ａ', vec!['A'])],
        })
    }

    #[test]
    fn viterbi_picks_the_most_probable_segmentation() {
        let tokenizer = toy();
        // "▁ab": ▁ab = -7.5, ▁ + ab = -6.5, ▁a + b = -6.0, ▁ + a + b = -8.0.
        assert_eq!(tokenizer.content_ids("ab"), vec![9, 6]);
        // "▁abab": ▁a + b + ab = -10.5 beats ▁a + b + a + b = -12.0 and ▁ab + ab = -12.0.
        assert_eq!(tokenizer.content_ids("abab"), vec![9, 6, 7]);
        // "▁c": no "▁c" piece, so ▁ + c.
        assert_eq!(tokenizer.content_ids("c"), vec![4, 10]);
    }

    #[test]
    fn normalisation_collapses_spaces_and_maps_characters() {
        let tokenizer = toy();
        assert_eq!(tokenizer.normalise("a \t  b"), "▁a▁b");
        assert_eq!(tokenizer.normalise(" a"), "▁a");
        assert_eq!(tokenizer.normalise("a\u{00ad}b"), "▁ab");
        assert_eq!(tokenizer.normalise("Ａ"), "▁A");
        assert_eq!(tokenizer.normalise(""), "▁");
    }

    #[test]
    fn unknown_characters_become_unk_one_each() {
        let tokenizer = toy();
        assert_eq!(tokenizer.content_ids("c🙂"), vec![4, 10, 3]);
        assert_eq!(tokenizer.content_ids("æøå"), vec![4, 11, 12, 13]);
    }

    #[test]
    fn truncation_keeps_the_pieces_of_the_whole_text() {
        let tokenizer = toy();
        // Words of several pieces each: the cut must not lose or change any of the first pieces.
        let text = "abab c ab ".repeat(300);
        let full = tokenizer.content_ids(&text);
        for max_len in [3, 4, 5, 10, 512] {
            let ids = tokenizer.encode(&text, max_len);
            assert_eq!(&ids[1..ids.len() - 1], &full[..max_len - 2], "max_len {max_len}");
        }
    }

    #[test]
    fn encode_adds_specials_and_truncates() {
        let tokenizer = toy();
        assert_eq!(tokenizer.encode("", 512), vec![0, 4, 2]);
        let long = "c ".repeat(1000);
        let ids = tokenizer.encode(&long, 512);
        assert_eq!(ids.len(), 512);
        assert_eq!((ids[0], ids[511]), (0, 2));
    }
}
