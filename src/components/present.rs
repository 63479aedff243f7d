//! Presenter mode and shared links: what a facilitator shows a room, and what a published link reopens.
//!
//! Presenter mode puts the map alone on the screen (full screen where the browser allows it, large type, high
//! contrast) and lets a presentation clicker step through the tour: clickers send arrow keys, space and
//! PageUp/PageDown, so those step instead of panning while presenting. The same place keeps the address bar's
//! hash in step with the view (so any screen can be shared as a link) and opens a `?project=` link on start.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use vejkort_engine::project::SavedView;
use vejkort_protocol::InputFile;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::filters::Filters;
use crate::share::{self, LinkProblem, PageRequest};
use crate::state::{AppState, UiError};

/// The address bar follows the view at most this often (browsers throttle `history.replaceState`).
const HASH_DELAY_MS: u64 = 250;

/// The view on screen, as a tour stop or a link keeps it.
pub fn capture(state: AppState) -> SavedView {
    untrack(|| watch_view(state))
}

/// The view on screen, read so that the caller follows its changes.
fn watch_view(state: AppState) -> SavedView {
    SavedView {
        framing: state.framing.get(),
        focused_way: state.focused_way.get(),
        focused_cluster: state.highlighted.get(),
        excluded: state.filters.with(|f| f.excluded.clone()),
        search: state.search.get(),
    }
}

/// Shows a saved view: focus, filters and search at once, the camera flown there (or jumped, when `animate` is
/// false). A way or cluster this map does not have, or a filter on a column it lacks, is skipped.
pub fn apply(state: AppState, view: &SavedView, animate: bool) {
    let (clusters_ok, columns) = state.analysis.with_untracked(|a| match a {
        Some(a) => (view.focused_cluster.is_some_and(|id| a.cluster(id).is_some()), a.columns.len()),
        None => (false, 0),
    });
    let way = view.focused_way.filter(|id| state.ways.with_untracked(|w| w.ways.iter().any(|way| way.id == *id)));
    state.focused_way.set(way);
    state.highlighted.set(view.focused_cluster.filter(|_| clusters_ok));
    let excluded = view.excluded.iter().filter(|(&column, _)| column < columns).map(|(&c, v)| (c, v.clone())).collect();
    state.filters.set(Filters { excluded });
    state.search.set(view.search.clone());
    state.framing_goal.set(Some((view.framing, animate)));
}

/// Shows stop `index` of the tour, if there is one.
pub fn go_to_stop(state: AppState, index: usize) {
    let Some(stop) = state.tour.with_untracked(|tour| tour.get(index).cloned()) else { return };
    state.tour_at.set(Some(index));
    apply(state, &stop.view, true);
}

/// Moves through the tour by `delta` stops, staying within it.
pub fn step(state: AppState, delta: isize) {
    let len = state.tour.with_untracked(Vec::len);
    if len == 0 {
        return;
    }
    let next = match state.tour_at.get_untracked() {
        None => 0,
        Some(at) => at.saturating_add_signed(delta).min(len - 1),
    };
    go_to_stop(state, next);
}

/// Calls a method that returns a promise, ignoring a refusal (full screen is refused outside a user gesture and
/// in headless browsers; presenter mode works without it).
fn call_quietly(target: &JsValue, method: &str) {
    let Ok(function) = js_sys::Reflect::get(target, &JsValue::from_str(method)) else { return };
    let Ok(function) = function.dyn_into::<js_sys::Function>() else { return };
    if let Ok(result) = function.call0(target) {
        if let Ok(promise) = result.dyn_into::<js_sys::Promise>() {
            let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
            let _ = promise.catch(&ignore);
            ignore.forget();
        }
    }
}

pub fn start_presenting(state: AppState) {
    state.presenting.set(true);
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        call_quietly(&root, "requestFullscreen");
    }
    if state.tour.with_untracked(|t| !t.is_empty()) {
        // A presentation starts at the beginning, whichever stop was looked at while building it.
        go_to_stop(state, 0);
    }
}

pub fn stop_presenting(state: AppState) {
    state.presenting.set(false);
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if document.fullscreen_element().is_some() {
            call_quietly(&document, "exitFullscreen");
        }
    }
}

/// Whether a key press belongs to a field being typed in rather than to the presentation.
fn typing(event: &web_sys::KeyboardEvent) -> bool {
    event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|element| {
        matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || element.get_attribute("contenteditable").is_some()
    })
}

