//! The statement table: every statement as an accessible `<table>` row (statement, cluster, ways, kind and the
//! other columns), sortable by any header, narrowed by the shared search box and the filters, and in step with
//! the map's selection.
//!
//! It is the map's companion for those who read rather than look, and the way to pick statements without a
//! mouse: Space ticks a row into the selection, Enter pins its card. Only a window of rows is in the page (more
//! on request), so a hundred thousand statements do not freeze it.

use std::sync::Arc;

use leptos::prelude::*;
use vejkort_protocol::Analysis;

use crate::components::point_card::pin_and_fly;
use crate::components::search::Reading;
use crate::i18n::Lang;
use crate::state::AppState;

/// Rows in the page at first, and added by each "show more".
const WINDOW: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Input order.
    Row,
    Statement,
    Cluster,
    Ways,
    Kind,
    Column(usize),
}

impl SortKey {
    fn name(self) -> String {
        match self {
            SortKey::Row => "row".into(),
            SortKey::Statement => "statement".into(),
            SortKey::Cluster => "cluster".into(),
            SortKey::Ways => "ways".into(),
            SortKey::Kind => "kind".into(),
            SortKey::Column(c) => format!("column-{c}"),
        }
    }
}

/// The text a point shows under `key`, which is also what it sorts by.
fn cell(analysis: &Analysis, ways: &vejkort_engine::ways::Ways, lang: Lang, key: SortKey, point: usize) -> String {
    match key {
        SortKey::Row => String::new(),
        SortKey::Statement => analysis.text_of(point).unwrap_or_default().to_owned(),
        SortKey::Cluster => {
            let id = analysis.assignments[point];
            analysis.cluster(id).map_or_else(|| lang.strings().noise.to_owned(), |c| lang.cluster_label(c))
        }
        SortKey::Ways => {
            ways.of_cluster(analysis.assignments[point]).map(|w| w.name.as_str()).collect::<Vec<_>>().join(", ")
        }
        SortKey::Kind => analysis.roles.kind.and_then(|k| analysis.rows[point].get(k).cloned()).unwrap_or_default(),
        SortKey::Column(c) => analysis.rows[point].get(c).cloned().unwrap_or_default(),
    }
}

