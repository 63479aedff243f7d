//! Splitting statements into words for TF-IDF and cluster labels.
//!
//! Words follow Unicode word boundaries (so "velfærd", "don't" and "co-op" come out whole), are lower-cased, and
//! lose stop words of Danish and English, the two languages Vejkort's users write in. Numbers and one-letter
//! tokens carry no topic and are dropped.

use std::collections::HashSet;
use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

/// Function words that say nothing about a topic. Kept short on purpose: words such as "kommune" or "borgere"
/// are filler in one survey and the topic in another, so they are not here.
const DANISH: &str = "ad af aldrig alle allerede alt altid anden andet andre at bare begge bedre blandt blev blive \
bliver blevet bør både da de dem den denne der deraf derfor deres det dette dig din dine disse dit dog du efter \
egen eget egne ej eller ellers en end endnu ene eneste enhver er et fem fire flere fleste for fordi forrige fra \
frem få får før gennem give giver gjort god gode godt gør gøre går han hans har havde have hel hele helt hende \
hendes her hos hun hvad hvem hver hvert hvilke hvilken hvis hvor hvordan hvorfor hvornår i igen ikke ind ingen \
intet ja jeg jer jeres jo kan kom komme kommer kun kunne lad langt lav let lidt lige lille man mange med meget \
mellem men mener mens mere mest mig min mindre mine mit mod må måske ned nej ni nogen noget nogle nok nu ny nye \
nyt nødt når og også ofte om omkring op os otte over på rigtig samt se seks selv selvom ser ses sidst sig sin sine \
sit skal skulle som stadig stor store syv synes så sådan tag tage thi ti til tror to tre ud uden under var ved vi \
vil ville virkelig vor vores være været år";

const ENGLISH: &str = "a about above after again against all am an and any are as at be because been before being \
below between both but by can could did do does doing down during each few for from further had has have having \
he her here hers herself him himself his how i if in into is it its itself just let me more most my myself no \
nor not now of off on once only or other our ours ourselves out over own same she should so some such than that \
the their theirs them themselves then there these they this those through to too under until up very was we \
were what when where which while who whom why will with would you your yours yourself yourselves also get \
got many much may might must one us";

fn stop_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| DANISH.split_whitespace().chain(ENGLISH.split_whitespace()).collect())
}

pub fn is_stop_word(word: &str) -> bool {
    stop_words().contains(word)
}

/// The words of `text` that can carry a topic, lower-cased, in order.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.unicode_words().filter_map(|word| {
        let lower = word.to_lowercase();
        let letters = lower.chars().filter(|c| c.is_alphabetic()).count();
        (letters >= 2 && !is_stop_word(&lower)).then_some(lower)
    })
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
}