/// Presentation keys, caught before the map sees them (its arrow keys pan).
fn listen_for_clicker(state: AppState) {
    let Some(window) = web_sys::window() else { return };
    let handler = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
        if !state.presenting.get_untracked()
            || typing(&event)
            || event.ctrl_key()
            || event.meta_key()
            || event.alt_key()
        {
            return;
        }
        let has_tour = state.tour.with_untracked(|t| !t.is_empty());
        match event.key().as_str() {
            "ArrowRight" | "ArrowDown" | "PageDown" | " " | "Spacebar" if has_tour => step(state, 1),
            "ArrowLeft" | "ArrowUp" | "PageUp" if has_tour => step(state, -1),
            "Home" if has_tour => go_to_stop(state, 0),
            "End" if has_tour => go_to_stop(state, state.tour.with_untracked(Vec::len) - 1),
            "Escape" => stop_presenting(state),
            "h" | "H" => state.hide_statements.update(|hide| *hide = !*hide),
            _ => return,
        }
        event.prevent_default();
        event.stop_propagation();
    });
    let _ = window.add_event_listener_with_callback_and_bool("keydown", handler.as_ref().unchecked_ref(), true);
    handler.forget();
}

/// The page's address with `hash` (without `#`).
fn link_with(hash: &str) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    let base = format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if hash.is_empty() {
        base
    } else {
        format!("{base}#{hash}")
    }
}

/// Keeps the address bar's hash in step with the view, once the view a link asked for has been shown.
fn follow_view_in_hash(state: AppState, live: RwSignal<bool>) {
    let pending = Rc::new(Cell::new(false));
    Effect::new(move |_| {
        watch_view(state);
        if !live.get() || state.analysis.with(Option::is_none) || pending.replace(true) {
            return;
        }
        let pending = Rc::clone(&pending);
        set_timeout(
            move || {
                pending.set(false);
                let hash = share::encode(&capture(state));
                if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&link_with(&hash)));
                }
            },
            std::time::Duration::from_millis(HASH_DELAY_MS),
        );
    });
}

