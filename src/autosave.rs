//! Autosave: the project on screen is written to the browser's IndexedDB a moment after every change, and the
//! most recent one comes back when the tab is reloaded.
//!
//! A workshop's curation is an afternoon's work; a closed tab or a crashed browser must not take it. What is
//! saved is the project file the user can also download (`actions::project_text`), so restoring is opening a
//! project: no job, no worker, the map as it was. Saving never touches the map in memory; when the browser
//! refuses (full disk, private mode), the panel says so and the work stays on screen.
//!
//! A page opened to show a published project (`?project=…`) neither restores nor saves: it belongs to whoever
//! published it, not to the visitor's browser.

use std::sync::Arc;

use leptos::prelude::*;
use vejkort_protocol::InputFile;

use crate::state::AppState;
use crate::storage::{self, ProjectSummary, StorageError, WipeReport};

/// Quiet time after the last change before saving: a burst of edits is saved once.
const DEBOUNCE_MS: u64 = 700;

/// Where autosave stands, as the projects panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Nothing saved yet in this visit.
    Idle,
    Saving,
    /// Saved at this time (ms since the epoch).
    Saved(f64),
    Failed(StorageError),
    /// Turned off by the user, or after "Delete all my data".
    Off,
}

#[derive(Clone, Copy)]
pub struct Autosave {
    pub enabled: RwSignal<bool>,
    pub save_state: RwSignal<SaveState>,
    pub projects: RwSignal<Vec<ProjectSummary>>,
    /// Why the list could not be read, if it could not.
    pub list_error: RwSignal<Option<StorageError>>,
    pub wipe_result: RwSignal<Option<WipeReport>>,
    pub wiping: RwSignal<bool>,
    /// The id under which the project on screen is saved.
    current: StoredValue<Option<String>>,
    /// The input files of the map last saved: other files mean another project, the same files (a re-run with
    /// other columns) the same one.
    files: StoredValue<Option<Arc<Vec<InputFile>>>>,
    /// Bumped by every change; a scheduled save that sees a newer one leaves the saving to it.
    pending: StoredValue<u64>,
}

/// Whether the page was opened to show a published or linked project rather than the visitor's own work.
pub fn opened_for_a_link() -> bool {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).is_ok_and(|params| params.has("project"))
}

fn fresh_id() -> String {
    let now = js_sys::Date::now() as u64;
    let salt = (js_sys::Math::random() * 1e9) as u64;
    format!("p{now:x}{salt:x}")
}

/// A readable name for the project on screen: its first input file, else the date it was first saved.
fn project_name(state: AppState, lang: crate::i18n::Lang) -> String {
    let from_files = state.shown.with_untracked(|shown| {
        shown.files.first().map(|f| f.name.rsplit_once('.').map_or(f.name.clone(), |(stem, _)| stem.to_owned()))
    });
    from_files.unwrap_or_else(|| lang.strings().untitled_project.to_owned())
}

impl Autosave {
    /// Sets autosave up for the app: restores the latest project (unless the page shows a linked one) and saves
    /// after every change from then on.
    pub fn provide(state: AppState) -> Autosave {
        let linked = opened_for_a_link();
        let autosave = Autosave {
            enabled: RwSignal::new(!linked),
            save_state: RwSignal::new(if linked { SaveState::Off } else { SaveState::Idle }),
            projects: RwSignal::new(Vec::new()),
            list_error: RwSignal::new(None),
            wipe_result: RwSignal::new(None),
            wiping: RwSignal::new(false),
            current: StoredValue::new(None),
            files: StoredValue::new(None),
            pending: StoredValue::new(0),
        };
        provide_context(autosave);
        if !linked {
            leptos::task::spawn_local(async move { autosave.restore_latest(state).await });
        }
        // `revision` moves with every finished job, edit, undo, redo and opened project.
        Effect::new(move |_| {
            state.revision.track();
            // A tour is work too, and its edits are not cluster edits: without this, stops added after the last
            // edit were lost with the tab.
            state.tour.track();
            if state.analysis.with_untracked(Option::is_some) && autosave.enabled.get_untracked() {
                autosave.schedule(state);
            }
        });
        autosave
    }

    pub fn use_context() -> Autosave {
        expect_context::<Autosave>()
    }

