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
        WorkerEvent::Response(Response::ModelLoaded { job, name, dimensions }) => {
            if state.running_job() == Some(job) {
                state.own_model.set(crate::state::OwnModelStatus::Loaded { name, dimensions });
            }
        }
        WorkerEvent::Response(Response::ModelRejected { job, error }) => {
            if state.running_job() == Some(job) {
                state.own_model.set(crate::state::OwnModelStatus::Failed(error.clone()));
                state.fail(Some(job), UiError::ModelFolder(error));
            }
        }
        WorkerEvent::Response(Response::Placed { job, placed, worker_ms }) => {
            crate::components::live::on_placed(state, job, placed, worker_ms)
        }
        WorkerEvent::Response(Response::PlaceFailed { job, error }) => {
            crate::components::live::on_place_failed(state, job, error)
        }
        WorkerEvent::Crashed(detail) => {
            state.live_statements.forget_pending();
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
    state.live_statements.forget_pending();
    state.end_job();
}

/// New files: start over with guessed columns, sheet and k, keeping the user's methods, their settings and seed.
fn analyse_new_files(state: AppState, files: Vec<InputFile>) {
    OPENED_VIEW.with(|opened| opened.replace(None));
    let kept = state.shown.with_untracked(|shown| shown.options.clone());
    let options =
        AnalysisOptions { read: Default::default(), columns: Default::default(), clusters: Default::default(), ..kept };
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
        let inputs = match crate::upload::read_checked(files).await {
            Ok(inputs) => inputs,
            Err(error) => return state.fail(None, error),
        };
        // A project file holds its own analysis: open it instead of analysing.
        if let Some(project) = inputs.iter().find(|f| vejkort_engine::project::looks_like_project(&f.bytes)) {
            return open_project(state, project);
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
    download_blob(name, &blob)
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
/// The map as the screen shows it (focus, highlight, ways, language), seen through the camera on screen or,
/// before the map was drawn, fitted to a nominal size.
/// What an export draws: the scene, and the camera and picture size it is seen with.
type ExportView = (vejkort_render::Scene, vejkort_render::Camera, vejkort_render::camera::Viewport);

fn export_view(state: AppState) -> Option<ExportView> {
    let analysis = state.analysis.get_untracked()?;
    let details = crate::components::map::Details::of(&analysis);
    let scene = state.ways.with_untracked(|ways| {
        crate::components::map::focused_scene(
            &analysis,
            &details,
            state.highlighted.get_untracked(),
            ways,
            state.focused_way.get_untracked(),
            state.lang.get_untracked(),
        )
    });
    let (camera, viewport) = crate::components::map::shown_view().unwrap_or_else(|| {
        let viewport = vejkort_render::camera::Viewport { width_px: 1200.0, height_px: 900.0 };
        let camera = vejkort_render::core_bounds(&analysis.positions, 0.98)
            .map_or(vejkort_render::Camera::default(), |b| vejkort_render::Camera::fit(b, viewport, 40.0));
        (camera, viewport)
    });
    Some((scene, camera, viewport))
}

/// The map as an SVG document with a key of the ways drawn on it.
fn map_svg(state: AppState) -> Option<(String, vejkort_render::camera::Viewport)> {
    use vejkort_render::svg::{scene_svg, Frame, KeyEntry};
    let (scene, camera, viewport) = export_view(state)?;
    let focused = state.focused_way.get_untracked();
    let key = state.ways.with_untracked(|ways| {
        ways.ways
            .iter()
            .filter(|way| focused.map_or(way.visible, |id| id == way.id))
            .map(|way| KeyEntry {
                name: way.name.clone(),
                colour: vejkort_render::Rgba::from_hex(&way.colour).unwrap_or(vejkort_render::Rgba::rgb(0, 0, 0)),
            })
            .collect()
    });
    let frame = Frame {
        title: export_name(state, "svg"),
        key_heading: state.lang.get_untracked().strings().ways_key.to_owned(),
        key,
    };
    Some((scene_svg(&scene, &camera, viewport, &frame), viewport))
}

/// Downloads the map as a print-quality SVG.
pub fn export_svg(state: AppState) {
    let Some((svg, _)) = map_svg(state) else { return };
    let name = export_name(state, "svg");
    if let Err(error) = download(&name, &svg, "image/svg+xml;charset=utf-8") {
        state.fail(None, UiError::Browser { file: name, detail: format!("{error:?}") });
    }
}

/// Downloads the map as a PNG at `scale` times its size on screen: the SVG drawn onto a large canvas, so points,
/// outlines and text are sharp at any scale.
pub fn export_png(state: AppState, scale: u32) {
    let Some((svg, viewport)) = map_svg(state) else { return };
    let name = export_name(state, "png").replace(".png", &format!("-{scale}x.png"));
    leptos::task::spawn_local(async move {
        if let Err(error) = render_png(&svg, viewport, scale as f64, &name).await {
            state.fail(None, UiError::Browser { file: name, detail: format!("{error:?}") });
        }
    });
}

async fn render_png(
    svg: &str,
    viewport: vejkort_render::camera::Viewport,
    scale: f64,
    name: &str,
) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let image = web_sys::HtmlImageElement::new()?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.unchecked_into();
    let (width, height) = (viewport.width_px as f64 * scale, viewport.height_px as f64 * scale);
    canvas.set_width(width.round() as u32);
    canvas.set_height(height.round() as u32);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or("no 2-D context")?.unchecked_into();
    context.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width, height)?;
    let png = js_sys::Promise::new(&mut |resolve, _reject| {
        let callback = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob(callback.unchecked_ref());
    });
    let blob = JsFuture::from(png).await?;
    let blob: web_sys::Blob = blob.dyn_into().map_err(|_| JsValue::from_str("the canvas made no PNG"))?;
    download_blob(name, &blob)
}

fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The download reads the URL after this task; free it a moment later.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(5));
    Ok(())
}

thread_local! {
    /// The opened project's view, whose settings this UI does not show (filters, a newer Vejkort's settings) are
    /// written back when it is saved again.
    static OPENED_VIEW: std::cell::RefCell<Option<vejkort_engine::project::ViewState>> = Default::default();
}

/// The project file of the map on screen: data, layout, curated clusters and ways, history and view.
pub fn project_text(state: AppState) -> Option<String> {
    use vejkort_engine::project::{save, Camera, Project, ViewState};
    // The project keeps the machine's data and layout; the person's work travels as the curation and history.
    let machine = state.machine.get_value()?;
    let options = state.shown.with_untracked(|shown| shown.options.clone());
    let camera = crate::components::map::shown_view().map(|(camera, _)| Camera {
        centre: [camera.centre[0] as f64, camera.centre[1] as f64],
        zoom: camera.pixels_per_unit as f64,
    });
    let view = ViewState {
        camera,
        focused_way: state.focused_way.get_untracked(),
        focused_cluster: state.highlighted.get_untracked(),
        ..OPENED_VIEW.with(|opened| opened.borrow().clone()).unwrap_or_default()
    };
    let tour = state.tour.get_untracked();
    state.curator.with_value(|curator| {
        curator.as_ref().map(|curator| {
            let mut project = Project::new(&machine, &options, curator, view);
            project.tour = tour;
            save(&project)
        })
    })
}

/// Downloads the project file.
pub fn export_project(state: AppState) {
    let Some(text) = project_text(state) else { return };
    let name = "vejkort-project.json";
    if let Err(error) = download(name, &text, "application/json") {
        state.fail(None, UiError::Browser { file: name.into(), detail: format!("{error:?}") });
    }
}

/// An analysis holding what a project saved: the curated clusters stand in for the machine's, which the project
/// does not keep (the map only ever shows them with the curation written in).
fn analysis_of_project(project: &vejkort_engine::project::Project) -> vejkort_protocol::Analysis {
    use vejkort_engine::pipeline::{VectorSource, Vectoriser};
    let dimensions = project.space.dim;
    let vectors = match (project.roles.text, project.options.vectoriser) {
        (None, _) => VectorSource::Provided { dimensions },
        (Some(_), Vectoriser::TfIdf) => VectorSource::TfIdf { vocabulary: dimensions },
        (Some(_), Vectoriser::Model | Vectoriser::OwnModel | Vectoriser::Instant) => {
            VectorSource::Model { name: "—".into(), dimensions }
        }
    };
    vejkort_protocol::Analysis {
        columns: project.columns.clone(),
        roles: project.roles,
        rows: project.rows.clone(),
        positions: project.positions.clone(),
        assignments: project.curation.assignments.clone(),
        membership: vec![1.0; project.rows.len()],
        clusters: project.curation.summaries(),
        vectors,
        space: project.space.clone(),
        cluster_space: None,
        layout: project.options.layout,
        clustering: project.options.clustering,
        silhouettes: Vec::new(),
        layout_variance: [0.0, 0.0],
        workbooks: Vec::new(),
        warnings: Vec::new(),
        label_language: None,
        votes: project.votes.clone(),
        placer: project.placer.clone(),
    }
}