/// Point indices in the order of `key` (case-insensitively; ties and `Row` in input order), reversed when
/// descending.
pub fn sorted(
    analysis: &Analysis,
    ways: &vejkort_engine::ways::Ways,
    lang: Lang,
    key: SortKey,
    ascending: bool,
) -> Vec<usize> {
    let count = analysis.positions.len();
    let mut order: Vec<usize> = (0..count).collect();
    if key != SortKey::Row {
        let keys: Vec<String> = (0..count).map(|i| cell(analysis, ways, lang, key, i).to_lowercase()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
    }
    if !ascending {
        order.reverse();
    }
    order
}

/// Adds `point` to the selection or takes it out, keeping it ascending.
pub fn toggle(selection: &mut Vec<usize>, point: usize) {
    match selection.binary_search(&point) {
        Ok(at) => {
            selection.remove(at);
        }
        Err(at) => selection.insert(at, point),
    }
}

#[component]
pub fn StatementTable() -> impl IntoView {
    let state = AppState::use_context();
    let reading = expect_context::<Reading>();
    let sort = RwSignal::new((SortKey::Row, true));
    let limit = RwSignal::new(WINDOW);
    // A new search or filter starts from the first window again.
    Effect::new(move |_| {
        reading.matches.track();
        reading.passing.track();
        limit.set(WINDOW);
    });

    let order = Memo::new(move |_| {
        let (key, ascending) = sort.get();
        let lang = state.lang.get();
        state.analysis.with(|a| {
            Arc::new(a.as_ref().map_or_else(Vec::new, |a| state.ways.with(|w| sorted(a, w, lang, key, ascending))))
        })
    });
    let shown = Memo::new(move |_| {
        let matches = reading.matches.get();
        let passing = reading.passing.get();
        order.with(|o| o.iter().copied().filter(|&i| Reading::shows(&matches, &passing, i)).collect::<Vec<_>>())
    });

    // Columns besides the ones the table names itself.
    let other_columns = move || {
        state.analysis.with(|a| {
            a.as_ref().map_or_else(Vec::new, |a| {
                a.columns
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| Some(*i) != a.roles.text && Some(*i) != a.roles.kind)
                    .map(|(i, name)| (i, name.clone()))
                    .collect()
            })
        })
    };

    let header = move |key: SortKey, label: String| {
        let aria_sort = move || match sort.get() {
            (k, true) if k == key => "ascending",
            (k, false) if k == key => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" data-sort=key.name() aria-sort=aria_sort>
                <button
                    class="sort-button"
                    on:click=move |_| sort.update(|(k, ascending)| {
                        if *k == key {
                            *ascending = !*ascending;
                        } else {
                            *k = key;
                            *ascending = true;
                        }
                    })
                >
                    {label}
                </button>
            </th>
        }
    };

    let rows = move || {
        let lang = state.lang.get();
        let columns = other_columns();
        let visible: Vec<usize> = shown.with(|s| s.iter().take(limit.get()).copied().collect());
        state.analysis.with(|a| {
            let Some(a) = a.as_ref() else { return Vec::new() };
            state.ways.with(|ways| {
                visible
                    .into_iter()
                    .map(|i| {
                        let selected = move || state.selection.with(|s| s.binary_search(&i).is_ok());
                        let cells = columns
                            .iter()
                            .map(|(c, _)| view! { <td>{a.rows[i].get(*c).cloned().unwrap_or_default()}</td> })
                            .collect_view();
                        view! {
                            <tr
                                data-point=i
                                tabindex="0"
                                aria-selected=move || selected().to_string()
                                class:selected=selected
                                class:pinned=move || state.pinned.get() == Some(i)
                                on:click=move |_| pin_and_fly(state, i)
                                on:keydown=move |event: web_sys::KeyboardEvent| match event.key().as_str() {
                                    "Enter" => {
                                        event.prevent_default();
                                        pin_and_fly(state, i);
                                    }
                                    " " => {
                                        event.prevent_default();
                                        state.selection.update(|s| toggle(s, i));
                                    }
                                    _ => {}
                                }
                            >
                                <td class="select-cell">
                                    <input
                                        type="checkbox"
                                        tabindex="-1"
                                        aria-label=lang.strings().select_row
                                        prop:checked=selected
                                        on:click=move |event| event.stop_propagation()
                                        on:change=move |_| state.selection.update(|s| toggle(s, i))
                                    />
                                </td>
                                <td class="statement-cell">{cell(a, ways, lang, SortKey::Statement, i)}</td>
                                <td data-cluster-id=a.assignments[i]>{cell(a, ways, lang, SortKey::Cluster, i)}</td>
                                <td>{cell(a, ways, lang, SortKey::Ways, i)}</td>
                                <td>{cell(a, ways, lang, SortKey::Kind, i)}</td>
                                {cells}
                            </tr>
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    };

    view! {
        <Show when=move || state.table_open.get() && state.analysis.with(Option::is_some)>
            <section class="table-area" id="statement-table" aria-labelledby="table-heading">
                <h2 id="table-heading" class="visually-hidden">{move || state.lang.get().strings().table_label}</h2>
                <p class="table-count" data-testid="table-count" data-shown=move || shown.with(Vec::len)>
                    {move || state.lang.get().rows_shown(shown.with(Vec::len).min(limit.get()), shown.with(Vec::len))}
                </p>
                <div class="table-scroll">
                    <table data-testid="table" aria-labelledby="table-heading" aria-rowcount=move || shown.with(Vec::len) + 1>
                        <thead>
                            <tr>
                                <th scope="col"><span class="visually-hidden">{move || state.lang.get().strings().selection}</span></th>
                                {move || {
                                    let s = state.lang.get().strings();
                                    let mut heads = vec![
                                        header(SortKey::Statement, s.statement.to_owned()),
                                        header(SortKey::Cluster, s.cluster.to_owned()),
                                        header(SortKey::Ways, s.ways.to_owned()),
                                        header(SortKey::Kind, s.kind_column.to_owned()),
                                    ];
                                    heads.extend(other_columns().into_iter().map(|(c, name)| header(SortKey::Column(c), name)));
                                    heads
                                }}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <Show when=move || { shown.with(Vec::len) > limit.get() }>
                    <button class="button" data-testid="show-more" on:click=move |_| limit.update(|l| *l += WINDOW)>
                        {move || state.lang.get().strings().show_more}
                    </button>
                </Show>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_keeps_the_selection_ascending() {
        let mut selection = vec![2, 5];
        toggle(&mut selection, 3);
        assert_eq!(selection, vec![2, 3, 5]);
        toggle(&mut selection, 2);
        assert_eq!(selection, vec![3, 5]);
    }
}
