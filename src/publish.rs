//! "Publish" in the browser: the project on screen and the app itself, packed as the folder
//! `vejkort_engine::publish` describes and downloaded as a .zip.
//!
//! The app's files are fetched from the app's own origin, one by one, as the build's `precache.json` lists
//! them: what is packed is exactly what this browser is running, and nothing comes from anywhere else.

use std::cell::Cell;
use std::io::Write;

use js_sys::Uint8Array;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use vejkort_engine::publish::{folder_name, index_html, manifest_files, readme, APP_FOLDER, MANIFEST, PROJECT_FILE};

use crate::state::{AppState, UiError};

thread_local! {
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// One file of the folder that could not be had, and why.
#[derive(Debug)]
struct Failed {
    file: String,
    detail: String,
}

fn failed(file: &str, detail: impl std::fmt::Debug) -> Failed {
    Failed { file: file.to_owned(), detail: format!("{detail:?}") }
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, Failed> {
    let window = web_sys::window().ok_or_else(|| failed(path, "no window"))?;
    let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|e| failed(path, e))?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(Failed { file: path.to_owned(), detail: format!("HTTP {}", response.status()) });
    }
    let buffer =
        JsFuture::from(response.array_buffer().map_err(|e| failed(path, e))?).await.map_err(|e| failed(path, e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Packs the folder: the index, README and project file, then each of the app's files as the origin serves it.
async fn pack(name: &str, project: &str) -> Result<Vec<u8>, Failed> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    let manifest = fetch_bytes(MANIFEST).await?;
    let files = manifest_files(&String::from_utf8_lossy(&manifest))
        .map_err(|detail| Failed { file: MANIFEST.into(), detail })?;
    let folder = folder_name(name);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut add = |path: &str, bytes: &[u8]| -> Result<(), Failed> {
        let entry = format!("{folder}/{path}");
        zip.start_file(entry.as_str(), deflated).map_err(|e| failed(&entry, e))?;
        zip.write_all(bytes).map_err(|e| failed(&entry, e))
    };
    add("index.html", index_html(name).as_bytes())?;
    add("README.txt", readme(name).as_bytes())?;
    add(PROJECT_FILE, project.as_bytes())?;
    // The list is what the service worker keeps; the published app also needs the worker and the list themselves.
    for file in files.iter().map(String::as_str).chain(["sw.js", MANIFEST]) {
        let bytes = fetch_bytes(file).await?;
        add(&format!("{APP_FOLDER}/{file}"), &bytes)?;
    }
    let cursor = zip.finish().map_err(|e| failed("zip", e))?;
    Ok(cursor.into_inner())
}

/// The name a published project goes by: its first input file, else "map".
fn published_name(state: AppState) -> String {
    state
        .shown
        .with_untracked(|shown| {
            shown.files.first().map(|f| f.name.rsplit_once('.').map_or(f.name.clone(), |(s, _)| s.into()))
        })
        .unwrap_or_else(|| "map".into())
}

/// Whether a folder is being packed now (the button says so and does not start a second).
pub fn busy() -> bool {
    BUSY.with(Cell::get)
}

/// Packs the project on screen with the app and downloads the folder as a .zip.
pub fn publish(state: AppState, packing: RwSignal<bool>) {
    if busy() {
        return;
    }
    let Some(project) = crate::actions::project_text(state) else { return };
    let name = published_name(state);
    BUSY.with(|b| b.set(true));
    packing.set(true);
    leptos::task::spawn_local(async move {
        let lang = state.lang.get_untracked();
        let zip_name = format!("{}.zip", folder_name(&name));
        let result = match pack(&name, &project).await {
            Ok(bytes) => download_zip(&zip_name, &bytes).map_err(|e| failed(&zip_name, e)),
            Err(error) => Err(error),
        };
        if let Err(Failed { file, detail }) = result {
            state.fail(None, UiError::Browser { file: zip_name, detail: lang.publish_error(&file, &detail) });
        }
        BUSY.with(|b| b.set(false));
        packing.set(false);
    });
}

fn download_zip(name: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let array = Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/zip");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The download reads the URL after this task; free it a moment later.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(30));
    Ok(())
}
