//! Which words may name a cluster: the label language and the stop words, the user's to change.
//!
//! Labels are only as good as the words they may use. Function words are left out by the engine's built-in lists,
//! but what counts as filler depends on the survey ("kommune" in a municipal one, "sag" in agendas), so the user
//! can strike words of their own and give back built-in ones. The language is detected; a wrong guess can be
//! overruled. Every change re-runs the analysis with the same seed, so the map stays and only labels change.

use leptos::prelude::*;
use vejkort_engine::label::{normalise_word, LabelOptions};
use vejkort_engine::language::{Language, LanguageChoice};
use vejkort_engine::text::{tokens, DANISH_STOP_WORDS, ENGLISH_STOP_WORDS};

use crate::actions;
use crate::i18n::Strings;
use crate::state::AppState;

/// Why a typed stop word was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopWordProblem {
    /// Nothing, or nothing with two letters: no label could ever be that word.
    NotAWord,
    /// Several words: labels are single words, so a phrase would never match.
    SeveralWords,
}

impl StopWordProblem {
    pub fn message(self, text: &Strings) -> &'static str {
        match self {
            StopWordProblem::NotAWord => text.stop_word_not_a_word,
            StopWordProblem::SeveralWords => text.stop_word_several_words,
        }
    }
}

/// The built-in stop words that apply to labels in `language`, alphabetically.
pub fn builtin_stop_words(language: Language) -> Vec<&'static str> {
    let mut words: Vec<&'static str> = match language {
        Language::Danish => DANISH_STOP_WORDS.to_vec(),
        Language::English => ENGLISH_STOP_WORDS.to_vec(),
        Language::Mixed => DANISH_STOP_WORDS.iter().chain(ENGLISH_STOP_WORDS).copied().collect(),
    };
    words.sort_unstable();
    words.dedup();
    words
}

/// Makes `typed` a stop word: a built-in word the user had allowed becomes a stop word again, any other word
/// joins the user's list. Returns whether anything changed (a word already stopped changes nothing).
pub fn add_stop_word(labels: &mut LabelOptions, typed: &str, language: Language) -> Result<bool, StopWordProblem> {
    // The word as labels would show it: "Kommune!" is "kommune"; "co-op" is two words to the tokeniser.
    let found: Vec<String> = tokens(&normalise_word(typed)).collect();
    let word = match found.as_slice() {
        [] => return Err(StopWordProblem::NotAWord),
        [only] => only.clone(),
        _ => return Err(StopWordProblem::SeveralWords),
    };
    if let Some(index) = labels.kept_words.iter().position(|kept| normalise_word(kept) == word) {
        labels.kept_words.remove(index);
        return Ok(true);
    }
    let builtin = builtin_stop_words(language).binary_search(&word.as_str()).is_ok();
    if builtin || labels.extra_stop_words.iter().any(|extra| normalise_word(extra) == word) {
        return Ok(false);
    }
    labels.extra_stop_words.push(word);
    Ok(true)
}

/// Lets `word` name clusters again: the user's own stop word is dropped, a built-in one is kept.
pub fn allow_word(labels: &mut LabelOptions, word: &str) {
    let word = normalise_word(word);
    let before = labels.extra_stop_words.len();
    labels.extra_stop_words.retain(|extra| normalise_word(extra) != word);
    if labels.extra_stop_words.len() == before && !labels.kept_words.contains(&word) {
        labels.kept_words.push(word);
    }
}

fn choice_value(choice: LanguageChoice) -> &'static str {
    match choice {
        LanguageChoice::Auto => "auto",
        LanguageChoice::Danish => "da",
        LanguageChoice::English => "en",
    }
}

fn language_name(text: &Strings, language: Language) -> &'static str {
    match language {
        Language::Danish => text.language_danish,
        Language::English => text.language_english,
        Language::Mixed => text.language_mixed,
    }
}

