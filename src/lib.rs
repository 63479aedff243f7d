//! Vejkort's user interface: a thin Leptos layer over the worker and the renderer.
//!
//! The UI reads files, sends them to the analysis worker ([`worker_client`]), shows progress, and draws the
//! result with `vejkort-render`. It computes nothing heavy itself: the UI thread stays free for the user.
//! Components live in [`components`], one per file; shared state in [`state`]; every string in [`i18n`].

pub mod actions;
pub mod autosave;
pub mod components;
pub mod i18n;
pub mod preferences;
pub mod publish;
pub mod share;
pub mod state;
pub mod storage;
pub mod upload;
pub mod worker_client;

use leptos::prelude::*;

use crate::components::axis::AxisStrip;
use crate::components::corners::MapViews;
use crate::components::filters::FilterPanel;
use crate::components::lenses::LensesPanel;
use crate::components::point_card::PointCard;
use crate::components::projects::ProjectsPanel;
use crate::components::search::{Reading, SearchBar};
use crate::components::selection::SelectionPanel;
use crate::components::stopwords::StopWordsPanel;
use crate::components::table::StatementTable;
use crate::components::{card::ClusterCard, history::HistoryPanel};
use crate::components::{
    columns::ColumnPanel, legend::ClusterLegend, method::MethodPanel, notices::Notices, progress::ProgressPanel,
    toolbar::Toolbar, ways::WaysPanel,
};
use crate::components::{explorer::ExplorerPanel, present::PresenterBar, tour::TourPanel};
use crate::i18n::Lang;
use crate::state::AppState;

fn browser_lang() -> Lang {
    web_sys::window().and_then(|w| w.navigator().language()).map_or(Lang::En, |tag| Lang::from_browser_language(&tag))
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new(browser_lang());
    state.shown.update(|shown| shown.options.vectoriser = preferences::vectoriser());
    provide_context(state);
    Reading::provide(state);
    actions::start_worker(state);
    components::present::start(state);
    autosave::Autosave::provide(state);
    storage::register_service_worker();

    Effect::new(move |_| {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", state.lang.get().code());
        }
    });

    let points = move || state.analysis.with(|a| a.as_ref().map_or(0, |a| a.positions.len()));
    let clusters =
        move || state.analysis.with(|a| a.as_ref().map_or(0, |a| a.clusters.iter().filter(|c| c.id >= 0).count()));
    let dragging = RwSignal::new(false);

    view! {
        <div
            class="app"
            class:dragging=move || dragging.get()
            data-testid="app"
            data-status=move || state.status().as_str()
            data-points=points
            data-clusters=clusters
            on:keydown=move |event: web_sys::KeyboardEvent| {
                if event.key() == "Escape" {
                    state.highlighted.set(None);
                }
            }
            on:dragover=move |event: web_sys::DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |event: web_sys::DragEvent| {
                // Moving between the app's own elements also fires dragleave; only leaving the window counts.
                if event.related_target().is_none() {
                    dragging.set(false);
                }
            }
            on:drop=move |event: web_sys::DragEvent| {
                // A drop zone inside (the own model's folder) has taken these files already.
                if event.default_prevented() {
                    dragging.set(false);
                    return;
                }
                event.prevent_default();
                dragging.set(false);
                if let Some(files) = event.data_transfer().and_then(|t| t.files()) {
                    actions::load_file_list(state, files);
                }
            }
        >
            <Toolbar/>
            <ProgressPanel/>
            <Notices/>
            <SearchBar/>
            <main class="workspace">
                <aside class="side side-left">
                    <ColumnPanel/>
                    <MethodPanel/>
                    <StopWordsPanel/>
                    <WaysPanel/>
                    <FilterPanel/>
                    <TourPanel/>
                    <ProjectsPanel/>
                </aside>
                <div class="map-column">
                    <PresenterBar/>
                    <MapViews/>
                    <AxisStrip/>
                </div>
                <aside class="side side-right">
                    <ExplorerPanel/>
                    <crate::components::live::LivePanel/>
                    <PointCard/>
                    <SelectionPanel/>
                    <ClusterLegend/>
                    <ClusterCard/>
                    <LensesPanel/>
                    <HistoryPanel/>
                </aside>
            </main>
            <StatementTable/>
            <div class="drop-overlay" aria-hidden="true">{move || state.lang.get().strings().drop_here}</div>
        </div>
    }
}
