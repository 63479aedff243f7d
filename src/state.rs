//! The application's state, shared by all components through one context.
//!
//! Signals hold only what cannot be derived: the status, for one, follows from whether a job runs, an error
//! stands or a map exists. The files and options of the map on screen are kept apart from those of a running
//! job, so a failed or cancelled job never takes the current map with it.

use std::sync::Arc;

use leptos::prelude::*;
use vejkort_engine::curation::{Curator, Edit, EditError};
use vejkort_engine::ways::Ways;
use vejkort_protocol::{Analysis, AnalysisError, AnalysisOptions, InputFile, JobId, Progress};

use crate::components::filters::Filters;
use crate::i18n::Lang;
use crate::worker_client::WorkerClient;

/// What the app is doing, as `data-status` on the root shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Empty,
    Working,
    Ready,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Empty => "empty",
            Status::Working => "working",
            Status::Ready => "ready",
            Status::Error => "error",
        }
    }
}

/// Problems the UI shows; analysis errors are kept structured so they are re-worded when the language changes.
#[derive(Debug, Clone, PartialEq)]
pub enum UiError {
    Analysis(AnalysisError),
    WorkerCrashed(String),
    /// Reading a file in the browser failed (permissions, a file that vanished) or the example did not load.
    Browser {
        file: String,
        detail: String,
    },
    /// A project file did not open; kept structured so its message follows the language.
    Project {
        file: String,
        error: vejkort_engine::project::ProjectError,
    },
    /// A `?project=` link could not be followed; kept structured so its message follows the language.
    Link {
        target: String,
        problem: crate::share::LinkProblem,
    },
    /// The user's own model folder could not be used.
    ModelFolder(vejkort_protocol::ModelFolderError),
    /// Files refused before reading, as too big to analyse in a browser tab.
    TooLarge(vejkort_engine::io::limits::TooLarge),
    /// The browser would not give the memory to hold a file's bytes.
    NoMemory {
        file: String,
        bytes: u64,
    },
}

/// Where the user's own model folder stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum OwnModelStatus {
    #[default]
    None,
    /// The files went to the worker; the next job builds the model.
    Loading {
        folder: String,
    },
    Loaded {
        name: String,
        dimensions: u32,
    },
    Failed(vejkort_protocol::ModelFolderError),
}

impl UiError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            UiError::Analysis(error) => lang.error(error),
            UiError::WorkerCrashed(detail) => format!("{} ({detail})", lang.strings().worker_crashed),
            UiError::Browser { file, detail } => format!("{file}: {detail}"),
            UiError::Project { file, error } => lang.project_error(file, error),
            UiError::Link { target, problem } => lang.link_error(target, problem),
            UiError::ModelFolder(error) => lang.model_folder_error(error),
            UiError::TooLarge(refusal) => lang.too_large(refusal),
            UiError::NoMemory { file, bytes } => lang.no_memory(file, *bytes),
        }
    }
}

