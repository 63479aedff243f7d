//! Splitting statements into words for TF-IDF and cluster labels, and the stop words both leave out.
//!
//! Words follow Unicode word boundaries (so "velfærd" and "don't" come out whole, "co-op" as two), are
//! lower-cased, and lose stop words of Danish and English, the two languages Vejkort's users write in. Numbers and
//! one-letter tokens carry no topic and are dropped.

use std::collections::HashSet;
use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

/// Danish function words: words that hold a sentence together but say nothing about what it is about.
///
/// How they were chosen: by word class, not by frequency. Articles and determiners, personal, possessive,
/// reflexive and interrogative pronouns, prepositions, conjunctions, the auxiliaries and modal verbs in all their
/// forms (være, have, blive, kunne, skulle, ville, måtte, burde, gøre, få), small number words, yes/no, and the
/// common sentence adverbs (ikke, også, jo, nok, bare, meget, …). Deliberately left out: nouns, adjectives and
/// verbs that are filler in one survey and the subject of another ("kommune", "borgere", "sag", "god", "stor",
/// "år", "mener") — the user can add those as stop words in the app, and can re-allow any word below.
/// A word that is a function word in Danish but a content word in English ("by" = town, "men", "dig", "far") is
/// only stopped when the text is Danish (see [`stop_words`]).
#[rustfmt::skip]
pub const DANISH_STOP_WORDS: &[&str] = &[
    // Articles, determiners, quantifiers.
    "en", "et", "den", "det", "de", "denne", "dette", "disse", "hver", "hvert", "hvilken", "hvilket", "hvilke", "al",
    "alle", "alt", "anden", "andet", "andre", "begge", "enhver", "ethvert", "ingen", "intet", "nogen", "noget",
    "nogle", "samme", "sådan", "sådant", "sådanne", "selv", "egen", "eget", "egne", "mange", "flere", "fleste", "få",
    "færre", "mere", "mest", "mindre", "mindst", "lidt", "meget", "én", "ét",
    // Small number words.
    "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti",
    // Pronouns.
    "jeg", "mig", "min", "mit", "mine", "du", "dig", "din", "dit", "dine", "han", "ham", "hans", "hun", "hende",
    "hendes", "dens", "dets", "vi", "os", "vores", "vor", "vort", "vore", "jer", "jeres", "dem", "deres", "sig",
    "sin", "sit", "sine", "man", "hinanden", "hvad", "hvem", "hvis", "hvor", "hvordan", "hvorfor", "hvornår",
    "hvorledes", "som", "der",
    // Prepositions.
    "ad", "af", "bag", "blandt", "efter", "foran", "fra", "før", "gennem", "hos", "i", "ifølge", "imellem", "imod",
    "indtil", "inden", "med", "mellem", "mod", "omkring", "om", "over", "på", "siden", "til", "trods", "uden",
    "udover", "under", "ved", "via", "pr", "vedrørende", "angående",
    // Conjunctions.
    "og", "eller", "men", "for", "fordi", "da", "når", "mens", "selvom", "skønt", "end", "at", "samt", "både",
    "enten", "hverken", "så", "idet", "såvel",
    // Auxiliaries and modal verbs, all forms.
    "er", "var", "være", "været", "blive", "bliver", "blev", "blevet", "har", "havde", "have", "haft", "kan", "kunne",
    "kunnet", "skal", "skulle", "skullet", "vil", "ville", "villet", "må", "måtte", "måttet", "bør", "burde", "gør",
    "gøre", "gjorde", "gjort", "får", "fik", "fået", "lad", "lade",
    // Sentence adverbs and other small adverbs.
    "ikke", "også", "jo", "nok", "nu", "her", "ind", "ud", "op", "ned", "hen", "frem", "igen", "allerede", "aldrig",
    "altid", "ofte", "ganske", "kun", "bare", "blot", "endnu", "stadig", "måske", "vel", "dog", "heller", "netop",
    "lige", "især", "helt", "ret", "nemlig", "derfor", "således", "desuden", "dermed", "derved", "heraf", "deraf",
    "derefter", "herunder", "hermed", "sammen", "ellers", "simpelthen", "faktisk", "egentlig", "virkelig", "ja",
    "nej",
];

