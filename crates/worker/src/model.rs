//! The sentence-embedding model, and the static word-vector table of instant mode, inside the worker: each
//! fetched once from the app's own origin, kept in the browser's Cache Storage so later visits never download it
//! again, and held in memory between jobs.
//!
//! Nothing here leaves the origin: the model is a file the app serves (`models/e5-small-q4.bin`), and the cache
//! is the browser's own. When the file is missing (a build without the model) the job goes on with TF-IDF and
//! the UI says so; a damaged cached copy is dropped and fetched again.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use vejkort_embed::static_table::StaticTable;
use vejkort_embed::{Model, Prefix};
use vejkort_engine::dataset::Vectors;
use vejkort_engine::pipeline::Embedder;
use vejkort_engine::progress::{Cancelled, ProgressSink, Stage};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, DedicatedWorkerGlobalScope, ReadableStreamDefaultReader, Response};

/// Where the app serves the model, relative to the worker script.
pub const MODEL_PATH: &str = "models/e5-small-q4.bin";
/// The model's name as the UI shows it.
pub const MODEL_NAME: &str = "multilingual-e5-small (4-bit)";
/// Where the app serves the static word-vector table for instant mode (`vejkort-distil` writes it at setup).
pub const STATIC_PATH: &str = "models/e5-small-static.bin";
/// The table's name as the UI shows it.
pub const STATIC_NAME: &str = "static word vectors of multilingual-e5-small";
/// Bump when the model file changes, so browsers fetch the new one instead of using the cached one.
const CACHE_NAME: &str = "vejkort-models-v1";

thread_local! {
    static LOADED: RefCell<Option<Rc<Model>>> = const { RefCell::new(None) };
    static LOADED_STATIC: RefCell<Option<Rc<StaticTable>>> = const { RefCell::new(None) };
}

/// Why no model could be had; the job then falls back to TF-IDF.
#[derive(Debug)]
pub struct Unavailable(pub String);

fn js_error(value: JsValue) -> Unavailable {
    Unavailable(value.as_string().unwrap_or_else(|| format!("{value:?}")))
}

/// The model, from memory, the browser's cache or the origin, in that order; progress of download and load
/// goes to `progress`.
pub async fn load(
    scope: &DedicatedWorkerGlobalScope,
    progress: &mut dyn ProgressSink,
) -> Result<Rc<Model>, Unavailable> {
    if let Some(model) = LOADED.with(|loaded| loaded.borrow().clone()) {
        return Ok(model);
    }
    let model = Rc::new(
        load_file(scope, MODEL_PATH, progress, |bytes| Model::from_bytes(bytes).map_err(|e| e.to_string())).await?,
    );
    LOADED.with(|loaded| *loaded.borrow_mut() = Some(model.clone()));
    Ok(model)
}

/// The static word-vector table for instant mode, found and kept exactly as the model is.
pub async fn load_static(
    scope: &DedicatedWorkerGlobalScope,
    progress: &mut dyn ProgressSink,
) -> Result<Rc<StaticTable>, Unavailable> {
    if let Some(table) = LOADED_STATIC.with(|loaded| loaded.borrow().clone()) {
        return Ok(table);
    }
    let table = Rc::new(
        load_file(scope, STATIC_PATH, progress, |bytes| StaticTable::from_bytes(&bytes).map_err(|e| e.to_string()))
            .await?,
    );
    LOADED_STATIC.with(|loaded| *loaded.borrow_mut() = Some(table.clone()));
    Ok(table)
}

/// A file the app serves at `path`, from the browser's cache or else the origin, turned into a `T` by `parse`. A
/// fresh download is stored in the cache once it has parsed; a cached copy that does not parse is dropped.
async fn load_file<T>(
    scope: &DedicatedWorkerGlobalScope,
    path: &str,
    progress: &mut dyn ProgressSink,
    parse: impl FnOnce(Vec<u8>) -> Result<T, String>,
) -> Result<T, Unavailable> {
    let cache = open_cache(scope).await;
    let mut bytes = match &cache {
        Some(cache) => cached(cache, path).await,
        None => None,
    };
    let from_cache = bytes.is_some();
    if bytes.is_none() {
        bytes = Some(download(scope, path, progress).await?);
    }
    let bytes = bytes.unwrap_or_default();
    let _ = progress.report(Stage::LoadingModel, 0.0);
    let stored = (!from_cache).then(|| bytes.clone());
    let loaded = match parse(bytes) {
        Ok(loaded) => loaded,
        Err(error) => {
            // A damaged copy must not stay in the cache, or every visit would fail the same way.
            if let Some(cache) = &cache {
                let _ = JsFuture::from(cache.delete_with_str(path)).await;
            }
            return Err(Unavailable(format!("{path}: {error}")));
        }
    };
    if let (Some(cache), Some(mut stored)) = (&cache, stored) {
        if let Ok(response) = Response::new_with_opt_u8_array(Some(&mut stored)) {
            let _ = JsFuture::from(cache.put_with_str(path, &response)).await;
        }
    }
    let _ = progress.report(Stage::LoadingModel, 1.0);
    Ok(loaded)
}