/// The files and options behind a map (or behind the job that will make one).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inputs {
    pub files: Arc<Vec<InputFile>>,
    pub options: AnalysisOptions,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    /// The map on screen: the job's analysis with the person's edits written into it.
    pub analysis: RwSignal<Option<Arc<Analysis>>>,
    /// The job's analysis as the machine made it; edits are replayed onto a copy of it.
    pub machine: StoredValue<Option<Arc<Analysis>>>,
    /// The person's edits of clusters and ways, with undo and redo. `None` until a map exists.
    pub curator: StoredValue<Option<Curator>, LocalStorage>,
    /// Bumped after every edit, undo or redo, so what reads the curator (log, undo buttons) follows it.
    pub revision: RwSignal<u64>,
    /// The last edit that was refused, and why.
    pub edit_error: RwSignal<Option<EditError>>,
    /// The inputs of the map on screen.
    pub shown: RwSignal<Inputs>,
    /// The job running now and its inputs.
    pub job: RwSignal<Option<(JobId, Inputs)>>,
    pub progress: RwSignal<Option<Progress>>,
    /// When the running stage's counted progress began (milliseconds, items done then), for a rate and time left.
    pub rate_origin: RwSignal<Option<(f64, u32)>>,
    /// The running job's map while its layout converges; drawn instead of the old map until the job is done.
    pub live_positions: RwSignal<Option<Arc<Vec<[f32; 2]>>>>,
    /// How many intermediate layouts the last job showed (on the map element, for tests and the curious).
    pub live_frames: RwSignal<u32>,
    pub error: RwSignal<Option<UiError>>,
    pub ways: RwSignal<Ways>,
    /// The cluster picked in the legend, drawn emphasised while the rest fade.
    pub highlighted: RwSignal<Option<i32>>,
    /// The way in focus: the map dims everything outside it and hides the other ways' outlines.
    pub focused_way: RwSignal<Option<u32>>,
    /// The analysis worker; `None` until [`crate::actions::start_worker`] runs (and in native tests).
    pub worker: StoredValue<Option<WorkerClient>, LocalStorage>,
    /// The statements picked with the lasso or in the table (point indices, ascending).
    pub selection: RwSignal<Vec<usize>>,
    /// The statement whose card is open.
    pub pinned: RwSignal<Option<usize>>,
    /// The search box's text: points whose statement or metadata contain it stand out, the rest dim.
    pub search: RwSignal<String>,
    /// Values the filters leave out, per column: those points dim, they never vanish.
    pub filters: RwSignal<Filters>,
    /// Whether a drag on the map draws a lasso instead of panning.
    pub lasso: RwSignal<bool>,
    pub table_open: RwSignal<bool>,
    /// Where the map's camera should fly next (world bounds `[min_x, min_y, max_x, max_y]`); set anew to fly again.
    pub fly_to: RwSignal<Option<[f32; 4]>>,
    /// Whether the map is shown as one map per kind of statement (the "corners") instead of one map.
    pub corners: RwSignal<bool>,
    /// The statement under the pointer in one of the corner maps.
    pub corner_hover: RwSignal<Option<usize>>,
    /// Statements brushed across the corners: every statement by the respondents of the picked ones.
    pub brushed: RwSignal<Vec<usize>>,
    /// A clicked brush stays while the pointer moves on; a hovered one follows the pointer.
    pub brush_pinned: RwSignal<bool>,
    /// Whether the map's points are coloured by the conflict lens instead of by cluster.
    pub lens_colour: RwSignal<bool>,
    /// Whether the map's points are sized by their cluster's scale.
    pub lens_size: RwSignal<bool>,
    /// The presenter's tour, in order; saved in the project file.
    pub tour: RwSignal<Vec<vejkort_engine::project::TourStop>>,
    /// Presenter mode: the map alone, full screen, large type, high contrast; keys step through the tour.
    pub presenting: RwSignal<bool>,
    /// The tour stop shown last, from presenter mode or the tour list.
    pub tour_at: RwSignal<Option<usize>>,
    /// Presenter mode may hide the statements' own words, for rooms not meant to read them.
    pub hide_statements: RwSignal<bool>,
    /// The read-only explorer of a published project (`?mode=explore`): editing controls are hidden.
    pub explore: RwSignal<bool>,
    /// What the main map shows, as the map reports it while its camera moves.
    pub framing: RwSignal<Option<vejkort_engine::project::Framing>>,
    /// Where the main map should go next (`None` inside: the whole map) and whether to fly there.
    pub framing_goal: RwSignal<Option<(Option<vejkort_engine::project::Framing>, bool)>>,
    /// The user's own model folder: chosen, loading, loaded or refused.
    pub own_model: RwSignal<OwnModelStatus>,
    /// "Your own model" is chosen in the method panel: its picker shows, also before a folder works.
    pub own_model_open: RwSignal<bool>,
    /// Statements placed into the map during a workshop, and the request placing more.
    pub live_statements: crate::components::live::LiveStatements,
}

impl AppState {
    pub fn new(lang: Lang) -> Self {
        AppState {
            lang: RwSignal::new(lang),
            analysis: RwSignal::new(None),
            machine: StoredValue::new(None),
            curator: StoredValue::new_local(None),
            revision: RwSignal::new(0),
            edit_error: RwSignal::new(None),
            shown: RwSignal::new(Inputs::default()),
            job: RwSignal::new(None),
            progress: RwSignal::new(None),
            rate_origin: RwSignal::new(None),
            live_positions: RwSignal::new(None),
            live_frames: RwSignal::new(0),
            error: RwSignal::new(None),
            ways: RwSignal::new(Ways::default()),
            highlighted: RwSignal::new(None),
            focused_way: RwSignal::new(None),
            worker: StoredValue::new_local(None),
            selection: RwSignal::new(Vec::new()),
            pinned: RwSignal::new(None),
            search: RwSignal::new(String::new()),
            filters: RwSignal::new(Filters::default()),
            lasso: RwSignal::new(false),
            table_open: RwSignal::new(false),
            fly_to: RwSignal::new(None),
            corners: RwSignal::new(false),
            corner_hover: RwSignal::new(None),
            brushed: RwSignal::new(Vec::new()),
            brush_pinned: RwSignal::new(false),
            lens_colour: RwSignal::new(false),
            lens_size: RwSignal::new(false),
            tour: RwSignal::new(Vec::new()),
            presenting: RwSignal::new(false),
            tour_at: RwSignal::new(None),
            hide_statements: RwSignal::new(false),
            explore: RwSignal::new(false),
            framing: RwSignal::new(None),
            framing_goal: RwSignal::new(None),
            own_model: RwSignal::new(OwnModelStatus::None),
            own_model_open: RwSignal::new(false),
            live_statements: Default::default(),
        }
    }

