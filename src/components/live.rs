//! Live statements: during a workshop the facilitator types or pastes new statements and sees each land on the
//! map as it stands, in the cluster it belongs to, without the map rearranging under the room's eyes.
//!
//! The worker embeds and places them (`Request::Place`, carrying the map's placer, space, positions and curated
//! clusters, since the worker keeps nothing between jobs). The answer becomes rows of the data: the statements
//! are in cluster cards, search, the table, the CSV export and the project file. Adding them is undone with its
//! own button (the change log's undo covers edits of clusters and ways; a batch of statements is removed as a
//! whole, and only while no edit was made after it, so no logged edit ever refers to a statement that is gone).
//! "Re-run layout" analyses everything again, new statements included, with the animated layout.

use std::sync::Arc;

use leptos::prelude::*;
use vejkort_engine::curation::{Corpus, Curator, History};
use vejkort_engine::live::{reconcile, table_csv, PlaceError, Placed};
use vejkort_protocol::{InputFile, JobId, PlaceContext, Request};
use vejkort_render::Scene;
use wasm_bindgen::JsCast;

use crate::state::{AppState, Inputs};

/// Neighbours an orphaned statement asks for its cluster, as UMAP's graph does by default.
const ORPHAN_NEIGHBOURS: usize = 15;
/// New statements are drawn this much larger, and on top, until the map is re-run.
const NEW_SCALE: f32 = 2.0;

/// One statement placed into the current map.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveStatement {
    /// Its point on the map.
    pub point: usize,
    pub text: String,
    pub kind: Option<String>,
    /// The cluster it was placed in (curation may move it later).
    pub cluster: i32,
    /// From sending the request to having the answer, on the UI thread (`performance.now()`).
    pub place_ms: f64,
    /// The worker's share: embedding and placing.
    pub worker_ms: f64,
    pub known_words: Option<usize>,
}

/// A Place request on its way.
#[derive(Debug, Clone)]
struct Pending {
    job: JobId,
    items: Vec<(String, Option<String>)>,
    sent_ms: f64,
    /// The map it was asked against: an answer for another map is dropped.
    points: usize,
}

/// A batch as it was added: the point count before it and the history then.
#[derive(Debug, Clone)]
struct Batch {
    before: usize,
    history: History,
}

/// Why live statements could not be placed.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveError {
    Place(PlaceError),
    /// The map has no text column to put new statements in.
    NoText,
    /// Removing a batch would orphan later edits.
    EditsSince,
}

/// The live statements' state, one per app.
#[derive(Clone, Copy)]
pub struct LiveStatements {
    pub placed: RwSignal<Vec<LiveStatement>>,
    pub draft: RwSignal<String>,
    pub error: RwSignal<Option<LiveError>>,
    pending: StoredValue<Option<Pending>>,
    pub busy: RwSignal<bool>,
    batches: StoredValue<Vec<Batch>, LocalStorage>,
}

impl Default for LiveStatements {
    fn default() -> Self {
        LiveStatements {
            placed: RwSignal::new(Vec::new()),
            draft: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            pending: StoredValue::new(None),
            busy: RwSignal::new(false),
            batches: StoredValue::new_local(Vec::new()),
        }
    }
}

impl LiveStatements {
    /// A new map: its points are other statements, so the list of new ones starts empty.
    pub fn clear(&self) {
        self.placed.set(Vec::new());
        self.batches.set_value(Vec::new());
        self.forget_pending();
        self.error.set(None);
    }

    /// The worker that would answer is gone (it crashed or was restarted).
    pub fn forget_pending(&self) {
        self.pending.set_value(None);
        self.busy.set(false);
    }
}

/// `performance.now()` of the page: sub-millisecond where `Date.now()` is not.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"performance".into()).ok())
        .and_then(|performance| {
            let now: js_sys::Function = js_sys::Reflect::get(&performance, &"now".into()).ok()?.dyn_into().ok()?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// One statement per line; a line may start with one of the map's kinds and a colon (`løsning: …`). Only the
/// map's own kinds count, so a statement that happens to contain a colon stays whole.
pub fn parse_lines(text: &str, kinds: &[String], default_kind: Option<&str>) -> Vec<(String, Option<String>)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            if let Some((prefix, rest)) = line.split_once(':') {
                let prefix = prefix.trim();
                if let Some(kind) = kinds.iter().find(|kind| kind.to_lowercase() == prefix.to_lowercase()) {
                    if !rest.trim().is_empty() {
                        return (rest.trim().to_owned(), Some(kind.clone()));
                    }
                }
            }
            (line.to_owned(), default_kind.filter(|k| !k.is_empty()).map(str::to_owned))
        })
        .collect()
}

