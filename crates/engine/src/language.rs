//! Which language a set of statements is written in, so labels are stemmed and stop-worded by the right rules.
//!
//! The detector is deliberately simple and says so: it counts tokens that are stop words of only one of the two
//! languages (Danish "og", "ikke", "af"; English "the", "and", "is") and Danish words with æ, ø or å. Function
//! words are the most frequent words of any text, so even short statements give a few votes each. When neither
//! language has a clear majority — a bilingual survey, or too little text to tell — the answer is
//! [`Language::Mixed`], and labels then use both stop-word lists and no stemming rather than the wrong rules.

use serde::{Deserialize, Serialize};

use crate::text::{stop_words, tokens, StopWords};

/// The language of a set of statements, as detected or as chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    Danish,
    English,
    /// Both, or neither clearly.
    Mixed,
}

/// The user's choice of label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LanguageChoice {
    /// Use the detected language.
    #[default]
    Auto,
    Danish,
    English,
}

impl LanguageChoice {
    /// The language labels are made in, given what was detected.
    pub fn resolve(self, detected: Language) -> Language {
        match self {
            LanguageChoice::Auto => detected,
            LanguageChoice::Danish => Language::Danish,
            LanguageChoice::English => Language::English,
        }
    }
}

/// Share of the votes one language needs to be called; below it the text is mixed.
const MAJORITY: f64 = 0.75;
/// Fewer votes than this say nothing either way.
const MIN_VOTES: usize = 5;

/// How many tokens of `texts` speak for Danish and for English.
pub fn votes<'a>(texts: impl IntoIterator<Item = &'a str>) -> (usize, usize) {
    let danish = stop_words(StopWords::Danish);
    let english = stop_words(StopWords::English);
    let (mut da, mut en) = (0, 0);
    for text in texts {
        for token in tokens(text) {
            let (is_da, is_en) = (danish.contains(token.as_str()), english.contains(token.as_str()));
            if token.contains(['æ', 'ø', 'å']) || (is_da && !is_en) {
                da += 1;
            } else if is_en && !is_da {
                en += 1;
            }
        }
    }
    (da, en)
}

/// The language most of `texts` is written in; [`Language::Mixed`] when neither has a clear majority.
pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Language {
    let (da, en) = votes(texts);
    let total = da + en;
    if total < MIN_VOTES {
        return Language::Mixed;
    }
    let danish_share = da as f64 / total as f64;
    if danish_share >= MAJORITY {
        Language::Danish
    } else if danish_share <= 1.0 - MAJORITY {
        Language::English
    } else {
        Language::Mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_statements_are_danish() {
        let texts = ["Vi mangler hænder i ældreplejen", "Skolen har ikke råd til flere lærere", "Det er for dyrt"];
        assert_eq!(detect(texts), Language::Danish);
    }

    #[test]
    fn english_statements_are_english() {
        let texts = ["We need more hands in elderly care", "The school cannot afford teachers", "It is too expensive"];
        assert_eq!(detect(texts), Language::English);
    }

    #[test]
    fn half_and_half_is_mixed_and_so_is_too_little_text() {
        let texts =
            ["Vi mangler hænder i ældreplejen og på skolerne", "We need more hands in the schools and the care"];
        assert_eq!(detect(texts), Language::Mixed);
        assert_eq!(detect(["velfærd"]), Language::Mixed);
        assert_eq!(detect(std::iter::empty()), Language::Mixed);
    }

    #[test]
    fn the_choice_overrides_detection_unless_automatic() {
        assert_eq!(LanguageChoice::Auto.resolve(Language::Mixed), Language::Mixed);
        assert_eq!(LanguageChoice::Danish.resolve(Language::English), Language::Danish);
        assert_eq!(LanguageChoice::English.resolve(Language::Danish), Language::English);
    }
}