    pub fn status(&self) -> Status {
        if self.job.with(Option::is_some) {
            Status::Working
        } else if self.error.with(Option::is_some) {
            Status::Error
        } else if self.analysis.with(Option::is_some) {
            Status::Ready
        } else {
            Status::Empty
        }
    }

    pub fn running_job(&self) -> Option<JobId> {
        self.job.with_untracked(|job| job.as_ref().map(|(id, _)| *id))
    }

    /// A progress report from the running job, received at `now` (ms); counted stages start a rate clock.
    pub fn note_progress(&self, progress: Progress, now: f64) {
        let same_stage = self.progress.with_untracked(|p| p.map(|p| p.stage)) == Some(progress.stage);
        match progress.count {
            Some((done, _)) if !same_stage || self.rate_origin.with_untracked(Option::is_none) => {
                self.rate_origin.set(Some((now, done)));
            }
            None => self.rate_origin.set(None),
            _ => {}
        }
        self.progress.set(Some(progress));
    }

    /// Items per second and seconds left for the running counted stage, once a rate can be told.
    pub fn rate(&self, now: f64) -> Option<(f64, f64)> {
        let (done, total) = self.progress.with(|p| p.and_then(|p| p.count))?;
        let (since, done_then) = self.rate_origin.get()?;
        let seconds = (now - since) / 1000.0;
        let items = done.saturating_sub(done_then) as f64;
        if seconds < 0.5 || items < 1.0 {
            return None;
        }
        let per_second = items / seconds;
        Some((per_second, total.saturating_sub(done) as f64 / per_second))
    }

    /// The running job is over (done, failed or cancelled): its progress and live map go.
    pub fn end_job(&self) {
        self.job.set(None);
        self.progress.set(None);
        self.rate_origin.set(None);
        self.live_positions.set(None);
    }

    /// The job finished: its map replaces the one on screen.
    pub fn finish(&self, job: JobId, analysis: Analysis) {
        let Some((running, inputs)) = self.job.get_untracked() else { return };
        if running != job {
            return; // an answer to a job the user has since replaced
        }
        // Cluster ids name groups of one analysis only: after a new one, "cluster 3" is another group, so the
        // ways keep their names, colours and order but lose their clusters.
        self.ways.update(Ways::clear_clusters);
        self.highlighted.set(None);
        // Point indices and columns belong to one analysis: a new map starts with nothing picked or filtered.
        self.selection.set(Vec::new());
        self.pinned.set(None);
        self.filters.set(Filters::default());
        self.clear_brush();
        // A tour's stops keep their captions and framings, but "cluster 5" of the old map is another group now.
        self.tour.update(|tour| tour.iter_mut().for_each(|stop| stop.view.focused_cluster = None));
        self.live_statements.clear();
        let seed = inputs.options.seed;
        let analysis = Arc::new(analysis);
        self.curator.set_value(Some(Curator::new(&analysis, self.ways.get_untracked(), seed)));
        self.machine.set_value(Some(Arc::clone(&analysis)));
        self.edit_error.set(None);
        self.analysis.set(Some(analysis));
        self.revision.update(|r| *r += 1);
        self.shown.set(inputs);
        self.error.set(None);
        self.end_job();
    }

    /// The job failed: the error shows, the previous map stays.
    pub fn fail(&self, job: Option<JobId>, error: UiError) {
        let running = self.job.with_untracked(|job| job.as_ref().map(|(id, _)| *id));
        if job.is_some() && job != running {
            return;
        }
        self.error.set(Some(error));
        self.end_job();
    }

    /// Applies a person's edit; a refused edit changes nothing and says why.
    pub fn edit(&self, edit: Edit) -> Result<(), EditError> {
        let applied = self.curator.try_update_value(|curator| match curator {
            Some(curator) => curator.apply(edit).map(|_| ()),
            None => Err(EditError::NoStatements),
        });
        let result = applied.unwrap_or(Err(EditError::NoStatements));
        match &result {
            Ok(()) => self.show_curation(),
            Err(error) => self.edit_error.set(Some(error.clone())),
        }
        result
    }

    pub fn undo(&self) {
        if self.curator.try_update_value(|c| c.as_mut().and_then(|c| c.undo()).is_some()) == Some(true) {
            crate::components::live::reconcile_after_history(*self);
            self.show_curation();
        }
    }