/// Sends the draft's statements to the worker to be placed.
pub fn place(state: AppState) {
    let live = state.live_statements;
    if live.busy.get_untracked() || state.running_job().is_some() {
        return;
    }
    let Some(machine) = state.machine.get_value() else { return };
    let kinds: Vec<String> = machine.kind_counts().into_iter().map(|(kind, _)| kind).filter(|k| k != "–").collect();
    let items = parse_lines(&live.draft.get_untracked(), &kinds, None);
    if items.is_empty() {
        return;
    }
    if machine.roles.text.is_none() {
        live.error.set(Some(LiveError::NoText));
        return;
    }
    let Some(placer) = machine.placer.clone() else {
        live.error.set(Some(LiveError::Place(PlaceError::NoPlacer)));
        return;
    };
    let assignments = state.curator.with_value(|c| c.as_ref().map(|c| c.state().assignments.clone()));
    let Some(assignments) = assignments else { return };
    let context =
        PlaceContext { placer, space: machine.space.clone(), positions: machine.positions.clone(), assignments };
    let Some(job) = state.worker.with_value(|w| w.as_ref().map(|w| w.next_job())) else { return };
    let texts = items.iter().map(|(text, _)| text.clone()).collect();
    live.error.set(None);
    live.busy.set(true);
    live.pending.set_value(Some(Pending { job, items, sent_ms: now_ms(), points: machine.positions.len() }));
    let request = Request::Place { job, texts, context: Box::new(context) };
    state.worker.with_value(|w| {
        if let Some(w) = w {
            w.send(&request);
        }
    });
}

/// The worker's answer: the statements join the map.
pub fn on_placed(state: AppState, job: JobId, placed: Vec<Placed>, worker_ms: f64) {
    let live = state.live_statements;
    let Some(pending) = live.pending.get_value().filter(|p| p.job == job) else { return };
    let place_ms = now_ms() - pending.sent_ms;
    live.forget_pending();
    let Some(machine) = state.machine.get_value() else { return };
    if machine.positions.len() != pending.points || placed.len() != pending.items.len() {
        return; // the map changed while the statements were on their way
    }
    let Some(text_column) = machine.roles.text else { return };
    let mut grown = (*machine).clone();
    let before = grown.positions.len();
    for ((text, kind), statement) in pending.items.iter().zip(&placed) {
        let mut row = vec![String::new(); grown.columns.len()];
        row[text_column] = text.clone();
        if let (Some(column), Some(kind)) = (grown.roles.kind, kind) {
            row[column] = kind.clone();
        }
        grown.rows.push(row);
        grown.positions.push(statement.position);
        grown.assignments.push(statement.cluster);
        grown.membership.push(1.0);
        grown.space.values.extend_from_slice(&statement.space);
    }
    // The clustering space belongs to the analysis's own points; nothing in the UI reads it.
    grown.cluster_space = None;
    let seed = state.shown.with_untracked(|shown| shown.options.seed);
    let history = state.curator.try_update_value(|curator| {
        let current = curator.take()?;
        let (_, mut curation, history) = current.into_parts();
        curation.assignments.extend(placed.iter().map(|statement| statement.cluster));
        reconcile(&mut curation, &grown.positions, &grown.space, ORPHAN_NEIGHBOURS);
        let corpus = Corpus::new(&grown.rows, &grown.roles, grown.positions.clone(), grown.space.clone(), seed);
        *curator = Some(Curator::from_parts(corpus, curation, history.clone()));
        Some(history)
    });
    let Some(Some(history)) = history else { return };
    live.batches.update_value(|batches| batches.push(Batch { before, history }));
    let share = worker_ms / placed.len().max(1) as f64;
    let per_statement = place_ms / placed.len().max(1) as f64;
    live.placed.update(|list| {
        for (i, ((text, kind), statement)) in pending.items.into_iter().zip(&placed).enumerate() {
            list.push(LiveStatement {
                point: before + i,
                text,
                kind,
                cluster: statement.cluster,
                place_ms: per_statement,
                worker_ms: share,
                known_words: statement.known_words,
            });
        }
    });
    live.draft.set(String::new());
    state.machine.set_value(Some(Arc::new(grown)));
    state.show_curation();
}

/// The worker could not place them.
pub fn on_place_failed(state: AppState, job: JobId, error: PlaceError) {
    let live = state.live_statements;
    if live.pending.with_value(|p| p.as_ref().is_some_and(|p| p.job == job)) {
        live.forget_pending();
        live.error.set(Some(LiveError::Place(error)));
    }
}