/// English function words, chosen the same way as [`DANISH_STOP_WORDS`]: articles and determiners, pronouns,
/// prepositions, conjunctions, auxiliaries and modals with their common contractions, and common adverbs.
/// "get" and "got" are here as the light verbs they mostly are ("how to get …"); content verbs and nouns are not.
#[rustfmt::skip]
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    // Articles, determiners, quantifiers.
    "a", "an", "the", "this", "that", "these", "those", "all", "any", "both", "each", "every", "few", "many", "more",
    "most", "much", "other", "others", "same", "several", "some", "such", "own", "no", "one", "another",
    // Pronouns.
    "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "yourselves", "he", "him", "his",
    "himself", "she", "her", "hers", "herself", "it", "its", "itself", "we", "us", "our", "ours", "ourselves", "they",
    "them", "their", "theirs", "themselves", "who", "whom", "whose", "which", "what", "where", "when", "why", "how",
    // Prepositions.
    "about", "above", "across", "after", "against", "along", "among", "around", "at", "before", "behind", "below",
    "beneath", "beside", "between", "beyond", "by", "down", "during", "except", "for", "from", "in", "inside", "into",
    "near", "of", "off", "on", "onto", "out", "outside", "over", "past", "since", "through", "throughout", "till",
    "to", "toward", "towards", "under", "until", "up", "upon", "via", "with", "within", "without",
    // Conjunctions.
    "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "if", "unless", "whether", "while",
    "whereas", "than", "as",
    // Auxiliaries and modals, with contractions.
    "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did",
    "doing", "done", "can", "could", "may", "might", "must", "shall", "should", "will", "would", "get", "got",
    "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "can't", "cannot", "couldn't", "won't",
    "wouldn't", "shouldn't", "haven't", "hasn't", "i'm", "i've", "i'd", "i'll", "it's", "that's", "there's", "you're",
    "we're", "they're", "let's",
    // Common adverbs.
    "not", "also", "just", "only", "very", "too", "quite", "rather", "really", "still", "already", "always", "never",
    "often", "again", "here", "there", "then", "now", "even", "ever", "else", "perhaps", "once", "further", "yes",
];

/// Which built-in stop words apply to text in a language: one list for Danish or English text, both for mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopWords {
    Danish,
    English,
    Both,
}

/// The built-in stop words of `which`, as a set.
pub fn stop_words(which: StopWords) -> &'static HashSet<&'static str> {
    static DANISH: OnceLock<HashSet<&'static str>> = OnceLock::new();
    static ENGLISH: OnceLock<HashSet<&'static str>> = OnceLock::new();
    static BOTH: OnceLock<HashSet<&'static str>> = OnceLock::new();
    match which {
        StopWords::Danish => DANISH.get_or_init(|| DANISH_STOP_WORDS.iter().copied().collect()),
        StopWords::English => ENGLISH.get_or_init(|| ENGLISH_STOP_WORDS.iter().copied().collect()),
        StopWords::Both => BOTH.get_or_init(|| DANISH_STOP_WORDS.iter().chain(ENGLISH_STOP_WORDS).copied().collect()),
    }
}

/// Whether `word` (lower-case) is a stop word of either language.
pub fn is_stop_word(word: &str) -> bool {
    stop_words(StopWords::Both).contains(word)
}

/// Every word of `text` with at least two letters, lower-cased, in order, stop words included. Typographic
/// apostrophes become straight ones so "don’t" and "don't" are one word.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.unicode_words().filter_map(|word| {
        let lower = word.to_lowercase().replace('’', "'");
        let letters = lower.chars().filter(|c| c.is_alphabetic()).count();
        (letters >= 2).then_some(lower)
    })
}

/// The words of `text` that can carry a topic, lower-cased, in order.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    tokens(text).filter(|word| !is_stop_word(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_words_stay_whole_and_lose_stop_words() {
        let got: Vec<String> = words("Vi skal have flere hænder i ældreplejen, og det haster!").collect();
        assert_eq!(got, ["hænder", "ældreplejen", "haster"]);
    }

    #[test]
    fn numbers_and_single_letters_are_dropped() {
        let got: Vec<String> = words("In 2035 a 3-year plan: X marks the spot").collect();
        assert_eq!(got, ["year", "plan", "marks", "spot"]);
    }

    #[test]
    fn domain_words_are_not_stop_words() {
        for word in ["kommune", "kommunen", "borgere", "borgerne", "velfærd", "sag", "år", "people", "time"] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn words_that_mean_something_in_the_other_language_are_stopped_only_in_their_own() {
        assert!(stop_words(StopWords::English).contains("by"));
        assert!(!stop_words(StopWords::Danish).contains("by"));
        assert!(stop_words(StopWords::Danish).contains("men"));
        assert!(!stop_words(StopWords::English).contains("men"));
    }

    #[test]
    fn stop_word_lists_are_lower_case_and_without_repeats() {
        for list in [DANISH_STOP_WORDS, ENGLISH_STOP_WORDS] {
            let set: HashSet<&str> = list.iter().copied().collect();
            assert_eq!(set.len(), list.len());
            assert!(list.iter().all(|w| *w == w.to_lowercase()));
        }
    }

    #[test]
    fn curly_apostrophes_are_straightened() {
        assert_eq!(tokens("Don’t").collect::<Vec<_>>(), ["don't"]);
        assert_eq!(words("Don’t panic").collect::<Vec<_>>(), ["panic"]);
    }
}
