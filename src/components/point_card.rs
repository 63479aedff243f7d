//! The pinned card of one statement: its verbatim text, its metadata, its cluster and its five nearest
//! statements in the analysis space.
//!
//! A hover tooltip vanishes when the pointer moves on; a pinned card stays while a facilitator reads it out or
//! follows its neighbours (each one pins its own card and flies the map there). Escape closes it.

use leptos::prelude::*;
use vejkort_render::palette::cluster_colour;

use crate::components::search::typing;
use crate::state::AppState;

const NEIGHBOURS: usize = 5;

/// Pins `point` and flies the map to it.
pub fn pin_and_fly(state: AppState, point: usize) {
    state.pinned.set(Some(point));
    let at = state.analysis.with_untracked(|a| a.as_ref().and_then(|a| a.positions.get(point).copied()));
    if let Some([x, y]) = at {
        state.fly_to.set(Some([x, y, x, y]));
    }
}

#[component]
pub fn PointCard() -> impl IntoView {
    let state = AppState::use_context();
    let heading = NodeRef::<leptos::html::H2>::new();

    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && !typing(&event) && state.pinned.get_untracked().is_some() {
            state.pinned.set(None);
        }
    });
    on_cleanup(move || keys.remove());

    // A pin from the keyboard (the table) moves focus to the card, so a screen reader reads it next.
    Effect::new(move |_| {
        // Tracks the heading too: the effect may run before the new card is in the page.
        if state.pinned.get().is_some() {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        }
    });

    let card = move || {
        let point = state.pinned.get()?;
        state.revision.track();
        let lang = state.lang.get();
        let strings = lang.strings();
        let (text, cluster_id, cluster, metadata) = state.analysis.with(|a| {
            let a = a.as_ref()?;
            let id = *a.assignments.get(point)?;
            let cluster = a.cluster(id).map_or_else(|| strings.noise.to_owned(), |c| lang.cluster_label(c));
            let metadata: Vec<(String, String)> = a
                .columns
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != a.roles.text)
                .map(|(i, name)| (name.clone(), a.rows[point].get(i).cloned().unwrap_or_default()))
                .collect();
            Some((a.text_of(point).unwrap_or_default().to_owned(), id, cluster, metadata))
        })?;
        let neighbours = state
            .curator
            .with_value(|c| c.as_ref().and_then(|c| c.neighbours(point, NEIGHBOURS).ok()))
            .unwrap_or_default();
        let neighbours: Vec<(usize, f32, String)> = state.analysis.with(|a| {
            a.as_ref().map_or_else(Vec::new, |a| {
                neighbours
                    .iter()
                    .map(|n| (n.point, n.similarity, a.text_of(n.point).unwrap_or_default().to_owned()))
                    .collect()
            })
        });
        Some(view! {
            <section class="panel point-card" data-testid="point-card" data-point=point aria-labelledby="point-card-heading">
                <div class="card-head">
                    <h2 id="point-card-heading" tabindex="-1" node_ref=heading>{strings.point_card}</h2>
                    <button class="button icon subtle" data-testid="close-card" aria-label=strings.close on:click=move |_| state.pinned.set(None)>"×"</button>
                </div>
                <blockquote class="card-text" data-testid="point-card-text">{text}</blockquote>
                <p class="card-cluster" data-cluster-id=cluster_id>
                    <span class="swatch" style:background-color=cluster_colour(cluster_id).css()></span>
                    <span>{cluster}</span>
                </p>
                <dl class="card-meta">
                    {metadata.into_iter().map(|(name, value)| view! { <dt>{name}</dt><dd>{value}</dd> }).collect_view()}
                </dl>
                <h3>{strings.neighbours_heading}</h3>
                <ol class="card-neighbours" data-testid="point-neighbours">
                    {neighbours
                        .into_iter()
                        .map(|(point, similarity, text)| view! {
                            <li>
                                <button class="link" data-point=point on:click=move |_| pin_and_fly(state, point)>
                                    {text}
                                </button>
                                <span class="similarity">{lang.similarity(similarity)}</span>
                            </li>
                        })
                        .collect_view()}
                </ol>
            </section>
        })
    };
    view! { {card} }
}