    pub fn redo(&self) {
        if self.curator.try_update_value(|c| c.as_mut().and_then(|c| c.redo()).is_some()) == Some(true) {
            crate::components::live::reconcile_after_history(*self);
            self.show_curation();
        }
    }

    pub fn can_undo(&self) -> bool {
        self.revision.track();
        self.curator.with_value(|c| c.as_ref().is_some_and(Curator::can_undo))
    }

    pub fn can_redo(&self) -> bool {
        self.revision.track();
        self.curator.with_value(|c| c.as_ref().is_some_and(Curator::can_redo))
    }

    /// Shows or hides a way's outline: a view choice, not an edit, so it is not in the log or undone.
    pub fn set_way_visible(&self, way: u32, visible: bool) {
        self.curator.update_value(|c| {
            if let Some(c) = c {
                let _ = c.set_way_visible(way, visible);
            }
        });
        self.ways.update(|w| w.set_visible(way, visible));
    }

    /// Shows a saved project as it was: its map replaces the one on screen without a job, since the project
    /// holds the layout, and curating resumes with its history.
    pub fn restore(&self, machine: Analysis, curator: Curator, options: AnalysisOptions) {
        self.highlighted.set(None);
        self.focused_way.set(None);
        self.live_statements.clear();
        self.curator.set_value(Some(curator));
        self.machine.set_value(Some(Arc::new(machine)));
        self.shown.set(Inputs { files: Arc::default(), options });
        self.error.set(None);
        self.show_curation();
    }

    /// Writes the curated clusters and ways into a copy of the machine's analysis and shows it.
    pub(crate) fn show_curation(&self) {
        let Some(machine) = self.machine.get_value() else { return };
        let mut analysis = (*machine).clone();
        let ways = self.curator.with_value(|c| {
            c.as_ref().map(|c| {
                c.state().write_into(&mut analysis);
                c.state().ways.clone()
            })
        });
        if let Some(ways) = ways {
            self.ways.set(ways);
        }
        if self.highlighted.get_untracked().is_some_and(|id| analysis.cluster(id).is_none()) {
            self.highlighted.set(None);
        }
        self.edit_error.set(None);
        self.analysis.set(Some(Arc::new(analysis)));
        self.revision.update(|r| *r += 1);
    }

    /// Forgets the brushed statements (Escape, or a new map whose point numbers mean other statements).
    pub fn clear_brush(&self) {
        self.corner_hover.set(None);
        self.brush_pinned.set(false);
        self.brushed.set(Vec::new());
    }

    pub fn use_context() -> AppState {
        expect_context::<AppState>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejkort_protocol::InputError;

    fn analysis() -> Analysis {
        let data = vejkort_engine::Dataset {
            columns: vec!["tekst".into()],
            rows: ["ældre pleje", "ældre hjem", "skole lærer", "skole klasse"]
                .iter()
                .map(|t| vec![(*t).into()])
                .collect(),
            ..Default::default()
        };
        vejkort_engine::pipeline::analyze_dataset(
            data,
            &AnalysisOptions::default(),
            &mut vejkort_engine::progress::Silent,
        )
        .expect("a tiny analysis")
    }

    #[test]
    fn status_follows_job_error_and_map() {
        let owner = Owner::new();
        owner.with(|| {
            let state = AppState::new(Lang::En);
            assert_eq!(state.status(), Status::Empty);
            state.job.set(Some((JobId(1), Inputs::default())));
            assert_eq!(state.status(), Status::Working);
            state.finish(JobId(1), analysis());
            assert_eq!(state.status(), Status::Ready);

            // A new map empties the ways: its cluster ids name other groups.
            state.ways.update(|ways| {
                ways.toggle(3, 0);
            });
            state.job.set(Some((JobId(2), Inputs::default())));
            state.finish(JobId(2), analysis());
            assert!(state.ways.with_untracked(|w| w.ways.iter().all(|way| way.clusters.is_empty())));

            // A failing job shows its error but keeps the map.
            state.job.set(Some((JobId(3), Inputs::default())));
            state.fail(Some(JobId(3)), UiError::Analysis(AnalysisError::Input(InputError::NoFiles)));
            assert_eq!(state.status(), Status::Error);
            assert!(state.analysis.get_untracked().is_some());
        });
    }

    #[test]
    fn late_answers_to_replaced_jobs_are_ignored() {
        let owner = Owner::new();
        owner.with(|| {
            let state = AppState::new(Lang::Da);
            state.job.set(Some((JobId(5), Inputs::default())));
            state.finish(JobId(4), analysis());
            assert!(state.analysis.get_untracked().is_none());
            state.fail(Some(JobId(3)), UiError::WorkerCrashed("x".into()));
            assert_eq!(state.status(), Status::Working);
        });
    }
}
