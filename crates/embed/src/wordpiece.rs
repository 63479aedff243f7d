//! BERT's WordPiece tokenizer, configured by a model folder's `tokenizer.json`, so a user's own BERT-family model
//! (e.g. all-MiniLM-L6-v2) sees exactly the ids it was trained on.
//!
//! The steps are those of BERT's reference tokenizer and of the `BertNormalizer` / `BertPreTokenizer` /
//! `WordPiece` parts of a `tokenizer.json`: *clean text* drops NUL, U+FFFD and control characters and turns every
//! whitespace character into a space; CJK ideographs get spaces around them (they are words on their own);
//! accents are stripped by decomposing (NFD) and dropping non-spacing marks; the text is lowercased. The
//! pre-tokeniser splits on whitespace and isolates every punctuation character (ASCII punctuation and Unicode
//! category P*). Each word is then cut greedily into the longest vocabulary pieces from the left, later pieces
//! carrying the `##` continuation prefix; a word with no such cut, or longer than `max_input_chars_per_word`
//! characters, becomes one `[UNK]`.

use std::collections::HashMap;

use unicode_general_category::{get_general_category, GeneralCategory};
use unicode_normalization::UnicodeNormalization;

/// The `BertNormalizer` switches of a `tokenizer.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BertNormaliser {
    pub clean_text: bool,
    pub handle_chinese_chars: bool,
    pub strip_accents: bool,
    pub lowercase: bool,
}

impl BertNormaliser {
    pub fn normalise(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            if self.clean_text {
                if c == '\0' || c == '\u{fffd}' || is_control(c) {
                    continue;
                }
                if is_whitespace(c) {
                    out.push(' ');
                    continue;
                }
            }
            if self.handle_chinese_chars && is_chinese(c) {
                out.push(' ');
                out.push(c);
                out.push(' ');
            } else {
                out.push(c);
            }
        }
        if self.strip_accents {
            out = out.nfd().filter(|&c| get_general_category(c) != GeneralCategory::NonspacingMark).collect();
        }
        if self.lowercase {
            out = out.to_lowercase();
        }
        out
    }
}

fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r') || c.is_whitespace()
}

/// Control characters in BERT's sense: Unicode category C*, except the whitespace controls.
fn is_control(c: char) -> bool {
    if matches!(c, '\t' | '\n' | '\r') {
        return false;
    }
    matches!(
        get_general_category(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Unassigned
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
    )
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            get_general_category(c),
            GeneralCategory::ConnectorPunctuation
                | GeneralCategory::DashPunctuation
                | GeneralCategory::OpenPunctuation
                | GeneralCategory::ClosePunctuation
                | GeneralCategory::InitialPunctuation
                | GeneralCategory::FinalPunctuation
                | GeneralCategory::OtherPunctuation
        )
}