/// Opens a project file: the map, clusters, labels, ways, history and view come back as saved, without running
/// the analysis again. A file that does not open leaves the map on screen and says what is wrong with it.
pub fn open_project(state: AppState, file: &InputFile) {
    let text = String::from_utf8_lossy(&file.bytes);
    match vejkort_engine::project::load(&text) {
        Ok(project) => {
            if state.running_job().is_some() {
                cancel(state);
            }
            if let Some(camera) = project.view.camera.filter(|c| c.zoom.is_finite() && c.zoom > 0.0) {
                crate::components::map::open_next_map_at(vejkort_render::Camera {
                    centre: [camera.centre[0] as f32, camera.centre[1] as f32],
                    pixels_per_unit: camera.zoom as f32,
                });
            }
            OPENED_VIEW.with(|opened| opened.replace(Some(project.view.clone())));
            let machine = analysis_of_project(&project);
            let curator = project.curator();
            state.restore(machine, curator, project.options.clone());
            state.focused_way.set(project.view.focused_way);
            state.highlighted.set(project.view.focused_cluster);
            state.tour.set(project.tour.clone());
            state.tour_at.set(None);
        }
        Err(error) => state.fail(None, UiError::Project { file: file.name.clone(), error }),
    }
}

/// The files of a model folder the loader reads; others (ONNX exports, PyTorch weights, READMEs) can be hundreds
/// of megabytes and are not read at all. `pytorch_model.bin` is passed on empty so the loader can say it is the
/// wrong format.
fn is_model_file(inside: &str) -> bool {
    matches!(
        inside,
        "config.json"
            | "model.safetensors"
            | "tokenizer.json"
            | "modules.json"
            | "sentence_bert_config.json"
            | "config_sentence_transformers.json"
            | "pytorch_model.bin"
    ) || inside.strip_suffix("/config.json").is_some_and(|dir| !dir.contains('/'))
}

/// A picked folder's or dropped files' paths inside the folder, and the folder's name when the paths carry it.
fn paths_inside(paths: &[String]) -> (Option<String>, Vec<String>) {
    let first = |p: &str| p.split_once('/').map(|(head, _)| head.to_owned());
    let common =
        paths.first().and_then(|p| first(p)).filter(|head| paths.iter().all(|p| first(p).as_ref() == Some(head)));
    let inside = paths
        .iter()
        .map(|p| match &common {
            Some(head) => p[head.len() + 1..].to_owned(),
            None => p.clone(),
        })
        .collect();
    (common, inside)
}

/// Reads the user's own model folder (from the folder picker or dropped files), hands it to the worker and
/// re-runs the analysis with it. The bytes go to the worker only; nothing is uploaded.
pub fn load_model_folder(state: AppState, list: web_sys::FileList) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.item(i)).collect();
    if files.is_empty() {
        return;
    }
    let paths: Vec<String> = files
        .iter()
        .map(|file| {
            let relative = js_sys::Reflect::get(file, &"webkitRelativePath".into())
                .ok()
                .and_then(|value| value.as_string())
                .unwrap_or_default();
            if relative.is_empty() {
                file.name()
            } else {
                relative
            }
        })
        .collect();
    let (folder, inside) = paths_inside(&paths);
    let folder = folder.unwrap_or_default();
    state.own_model.set(crate::state::OwnModelStatus::Loading { folder: folder.clone() });
    leptos::task::spawn_local(async move {
        let mut inputs = Vec::new();
        for ((file, path), inside) in files.into_iter().zip(paths).zip(inside) {
            if !is_model_file(&inside) {
                continue;
            }
            if inside == "pytorch_model.bin" {
                inputs.push(InputFile { name: path, bytes: Vec::new() });
                continue;
            }
            match read_file(file).await {
                Ok(input) => inputs.push(InputFile { name: path, bytes: input.bytes }),
                Err(error) => {
                    state.own_model.set(crate::state::OwnModelStatus::None);
                    return state.fail(None, error);
                }
            }
        }
        let request = Request::LoadModel { files: Arc::new(inputs) };
        with_worker(state, |worker| worker.send_to_every_worker(&request));
        rerun(state, |options| options.vectoriser = vejkort_engine::pipeline::Vectoriser::OwnModel);
    });
}
