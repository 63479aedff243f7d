//! Undo, redo and the change log. A person corrects the machine's map with confidence only when every change
//! can be taken back, and a workshop trusts a map more when it can read how it came about: the log lists each
//! edit in the reader's language, with the ones redo would bring back marked as undone.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::AppState;

/// Whether a key press belongs to a text field, where Ctrl+Z is the field's own undo and must stay so.
fn typing(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    match element.tag_name().to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => {
            let kind = element.get_attribute("type").unwrap_or_default().to_ascii_lowercase();
            !matches!(kind.as_str(), "checkbox" | "radio" | "button" | "submit" | "reset" | "range" | "color" | "file")
        }
        _ => element.get_attribute("contenteditable").is_some_and(|v| v != "false"),
    }
}

/// What a key press asks of the history: `Some(true)` redo, `Some(false)` undo.
fn shortcut(event: &web_sys::KeyboardEvent) -> Option<bool> {
    if !(event.ctrl_key() || event.meta_key()) || event.alt_key() {
        return None;
    }
    match event.key().to_lowercase().as_str() {
        "z" => Some(event.shift_key()),
        "y" if !event.shift_key() => Some(true),
        _ => None,
    }
}

#[component]
pub fn HistoryPanel() -> impl IntoView {
    let state = AppState::use_context();

    let listener = window_event_listener(leptos::ev::keydown, move |event| {
        if event.default_prevented() || typing(&event) {
            return;
        }
        match shortcut(&event) {
            Some(false) => {
                event.prevent_default();
                state.undo();
            }
            Some(true) => {
                event.prevent_default();
                state.redo();
            }
            None => {}
        }
    });
    let listener = StoredValue::new_local(Some(listener));
    on_cleanup(move || {
        if let Some(Some(listener)) = listener.try_update_value(Option::take) {
            listener.remove();
        }
    });

    let log = move || {
        state.revision.track();
        let lang = state.lang.get();
        state.curator.with_value(|c| {
            c.as_ref().map_or_else(Vec::new, |c| {
                c.log().map(|line| (line.entry.sequence, lang.outcome(&line.entry.outcome), line.undone)).collect()
            })
        })
    };

    view! {
        <Show when=move || state.analysis.with(Option::is_some)>
            <section class="panel history" aria-labelledby="history-heading">
                <div class="history-head">
                    <h2 id="history-heading">{move || state.lang.get().strings().change_log}</h2>
                    <span class="history-buttons">
                        <button
                            class="button"
                            data-testid="undo"
                            disabled=move || !state.can_undo()
                            title=move || state.lang.get().strings().undo_shortcut
                            aria-keyshortcuts="Control+Z Meta+Z"
                            on:click=move |_| state.undo()
                        >
                            {move || state.lang.get().strings().undo}
                        </button>
                        <button
                            class="button"
                            data-testid="redo"
                            disabled=move || !state.can_redo()
                            title=move || state.lang.get().strings().redo_shortcut
                            aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
                            on:click=move |_| state.redo()
                        >
                            {move || state.lang.get().strings().redo}
                        </button>
                    </span>
                </div>
                <Show
                    when=move || !log().is_empty()
                    fallback=move || view! { <p class="hint">{move || state.lang.get().strings().no_changes}</p> }
                >
                    <ol class="change-log" data-testid="change-log" aria-live="polite">
                        {move || {
                            let undone_word = state.lang.get().strings().undone;
                            log()
                                .into_iter()
                                .map(|(sequence, text, undone)| {
                                    view! {
                                        <li data-sequence=sequence data-undone=undone.to_string() class:undone=undone>
                                            <span class="log-text">{text}</span>
                                            {undone.then(|| view! { <span class="log-undone">" ("{undone_word}")"</span> })}
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ol>
                </Show>
            </section>
        </Show>
    }
}