#[component]
pub fn StopWordsPanel() -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let label_language = move || state.analysis.with(|a| a.as_ref().and_then(|a| a.label_language));
    // The options of the job under way if there is one, so quick successive changes build on each other
    // rather than each on the map still on screen.
    let labels = move || {
        state
            .job
            .with(|job| job.as_ref().map(|(_, inputs)| inputs.options.labels.clone()))
            .unwrap_or_else(|| state.shown.with(|s| s.options.labels.clone()))
    };
    let change = move |update: &dyn Fn(&mut LabelOptions)| {
        let mut next = labels();
        update(&mut next);
        actions::rerun(state, move |options| options.labels = next);
    };
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<StopWordProblem>);
    let used = move || label_language().map_or(Language::Mixed, |l| l.used);

    let submit = move || {
        let mut next = labels();
        match add_stop_word(&mut next, &draft.get_untracked(), used()) {
            Ok(changed) => {
                problem.set(None);
                draft.set(String::new());
                if changed {
                    actions::rerun(state, move |options| options.labels = next);
                }
            }
            Err(why) => problem.set(Some(why)),
        }
    };

    let chip = move |word: String, kind: &'static str| {
        let sign = if kind == "kept" { "+" } else { "×" };
        let action = move || if kind == "kept" { text().stop_word_restore } else { text().stop_word_allow };
        let for_click = word.clone();
        let label = word.clone();
        view! {
            <li class=format!("chip chip-{kind}") data-word=word.clone() data-kind=kind>
                <span>{word.clone()}</span>
                <button
                    type="button"
                    aria-label=move || format!("{}: {label}", action())
                    title=action
                    on:click=move |_| {
                        let word = for_click.clone();
                        if kind == "kept" {
                            change(&|labels| {
                                labels.kept_words.retain(|kept| normalise_word(kept) != normalise_word(&word));
                            });
                        } else {
                            change(&|labels| allow_word(labels, &word));
                        }
                    }
                >
                    {sign}
                </button>
            </li>
        }
    };

    view! {
        <Show when=move || label_language().is_some()>
            <section class="panel stop-words" aria-labelledby="stop-words-heading">
                <h2 id="stop-words-heading">{move || text().labels_heading}</h2>
                <label class="field">
                    <span>{move || text().label_language}</span>
                    <select
                        data-testid="label-language"
                        data-detected=move || match label_language().map(|l| l.detected) {
                            Some(Language::Danish) => "da",
                            Some(Language::English) => "en",
                            _ => "mixed",
                        }
                        prop:value=move || choice_value(labels().language)
                        on:change=move |event| {
                            let choice = match event_target_value(&event).as_str() {
                                "da" => LanguageChoice::Danish,
                                "en" => LanguageChoice::English,
                                _ => LanguageChoice::Auto,
                            };
                            change(&|labels| labels.language = choice);
                        }
                    >
                        <option value="auto">
                            {move || {
                                let detected = label_language().map_or(Language::Mixed, |l| l.detected);
                                format!("{} ({})", text().label_language_auto, language_name(text(), detected))
                            }}
                        </option>
                        <option value="da">{move || text().language_danish}</option>
                        <option value="en">{move || text().language_english}</option>
                    </select>
                </label>
                <label class="field">
                    <span>{move || text().stop_word_add}</span>
                    <input
                        type="text"
                        data-testid="stop-word-input"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=move || text().stop_word_placeholder
                        aria-invalid=move || problem.get().is_some().to_string()
                        aria-describedby="stop-word-problem"
                        prop:value=move || draft.get()
                        on:input=move |event| {
                            draft.set(event_target_value(&event));
                            problem.set(None);
                        }
                        on:keydown=move |event: web_sys::KeyboardEvent| {
                            if event.key() == "Enter" {
                                event.prevent_default();
                                submit();
                            }
                        }
                    />
                </label>
                <p id="stop-word-problem" class="field-problem" data-testid="stop-word-problem" role="alert">
                    {move || problem.get().map(|why| why.message(text()))}
                </p>
                <div class="stop-word-list" data-testid="stop-word-list">
                    <h3>{move || text().stop_words_yours}</h3>
                    <Show
                        when=move || !labels().extra_stop_words.is_empty()
                        fallback=move || view! { <p class="hint">{move || text().stop_words_none_yet}</p> }
                    >
                        <ul class="chips">
                            <For each=move || labels().extra_stop_words key=Clone::clone let:word>
                                {chip(word, "added")}
                            </For>
                        </ul>
                    </Show>
                    <Show when=move || !labels().kept_words.is_empty()>
                        <h3>{move || text().stop_words_allowed}</h3>
                        <ul class="chips">
                            <For each=move || labels().kept_words key=Clone::clone let:word>
                                {chip(word, "kept")}
                            </For>
                        </ul>
                    </Show>
                    <details>
                        <summary>
                            {move || {
                                let count = builtin_stop_words(used()).len();
                                format!("{} ({} · {count})", text().stop_words_builtin, language_name(text(), used()))
                            }}
                        </summary>
                        <ul class="chips">
                            <For
                                each=move || {
                                    let kept = labels().kept_words;
                                    builtin_stop_words(used())
                                        .into_iter()
                                        .filter(|word| !kept.iter().any(|k| k == word))
                                        .map(str::to_owned)
                                        .collect::<Vec<_>>()
                                }
                                key=Clone::clone
                                let:word
                            >
                                {chip(word, "builtin")}
                            </For>
                        </ul>
                    </details>
                </div>
                <p class="hint">{move || text().stop_words_help}</p>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejkort_engine::cluster::ClusterCount;
    use vejkort_engine::pipeline::{analyze_dataset, AnalysisOptions};
    use vejkort_engine::progress::Silent;
    use vejkort_engine::Dataset;

    #[test]
    fn a_typed_word_is_normalised_and_added_once() {
        let mut labels = LabelOptions::default();
        assert_eq!(add_stop_word(&mut labels, "  Kommune ", Language::Danish), Ok(true));
        assert_eq!(add_stop_word(&mut labels, "kommune", Language::Danish), Ok(false));
        assert_eq!(labels.extra_stop_words, ["kommune"]);
    }

    #[test]
    fn built_in_words_are_already_stopped_until_allowed() {
        let mut labels = LabelOptions::default();
        assert_eq!(add_stop_word(&mut labels, "og", Language::Danish), Ok(false));
        allow_word(&mut labels, "og");
        assert_eq!(labels.kept_words, ["og"]);
        assert_eq!(add_stop_word(&mut labels, "og", Language::Danish), Ok(true));
        assert!(labels.kept_words.is_empty() && labels.extra_stop_words.is_empty());
    }

    #[test]
    fn allowing_the_users_own_word_removes_it() {
        let mut labels = LabelOptions { extra_stop_words: vec!["sag".into()], ..LabelOptions::default() };
        allow_word(&mut labels, "sag");
        assert!(labels.extra_stop_words.is_empty() && labels.kept_words.is_empty());
    }

    #[test]
    fn phrases_and_non_words_are_refused_with_a_reason() {
        let mut labels = LabelOptions::default();
        assert_eq!(add_stop_word(&mut labels, "  ", Language::Danish), Err(StopWordProblem::NotAWord));
        assert_eq!(add_stop_word(&mut labels, "42", Language::Danish), Err(StopWordProblem::NotAWord));
        assert_eq!(add_stop_word(&mut labels, "åben sag", Language::Danish), Err(StopWordProblem::SeveralWords));
        assert_eq!(add_stop_word(&mut labels, "co-op", Language::English), Err(StopWordProblem::SeveralWords));
        assert_eq!(add_stop_word(&mut labels, "Don’t!", Language::Danish), Ok(true));
        assert_eq!(labels.extra_stop_words, ["don't"]);
    }

    #[test]
    fn an_added_stop_word_disappears_from_the_labels() {
        let texts = [
            "kommunen skal passe de ældre",
            "ældre i kommunen mangler pleje",
            "kommunens ældre venter på pleje",
            "ældre og pleje i kommunen",
            "skolen i kommunen mangler lærere",
            "lærere forlader kommunens skole",
            "kommunen lukker skolen",
            "skolen og lærere i kommunen",
        ];
        let data = || Dataset {
            columns: vec!["svar".into()],
            rows: texts.iter().map(|t| vec![(*t).to_owned()]).collect(),
            ..Dataset::default()
        };
        let mut options = AnalysisOptions { clusters: ClusterCount::Fixed(2), seed: 1, ..AnalysisOptions::default() };
        let terms = |options: &AnalysisOptions| -> Vec<String> {
            let analysis = analyze_dataset(data(), options, &mut Silent).expect("an analysis");
            analysis.clusters.into_iter().flat_map(|c| c.terms).collect()
        };
        assert!(terms(&options).iter().any(|t| t.starts_with("kommun")));
        assert_eq!(add_stop_word(&mut options.labels, "Kommunen", Language::Danish), Ok(true));
        let after = terms(&options);
        assert!(after.iter().all(|t| !t.starts_with("kommun")), "{after:?}");
    }
}
