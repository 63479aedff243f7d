//! How the map is made: how statements become vectors (a language model or TF-IDF), the layout (UMAP or PCA), the clustering (HDBSCAN or k-means) and their main settings.
//!
//! Every change re-runs the analysis on the same files. Choosing a number of clusters switches to k-means, the
//! only method where that number is the user's to set; HDBSCAN is steered by the smallest cluster size instead.

use leptos::prelude::*;
use vejkort_engine::cluster::ClusterCount;
use vejkort_engine::pipeline::{ClusterMethod, LayoutMethod, Vectoriser};

use crate::actions;
use crate::components::own_model::OwnModelPicker;
use crate::state::{AppState, OwnModelStatus};

/// Choices offered for HDBSCAN's smallest cluster and UMAP's neighbours: wide enough for 50 to 100,000 points.
const MIN_CLUSTER_SIZES: [usize; 9] = [3, 5, 10, 15, 20, 30, 50, 100, 200];
const NEIGHBOURS: [usize; 7] = [5, 10, 15, 20, 30, 50, 100];

#[component]
pub fn MethodPanel() -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let options = move || state.shown.with(|s| s.options.clone());
    let is_kmeans = move || options().clustering == ClusterMethod::KMeans;
    let k_choice = move || match options().clusters {
        ClusterCount::Auto => String::new(),
        ClusterCount::Fixed(k) => k.to_string(),
    };

    view! {
        <Show when=move || state.analysis.with(Option::is_some)>
            <section class="panel" aria-labelledby="method-heading">
                <h2 id="method-heading">{move || text().method}</h2>
                <label class="field">
                    <span>{move || text().vectoriser}</span>
                    <select
                        data-testid="vectoriser"
                        prop:value=move || match options().vectoriser {
                            _ if state.own_model_open.get() => "own",
                            Vectoriser::Model => "model",
                            Vectoriser::TfIdf => "tfidf",
                            Vectoriser::OwnModel => "own",
                            Vectoriser::Instant => "instant",
                        }
                        on:change=move |event| {
                            let choice = event_target_value(&event);
                            if choice == "own" {
                                // Without a loaded folder there is nothing to run yet: open the picker first.
                                state.own_model_open.set(true);
                                if matches!(state.own_model.get_untracked(), OwnModelStatus::Loaded { .. }) {
                                    actions::rerun(state, |options| options.vectoriser = Vectoriser::OwnModel);
                                }
                                return;
                            }
                            state.own_model_open.set(false);
                            let vectoriser = match choice.as_str() {
                                "tfidf" => Vectoriser::TfIdf,
                                "instant" => Vectoriser::Instant,
                                _ => Vectoriser::Model,
                            };
                            crate::preferences::remember_vectoriser(vectoriser);
                            actions::rerun(state, |options| options.vectoriser = vectoriser);
                        }
                    >
                        <option value="model">{move || text().vectoriser_model}</option>
                        <option value="tfidf">{move || text().vectoriser_tfidf}</option>
                        <option value="own">{move || text().vectoriser_own}</option>
                        <option value="instant">{move || text().vectoriser_instant}</option>
                    </select>
                </label>
                <Show when=move || state.own_model_open.get() || options().vectoriser == Vectoriser::OwnModel>
                    <OwnModelPicker/>
                </Show>
                <label class="field">
                    <span>{move || text().layout_method}</span>
                    <select
                        data-testid="layout"
                        prop:value=move || match options().layout { LayoutMethod::Umap => "umap", LayoutMethod::Pca => "pca" }
                        on:change=move |event| {
                            let layout = if event_target_value(&event) == "pca" { LayoutMethod::Pca } else { LayoutMethod::Umap };
                            actions::rerun(state, |options| options.layout = layout);
                        }
                    >
                        <option value="umap">{move || text().layout_umap}</option>
                        <option value="pca">{move || text().layout_pca_option}</option>
                    </select>
                </label>
                <label class="field">
                    <span>{move || text().cluster_method}</span>
                    <select
                        data-testid="algorithm"
                        prop:value=move || if is_kmeans() { "kmeans" } else { "hdbscan" }
                        on:change=move |event| {
                            let method = if event_target_value(&event) == "kmeans" { ClusterMethod::KMeans } else { ClusterMethod::Hdbscan };
                            actions::rerun(state, |options| options.clustering = method);
                        }
                    >
                        <option value="hdbscan">{move || text().cluster_hdbscan}</option>
                        <option value="kmeans">{move || text().cluster_kmeans}</option>
                    </select>
                </label>
                <Show when=move || !is_kmeans()>
                    <label class="field">
                        <span>{move || text().min_cluster_size}</span>
                        <select
                            data-testid="min-cluster-size"
                            prop:value=move || options().min_cluster_size.map(|size| size.to_string()).unwrap_or_default()
                            on:change=move |event| {
                                let size = event_target_value(&event).parse::<usize>().ok();
                                actions::rerun(state, |options| options.min_cluster_size = size);
                            }
                        >
                            <option value="">{move || text().automatic}</option>
                            {MIN_CLUSTER_SIZES.map(|size| view! { <option value=size.to_string()>{size}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <label class="field">
                    <span>{move || text().cluster_count}</span>
                    <select
                        data-testid="cluster-count"
                        prop:value=move || if is_kmeans() { k_choice() } else { String::new() }
                        on:change=move |event| {
                            let count = event_target_value(&event).parse().map_or(ClusterCount::Auto, ClusterCount::Fixed);
                            actions::rerun(state, |options| {
                                options.clusters = count;
                                if matches!(count, ClusterCount::Fixed(_)) {
                                    options.clustering = ClusterMethod::KMeans;
                                }
                            });
                        }
                    >
                        <option value="">{move || text().automatic}</option>
                        {(2..=30).map(|k| view! { <option value=k.to_string()>{k}</option> }).collect_view()}
                    </select>
                </label>
                <Show when=move || options().layout == LayoutMethod::Umap || !is_kmeans()>
                    <label class="field">
                        <span>{move || text().neighbours}</span>
                        <select
                            data-testid="neighbours"
                            prop:value=move || options().umap.n_neighbors.to_string()
                            on:change=move |event| {
                                if let Ok(count) = event_target_value(&event).parse::<usize>() {
                                    actions::rerun(state, |options| options.umap.n_neighbors = count);
                                }
                            }
                        >
                            {NEIGHBOURS.map(|count| view! { <option value=count.to_string()>{count}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
            </section>
        </Show>
    }
}
