//! The legend: one entry per cluster with its colour, label and size, where the user highlights a cluster and
//! ticks the ways it belongs to.

use leptos::prelude::*;
use vejkort_engine::curation::Edit;
use vejkort_engine::pipeline::ClusterSummary;
use vejkort_render::palette::cluster_colour;

use crate::state::AppState;

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
                clusters.push(ClusterSummary { id: -1, size: noise, label: String::new(), terms: Vec::new(), centre: [0.0; 2] });
            }
            clusters
        })
    };
    let ways = move || {
        state.ways.with(|w| w.ways.iter().map(|w| (w.id, w.name.clone(), w.colour.clone())).collect::<Vec<_>>())
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
            <ul class="cluster-list" data-testid="cluster-list">
                <For each=clusters key=|c| (c.id, c.label.clone(), c.size) let:cluster>
                    {
                        let id = cluster.id;
                        let summary = cluster.clone();
                        let label = move || state.lang.get().cluster_label(&summary);
                        let size_text = move || state.lang.get().cluster_size(cluster.size);
                        view! {
                            <li
                                data-cluster-id=id
                                data-size=cluster.size
                                class:highlighted=move || state.highlighted.get() == Some(id)
                            >
                                <button
                                    class="cluster-entry"
                                    aria-pressed=move || (state.highlighted.get() == Some(id)).to_string()
                                    on:click=move |_| state.highlighted.update(|h| *h = if *h == Some(id) { None } else { Some(id) })
                                >
                                    <span class="swatch" style:background-color=cluster_colour(id).to_hex()></span>
                                    <span class="cluster-label">{label.clone()}</span>
                                    <span class="cluster-size" data-size=size_text aria-hidden="true"></span>
                                </button>
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
        </section>
    }
}
