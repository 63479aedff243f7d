//! The map's two views: one map, or "corners": one map per kind of statement (causes, solutions, …) side by
//! side, linked by respondent.
//!
//! Workshops ask people for statements of several kinds; the interesting question is often across kinds:
//! which solutions do the people who named this cause propose? Each corner draws the whole layout (same places,
//! same camera fit) with only its kind at full strength, so the corners can be compared at a glance. Pointing at
//! or clicking a statement in one corner *brushes* every statement by the same respondent(s) in all corners.
//!
//! Test hooks: the switch is `[data-testid=view-corners]` (a toggle button, `aria-pressed`); without a kind
//! column it is disabled and `[data-testid=corners-unavailable]` says why. Each corner is a
//! `[data-testid=kind-map]` with `data-kind`, `data-points` (its statements) and `data-brushed`. There is always
//! exactly one `[data-testid=map]`: the single map, or in the corners view the *first* corner's canvas (the
//! others' canvases are `kind-map-canvas`), so tests that hover "the map" work in both views.
//! `[data-testid=brush-note]` (`data-statements`, `data-respondents`) tells what a brush holds;
//! `[data-testid=brush-unavailable]` says why there is no brushing when the data has no respondent column.

use std::collections::BTreeSet;

use leptos::prelude::*;
use vejkort_protocol::Analysis;

use crate::components::map::MapView;
use crate::state::AppState;

/// Above this many statements only a click brushes: each brush redraws every corner's scene, which is quick
/// for a workshop's few hundred statements but would make the pointer lag over a large survey.
const HOVER_BRUSH_LIMIT: usize = 20_000;

/// The kind of statement `point`, as [`Analysis::kind_counts`] names it (an empty cell is "–"); `None` without
/// a kind column.
pub fn statement_kind(analysis: &Analysis, point: usize) -> Option<&str> {
    let column = analysis.roles.kind?;
    let value = analysis.rows.get(point)?.get(column)?.trim();
    Some(if value.is_empty() { "–" } else { value })
}

/// The respondent behind `point`; `None` without a respondent column or when the cell is empty.
fn respondent_of(analysis: &Analysis, point: usize) -> Option<&str> {
    let column = analysis.roles.respondent?;
    let value = analysis.rows.get(point)?.get(column)?.trim();
    (!value.is_empty()).then_some(value)
}

/// Every statement by the respondent behind `point` (just `point` when its respondent is unknown); empty without
/// a respondent column, where brushing has nothing to link by.
pub fn brush_of(analysis: &Analysis, point: usize) -> Vec<usize> {
    if analysis.roles.respondent.is_none() || point >= analysis.rows.len() {
        return Vec::new();
    }
    match respondent_of(analysis, point) {
        Some(who) => (0..analysis.rows.len()).filter(|&i| respondent_of(analysis, i) == Some(who)).collect(),
        None => vec![point],
    }
}

/// How many distinct respondents wrote the `brushed` statements.
fn respondents_in(analysis: &Analysis, brushed: &[usize]) -> usize {
    brushed.iter().filter_map(|&i| respondent_of(analysis, i)).collect::<BTreeSet<_>>().len()
}

