//! The messages that cross the boundary between Vejkort's UI thread and its analysis Web Worker.
//!
//! Both sides speak only these types: the UI sends a [`Request`], the worker answers with [`Response`]s. They are
//! encoded with postcard into one byte buffer per message, so a message is a single `Uint8Array` on the wire and
//! no code on either side dispatches on strings. Every job carries a [`JobId`] so that late answers to a job the
//! user has replaced or cancelled can be recognised and dropped.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
pub use vejkort_engine::dataset::Vectors;
pub use vejkort_engine::error::{AnalysisError, InputError};
pub use vejkort_engine::io::InputFile;
pub use vejkort_engine::live::{PlaceError, Placed, Placer};
pub use vejkort_engine::pipeline::{Analysis, AnalysisOptions};
pub use vejkort_engine::progress::Stage;

/// Identifies one job; the UI numbers jobs upwards from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct JobId(pub u32);

/// What the UI asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Read these files and analyse them. The worker keeps no state between jobs: every request carries all it
    /// needs, so a worker that was ended to cancel a job can be replaced by a fresh one without losing anything.
    /// The files are shared with the UI's state, so sending them copies their bytes only once, into the message.
    Analyze { job: JobId, files: Arc<Vec<InputFile>>, options: AnalysisOptions },
    /// The files of the user's own model folder (names are paths inside the folder, e.g. `1_Pooling/config.json`,
    /// or with the folder's name in front as a directory picker gives them). The worker keeps them and builds the
    /// model for the next job that asks for [`vejkort_engine::pipeline::Vectoriser::OwnModel`]. They stay in the
    /// browser: worker and page are the same origin and nothing is sent elsewhere.
    LoadModel { files: Arc<Vec<InputFile>> },
    /// Place new statements into the map on screen without moving it (live statements). Like `Analyze`, it
    /// carries all it needs: the map's placer, space, positions and curated clusters.
    Place { job: JobId, texts: Vec<String>, context: Box<PlaceContext> },
}

/// Why the user's own model folder cannot be used: which file, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelFolderError {
    /// The path inside the folder (`tokenizer.json`, `1_Pooling/config.json`).
    pub file: String,
    pub problem: FolderProblem,
    /// The field or feature, in the file's own terms (`"hidden_size" should be a positive whole number`).
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FolderProblem {
    Missing,
    Malformed,
    Unsupported,
}

/// The map live statements are placed into, as the UI holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceContext {
    pub placer: Placer,
    pub space: Vectors,
    pub positions: Vec<[f32; 2]>,
    /// The curated cluster of each point, which new statements vote by.
    pub assignments: Vec<i32>,
}

/// How far a job has come.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub job: JobId,
    pub stage: Stage,
    /// Fraction of the whole job done, 0 to 1, over the stages this job runs.
    pub overall: f32,
    /// Items done and in all, for stages counted in items (statements embedded), so the UI can show a rate.
    pub count: Option<(u32, u32)>,
}

/// What the worker tells the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker has loaded and listens; requests sent before this would be lost.
    Ready,
    Progress(Progress),
    /// The map as it stands while the layout converges, one position per point (in input order).
    Layout {
        job: JobId,
        positions: Vec<[f32; 2]>,
    },
    Done {
        job: JobId,
        analysis: Box<Analysis>,
    },
    Failed {
        job: JobId,
        error: AnalysisError,
    },
    /// The job's own model folder was built; `name` is the folder's (or its config's) name.
    ModelLoaded {
        job: JobId,
        name: String,
        dimensions: u32,
    },
    /// The job's own model folder could not be used; the job ends here.
    ModelRejected {
        job: JobId,
        error: ModelFolderError,
    },
    /// The statements of a `Place` request, in its order.
    Placed {
        job: JobId,
        placed: Vec<Placed>,
        /// Milliseconds the worker spent embedding and placing them (`performance.now()`), model loading excluded.
        worker_ms: f64,
    },
    PlaceFailed {
        job: JobId,
        error: PlaceError,
    },
    /// A message the worker could not decode: UI and worker were built from different versions.
    Garbled {
        detail: String,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("could not decode a message: {0}")]
