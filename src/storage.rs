//! What Vejkort keeps in the browser, and how all of it is wiped.
//!
//! Projects are saved in IndexedDB so a reload (or a crashed tab) does not lose a workshop's work: a small
//! summary per project for the list, and the project file itself (the engine's `project::save` text) apart from
//! it, so listing never reads megabytes. A connection is opened per operation and closed after it, so deleting
//! the database is never blocked by one of ours.
//!
//! "Delete all my data" must leave no trace of Vejkort in this browser: every IndexedDB database of the origin,
//! local and session storage, every Cache Storage cache (the worker's copy of the language model and the
//! service worker's copy of the app) and the service worker registration. It reports what it removed and checks
//! afterwards that nothing is left, so the message it shows is a finding, not a promise.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

pub const DATABASE: &str = "vejkort";
const VERSION: u32 = 1;
/// One small record per project: what the list shows.
const SUMMARIES: &str = "projects";
/// The project files, under the same keys as their summaries.
const FILES: &str = "project-files";
/// The worker's Cache Storage cache for the language model (crates/worker/src/model.rs).
pub const MODEL_CACHE_PREFIX: &str = "vejkort-models";

/// Why the browser refused to store or read something; `quota` when it ran out of room.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageError {
    pub name: String,
    pub detail: String,
}

impl StorageError {
    pub fn is_quota(&self) -> bool {
        self.name == "QuotaExceededError"
    }

    fn unavailable(detail: &str) -> Self {
        StorageError { name: "Unavailable".into(), detail: detail.into() }
    }

    fn from_js(value: JsValue) -> Self {
        if let Some(exception) = value.dyn_ref::<web_sys::DomException>() {
            return StorageError { name: exception.name(), detail: exception.message() };
        }
        if let Some(error) = value.dyn_ref::<js_sys::Error>() {
            return StorageError { name: String::from(error.name()), detail: String::from(error.message()) };
        }
        StorageError { name: "Error".into(), detail: value.as_string().unwrap_or_else(|| format!("{value:?}")) }
    }
}

/// What the list of local projects shows of one project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectSummary {
    pub id: String,
    pub name: String,
    /// Milliseconds since the epoch.
    pub saved: f64,
    pub points: u32,
    pub clusters: u32,
    /// Characters of the project file.
    pub size: u32,
}

impl ProjectSummary {
    fn to_js(&self) -> JsValue {
        let object = Object::new();
        let set = |key: &str, value: JsValue| drop(Reflect::set(&object, &JsValue::from_str(key), &value));
        set("id", JsValue::from_str(&self.id));
        set("name", JsValue::from_str(&self.name));
        set("saved", JsValue::from_f64(self.saved));
        set("points", JsValue::from(self.points));
        set("clusters", JsValue::from(self.clusters));
        set("size", JsValue::from(self.size));
        object.into()
    }

    /// A stored record; `None` for one this version cannot read (it is skipped, not fatal).
    fn from_js(value: &JsValue) -> Option<Self> {
        let get = |key: &str| Reflect::get(value, &JsValue::from_str(key)).ok();
        let number = |key: &str| get(key).and_then(|v| v.as_f64()).unwrap_or(0.0);
        Some(ProjectSummary {
            id: get("id")?.as_string()?,
            name: get("name").and_then(|v| v.as_string()).unwrap_or_default(),
            saved: number("saved"),
            points: number("points") as u32,
            clusters: number("clusters") as u32,
            size: number("size") as u32,
        })
    }
}