/// Takes the last batch of statements off the map again.
pub fn remove_last(state: AppState) {
    let live = state.live_statements;
    let Some(batch) = live.batches.with_value(|b| b.last().cloned()) else { return };
    let unchanged = state.curator.with_value(|c| c.as_ref().is_some_and(|c| *c.history() == batch.history));
    if !unchanged {
        live.error.set(Some(LiveError::EditsSince));
        return;
    }
    let Some(machine) = state.machine.get_value() else { return };
    let mut shrunk = (*machine).clone();
    let keep = batch.before;
    shrunk.rows.truncate(keep);
    shrunk.positions.truncate(keep);
    shrunk.assignments.truncate(keep);
    shrunk.membership.truncate(keep);
    shrunk.space.values.truncate(keep * shrunk.space.dim);
    let seed = state.shown.with_untracked(|shown| shown.options.seed);
    state.curator.update_value(|curator| {
        if let Some(current) = curator.take() {
            let (_, mut curation, history) = current.into_parts();
            curation.assignments.truncate(keep);
            reconcile(&mut curation, &shrunk.positions, &shrunk.space, ORPHAN_NEIGHBOURS);
            let corpus = Corpus::new(&shrunk.rows, &shrunk.roles, shrunk.positions.clone(), shrunk.space.clone(), seed);
            *curator = Some(Curator::from_parts(corpus, curation, history));
        }
    });
    live.batches.update_value(|b| {
        b.pop();
    });
    live.placed.update(|list| list.retain(|statement| statement.point < keep));
    live.error.set(None);
    state.selection.update(|s| s.retain(|&i| i < keep));
    if state.pinned.get_untracked().is_some_and(|p| p >= keep) {
        state.pinned.set(None);
    }
    state.machine.set_value(Some(Arc::new(shrunk)));
    state.show_curation();
}

/// After undo or redo: an undone edit restores clusters as they were before live statements joined them, so
/// sizes (and clusters that an undone split made) are brought in line with the statements.
pub fn reconcile_after_history(state: AppState) {
    if state.live_statements.placed.with_untracked(Vec::is_empty) {
        return;
    }
    let Some(machine) = state.machine.get_value() else { return };
    state.curator.update_value(|curator| {
        if let Some(current) = curator.take() {
            let (corpus, mut curation, history) = current.into_parts();
            reconcile(&mut curation, &machine.positions, &machine.space, ORPHAN_NEIGHBOURS);
            *curator = Some(Curator::from_parts(corpus, curation, history));
        }
    });
}

/// Analyses every statement on the map again, the new ones included, as a table of the map's rows; the layout
/// animates as any job's does.
pub fn rerun_layout(state: AppState) {
    let Some(machine) = state.machine.get_value() else { return };
    if machine.placer.is_none() && state.live_statements.placed.with_untracked(Vec::is_empty) {
        // A map of the data's own vectors: those vectors are in the files, not in the rows.
        crate::actions::rerun(state, |_| {});
        return;
    }
    let mut options = state.shown.with_untracked(|shown| shown.options.clone());
    let name = |column: Option<usize>| match column {
        Some(column) => vejkort_engine::dataset::ColumnPick::Named(machine.columns[column].clone()),
        None => vejkort_engine::dataset::ColumnPick::Nothing,
    };
    options.columns.text = name(machine.roles.text);
    options.columns.kind = name(machine.roles.kind);
    options.columns.respondent = name(machine.roles.respondent);
    options.columns.group = name(machine.roles.group);
    options.read = Default::default();
    let file = InputFile { name: "vejkort-live.csv".into(), bytes: table_csv(&machine.columns, &machine.rows) };
    crate::actions::start_job(state, Inputs { files: Arc::new(vec![file]), options });
}

/// New statements stand out on the map: larger and drawn on top.
pub fn mark_new(scene: &mut Scene, state: AppState) {
    let count = scene.positions.len();
    state.live_statements.placed.with(|placed| {
        if placed.is_empty() {
            return;
        }
        let mut scales = std::mem::take(&mut scene.point_scales);
        scales.resize(count, 1.0);
        for statement in placed.iter().filter(|s| s.point < count) {
            scales[statement.point] = scales[statement.point].max(NEW_SCALE);
            scene.highlighted.push(statement.point as u32);
        }
        scene.point_scales = scales;
    });
}