    fn schedule(self, state: AppState) {
        let ticket = self.pending.get_value() + 1;
        self.pending.set_value(ticket);
        set_timeout(
            move || {
                if self.pending.get_value() == ticket {
                    leptos::task::spawn_local(async move { self.save_now(state).await });
                }
            },
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
    }

    /// Saves the project on screen now (under its id, or a new one when it came from other files).
    pub async fn save_now(self, state: AppState) {
        if !self.enabled.get_untracked() {
            return;
        }
        let Some(text) = crate::actions::project_text(state) else { return };
        let files = state.shown.with_untracked(|shown| Arc::clone(&shown.files));
        let same_files = self.files.with_value(|saved| saved.as_ref().is_some_and(|saved| Arc::ptr_eq(saved, &files)));
        if !same_files || self.current.with_value(Option::is_none) {
            self.current.set_value(Some(fresh_id()));
            self.files.set_value(Some(files));
        }
        let Some(id) = self.current.get_value() else { return };
        let (points, clusters) = state.analysis.with_untracked(|analysis| {
            analysis.as_ref().map_or((0, 0), |a| (a.positions.len(), a.clusters.iter().filter(|c| c.id >= 0).count()))
        });
        let name = match self.projects.with_untracked(|list| list.iter().find(|p| p.id == id).map(|p| p.name.clone())) {
            Some(name) if state.shown.with_untracked(|s| s.files.is_empty()) => name,
            _ => project_name(state, state.lang.get_untracked()),
        };
        let summary = ProjectSummary {
            id,
            name,
            saved: js_sys::Date::now(),
            points: points as u32,
            clusters: clusters as u32,
            size: text.len() as u32,
        };
        self.save_state.set(SaveState::Saving);
        match storage::save(&summary, &text).await {
            // A wipe may have started while this save was on its way; its word is the last.
            Ok(()) if !self.enabled.get_untracked() => {
                let _ = storage::delete(&summary.id).await;
            }
            Ok(()) => {
                self.save_state.set(SaveState::Saved(summary.saved));
                self.refresh().await;
            }
            Err(error) => self.save_state.set(SaveState::Failed(error)),
        }
    }

    /// Reads the list of saved projects again.
    pub async fn refresh(self) {
        match storage::list().await {
            Ok(list) => {
                self.projects.set(list);
                self.list_error.set(None);
            }
            Err(error) => self.list_error.set(Some(error)),
        }
    }

    async fn restore_latest(self, state: AppState) {
        self.refresh().await;
        let Some(latest) = self.projects.with_untracked(|list| list.first().cloned()) else { return };
        // The user may have loaded something while the database was being read: theirs wins.
        if state.analysis.with_untracked(Option::is_some) || state.running_job().is_some() {
            return;
        }
        self.open(state, latest).await;
    }

    /// Opens a saved project; from then on its changes are saved under its id.
    pub async fn open(self, state: AppState, summary: ProjectSummary) {
        match storage::read(&summary.id).await {
            Ok(Some(text)) => {
                let file = InputFile { name: summary.name.clone(), bytes: text.into_bytes() };
                crate::actions::open_project(state, &file);
                if state.analysis.with_untracked(Option::is_some) && state.error.with_untracked(Option::is_none) {
                    self.current.set_value(Some(summary.id));
                    self.files.set_value(Some(state.shown.with_untracked(|shown| Arc::clone(&shown.files))));
                }
            }
            Ok(None) => self.refresh().await,
            Err(error) => self.list_error.set(Some(error)),
        }
    }

    /// Deletes one saved project; the map on screen stays (and is saved anew on its next change).
    pub async fn delete(self, id: String) {
        if let Err(error) = storage::delete(&id).await {
            self.list_error.set(Some(error));
        }
        if self.current.with_value(|current| current.as_deref() == Some(id.as_str())) {
            self.current.set_value(None);
        }
        self.refresh().await;
    }

    /// Turns autosave on or off for this visit; turning it on saves the map on screen at once.
    pub fn set_enabled(self, state: AppState, enabled: bool) {
        self.enabled.set(enabled);
        self.save_state.set(if enabled { SaveState::Idle } else { SaveState::Off });
        if enabled && state.analysis.with_untracked(Option::is_some) {
            leptos::task::spawn_local(async move { self.save_now(state).await });
        }
    }

    /// "Delete all my data": stops autosaving for this visit (else the next edit would write it all back) and
    /// wipes the browser's storage of this origin. The map on screen stays until the tab is closed.
    pub async fn wipe(self) {
        self.enabled.set(false);
        self.save_state.set(SaveState::Off);
        self.pending.update_value(|ticket| *ticket += 1);
        self.wiping.set(true);
        self.wipe_result.set(None);
        let report = storage::wipe().await;
        self.current.set_value(None);
        self.files.set_value(None);
        self.projects.set(Vec::new());
        self.list_error.set(None);
        self.wiping.set(false);
        self.wipe_result.set(Some(report));
    }
}