/// A promise that settles with an IndexedDB request: its result, or its error.
fn settle_request(request: &IdbRequest) -> Promise {
    let request = request.clone();
    Promise::new(&mut |resolve: Function, reject: Function| {
        let target = request.clone();
        // One closure serves both events (only one ever fires), so nothing is left behind uncalled.
        let finish = Closure::once_into_js(move |event: web_sys::Event| {
            if event.type_() == "success" {
                let _ = resolve.call1(&JsValue::NULL, &target.result().unwrap_or(JsValue::UNDEFINED));
            } else {
                let error = target.error().ok().flatten().map_or(JsValue::from_str("request failed"), JsValue::from);
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        });
        request.set_onsuccess(Some(finish.unchecked_ref()));
        request.set_onerror(Some(finish.unchecked_ref()));
    })
}

/// A promise that settles when a transaction commits, or is aborted (a full disk aborts it with
/// `QuotaExceededError`, which a single request's success does not reveal).
fn settle_transaction(transaction: &IdbTransaction) -> Promise {
    let transaction = transaction.clone();
    Promise::new(&mut |resolve: Function, reject: Function| {
        let target = transaction.clone();
        let finish = Closure::once_into_js(move |event: web_sys::Event| {
            if event.type_() == "complete" {
                let _ = resolve.call0(&JsValue::NULL);
            } else {
                let error = target.error().map_or(JsValue::from_str("transaction aborted"), JsValue::from);
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        });
        transaction.set_oncomplete(Some(finish.unchecked_ref()));
        transaction.set_onabort(Some(finish.unchecked_ref()));
    })
}

fn factory() -> Result<web_sys::IdbFactory, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::unavailable("no window"))?;
    window
        .indexed_db()
        .map_err(StorageError::from_js)?
        .ok_or_else(|| StorageError::unavailable("this browser offers no IndexedDB here"))
}

async fn open() -> Result<IdbDatabase, StorageError> {
    let request = factory()?.open_with_u32(DATABASE, VERSION).map_err(StorageError::from_js)?;
    let upgrade =
        Closure::<dyn Fn(web_sys::IdbVersionChangeEvent)>::new(move |event: web_sys::IdbVersionChangeEvent| {
            let Some(request) = event.target().and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok()) else {
                return;
            };
            let Ok(database) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
                return;
            };
            // Version 1 is the first: an upgrade only ever starts from an empty database.
            for store in [SUMMARIES, FILES] {
                let _ = database.create_object_store(store);
            }
        });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = JsFuture::from(settle_request(&request)).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    opened.map_err(StorageError::from_js)?.dyn_into::<IdbDatabase>().map_err(StorageError::from_js)
}

fn transaction(database: &IdbDatabase, mode: IdbTransactionMode) -> Result<IdbTransaction, StorageError> {
    let stores = Array::of2(&JsValue::from_str(SUMMARIES), &JsValue::from_str(FILES));
    database.transaction_with_str_sequence_and_mode(&stores, mode).map_err(StorageError::from_js)
}

/// Runs `body` on a fresh connection and closes it afterwards, whatever happened.
async fn with_database<T, F>(body: impl FnOnce(IdbDatabase) -> F) -> Result<T, StorageError>
where
    F: std::future::Future<Output = Result<T, StorageError>>,
{
    let database = open().await?;
    let closer = database.clone();
    let result = body(database).await;
    closer.close();
    result
}

/// Saves (or replaces) a project and its summary in one transaction: both or neither.
pub async fn save(summary: &ProjectSummary, text: &str) -> Result<(), StorageError> {
    with_database(|database| async move {
        let transaction = transaction(&database, IdbTransactionMode::Readwrite)?;
        let done = settle_transaction(&transaction);
        let key = JsValue::from_str(&summary.id);
        let put = |store: &str, value: &JsValue| -> Result<(), StorageError> {
            let store = transaction.object_store(store).map_err(StorageError::from_js)?;
            store.put_with_key(value, &key).map(drop).map_err(StorageError::from_js)
        };
        let written = put(FILES, &JsValue::from_str(text)).and_then(|()| put(SUMMARIES, &summary.to_js()));
        if let Err(error) = written {
            let _ = transaction.abort();
            let _ = JsFuture::from(done).await;
            return Err(error);
        }
        JsFuture::from(done).await.map(drop).map_err(StorageError::from_js)
    })
    .await
}