async fn open_cache(scope: &DedicatedWorkerGlobalScope) -> Option<Cache> {
    // Cache Storage needs a secure context (https or localhost); elsewhere the model is simply fetched each time.
    let storage = scope.caches().ok()?;
    JsFuture::from(storage.open(CACHE_NAME)).await.ok()?.dyn_into::<Cache>().ok()
}

async fn cached(cache: &Cache, path: &str) -> Option<Vec<u8>> {
    let found = JsFuture::from(cache.match_with_str(path)).await.ok()?;
    let response: Response = found.dyn_into().ok()?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// Fetches a file from the origin, reading the body in chunks so the bar can show the download.
async fn download(
    scope: &DedicatedWorkerGlobalScope,
    path: &str,
    progress: &mut dyn ProgressSink,
) -> Result<Vec<u8>, Unavailable> {
    let _ = progress.report_count(Stage::Downloading, 0, 0);
    let response: Response =
        JsFuture::from(scope.fetch_with_str(path)).await.map_err(js_error)?.dyn_into().map_err(js_error)?;
    if !response.ok() {
        return Err(Unavailable(format!("{path}: HTTP {}", response.status())));
    }
    let total: usize =
        response.headers().get("content-length").ok().flatten().and_then(|length| length.parse().ok()).unwrap_or(0);
    let Some(body) = response.body() else {
        return Err(Unavailable(format!("{path}: empty response")));
    };
    let reader: ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|_| Unavailable("the response body cannot be read".into()))?;
    let mut bytes = Vec::with_capacity(total);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(js_error)?;
        let done = Reflect::get(&chunk, &"done".into()).map_err(js_error)?.as_bool().unwrap_or(true);
        if done {
            break;
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(js_error)?;
        bytes.extend_from_slice(&Uint8Array::new(&value).to_vec());
        // Counted in megabytes so the UI's rate reads as MB/s.
        let _ = progress.report_count(Stage::Downloading, bytes.len() >> 20, total >> 20);
    }
    Ok(bytes)
}

/// The embed crate's progress callback for one engine callback: the two crates each have their own `Cancelled`
/// (the embed crate knows nothing of the engine), so cancelling crosses over twice.
pub fn embed_bridged(
    dim: usize,
    progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    run: impl FnOnce(
        &mut dyn FnMut(usize, usize) -> Result<(), vejkort_embed::Cancelled>,
    ) -> Result<Vec<f32>, vejkort_embed::Cancelled>,
) -> Result<Vectors, Cancelled> {
    let values =
        run(&mut |done, total| progress(done, total).map_err(|_| vejkort_embed::Cancelled)).map_err(|_| Cancelled)?;
    Ok(Vectors { dim, values })
}

/// The engine's view of the model: statements in, unit vectors out.
pub struct E5 {
    pub model: Rc<Model>,
}

impl Embedder for E5 {
    fn name(&self) -> String {
        MODEL_NAME.to_owned()
    }

    fn embed(
        &mut self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vectors, Cancelled> {
        // e5 is trained with "query: " for symmetric tasks such as clustering (its model card).
        embed_bridged(self.model.dim(), progress, |bridged| self.model.embed(texts, Prefix::Query, bridged))
    }
}

/// The engine's view of the static table: a lookup per word piece, no transformer.
pub struct StaticVectors {
    pub table: Rc<StaticTable>,
}

impl Embedder for StaticVectors {
    fn name(&self) -> String {
        STATIC_NAME.to_owned()
    }

    fn embed(
        &mut self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vectors, Cancelled> {
        // No "query: " prefix: in a mean of piece vectors it would add the same vector to every statement.
        embed_bridged(self.table.dim(), progress, |bridged| self.table.embed(texts, bridged))
    }
}