/// The CJK Unified Ideograph blocks BERT treats as words of their own (not Hangul, Hiragana or Katakana).
fn is_chinese(c: char) -> bool {
    matches!(u32::from(c),
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F | 0x2B740..=0x2B81F
        | 0x2B920..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// BERT's pre-tokeniser: words split on whitespace, each punctuation character a word of its own.
pub fn pre_tokenise(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if is_whitespace(c) || is_punctuation(c) {
            if let Some(begin) = start.take() {
                words.push(&text[begin..at]);
            }
            if !is_whitespace(c) {
                words.push(&text[at..at + c.len_utf8()]);
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(begin) = start {
        words.push(&text[begin..]);
    }
    words
}

/// A WordPiece vocabulary with its normaliser and the special tokens wrapped around every text.
#[derive(Debug, Clone)]
pub struct WordPiece {
    pub normaliser: Option<BertNormaliser>,
    ids: HashMap<String, u32>,
    pub unknown: u32,
    pub continuation_prefix: String,
    pub max_input_chars_per_word: usize,
    /// Put before and after the content pieces (`[CLS]` and `[SEP]` for BERT).
    pub before: Vec<u32>,
    pub after: Vec<u32>,
}

impl WordPiece {
    pub fn new(
        vocabulary: HashMap<String, u32>,
        unknown: u32,
        continuation_prefix: String,
        max_input_chars_per_word: usize,
        normaliser: Option<BertNormaliser>,
    ) -> WordPiece {
        WordPiece {
            normaliser,
            ids: vocabulary,
            unknown,
            continuation_prefix,
            max_input_chars_per_word,
            before: Vec::new(),
            after: Vec::new(),
        }
    }

    pub fn id(&self, piece: &str) -> Option<u32> {
        self.ids.get(piece).copied()
    }

    /// The largest id any piece or special token has: it must have a row in the model's embeddings.
    pub fn largest_id(&self) -> u32 {
        let pieces = self.ids.values().copied().max().unwrap_or(0);
        self.before.iter().chain(&self.after).copied().fold(pieces.max(self.unknown), u32::max)
    }

    pub fn vocabulary_size(&self) -> usize {
        self.ids.len()
    }

    /// The content piece ids of `text`, without special tokens, untruncated.
    pub fn content_ids(&self, text: &str) -> Vec<u32> {
        let normalised = match &self.normaliser {
            Some(normaliser) => normaliser.normalise(text),
            None => text.to_owned(),
        };
        let mut ids = Vec::new();
        for word in pre_tokenise(&normalised) {
            self.push_word(word, &mut ids);
        }
        ids
    }

    /// `before` + at most `max_len − specials` content pieces + `after`: the model's input ids.
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<u32> {
        let specials = self.before.len() + self.after.len();
        let mut content = self.content_ids(text);
        content.truncate(max_len.saturating_sub(specials));
        let mut ids = Vec::with_capacity(content.len() + specials);
        ids.extend(&self.before);
        ids.extend(content);
        ids.extend(&self.after);
        ids
    }

    /// Greedy longest-match-first segmentation of one word.
    fn push_word(&self, word: &str, ids: &mut Vec<u32>) {
        if word.chars().count() > self.max_input_chars_per_word {
            ids.push(self.unknown);
            return;
        }
        let first = ids.len();
        let mut start = 0;
        let mut candidate = String::new();
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                candidate.clear();
                if start > 0 {
                    candidate.push_str(&self.continuation_prefix);
                }
                candidate.push_str(&word[start..end]);
                if let Some(&id) = self.ids.get(&candidate) {
                    found = Some(id);
                    break;
                }
                // Step back one character, not one byte.
                end = word[..end].char_indices().next_back().map_or(start, |(at, _)| at);
            }
            match found {
                Some(id) => {
                    ids.push(id);
                    start = end;
                }
                None => {
                    ids.truncate(first);
                    ids.push(self.unknown);
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNCASED: BertNormaliser =
        BertNormaliser { clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true };

    fn toy() -> WordPiece {
        let pieces = ["[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "aff", "!", "hello", "##s", "a", "##b", "好"];
        let vocabulary = pieces.iter().enumerate().map(|(id, p)| (p.to_string(), id as u32)).collect();
        let mut tokenizer = WordPiece::new(vocabulary, 0, "##".into(), 10, Some(UNCASED));
        tokenizer.before = vec![1];
        tokenizer.after = vec![2];
        tokenizer
    }

    #[test]
    fn normaliser_follows_bert_uncased() {
        // Worked out by hand from BERT's rules: accents gone, lowercase, controls dropped, tabs to spaces,
        // ideographs padded.
        assert_eq!(UNCASED.normalise("Ærø Café\tNAÏVE"), "ærø cafe naive");
        assert_eq!(UNCASED.normalise("a\u{0000}b\u{200b}c\u{fffd}"), "abc");
        assert_eq!(UNCASED.normalise("你好"), " 你  好 ");
        let cased = BertNormaliser { strip_accents: false, lowercase: false, ..UNCASED };
        assert_eq!(cased.normalise("Café"), "Café");
    }

    #[test]
    fn pre_tokeniser_isolates_punctuation() {
        assert_eq!(pre_tokenise("hello, world!! it's"), vec!["hello", ",", "world", "!", "!", "it", "'", "s"]);
        assert_eq!(pre_tokenise("  «citat» — slut "), vec!["«", "citat", "»", "—", "slut"]);
        assert_eq!(pre_tokenise(""), Vec::<&str>::new());
    }

    #[test]
    fn wordpiece_takes_the_longest_pieces_from_the_left() {
        let tokenizer = toy();
        // "unaffable" → un ##aff ##able, BERT's own example.
        assert_eq!(tokenizer.content_ids("unaffable"), vec![3, 4, 5]);
        assert_eq!(tokenizer.content_ids("Hellos!"), vec![8, 9, 7]);
        // No cut for "abc": the whole word is one [UNK], not a partial cut.
        assert_eq!(tokenizer.content_ids("abc ab"), vec![0, 10, 11]);
        // Longer than max_input_chars_per_word (10).
        assert_eq!(tokenizer.content_ids("abbbbbbbbbb"), vec![0]);
        assert_eq!(tokenizer.content_ids("你好"), vec![0, 12]);
    }

    #[test]
    fn encode_wraps_and_truncates() {
        let tokenizer = toy();
        assert_eq!(tokenizer.encode("", 8), vec![1, 2]);
        assert_eq!(tokenizer.encode("unaffable hello", 4), vec![1, 3, 4, 2]);
    }
}