/// Every saved project's summary, the most recently saved first.
pub async fn list() -> Result<Vec<ProjectSummary>, StorageError> {
    // Opening creates the database; a visitor who never saved anything should not get one just by looking.
    if listed_databases().await.is_some_and(|names| !names.iter().any(|name| name == DATABASE)) {
        return Ok(Vec::new());
    }
    with_database(|database| async move {
        let transaction = transaction(&database, IdbTransactionMode::Readonly)?;
        let store = transaction.object_store(SUMMARIES).map_err(StorageError::from_js)?;
        let request = store.get_all().map_err(StorageError::from_js)?;
        let all = JsFuture::from(settle_request(&request)).await.map_err(StorageError::from_js)?;
        let mut summaries: Vec<ProjectSummary> =
            Array::from(&all).iter().filter_map(|value| ProjectSummary::from_js(&value)).collect();
        summaries.sort_by(|a, b| b.saved.total_cmp(&a.saved));
        Ok(summaries)
    })
    .await
}

/// A saved project's file, or `None` when there is none under that id.
pub async fn read(id: &str) -> Result<Option<String>, StorageError> {
    with_database(|database| async move {
        let transaction = transaction(&database, IdbTransactionMode::Readonly)?;
        let store = transaction.object_store(FILES).map_err(StorageError::from_js)?;
        let request = store.get(&JsValue::from_str(id)).map_err(StorageError::from_js)?;
        let value = JsFuture::from(settle_request(&request)).await.map_err(StorageError::from_js)?;
        Ok(value.as_string())
    })
    .await
}

/// Deletes one saved project.
pub async fn delete(id: &str) -> Result<(), StorageError> {
    with_database(|database| async move {
        let transaction = transaction(&database, IdbTransactionMode::Readwrite)?;
        let done = settle_transaction(&transaction);
        let key = JsValue::from_str(id);
        for store in [FILES, SUMMARIES] {
            let store = transaction.object_store(store).map_err(StorageError::from_js)?;
            store.delete(&key).map_err(StorageError::from_js)?;
        }
        JsFuture::from(done).await.map(drop).map_err(StorageError::from_js)
    })
    .await
}

/// What "Delete all my data" removed, and anything it found still there afterwards.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WipeReport {
    pub projects: usize,
    pub databases: usize,
    pub storage_items: usize,
    pub caches: usize,
    /// Whether the worker's cached copy of the language model was among the caches.
    pub model_removed: bool,
    pub service_workers: usize,
    /// What could not be removed or was still there when checked (e.g. "IndexedDB vejkort").
    pub left: Vec<String>,
}

/// The origin's IndexedDB database names: all of them where the browser can list them, else Vejkort's own.
async fn database_names() -> Vec<String> {
    listed_databases().await.unwrap_or_else(|| vec![DATABASE.to_owned()])
}

async fn delete_database(name: &str) -> Result<(), StorageError> {
    let request = factory()?.delete_database(name).map_err(StorageError::from_js)?;
    JsFuture::from(settle_request(&request)).await.map(drop).map_err(StorageError::from_js)
}

fn web_storages() -> Vec<(&'static str, web_sys::Storage)> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let mut storages = Vec::new();
    if let Ok(Some(local)) = window.local_storage() {
        storages.push(("localStorage", local));
    }
    if let Ok(Some(session)) = window.session_storage() {
        storages.push(("sessionStorage", session));
    }
    storages
}

fn cache_storage() -> Option<web_sys::CacheStorage> {
    // Cache Storage exists only in secure contexts (https, localhost); elsewhere there is nothing to delete.
    let window = web_sys::window()?;
    Reflect::get(&window, &JsValue::from_str("caches")).ok()?.dyn_into::<web_sys::CacheStorage>().ok()
}

async fn cache_names() -> Vec<String> {
    let Some(caches) = cache_storage() else { return Vec::new() };
    match JsFuture::from(caches.keys()).await {
        Ok(keys) => Array::from(&keys).iter().filter_map(|k| k.as_string()).collect(),
        Err(_) => Vec::new(),
    }
}