pub struct DecodeError(#[from] postcard::Error);

pub fn encode_request(request: &Request) -> Vec<u8> {
    // Serialising these plain types into a Vec cannot fail.
    postcard::to_allocvec(request).unwrap_or_default()
}

pub fn decode_request(bytes: &[u8]) -> Result<Request, DecodeError> {
    Ok(postcard::from_bytes(bytes)?)
}

pub fn encode_response(response: &Response) -> Vec<u8> {
    postcard::to_allocvec(response).unwrap_or_default()
}

pub fn decode_response(bytes: &[u8]) -> Result<Response, DecodeError> {
    Ok(postcard::from_bytes(bytes)?)
}

/// A request split for the wire so that big file contents travel as transferable buffers of their own instead of
/// inside the postcard message: encoding a 614 MB `.npy` into the message would copy it once more into a buffer
/// that grows by doubling (up to twice the file's size at once), in the UI's WebAssembly memory, which never
/// shrinks. The message holds the request with the files' bytes left empty; `files` are those bytes in order.
pub fn encode_request_parts(request: &Request) -> (Vec<u8>, Vec<&[u8]>) {
    match request {
        Request::Analyze { job, files, options } => {
            let names = files.iter().map(|file| InputFile { name: file.name.clone(), bytes: Vec::new() }).collect();
            let stub = Request::Analyze { job: *job, files: std::sync::Arc::new(names), options: options.clone() };
            (encode_request(&stub), files.iter().map(|file| file.bytes.as_slice()).collect())
        }
        other => (encode_request(other), Vec::new()),
    }
}

/// Reassembles a request written by [`encode_request_parts`]; a count of file parts that does not match the
/// request's files is a garbled message.
pub fn decode_request_parts(message: &[u8], mut parts: Vec<Vec<u8>>) -> Result<Request, DecodeError> {
    let mut request = decode_request(message)?;
    match &mut request {
        Request::Analyze { files, .. } => {
            if files.len() != parts.len() {
                return Err(DecodeError(postcard::Error::DeserializeUnexpectedEnd));
            }
            if let Some(files) = Arc::get_mut(files) {
                for (file, bytes) in files.iter_mut().zip(parts.drain(..)) {
                    file.bytes = bytes;
                }
            }
            Ok(request)
        }
        _ if parts.is_empty() => Ok(request),
        _ => Err(DecodeError(postcard::Error::DeserializeUnexpectedEnd)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejkort_engine::dataset::Dataset;
    use vejkort_engine::pipeline::analyze_dataset;
    use vejkort_engine::progress::Silent;

    #[test]
    fn requests_survive_the_wire() {
        let request = Request::Analyze {
            job: JobId(3),
            files: Arc::new(vec![InputFile { name: "svar.csv".into(), bytes: "id,udsagn\n1,Flere hænder\n".into() }]),
            options: AnalysisOptions { seed: 9, ..AnalysisOptions::default() },
        };
        assert_eq!(decode_request(&encode_request(&request)).unwrap(), request);
    }

    #[test]
    fn a_whole_analysis_survives_the_wire() {
        let data = Dataset {
            columns: vec!["tekst".into()],
            rows: ["ældre pleje", "ældre hjemmepleje", "skole lærere", "skole klasser", "ældre pleje hjem"]
                .iter()
                .map(|t| vec![(*t).to_owned()])
                .collect(),
            ..Dataset::default()
        };
        let analysis = analyze_dataset(data, &AnalysisOptions::default(), &mut Silent).unwrap();
        let response = Response::Done { job: JobId(1), analysis: Box::new(analysis) };
        assert_eq!(decode_response(&encode_response(&response)).unwrap(), response);
    }

    #[test]
    fn place_requests_and_answers_survive_the_wire() {
        let data = Dataset {
            columns: vec!["tekst".into()],
            rows: ["ældre pleje", "ældre hjemmepleje", "skole lærere", "skole klasser", "ældre pleje hjem"]
                .iter()
                .map(|t| vec![(*t).to_owned()])
                .collect(),
            ..Dataset::default()
        };
        let analysis = analyze_dataset(data, &AnalysisOptions::default(), &mut Silent).unwrap();
        let context = PlaceContext {
            placer: analysis.placer.clone().unwrap(),
            space: analysis.space.clone(),
            positions: analysis.positions.clone(),
            assignments: analysis.assignments.clone(),
        };
        let request = Request::Place { job: JobId(4), texts: vec!["ældre pleje".into()], context: Box::new(context) };
        assert_eq!(decode_request(&encode_request(&request)).unwrap(), request);
        let placed = Placed { position: [0.5, -1.0], cluster: 2, space: vec![0.6, 0.8], known_words: Some(2) };
        let response = Response::Placed { job: JobId(4), placed: vec![placed], worker_ms: 3.5 };
        assert_eq!(decode_response(&encode_response(&response)).unwrap(), response);
        let failed = Response::PlaceFailed { job: JobId(5), error: PlaceError::NoModel };
        assert_eq!(decode_response(&encode_response(&failed)).unwrap(), failed);
    }

    #[test]
    fn errors_keep_their_fields() {
        let response = Response::Failed {
            job: JobId(2),
            error: AnalysisError::Input(InputError::RaggedRow { file: "a.csv".into(), row: 4, expected: 3, found: 2 }),
        };
        assert_eq!(decode_response(&encode_response(&response)).unwrap(), response);
    }

    #[test]
    fn model_folders_and_their_errors_survive_the_wire() {
        let request = Request::LoadModel {
            files: Arc::new(vec![InputFile { name: "minilm/1_Pooling/config.json".into(), bytes: b"{}".to_vec() }]),
        };
        assert_eq!(decode_request(&encode_request(&request)).unwrap(), request);
        let error =
            ModelFolderError { file: "tokenizer.json".into(), problem: FolderProblem::Missing, detail: String::new() };
        let response = Response::ModelRejected { job: JobId(4), error };
        assert_eq!(decode_response(&encode_response(&response)).unwrap(), response);
    }

    #[test]
    fn file_bytes_travel_beside_the_message_and_come_back_in_order() {
        let files = vec![
            InputFile { name: "vectors.npy".into(), bytes: vec![0x93, b'N', 1, 2, 3] },
            InputFile { name: "metadata.csv".into(), bytes: b"id,text\n1,a\n".to_vec() },
        ];
        let request =
            Request::Analyze { job: JobId(7), files: Arc::new(files.clone()), options: AnalysisOptions::default() };
        let (message, parts) = encode_request_parts(&request);
        assert_eq!(parts, [files[0].bytes.as_slice(), files[1].bytes.as_slice()]);
        // The message itself carries no file contents.
        assert!(message.len() < encode_request(&request).len() - 15);
        let parts: Vec<Vec<u8>> = parts.into_iter().map(<[u8]>::to_vec).collect();
        assert_eq!(decode_request_parts(&message, parts).unwrap(), request);
    }

    #[test]
    fn a_wrong_number_of_file_parts_is_garbled() {
        let files = vec![InputFile { name: "a.csv".into(), bytes: b"x".to_vec() }];
        let request = Request::Analyze { job: JobId(1), files: Arc::new(files), options: AnalysisOptions::default() };
        let (message, _) = encode_request_parts(&request);
        assert!(decode_request_parts(&message, vec![]).is_err());
        assert!(decode_request_parts(&message, vec![vec![1], vec![2]]).is_err());
        let place = encode_request(&Request::LoadModel { files: Arc::new(vec![]) });
        assert!(decode_request_parts(&place, vec![vec![1]]).is_err());
        assert!(decode_request_parts(&place, vec![]).is_ok());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_response(&[0xff, 0xff, 0xff]).is_err());
        assert!(decode_request(&[]).is_err());
    }
}
