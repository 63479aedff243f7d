//! Filters: narrow what stands out on the map by kind, by group or by any other column's values.
//!
//! Filtered-out points are dimmed, never hidden: the shape of the whole map stays readable while a workshop
//! looks at, say, only the solutions from one municipality. A filter is kept as the values it leaves out, so a
//! column nobody touched filters nothing and a new value can never be silently dropped.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use leptos::prelude::*;
use vejkort_protocol::Analysis;

use crate::state::AppState;

/// At most this many values of one column get a checkbox; the most frequent first.
const MAX_VALUES: usize = 60;

/// The values left out, per column index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub excluded: BTreeMap<usize, BTreeSet<String>>,
}

impl Filters {
    pub fn is_active(&self) -> bool {
        self.excluded.values().any(|values| !values.is_empty())
    }

    /// Whether a row (its cells in column order) passes every filter.
    pub fn passes(&self, row: &[String]) -> bool {
        self.excluded.iter().all(|(&column, values)| row.get(column).is_none_or(|value| !values.contains(value)))
    }

    pub fn is_excluded(&self, column: usize, value: &str) -> bool {
        self.excluded.get(&column).is_some_and(|values| values.contains(value))
    }

    /// Leaves `value` of `column` out (or, with `keep`, back in).
    pub fn set(&mut self, column: usize, value: &str, keep: bool) {
        let values = self.excluded.entry(column).or_default();
        if keep {
            values.remove(value);
        } else {
            values.insert(value.to_owned());
        }
        if values.is_empty() {
            self.excluded.remove(&column);
        }
    }

    /// Which points pass; `None` when no filter is set, so the map draws as if there were none.
    pub fn mask(&self, analysis: &Analysis) -> Option<Vec<bool>> {
        self.is_active().then(|| analysis.rows.iter().map(|row| self.passes(row)).collect())
    }
}

/// The distinct values of a column with their counts, most frequent first (ties alphabetically).
pub fn column_values(analysis: &Analysis, column: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for row in &analysis.rows {
        if let Some(value) = row.get(column) {
            *counts.entry(value.as_str()).or_default() += 1;
        }
    }
    let mut values: Vec<(String, usize)> = counts.into_iter().map(|(v, n)| (v.to_owned(), n)).collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values
}

/// One column's values as checkboxes (ticked = shown undimmed).
#[component]
fn ValueChecks(column: usize, title: String) -> impl IntoView {
    let state = AppState::use_context();
    let values =
        Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| column_values(a, column)).unwrap_or_default()));
    let total = move || values.with(Vec::len);
    view! {
        <fieldset class="filter-values" data-column=column>
            <legend>{title}</legend>
            <Show when=move || { total() > MAX_VALUES }>
                <p class="filter-note">{move || state.lang.get().values_capped(MAX_VALUES, total())}</p>
            </Show>
            {move || {
                values
                    .get()
                    .into_iter()
                    .take(MAX_VALUES)
                    .map(|(value, count)| {
                        let shown = if value.is_empty() { "—".to_owned() } else { value.clone() };
                        let checked_value = value.clone();
                        view! {
                            <label class="filter-value">
                                <input
                                    type="checkbox"
                                    data-value=value.clone()
                                    prop:checked=move || !state.filters.with(|f| f.is_excluded(column, &checked_value))
                                    on:change=move |event| {
                                        let keep = event_target_checked(&event);
                                        state.filters.update(|f| f.set(column, &value, keep));
                                    }
                                />
                                <span>{shown}</span>
                                <span class="filter-count">{count}</span>
                            </label>
                        }
                    })
                    .collect_view()
            }}
        </fieldset>
    }
}

#[component]
pub fn FilterPanel() -> impl IntoView {
    let state = AppState::use_context();
    // The column chosen for a metadata filter, besides kind and group.
    let chosen = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        state.analysis.track();
        if chosen
            .get_untracked()
            .is_some_and(|c| state.analysis.with_untracked(|a| a.as_ref().is_none_or(|a| c >= a.columns.len())))
        {
            chosen.set(None);
        }
    });
    let roles = move || state.analysis.with(|a| a.as_ref().map(|a| (a.roles.kind, a.roles.group, a.roles.text)));
    let columns = move || state.analysis.with(|a| a.as_ref().map(|a| a.columns.clone()).unwrap_or_default());
    let column_name = move |c: usize| columns().get(c).cloned().unwrap_or_default();

    view! {
        <Show when=move || state.analysis.with(Option::is_some)>
            <section class="panel filters" data-testid="filters" data-active=move || state.filters.with(Filters::is_active).to_string() aria-labelledby="filters-heading">
                <h2 id="filters-heading">{move || state.lang.get().strings().filters}</h2>
                <p class="filter-note">{move || state.lang.get().strings().filter_help}</p>
                {move || {
                    let (kind, group, _) = roles()?;
                    let strings = state.lang.get().strings();
                    Some(view! {
                        {kind.map(|c| view! { <ValueChecks column=c title=format!("{} ({})", strings.kind_column, column_name(c))/> })}
                        {group.filter(|&g| Some(g) != kind).map(|c| view! { <ValueChecks column=c title=format!("{} ({})", strings.group_column, column_name(c))/> })}
                    })
                }}
                <label class="field">
                    <span>{move || state.lang.get().strings().filter_column}</span>
                    <select
                        data-testid="filter-column"
                        on:change=move |event| chosen.set(event_target_value(&event).parse::<usize>().ok())
                        prop:value=move || chosen.get().map_or(String::new(), |c| c.to_string())
                    >
                        <option value="">{move || state.lang.get().strings().none}</option>
                        {move || {
                            let (kind, group, text) = roles().unwrap_or_default();
                            columns()
                                .into_iter()
                                .enumerate()
                                .filter(|(i, _)| ![kind, group, text].contains(&Some(*i)))
                                .map(|(i, name)| view! { <option value=i.to_string()>{name}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                {move || chosen.get().map(|c| view! { <ValueChecks column=c title=column_name(c)/> })}
                <button
                    class="button subtle"
                    data-testid="filter-reset"
                    disabled=move || !state.filters.with(Filters::is_active)
                    on:click=move |_| state.filters.set(Filters::default())
                >
                    {move || state.lang.get().strings().filter_reset}
                </button>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_leave_out_only_the_values_unticked() {
        let mut filters = Filters::default();
        let row = |kind: &str, town: &str| vec!["text".to_owned(), kind.to_owned(), town.to_owned()];
        assert!(!filters.is_active());
        assert!(filters.passes(&row("årsag", "Aarhus")));
        filters.set(1, "årsag", false);
        assert!(filters.is_active());
        assert!(!filters.passes(&row("årsag", "Aarhus")));
        assert!(filters.passes(&row("løsning", "Aarhus")));
        filters.set(2, "Aarhus", false);
        assert!(!filters.passes(&row("løsning", "Aarhus")));
        filters.set(1, "årsag", true);
        filters.set(2, "Aarhus", true);
        assert!(!filters.is_active());
        assert_eq!(filters, Filters::default());
        // A row too short for a filtered column is not left out by it.
        filters.set(7, "x", false);
        assert!(filters.passes(&row("a", "b")));
    }
}