fn service_workers() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Absent outside secure contexts; `navigator.serviceWorker()` would throw there.
    Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).ok()?.dyn_into().ok()
}

async fn registrations() -> Vec<web_sys::ServiceWorkerRegistration> {
    let Some(container) = service_workers() else { return Vec::new() };
    match JsFuture::from(container.get_registrations()).await {
        Ok(list) => Array::from(&list).iter().filter_map(|r| r.dyn_into().ok()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Deletes everything Vejkort (or anything else on this origin) stored in the browser, then looks again.
pub async fn wipe() -> WipeReport {
    let mut report = WipeReport { projects: list().await.map_or(0, |projects| projects.len()), ..Default::default() };

    for registration in registrations().await {
        // An unregistered worker keeps serving this page until it closes; told to forget, it stops copying.
        for worker in [registration.installing(), registration.waiting(), registration.active()].into_iter().flatten() {
            let _ = worker.post_message(&JsValue::from_str("vejkort:forget"));
        }
        let unregistered = match registration.unregister() {
            Ok(promise) => JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        };
        if unregistered {
            report.service_workers += 1;
        } else {
            report.left.push(format!("service worker {}", registration.scope()));
        }
    }
    if let Some(caches) = cache_storage() {
        for name in cache_names().await {
            match JsFuture::from(caches.delete(&name)).await {
                Ok(_) => {
                    report.caches += 1;
                    report.model_removed |= name.starts_with(MODEL_CACHE_PREFIX);
                }
                Err(_) => report.left.push(format!("Cache Storage {name}")),
            }
        }
    }
    for (kind, storage) in web_storages() {
        report.storage_items += storage.length().unwrap_or(0) as usize;
        if storage.clear().is_err() {
            report.left.push(kind.to_owned());
        }
    }
    for name in database_names().await {
        match delete_database(&name).await {
            Ok(()) => report.databases += 1,
            Err(error) => report.left.push(format!("IndexedDB {name} ({})", error.name)),
        }
    }

    // Look again, so the message reports what is actually left rather than what was attempted.
    let mut left = Vec::new();
    if !registrations().await.is_empty() {
        left.push("service worker".to_owned());
    }
    left.extend(cache_names().await.into_iter().map(|name| format!("Cache Storage {name}")));
    for (kind, storage) in web_storages() {
        if storage.length().unwrap_or(0) > 0 {
            left.push(kind.to_owned());
        }
    }
    if let Some(listed) = listed_databases().await {
        left.extend(listed.into_iter().map(|name| format!("IndexedDB {name}")));
    }
    for item in left {
        if !report.left.iter().any(|known| known.starts_with(&item) || item.starts_with(known.as_str())) {
            report.left.push(item);
        }
    }
    report
}

/// The databases the browser lists, or `None` where it cannot list them (then nothing can be checked).
async fn listed_databases() -> Option<Vec<String>> {
    let factory = factory().ok()?;
    let lister = Reflect::get(&factory, &JsValue::from_str("databases")).ok()?.dyn_into::<Function>().ok()?;
    let promise = lister.call0(&factory).ok()?.dyn_into::<Promise>().ok()?;
    let list = JsFuture::from(promise).await.ok()?;
    Some(
        Array::from(&list)
            .iter()
            .filter_map(|info| Reflect::get(&info, &JsValue::from_str("name")).ok()?.as_string())
            .collect(),
    )
}

/// Registers the service worker that keeps the app usable offline (public/sw.js). Only where the browser
/// allows one (https, localhost; not `file://`); a refusal is not an error, the app simply needs the network.
pub fn register_service_worker() {
    let Some(container) = service_workers() else { return };
    let registering = container.register("./sw.js");
    leptos::task::spawn_local(async move {
        if let Err(error) = JsFuture::from(registering).await {
            web_sys::console::warn_2(&JsValue::from_str("Vejkort works online only here:"), &error);
        }
    });
}
