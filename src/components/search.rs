//! The reading bar above the map: the search box with its count, and the switches for the lasso and the table.
//!
//! Search looks through each statement and its metadata, case-insensitively; matches stand out on the map and
//! the rest dim, the table lists only the matches, and Enter flies the camera to them. The derived masks
//! (search matches, filter passes) live in [`Reading`], one context, so map, table and counts agree and each
//! is computed once per change.

use std::sync::Arc;

use leptos::prelude::*;
use vejkort_protocol::Analysis;
use wasm_bindgen::JsCast;

use crate::state::AppState;

/// Each statement's cells in lower case joined by a separator no one types, so that one search is one
/// `contains` per statement and never matches across two cells.
pub fn haystacks(analysis: &Analysis) -> Vec<String> {
    analysis.rows.iter().map(|row| haystack(row)).collect()
}

fn haystack(row: &[String]) -> String {
    row.iter().map(|cell| cell.to_lowercase()).collect::<Vec<_>>().join("\u{1f}")
}

/// Which statements contain `query` (case-insensitively); `None` for an empty query.
pub fn search_mask(haystacks: &[String], query: &str) -> Option<Vec<bool>> {
    let needle = query.trim().to_lowercase();
    if needle.is_empty() {
        return None;
    }
    Some(haystacks.iter().map(|h| h.contains(&needle)).collect())
}

/// The box around the given points, `None` when there are none.
pub fn bounds_of(analysis: &Analysis, points: impl IntoIterator<Item = usize>) -> Option<[f32; 4]> {
    let positions: Vec<[f32; 2]> = points.into_iter().filter_map(|i| analysis.positions.get(i).copied()).collect();
    vejkort_render::bounds(&positions)
}

/// What the map, the table and the counts read: computed once per change of data, search or filters.
#[derive(Clone, Copy)]
pub struct Reading {
    /// Which points match the search; `None` when the box is empty.
    pub matches: Memo<Option<Arc<Vec<bool>>>>,
    /// Which points pass the filters; `None` when no filter is set.
    pub passing: Memo<Option<Arc<Vec<bool>>>>,
}

impl Reading {
    /// Creates the masks and provides them as context.
    pub fn provide(state: AppState) -> Reading {
        let haystacks =
            Memo::new(move |_| state.analysis.with(|a| Arc::new(a.as_ref().map(|a| haystacks(a)).unwrap_or_default())));
        let matches = Memo::new(move |_| {
            let query = state.search.get();
            haystacks.with(|h| search_mask(h, &query).map(Arc::new))
        });
        let passing = Memo::new(move |_| {
            let filters = state.filters.get();
            state.analysis.with(|a| a.as_ref().and_then(|a| filters.mask(a)).map(Arc::new))
        });
        let reading = Reading { matches, passing };
        provide_context(reading);
        reading
    }

    /// Whether point `i` stands out: it matches the search and passes the filters.
    pub fn shows(matches: &Option<Arc<Vec<bool>>>, passing: &Option<Arc<Vec<bool>>>, i: usize) -> bool {
        let ok = |mask: &Option<Arc<Vec<bool>>>| mask.as_ref().is_none_or(|m| m.get(i).copied().unwrap_or(false));
        ok(matches) && ok(passing)
    }
}

/// Whether a key press was meant for a text field rather than for a shortcut.
pub fn typing(event: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || element.has_attribute("contenteditable")
}

#[component]
pub fn SearchBar() -> impl IntoView {
    let state = AppState::use_context();
    let reading = expect_context::<Reading>();
    let input = NodeRef::<leptos::html::Input>::new();
    let total = move || state.analysis.with(|a| a.as_ref().map_or(0, |a| a.positions.len()));
    let count = move || reading.matches.with(|m| m.as_ref().map(|m| m.iter().filter(|&&b| b).count()));

    // `/` focuses the search and L switches the lasso, from anywhere but a text field.
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        if typing(&event) || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        match event.key().as_str() {
            "/" => {
                if let Some(input) = input.get_untracked() {
                    event.prevent_default();
                    let _ = input.focus();
                }
            }
            "l" | "L" if state.analysis.with_untracked(Option::is_some) => state.lasso.update(|on| *on = !*on),
            "Escape" if state.lasso.get_untracked() => state.lasso.set(false),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    let fly_to_matches = move || {
        let Some(matches) = reading.matches.get_untracked() else { return };
        let passing = reading.passing.get_untracked();
        let bounds = state.analysis.with_untracked(|a| {
            let a = a.as_ref()?;
            bounds_of(a, (0..matches.len()).filter(|&i| Reading::shows(&Some(Arc::clone(&matches)), &passing, i)))
        });
        if bounds.is_some() {
            state.fly_to.set(bounds);
        }
    };

    view! {
        <Show when=move || state.analysis.with(Option::is_some)>
            <div class="reading-bar" role="search">
                <label class="visually-hidden" for="search-input">{move || state.lang.get().strings().search}</label>
                <input
                    id="search-input"
                    class="search-input"
                    type="search"
                    data-testid="search"
                    node_ref=input
                    autocomplete="off"
                    placeholder=move || state.lang.get().strings().search_placeholder
                    title=move || state.lang.get().strings().search_help
                    aria-describedby="search-count"
                    prop:value=move || state.search.get()
                    on:input=move |event| state.search.set(event_target_value(&event))
                    on:keydown=move |event: web_sys::KeyboardEvent| match event.key().as_str() {
                        "Enter" => {
                            event.prevent_default();
                            fly_to_matches();
                        }
                        "Escape" if !state.search.with_untracked(String::is_empty) => {
                            event.stop_propagation();
                            state.search.set(String::new());
                        }
                        _ => {}
                    }
                />
                <span id="search-count" class="search-count" data-testid="search-count" aria-live="polite" data-count=move || count().map(|c| c.to_string())>
                    {move || count().map(|c| state.lang.get().search_count(c, total()))}
                </span>
                <span class="reading-switches">
                    <button
                        class="button"
                        class:primary=move || state.lasso.get()
                        data-testid="lasso"
                        aria-pressed=move || state.lasso.get().to_string()
                        title=move || state.lang.get().strings().lasso_help
                        aria-keyshortcuts="L"
                        on:click=move |_| state.lasso.update(|on| *on = !*on)
                    >
                        {move || state.lang.get().strings().lasso}
                    </button>
                    <button
                        class="button"
                        class:primary=move || state.table_open.get()
                        data-testid="show-table"
                        aria-pressed=move || state.table_open.get().to_string()
                        aria-controls="statement-table"
                        on:click=move |_| state.table_open.update(|on| *on = !*on)
                    >
                        {move || state.lang.get().strings().show_table}
                    </button>
                </span>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_is_case_insensitive_and_stays_within_a_cell() {
        let rows = [vec!["Ældre PLEJE".to_owned(), "Aarhus".to_owned()], vec!["skole".to_owned(), "ældre".to_owned()]];
        let haystacks: Vec<String> = rows.iter().map(|r| haystack(r)).collect();
        assert_eq!(search_mask(&haystacks, "  "), None);
        assert_eq!(search_mask(&haystacks, "ÆLDRE"), Some(vec![true, true]));
        assert_eq!(search_mask(&haystacks, "pleje"), Some(vec![true, false]));
        assert_eq!(search_mask(&haystacks, "plejeaarhus"), Some(vec![false, false]));
    }
}
