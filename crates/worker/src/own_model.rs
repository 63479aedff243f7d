//! The user's own model folder inside the worker: its files arrive once (`Request::LoadModel`), the model is
//! built by the first job that asks for it, and it is kept for the jobs after.
//!
//! Building waits for a job rather than happening on arrival so that the progress bar can show it (progress
//! belongs to a job) and a bad folder fails that job with a message naming the file. The files never leave the
//! worker: they came from the page's file picker, and nothing here opens a connection.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use vejkort_embed::{FolderError, FolderFile, OwnModel};
use vejkort_engine::dataset::Vectors;
use vejkort_engine::pipeline::Embedder;
use vejkort_engine::progress::{Cancelled, ProgressSink, Stage};
use vejkort_protocol::{FolderProblem, InputFile, ModelFolderError};

thread_local! {
    /// Files received but not yet built into a model.
    static PENDING: RefCell<Option<Arc<Vec<InputFile>>>> = const { RefCell::new(None) };
    static BUILT: RefCell<Option<Rc<OwnModel>>> = const { RefCell::new(None) };
}

/// New folder files replace the model built from earlier ones.
pub fn receive(files: Arc<Vec<InputFile>>) {
    PENDING.with(|pending| *pending.borrow_mut() = Some(files));
    BUILT.with(|built| *built.borrow_mut() = None);
}

/// The model for a job: the one built before, else built now from the received files (`None` when no folder was
/// ever sent: the engine then warns and uses TF-IDF).
pub fn prepare(progress: &mut dyn ProgressSink) -> Result<Option<Rc<OwnModel>>, ModelFolderError> {
    if let Some(model) = BUILT.with(|built| built.borrow().clone()) {
        return Ok(Some(model));
    }
    let Some(files) = PENDING.with(|pending| pending.borrow_mut().take()) else {
        return Ok(None);
    };
    let _ = progress.report(Stage::LoadingModel, 0.0);
    // The request owned the only reference, so the bytes move into the loader without a copy.
    let files = Arc::try_unwrap(files).unwrap_or_else(|shared| (*shared).clone());
    let files = files.into_iter().map(|file| FolderFile { path: file.name, bytes: file.bytes }).collect();
    let model = Rc::new(OwnModel::from_files(files).map_err(wire_error)?);
    let _ = progress.report(Stage::LoadingModel, 1.0);
    BUILT.with(|built| *built.borrow_mut() = Some(model.clone()));
    Ok(Some(model))
}

fn wire_error(error: FolderError) -> ModelFolderError {
    match error {
        FolderError::Missing { file } => {
            ModelFolderError { file, problem: FolderProblem::Missing, detail: String::new() }
        }
        FolderError::Malformed { file, detail } => ModelFolderError { file, problem: FolderProblem::Malformed, detail },
        FolderError::Unsupported { file, detail } => {
            ModelFolderError { file, problem: FolderProblem::Unsupported, detail }
        }
    }
}

/// The engine's view of the user's model.
pub struct OwnEmbedder {
    pub model: Rc<OwnModel>,
}

impl Embedder for OwnEmbedder {
    fn name(&self) -> String {
        self.model.name().to_owned()
    }

    fn embed(
        &mut self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vectors, Cancelled> {
        crate::model::embed_bridged(self.model.dim(), progress, |bridged| self.model.embed(texts, bridged))
    }
}