async fn fetch_project(target: &str) -> Result<Vec<u8>, LinkProblem> {
    let window = web_sys::window().ok_or(LinkProblem::Fetch { detail: "no window".into() })?;
    let fetched = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(target)).await.map_err(|error| {
        // A refused request (policy, network) rejects with a TypeError whose message is all the page learns.
        let detail = js_sys::Reflect::get(&error, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{error:?}"));
        LinkProblem::Fetch { detail }
    })?;
    let response: web_sys::Response = fetched.unchecked_into();
    if !response.ok() {
        return Err(LinkProblem::Fetch { detail: format!("HTTP {} {}", response.status(), response.status_text()) });
    }
    let buffer = response.array_buffer().map_err(|error| LinkProblem::Fetch { detail: format!("{error:?}") })?;
    let buffer = wasm_bindgen_futures::JsFuture::from(buffer)
        .await
        .map_err(|error| LinkProblem::Fetch { detail: format!("{error:?}") })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Opens the project a `?project=` link names, then shows the view its hash holds. Errors name the link and
/// what went wrong; nothing but the page's own origin is ever asked.
/// Without a hash the project opens as it was saved.
fn open_linked_project(state: AppState, target: String, view: Option<SavedView>, live: RwSignal<bool>) {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let url = match share::project_target(&target, &origin) {
        Ok(url) => url,
        Err(problem) => return state.fail(None, UiError::Link { target, problem }),
    };
    leptos::task::spawn_local(async move {
        let bytes = match fetch_project(&url).await {
            Ok(bytes) => bytes,
            Err(problem) => return state.fail(None, UiError::Link { target, problem }),
        };
        if !vejkort_engine::project::looks_like_project(&bytes) {
            return state.fail(None, UiError::Link { target, problem: LinkProblem::NotAProject });
        }
        if let Some(framing) = view.as_ref().and_then(|view| view.framing) {
            crate::components::map::open_next_map_framed(framing);
        }
        let name = target.rsplit('/').next().unwrap_or(&target).to_owned();
        crate::actions::open_project(state, &InputFile { name, bytes });
        if state.error.with_untracked(Option::is_none) {
            if let Some(view) = view {
                // The camera was handed to the new map above; the rest of the view is state.
                apply(state, &SavedView { framing: None, ..view }, false);
                state.framing_goal.set(None);
            }
            live.set(true);
        }
    });
}

/// Reads the page's address on start: the mode, the project to open and the view to show.
pub fn start(state: AppState) {
    let location = web_sys::window().map(|w| w.location());
    let search = location.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
    let hash = location.as_ref().and_then(|l| l.hash().ok()).unwrap_or_default();
    let request = PageRequest::parse(&search);
    state.explore.set(request.explore);
    let live = RwSignal::new(request.project.is_none());
    follow_view_in_hash(state, live);
    listen_for_clicker(state);
    mark_root(state);
    if let Some(target) = request.project {
        let view = (!hash.trim_start_matches('#').is_empty()).then(|| share::decode(&hash));
        open_linked_project(state, target, view, live);
    }
    if request.present {
        state.presenting.set(true);
    }
}

/// Classes on `<html>` that the style sheet reads: presenter mode, hidden statements, the read-only explorer.
fn mark_root(state: AppState) {
    Effect::new(move |_| {
        let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else {
            return;
        };
        let classes = root.class_list();
        for (class, on) in [
            ("presenting", state.presenting.get()),
            ("hide-statements", state.hide_statements.get()),
            ("explore", state.explore.get()),
        ] {
            let _ = if on { classes.add_1(class) } else { classes.remove_1(class) };
        }
    });
}

/// Writes `text` to the clipboard; false when the browser refuses (no permission, no clipboard).
async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let Ok(clipboard) = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard")) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else { return false };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else { return false };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else { return false };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else { return false };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Above the map: enter presenter mode, and the link to this view. While presenting: the caption, where in the
/// tour the room is, and the controls a mouse needs (keys do the same).
#[component]
pub fn PresenterBar() -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let has_map = move || state.analysis.with(Option::is_some);
    let link = RwSignal::new(String::new());
    let copied = RwSignal::new(None::<bool>);
    let open_share = RwSignal::new(false);
    let has_project_link = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|search| PageRequest::parse(&search).project.is_some());
    let show_link = move || {
        link.set(link_with(&share::encode(&capture(state))));
        copied.set(None);
        open_share.update(|open| *open = !*open);
    };
    let copy = move || {
        let text = link.get_untracked();
        leptos::task::spawn_local(async move { copied.set(Some(copy_to_clipboard(&text).await)) });
    };
    let position = move || {
        let total = state.tour.with(Vec::len);
        state.lang.get().tour_position(state.tour_at.get().map_or(0, |at| at + 1), total)
    };
    let caption = move || {
        let at = state.tour_at.get()?;
        state.tour.with(|tour| tour.get(at).map(|stop| stop.caption.clone()))
    };

    view! {
        <div
            class="presenter-bar"
            data-testid="presenter-bar"
            data-presenting=move || state.presenting.get().to_string()
            data-view=move || share::encode(&watch_view(state))
        >
            <Show
                when=move || state.presenting.get()
                fallback=move || view! {
                    <div class="presenter-start">
                        <button class="button" data-testid="present" disabled=move || !has_map() on:click=move |_| start_presenting(state)>
                            {move || text().present}
                        </button>
                        <button
                            class="button subtle"
                            data-testid="share"
                            aria-expanded=move || open_share.get().to_string()
                            disabled=move || !has_map()
                            on:click=move |_| show_link()
                        >
                            {move || text().share_view}
                        </button>
                        <Show when=move || open_share.get()>
                            <div class="share-box">
                                <label class="share-label">
                                    <span>{move || text().share_view}</span>
                                    <input
                                        type="text"
                                        readonly
                                        data-testid="share-link"
                                        prop:value=move || link.get()
                                        on:focus=move |event| {
                                            if let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                                input.select();
                                            }
                                        }
                                    />
                                </label>
                                <button class="button" data-testid="copy-link" on:click=move |_| copy()>{move || text().copy_link}</button>
                                <span class="share-status" data-testid="share-status" role="status">
                                    {move || match copied.get() {
                                        Some(true) => text().link_copied,
                                        Some(false) => text().link_copy_refused,
                                        None => "",
                                    }}
                                </span>
                                {(!has_project_link).then(|| view! { <p class="share-note">{move || text().share_needs_project}</p> })}
                            </div>
                        </Show>
                    </div>
                }
            >
                <div class="presenter-controls" role="group" aria-label=move || text().present>
                    <p class="tour-caption" data-testid="tour-caption" aria-live="polite">{caption}</p>
                    <div class="presenter-buttons">
                        <button class="button" data-testid="tour-prev" aria-label=move || text().tour_previous on:click=move |_| step(state, -1)>"←"</button>
                        <span class="tour-position" data-testid="tour-position">{position}</span>
                        <button class="button" data-testid="tour-next" aria-label=move || text().tour_next on:click=move |_| step(state, 1)>"→"</button>
                        <button
                            class="button subtle"
                            data-testid="hide-statements"
                            aria-pressed=move || state.hide_statements.get().to_string()
                            on:click=move |_| state.hide_statements.update(|hide| *hide = !*hide)
                        >
                            {move || if state.hide_statements.get() { text().show_statements } else { text().hide_statements }}
                        </button>
                        <button class="button subtle" data-testid="present-exit" on:click=move |_| stop_presenting(state)>
                            {move || text().present_exit}
                        </button>
                    </div>
                    <p class="presenter-keys">{move || text().presenter_keys}</p>
                </div>
            </Show>
        </div>
    }
}
