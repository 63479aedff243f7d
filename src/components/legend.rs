//! The legend: one entry per cluster with its colour, label and size, where the user highlights a cluster,
//! ticks the ways it belongs to, and curates the machine's proposal: renames clusters, merges, splits and
//! gives labels back to the machine. Every label says who made it, so a reader knows which names a person
//! chose and which are word counts.

use leptos::prelude::*;
use vejkort_engine::curation::{Edit, Provenance};
use vejkort_engine::pipeline::ClusterSummary;
use vejkort_render::palette::cluster_colour;

use crate::state::AppState;

/// Who named a cluster, as the curator knows it now; noise and clusters it does not know count as the machine's.
fn provenance(state: AppState, id: i32) -> Provenance {
    state.revision.track();
    state
        .curator
        .with_value(|c| c.as_ref().and_then(|c| c.state().cluster(id)).map(|c| c.provenance))
        .unwrap_or_default()
}

fn provenance_name(provenance: Provenance) -> &'static str {
    match provenance {
        Provenance::Machine => "machine",
        Provenance::Person => "person",
    }
}

#[component]
pub fn ClusterLegend() -> impl IntoView {
    let state = AppState::use_context();
    // HDBSCAN's outliers get an entry of their own at the end, so the sizes add up to every point on the map.
    let clusters = move || {
        state.analysis.with(|a| {
            let Some(a) = a.as_ref() else { return Vec::new() };
            let mut clusters = a.clusters.clone();
            let noise = a.noise();
            if noise > 0 {
                clusters.push(ClusterSummary {
                    id: -1,
                    size: noise,
                    label: String::new(),
                    terms: Vec::new(),
                    centre: [0.0; 2],
                });
            }
            clusters
        })
    };
    let ways = move || {
        state.ways.with(|w| w.ways.iter().map(|w| (w.id, w.name.clone(), w.colour.clone())).collect::<Vec<_>>())
    };
    // Ticked clusters, for merging; ids a merge or split retired drop out as the map changes.
    let ticked = RwSignal::new(Vec::<i32>::new());
    let selected = move || {
        let ticked = ticked.get();
        state.analysis.with(|a| {
            a.as_ref().map_or_else(Vec::new, |a| ticked.into_iter().filter(|id| a.cluster(*id).is_some()).collect())
        })
    };
    // The one cluster split and reset act on: the single ticked one, else the highlighted one.
    let target = move || {
        let selected = selected();
        match selected.as_slice() {
            [one] => Some(*one),
            [] => state
                .highlighted
                .get()
                .filter(|id| *id >= 0 && state.analysis.with(|a| a.as_ref().is_some_and(|a| a.cluster(*id).is_some()))),
            _ => None,
        }
    };
    let renaming = RwSignal::new(None::<i32>);

    let merge = move |_| {
        let clusters = selected();
        if state.edit(Edit::MergeClusters { clusters }).is_ok() {
            ticked.set(Vec::new());
        }
    };
    let split = move |_| {
        if let Some(cluster) = target() {
            if state.edit(Edit::SplitCluster { cluster, parts: 2 }).is_ok() {
                ticked.set(Vec::new());
            }
        }
    };
    let reset = move |_| {
        if let Some(cluster) = target() {
            let _ = state.edit(Edit::ResetClusterLabel { cluster });
        }
    };

    view! {
        <section class="panel legend" aria-labelledby="legend-heading">
            <div class="legend-head">
                <h2 id="legend-heading">{move || state.lang.get().strings().clusters}</h2>
                // Which way each column of tick boxes stands for; the boxes carry the same names for screen readers.
                <span class="way-ticks" aria-hidden="true">
                    {move || {
                        ways()
                            .into_iter()
                            .map(|(_, name, colour)| view! { <span class="swatch way-key" title=name style:background-color=colour></span> })
                            .collect_view()
                    }}
                </span>
            </div>
            <Show when=move || state.edit_error.with(Option::is_some)>
                <div class="edit-error" role="alert" data-testid="edit-error">
                    <strong>{move || state.lang.get().strings().edit_refused}": "</strong>
                    <span>
                        {move || {
                            let lang = state.lang.get();
                            state.edit_error.with(|e| e.as_ref().map(|e| lang.edit_error(e)).unwrap_or_default())
                        }}
                    </span>
                    <button class="button subtle" on:click=move |_| state.edit_error.set(None)>
                        {move || state.lang.get().strings().dismiss}
                    </button>
                </div>
            </Show>
            <ul class="cluster-list" data-testid="cluster-list">
                <For each=clusters key=|c| (c.id, c.label.clone(), c.size) let:cluster>
                    {
                        let id = cluster.id;
                        let summary = cluster.clone();
                        let label = move || state.lang.get().cluster_label(&summary);
                        let size_text = move || state.lang.get().cluster_size(cluster.size);
                        let is_ticked = move || ticked.with(|t| t.contains(&id));
                        view! {
                            <li
                                data-cluster-id=id
                                data-size=cluster.size
                                data-provenance=move || provenance_name(provenance(state, id))
                                class:highlighted=move || state.highlighted.get() == Some(id)
                                class:selected=is_ticked
                            >
                                {(id >= 0).then(|| {
                                    let label = label.clone();
                                    view! {
                                        <input
                                            type="checkbox"
                                            class="select-cluster"
                                            data-testid="select-cluster"
                                            aria-label=move || format!("{}: {}", state.lang.get().strings().select_cluster, label())
                                            prop:checked=is_ticked
                                            on:change=move |event| {
                                                let on = event_target_checked(&event);
                                                ticked.update(|t| {
                                                    t.retain(|x| *x != id);
                                                    if on {
                                                        t.push(id);
                                                    }
                                                });
                                            }
                                        />
                                    }
                                })}
                                <Show
                                    when=move || renaming.get() == Some(id)
                                    fallback={
                                        let label = label.clone();
                                        move || {
                                            let label = label.clone();
                                            view! {
                                                <button
                                                    class="cluster-entry"
                                                    aria-pressed=move || (state.highlighted.get() == Some(id)).to_string()
                                                    on:click=move |_| state.highlighted.update(|h| *h = if *h == Some(id) { None } else { Some(id) })
                                                >
                                                    <span class="swatch" style:background-color=cluster_colour(id).to_hex()></span>
                                                    <span class="cluster-label">{label.clone()}</span>
                                                    <span class="cluster-size" data-size=size_text aria-hidden="true"></span>
                                                </button>
                                            }
                                        }
                                    }
                                >
                                    <RenameInput id=id initial=cluster.label.clone() renaming=renaming/>
                                </Show>
                                {(id >= 0).then(|| {
                                    let label = label.clone();
                                    view! {
                                        <span
                                            class="provenance"
                                            role="img"
                                            data-kind=move || provenance_name(provenance(state, id))
                                            aria-label=move || {
                                                let text = state.lang.get().strings();
                                                match provenance(state, id) {
                                                    Provenance::Machine => text.named_by_machine,
                                                    Provenance::Person => text.named_by_person,
                                                }
                                            }
                                            title=move || {
                                                let text = state.lang.get().strings();
                                                match provenance(state, id) {
                                                    Provenance::Machine => text.named_by_machine,
                                                    Provenance::Person => text.named_by_person,
                                                }
                                            }
                                        ></span>
                                        <button
                                            class="icon-button rename-cluster"
                                            data-testid="rename-cluster"
                                            aria-label=move || format!("{}: {}", state.lang.get().strings().rename_cluster, label())
                                            title=move || state.lang.get().strings().rename_cluster
                                            on:click=move |_| renaming.set(Some(id))
                                        ></button>
                                    }
                                })}
                                <span class="way-ticks">
                                    {move || {
                                        let lang = state.lang.get();
                                        // Outliers are no group, so they belong to no way.
                                        ways()
                                            .into_iter()
                                            .filter(|_| id >= 0)
                                            .map(|(way_id, name, colour)| {
                                                let label = label();
                                                let checked = move || state.ways.with(|w| w.ways.iter().any(|w| w.id == way_id && w.clusters.contains(&id)));
                                                view! {
                                                    <input
                                                        type="checkbox"
                                                        class="way-tick"
                                                        style:accent-color=colour
                                                        title=name.clone()
                                                        aria-label=format!("{label} {} {name}", lang.strings().in_way)
                                                        data-way-id=way_id
                                                        prop:checked=checked
                                                        on:change=move |_| {
                                                            let edit = if checked() {
                                                                Edit::RemoveClusterFromWay { way: way_id, cluster: id }
                                                            } else {
                                                                Edit::AddClusterToWay { way: way_id, cluster: id }
                                                            };
                                                            let _ = state.edit(edit);
                                                        }
                                                    />
                                                }
                                            })
                                            .collect_view()
                                    }}
                                </span>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || state.analysis.with(Option::is_some)>
                <div class="curation-actions" role="group" aria-label=move || state.lang.get().strings().curation_help>
                    <button
                        class="button"
                        data-testid="merge-clusters"
                        disabled=move || selected().len() < 2
                        on:click=merge
                    >
                        {move || state.lang.get().strings().merge_selected}
                    </button>
                    <button class="button" data-testid="split-cluster" disabled=move || target().is_none() on:click=split>
                        {move || state.lang.get().strings().split_cluster}
                    </button>
                    <button
                        class="button"
                        data-testid="reset-label"
                        disabled=move || target().is_none_or(|id| provenance(state, id) != Provenance::Person)
                        on:click=reset
                    >
                        {move || state.lang.get().strings().reset_label}
                    </button>
                </div>
                <p class="hint">{move || state.lang.get().strings().curation_help}</p>
            </Show>
        </section>
    }
}

/// The text field that replaces a cluster's entry while it is renamed: Enter saves, Escape (or leaving the
/// field) cancels, so a stray click never renames a cluster.
#[component]
fn RenameInput(id: i32, initial: String, renaming: RwSignal<Option<i32>>) -> impl IntoView {
    let state = AppState::use_context();
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
            input.select();
        }
    });
    view! {
        <input
            type="text"
            class="cluster-name-input"
            data-testid="cluster-name-input"
            node_ref=input
            value=initial
            aria-label=move || state.lang.get().strings().cluster_name
            title=move || state.lang.get().strings().cluster_name
            on:keydown=move |event: web_sys::KeyboardEvent| match event.key().as_str() {
                "Enter" => {
                    event.prevent_default();
                    let label = event_target_value(&event);
                    if state.edit(Edit::RenameCluster { cluster: id, label }).is_ok() {
                        renaming.set(None);
                    }
                }
                "Escape" => {
                    // The app's Escape clears the highlight; here it only ends the renaming.
                    event.stop_propagation();
                    renaming.set(None);
                }
                _ => {}
            }
            on:blur=move |_| {
                if renaming.get_untracked() == Some(id) {
                    renaming.set(None);
                }
            }
        />
    }
}