#[component]
pub fn LivePanel() -> impl IntoView {
    let state = AppState::use_context();
    let live = state.live_statements;
    let strings = move || state.lang.get().strings();
    let error_text = move || {
        let s = strings();
        live.error.get().map(|error| match error {
            LiveError::Place(PlaceError::NoPlacer) => s.live_no_placer.to_owned(),
            LiveError::Place(PlaceError::NoModel) => s.live_no_model.to_owned(),
            LiveError::Place(other) => format!("{}: {other}", s.live_failed),
            LiveError::NoText => s.live_no_text.to_owned(),
            LiveError::EditsSince => s.live_edits_since.to_owned(),
        })
    };
    let cluster_name = move |id: i32| {
        state.analysis.with(|a| {
            a.as_ref().and_then(|a| a.cluster(id)).map_or_else(
                || strings().noise.to_owned(),
                |c| if c.label.is_empty() { format!("#{id}") } else { c.label.clone() },
            )
        })
    };
    let can_remove = move || {
        state.revision.track();
        !live.placed.with(Vec::is_empty) && !live.busy.get()
    };
    view! {
        <Show when=move || state.analysis.with(Option::is_some)>
            <section class="panel live" aria-labelledby="live-heading" data-testid="live">
                <h2 id="live-heading">{move || strings().live_heading}</h2>
                <label class="live-input-label" for="live-input">{move || strings().live_input_label}</label>
                <textarea
                    id="live-input"
                    class="live-input"
                    data-testid="live-input"
                    rows="3"
                    prop:value=move || live.draft.get()
                    on:input=move |event| live.draft.set(event_target_value(&event))
                    on:keydown=move |event: web_sys::KeyboardEvent| {
                        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
                            event.prevent_default();
                            place(state);
                        }
                    }
                    aria-keyshortcuts="Control+Enter Meta+Enter"
                ></textarea>
                <p class="hint">{move || strings().live_help}</p>
                <div class="live-buttons">
                    <button
                        class="button primary"
                        data-testid="live-place"
                        disabled=move || live.busy.get() || state.job.with(Option::is_some) || live.draft.with(|d| d.trim().is_empty())
                        on:click=move |_| place(state)
                    >
                        {move || if live.busy.get() { strings().live_placing } else { strings().live_place }}
                    </button>
                    <button
                        class="button"
                        data-testid="live-remove"
                        disabled=move || !can_remove()
                        on:click=move |_| remove_last(state)
                    >
                        {move || strings().live_remove}
                    </button>
                    <button
                        class="button"
                        data-testid="rerun-layout"
                        disabled=move || state.job.with(Option::is_some) || live.busy.get()
                        title=move || strings().rerun_layout_help
                        on:click=move |_| rerun_layout(state)
                    >
                        {move || strings().rerun_layout}
                    </button>
                </div>
                <p class="live-error" role="alert" data-testid="live-error" hidden=move || error_text().is_none()>
                    {error_text}
                </p>
                <ol class="live-list" data-testid="live-list" aria-live="polite">
                    {move || {
                        live.placed
                            .get()
                            .into_iter()
                            .rev()
                            .map(|statement| {
                                let blind = statement.known_words == Some(0);
                                view! {
                                    <li
                                        data-testid="live-new"
                                        data-point=statement.point
                                        data-cluster-id=statement.cluster
                                        data-place-ms=format!("{:.2}", statement.place_ms)
                                        data-worker-ms=format!("{:.2}", statement.worker_ms)
                                    >
                                        <button
                                            class="link live-text"
                                            title=move || strings().live_show
                                            on:click=move |_| {
                                                state.pinned.set(Some(statement.point));
                                                state.highlighted.set((statement.cluster >= 0).then_some(statement.cluster));
                                            }
                                        >
                                            {statement.kind.clone().map(|kind| format!("{kind}: ")).unwrap_or_default()}
                                            {statement.text.clone()}
                                        </button>
                                        <span class="live-cluster">"→ " {move || cluster_name(statement.cluster)}</span>
                                        <span class="live-ms">{format!(" · {:.0} ms", statement.place_ms)}</span>
                                        {blind.then(|| view! { <span class="live-blind">{move || strings().live_unknown_words}</span> })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_statements_with_known_kinds_only() {
        let kinds = vec!["årsag".to_owned(), "løsning".to_owned()];
        let parsed = parse_lines(
            "  løsning: Flere hænder i plejen \n\nProblem: for få hænder\nÅRSAG: for få hænder\nårsag:   \n",
            &kinds,
            None,
        );
        assert_eq!(
            parsed,
            [
                ("Flere hænder i plejen".to_owned(), Some("løsning".to_owned())),
                // "Problem" is not a kind of this map: the colon is part of the statement.
                ("Problem: for få hænder".to_owned(), None),
                ("for få hænder".to_owned(), Some("årsag".to_owned())),
                // A kind with nothing after it is a statement of its own, not an empty one.
                ("årsag:".to_owned(), None),
            ]
        );
        assert_eq!(parse_lines("en linje", &kinds, Some("årsag")), [("en linje".to_owned(), Some("årsag".to_owned()))]);
    }
}
