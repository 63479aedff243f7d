//! What the user's commands do: load files, load the example, re-run, cancel, export.
//!
//! Components call these; they talk to the worker and update [`AppState`]. Browser work that may fail (reading
//! a file, fetching the example) ends in a [`UiError`] on screen, never in a panic.

use std::sync::Arc;

use js_sys::Uint8Array;
use leptos::prelude::*;
use vejkort_engine::export::assignments_csv;
use vejkort_protocol::{AnalysisOptions, InputFile, Request, Response, Stage};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::state::{AppState, Inputs, UiError};
use crate::worker_client::{WorkerClient, WorkerEvent};

/// The built-in example, served by the app itself.
pub const EXAMPLE_PATH: &str = "example/velfaerd-workshop.csv";

/// Starts the analysis worker and routes its answers into the state.
pub fn start_worker(state: AppState) {
    let client = WorkerClient::new(move |event| match event {
        WorkerEvent::Response(Response::Progress(progress)) => {
            if state.running_job() == Some(progress.job) {
                state.note_progress(progress, js_sys::Date::now());
            }
        }
        WorkerEvent::Response(Response::Layout { job, positions }) => {
            if state.running_job() == Some(job) {
                state.live_positions.set(Some(Arc::new(positions)));
                state.live_frames.update(|frames| *frames += 1);
            }
        }
        WorkerEvent::Response(Response::Done { job, analysis }) => state.finish(job, *analysis),
        WorkerEvent::Response(Response::Failed { job, error }) => state.fail(Some(job), UiError::Analysis(error)),
        WorkerEvent::Response(Response::Garbled { detail }) => state.fail(None, UiError::WorkerCrashed(detail)),
        WorkerEvent::Response(Response::Ready) => {}
        WorkerEvent::Crashed(detail) => {
            state.fail(None, UiError::WorkerCrashed(detail));
            // This runs inside the dead worker's error handler; restarting drops that handler, so wait a tick.
            set_timeout(
                move || {
                    with_worker(state, WorkerClient::restart);
                },
                std::time::Duration::ZERO,
            );
        }
    });
    state.worker.set_value(Some(client));
}

fn with_worker<T>(state: AppState, f: impl FnOnce(&WorkerClient) -> T) -> Option<T> {
    state.worker.with_value(|worker| worker.as_ref().map(f))
}

/// Sends a job for these inputs; its result will replace the map on screen.
pub fn start_job(state: AppState, inputs: Inputs) {
    let Some(job) = with_worker(state, WorkerClient::next_job) else { return };
    state.error.set(None);
    state.progress.set(Some(vejkort_protocol::Progress { job, stage: Stage::Reading, overall: 0.0, count: None }));
    state.job.set(Some((job, inputs.clone())));
    state.live_frames.set(0);
    let request = Request::Analyze { job, files: inputs.files, options: inputs.options };
    with_worker(state, |worker| worker.send(&request));
}

/// Re-analyses the files on screen with new options (another text column, another k).
pub fn rerun(state: AppState, change: impl FnOnce(&mut AnalysisOptions)) {
    let mut inputs = state.shown.get_untracked();
    if inputs.files.is_empty() {
        return;
    }
    change(&mut inputs.options);
    start_job(state, inputs);
}

/// Ends the running job; the map on screen stays.
pub fn cancel(state: AppState) {
    with_worker(state, WorkerClient::restart);
    state.end_job();
}

/// New files: start over with guessed columns, sheet and k, keeping the user's methods, their settings and seed.
fn analyse_new_files(state: AppState, files: Vec<InputFile>) {
    let kept = state.shown.with_untracked(|shown| shown.options.clone());
    let options = AnalysisOptions {
        read: Default::default(),
        columns: Default::default(),
        clusters: Default::default(),
        ..kept
    };
    start_job(state, Inputs { files: Arc::new(files), options });
}

async fn read_file(file: web_sys::File) -> Result<InputFile, UiError> {
    let name = file.name();
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|error| UiError::Browser { file: name.clone(), detail: format!("{error:?}") })?;
    Ok(InputFile { name, bytes: Uint8Array::new(&buffer).to_vec() })
}

/// Reads the chosen or dropped files and analyses them together.
pub fn load_file_list(state: AppState, list: web_sys::FileList) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.item(i)).collect();
    if files.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        let mut inputs = Vec::with_capacity(files.len());
        for file in files {
            match read_file(file).await {
                Ok(input) => inputs.push(input),
                Err(error) => return state.fail(None, error),
            }
        }
        analyse_new_files(state, inputs);
    });
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(path)).await.map_err(|error| format!("{error:?}"))?.unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|error| format!("{error:?}"))?)
        .await
        .map_err(|error| format!("{error:?}"))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Loads the built-in example data set from the app's own origin.
pub fn load_example(state: AppState) {
    leptos::task::spawn_local(async move {
        match fetch_bytes(EXAMPLE_PATH).await {
            Ok(bytes) => analyse_new_files(state, vec![InputFile { name: "velfaerd-workshop.csv".into(), bytes }]),
            Err(detail) => state.fail(None, UiError::Browser { file: EXAMPLE_PATH.into(), detail }),
        }
    });
}

/// Name for exported files, from the first input file.
fn export_name(state: AppState, extension: &str) -> String {
    let stem = state.shown.with_untracked(|shown| {
        shown.files.first().map(|f| f.name.rsplit_once('.').map_or(f.name.clone(), |(stem, _)| stem.to_owned()))
    });
    format!("vejkort-{}.{extension}", stem.unwrap_or_else(|| "map".into()))
}

/// Downloads the map as CSV (see `vejkort_engine::export`).
pub fn export_csv(state: AppState) {
    let Some(analysis) = state.analysis.get_untracked() else { return };
    let text = state.ways.with_untracked(|ways| assignments_csv(&analysis, ways));
    if let Err(error) = download(&export_name(state, "csv"), &text, "text/csv;charset=utf-8") {
        state.fail(None, UiError::Browser { file: export_name(state, "csv"), detail: format!("{error:?}") });
    }
}

fn download(name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The download reads the URL after this task; free it a moment later.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(5));
    Ok(())
}

/// Downloads the selected statements as CSV, in the columns of the full export.
pub fn export_selection(state: AppState) {
    let Some(analysis) = state.analysis.get_untracked() else { return };
    let points = state.selection.get_untracked();
    let text = state.ways.with_untracked(|ways| crate::components::selection::selection_csv(&analysis, ways, &points));
    let name = export_name(state, "csv").replace(".csv", "-selection.csv");
    if let Err(error) = download(&name, &text, "text/csv;charset=utf-8") {
        state.fail(None, UiError::Browser { file: name, detail: format!("{error:?}") });
    }
}