#[component]
pub fn MapViews() -> impl IntoView {
    let state = AppState::use_context();
    // Escape clears the brush wherever focus is: a click that pins a brush also pins the statement's card, which
    // takes the focus out of the corners.
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        let brushing = state.brush_pinned.get_untracked() || state.brushed.with_untracked(|b| !b.is_empty());
        if event.key() == "Escape" && brushing && !crate::components::search::typing(&event) {
            state.clear_brush();
        }
    });
    on_cleanup(move || keys.remove());
    let has_map = move || state.analysis.with(Option::is_some);
    let kinds = Memo::new(move |_| state.analysis.with(|a| a.as_ref().map(|a| a.kind_counts()).unwrap_or_default()));
    let has_kinds = move || !kinds.with(Vec::is_empty);
    let has_respondents = move || state.analysis.with(|a| a.as_ref().is_some_and(|a| a.roles.respondent.is_some()));
    let showing_corners = move || state.corners.get() && has_kinds();
    // On narrow screens one corner shows at a time, picked by tabs; `None` is the first.
    let active_tab = RwSignal::new(None::<String>);

    // A hovered statement brushes until one is clicked; then the clicked one stays until Escape.
    Effect::new(move |_| {
        let hovered = state.corner_hover.get();
        let large = state.analysis.with_untracked(|a| a.as_ref().is_some_and(|a| a.rows.len() > HOVER_BRUSH_LIMIT));
        if state.brush_pinned.get_untracked() || large {
            return;
        }
        let brushed = match hovered {
            Some(point) => {
                state.analysis.with_untracked(|a| a.as_ref().map(|a| brush_of(a, point))).unwrap_or_default()
            }
            None => Vec::new(),
        };
        if state.brushed.with_untracked(|b| *b != brushed) {
            state.brushed.set(brushed);
        }
    });
    let pin = move || {
        let Some(point) = state.corner_hover.get_untracked() else { return };
        let brushed = state.analysis.with_untracked(|a| a.as_ref().map(|a| brush_of(a, point))).unwrap_or_default();
        if !brushed.is_empty() {
            state.brush_pinned.set(true);
            state.brushed.set(brushed);
        }
    };

    let note = move || {
        let lang = state.lang.get();
        state.brushed.with(|brushed| {
            if brushed.is_empty() {
                return None;
            }
            let respondents = state.analysis.with(|a| a.as_ref().map_or(0, |a| respondents_in(a, brushed)));
            let statements = brushed.len();
            Some(view! {
                <p class="brush-note" data-testid="brush-note" data-statements=statements data-respondents=respondents>
                    <span>{lang.brush_note(statements, respondents)}</span>
                    <button class="button small" data-testid="clear-brush" on:click=move |_| state.clear_brush()>
                        {lang.strings().clear_brush}
                    </button>
                </p>
            })
        })
    };

    let corner = move |index: usize, kind: String, count: usize| {
        let kind_for_brush = kind.clone();
        let brushed_here = move || {
            state.brushed.with(|brushed| {
                state.analysis.with(|a| {
                    a.as_ref().map_or(0, |a| {
                        brushed.iter().filter(|&&i| statement_kind(a, i) == Some(kind_for_brush.as_str())).count()
                    })
                })
            })
        };
        let kind_for_tab = kind.clone();
        let hidden_as_tab = move || active_tab.with(|t| t.as_ref().map_or(index != 0, |t| *t != kind_for_tab));
        let kind_for_title = kind.clone();
        let title = move || state.lang.get().corner_title(&kind_for_title, count);
        let kind_for_label = kind.clone();
        let kind_for_map = kind.clone();
        view! {
            <section
                class="corner"
                class:tab-hidden=hidden_as_tab
                data-testid="kind-map"
                data-kind=kind
                data-points=count
                data-brushed=brushed_here
                aria-label=move || format!("{} {}", state.lang.get().strings().corner_label, kind_for_label)
                on:click=move |_| pin()
            >
                <h3 class="corner-title">{title}</h3>
                <MapView kind=kind_for_map first=index == 0/>
            </section>
        }
    };

    let tabs = move || {
        kinds
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, (kind, count))| {
                let kind_for_select = kind.clone();
                let kind_for_state = kind.clone();
                let selected = move || active_tab.with(|t| t.as_ref().map_or(index == 0, |t| *t == kind_for_state));
                view! {
                    <button
                        class="corner-tab"
                        role="tab"
                        data-testid="kind-tab"
                        aria-selected=move || selected().to_string()
                        on:click=move |_| active_tab.set(Some(kind_for_select.clone()))
                    >
                        {format!("{kind} ({count})")}
                    </button>
                }
            })
            .collect_view()
    };

    view! {
        <div class="map-views">
            <Show when=has_map>
                <div class="view-bar" role="group" aria-label=move || state.lang.get().strings().view_choice>
                    <button
                        class="button small"
                        data-testid="view-single"
                        aria-pressed=move || (!showing_corners()).to_string()
                        on:click=move |_| state.corners.set(false)
                    >
                        {move || state.lang.get().strings().view_one_map}
                    </button>
                    <button
                        class="button small"
                        data-testid="view-corners"
                        aria-pressed=move || showing_corners().to_string()
                        disabled=move || !has_kinds()
                        title=move || (!has_kinds()).then(|| state.lang.get().strings().corners_need_kind)
                        on:click=move |_| {
                            state.clear_brush();
                            state.corners.update(|on| *on = !*on);
                        }
                    >
                        {move || state.lang.get().strings().view_corners}
                    </button>
                    <Show when=move || !has_kinds()>
                        <span class="view-note" data-testid="corners-unavailable">
                            {move || state.lang.get().strings().corners_need_kind}
                        </span>
                    </Show>
                </div>
            </Show>
            <Show when=showing_corners fallback=|| view! { <MapView/> }>
                <div
                    class="corners"
                    data-testid="corners"
                    on:keydown=move |event: web_sys::KeyboardEvent| {
                        if event.key() == "Escape" {
                            state.clear_brush();
                        }
                    }
                >
                    <div class="corner-info">
                        <Show
                            when=has_respondents
                            fallback=move || view! {
                                <p class="view-note" data-testid="brush-unavailable">
                                    {move || state.lang.get().strings().corners_no_respondent}
                                </p>
                            }
                        >
                            <p class="view-note">{move || state.lang.get().strings().corners_help}</p>
                        </Show>
                        // The note's room is kept when it is empty, so the maps do not jump under the pointer.
                        <div class="brush-slot">{note}</div>
                    </div>
                    <div class="corner-tabs" role="tablist">{tabs}</div>
                    <div class="corner-grid">
                        {move || {
                            kinds
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(index, (kind, count))| corner(index, kind, count))
                                .collect_view()
                        }}
                    </div>
                </div>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejkort_engine::ColumnRoles;

    fn analysis(respondent: bool) -> Analysis {
        let data = vejkort_engine::Dataset {
            columns: vec!["who".into(), "type".into(), "tekst".into()],
            rows: [
                ["R1", "årsag", "ældre pleje"],
                ["R1", "løsning", "ældre hjem"],
                ["R2", "årsag", "skole lærer"],
                ["", "", "skole klasse"],
            ]
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect(),
            ..Default::default()
        };
        let mut analysis = vejkort_engine::pipeline::analyze_dataset(
            data,
            &vejkort_protocol::AnalysisOptions::default(),
            &mut vejkort_engine::progress::Silent,
        )
        .expect("a tiny analysis");
        analysis.roles = ColumnRoles { text: Some(2), kind: Some(1), respondent: respondent.then_some(0), group: None };
        analysis
    }

    #[test]
    fn kinds_match_the_counts_and_empty_cells_are_a_dash() {
        let a = analysis(true);
        let kinds: Vec<&str> = (0..4).filter_map(|i| statement_kind(&a, i)).collect();
        assert_eq!(kinds, ["årsag", "løsning", "årsag", "–"]);
        for (kind, count) in a.kind_counts() {
            assert_eq!((0..4).filter(|&i| statement_kind(&a, i) == Some(kind.as_str())).count(), count);
        }
    }

    #[test]
    fn a_brush_holds_every_statement_of_the_respondent() {
        let a = analysis(true);
        assert_eq!(brush_of(&a, 0), [0, 1]);
        assert_eq!(respondents_in(&a, &brush_of(&a, 1)), 1);
        // An unknown respondent links nothing else.
        assert_eq!(brush_of(&a, 3), [3]);
        assert_eq!(respondents_in(&a, &[3]), 0);
        assert!(brush_of(&a, 99).is_empty());
        assert!(brush_of(&analysis(false), 0).is_empty());
    }
}
