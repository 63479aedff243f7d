//! The project file: one versioned JSON document that holds a curated map, so a session can be saved, mailed and
//! opened again exactly as it was.
//!
//! ```json
//! {"format": "vejkort-project", "version": 1, "saved_by": "vejkort-engine 0.1.0",
//!  "data": {"columns": [...], "rows": [[...], ...]}, "roles": {...}, "options": {...},
//!  "positions": [[x, y], ...], "space": {"dim": 50, "encoding": "f32-le-base64", "values": "..."},
//!  "curation": {...}, "history": {...}, "view": {...}}
//! ```
//!
//! `format` comes first so [`looks_like_project`] can recognise a project from its first bytes. The analysis
//! space is stored as base64 of little-endian f32: for the 2,427 × 50 space of the seed study that is 647 KB
//! against about 1.4 MB as JSON number arrays, and it is exact (see `space_encodings_compared` in the tests).
//! Positions stay readable number arrays (two per statement; f32 written in the shortest form that reads back
//! to the same value). The view is typed but tolerant: missing fields take defaults and fields this version does
//! not know are kept and written back, so a newer UI's view settings survive a round trip through an older one.
//!
//! A project may carry a tour (`"tour": [...]`, written only when there is one): saved views with captions that a
//! facilitator steps through. Stops are kept as they are even when they name a cluster or way the project no
//! longer has; the UI skips what it cannot show rather than refusing the whole file.
//!
//! Loading checks, in order: JSON syntax (with line and column), that it is a Vejkort project, its version, every
//! field (naming the path of a missing or malformed one), and finally that the parts agree with each other.

use std::collections::{BTreeMap, BTreeSet};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::curation::{Curation, Curator, History};
use crate::dataset::{ColumnRoles, Vectors};
use crate::lens::Votes;
use crate::pipeline::{Analysis, AnalysisOptions};

/// The `format` of every project file.
pub const FORMAT: &str = "vejkort-project";
/// The version this build writes and reads.
pub const VERSION: u64 = 1;
const SPACE_ENCODING: &str = "f32-le-base64";

/// Where the map is looked at from.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Camera {
    /// The map point at the centre of the view.
    pub centre: [f64; 2],
    /// Screen pixels per map unit.
    pub zoom: f64,
}

/// Which statements the UI shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Statement kinds shown; empty shows all.
    pub kinds: Vec<String>,
    /// Groups shown; empty shows all.
    pub groups: Vec<String>,
    /// Text search, empty for none.
    pub search: String,
}

/// How the UI was showing the map when the project was saved.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    pub camera: Option<Camera>,
    pub focused_way: Option<u32>,
    pub focused_cluster: Option<i32>,
    pub filters: Filters,
    /// View settings of newer versions, kept as they were so saving does not lose them.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// What part of the map a view shows, independent of the screen it is shown on: a tour made on a laptop must
/// frame the same clusters on a projector.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Framing {
    /// The map point at the centre of the view.
    pub centre: [f64; 2],
    /// Map units across the shorter side of the view.
    pub span: f64,
}

/// A view to come back to, as a tour stop or a shared link holds it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedView {
    /// `None` shows the whole map.
    pub framing: Option<Framing>,
    pub focused_way: Option<u32>,
    pub focused_cluster: Option<i32>,
    /// Values the filters leave out, per column index (the UI's filters keep what they exclude).
    pub excluded: BTreeMap<usize, BTreeSet<String>>,
    /// Text search, empty for none.
    pub search: String,
}

/// One step of a tour: a view and what the facilitator says about it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TourStop {
    pub caption: String,
    pub view: SavedView,
}

/// Everything a project file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub columns: Vec<String>,
    /// The statements' cells, one row per map point (rows the analysis left out are not kept).
    pub rows: Vec<Vec<String>>,
    pub roles: ColumnRoles,
    /// The choices and seed the analysis ran with.
    pub options: AnalysisOptions,
    pub positions: Vec<[f32; 2]>,
    pub space: Vectors,
    pub curation: Curation,
    pub history: History,
    pub view: ViewState,
    /// Votes on the statements (a Polis export), so a saved project keeps its conflict lens.
    pub votes: Option<Votes>,
    /// The presenter's tour, in order; empty for none.
    pub tour: Vec<TourStop>,
    /// What places live statements into the saved map; `None` for maps of the data's own vectors (and for files
    /// saved before live statements existed, which then cannot take new ones until the layout is re-run).
    pub placer: Option<crate::live::Placer>,
}

impl Project {
    /// A project of an analysis as it is being curated.
    pub fn new(analysis: &Analysis, options: &AnalysisOptions, curator: &Curator, view: ViewState) -> Project {
        Project {
            columns: analysis.columns.clone(),
            rows: analysis.rows.clone(),
            roles: analysis.roles,
            options: options.clone(),
            positions: analysis.positions.clone(),
            space: analysis.space.clone(),
            curation: curator.state().clone(),
            history: curator.history().clone(),
            view,
            votes: analysis.votes.clone(),
            tour: Vec::new(),
            placer: analysis.placer.clone(),
        }
    }

    /// Resumes curating where the project left off, undo history included.
    pub fn curator(&self) -> Curator {
        let corpus = crate::curation::Corpus::new(
            &self.rows,
            &self.roles,
            self.positions.clone(),
            self.space.clone(),
            self.options.seed,
        );
        Curator::from_parts(corpus, self.curation.clone(), self.history.clone())
    }
}

/// Why a file could not be opened as a project. Each names what to look at.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProjectError {
    #[error("not a JSON file: {message} (line {line}, column {column})")]
    NotJson { line: usize, column: usize, message: String },
    #[error("the project file ends early at line {line}, column {column}: it was cut off while saving or copying")]
    Truncated { line: usize, column: usize },
    #[error("not a Vejkort project: {}", match found {
        Some(format) => format!("its format is \"{format}\""),
        None => "it has no \"format\": \"vejkort-project\"".to_owned(),
    })]
    NotAProject { found: Option<String> },
    #[error("made by a newer Vejkort: version {version}, this app reads up to {VERSION}")]
    FromTheFuture { version: u64 },
    #[error("version {version} is older than any Vejkort project this app knows (it reads version {VERSION})")]
    UnknownOldVersion { version: u64 },
    #[error("the project is missing \"{path}\"")]
    MissingField { path: String },
    #[error("\"{path}\" is malformed: {message}")]
    Malformed { path: String, message: String },
    #[error("\"{field}\" has {found} entries but the data has {expected} statements")]
    SizeMismatch { field: String, expected: usize, found: usize },
    #[error("\"{field}\" refers to cluster {cluster}, which the project does not have")]
    UnknownCluster { field: String, cluster: i32 },
    #[error("\"{field}\" does not agree with the rest of the project: {message}")]
    Inconsistent { field: String, message: String },
}

#[derive(Serialize)]
struct DataOut<'a> {
    columns: &'a [String],
    rows: &'a [Vec<String>],
}

#[derive(Serialize, Deserialize)]
struct EncodedSpace {
    dim: usize,
    encoding: String,
    values: String,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    saved_by: String,
    data: DataOut<'a>,
    roles: &'a ColumnRoles,
    options: &'a AnalysisOptions,
    positions: &'a [[f32; 2]],
    space: EncodedSpace,
    curation: &'a Curation,
    history: &'a History,
    view: &'a ViewState,
    #[serde(skip_serializing_if = "Option::is_none")]
    votes: Option<&'a Votes>,
    #[serde(skip_serializing_if = "<[TourStop]>::is_empty")]
    tour: &'a [TourStop],
    #[serde(skip_serializing_if = "Option::is_none")]
    placer: Option<&'a crate::live::Placer>,
}

#[derive(Deserialize)]
struct Data {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct FileV1 {
    data: Data,
    roles: ColumnRoles,
    options: AnalysisOptions,
    positions: Vec<[f32; 2]>,
    space: EncodedSpace,
    curation: Curation,
    #[serde(default)]
    history: History,
    #[serde(default)]
    view: ViewState,
    #[serde(default)]
    votes: Option<Votes>,
    #[serde(default)]
    tour: Vec<TourStop>,
    placer: Option<crate::live::Placer>,
}

/// The two fields read before anything else, everything else skipped.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// Writes a project as compact JSON.
pub fn save(project: &Project) -> String {
    let bytes: Vec<u8> = project.space.values.iter().flat_map(|x| x.to_le_bytes()).collect();
    let file = FileOut {
        format: FORMAT,
        version: VERSION,
        saved_by: format!("vejkort-engine {}", env!("CARGO_PKG_VERSION")),
        data: DataOut { columns: &project.columns, rows: &project.rows },
        roles: &project.roles,
        options: &project.options,
        positions: &project.positions,
        space: EncodedSpace {
            dim: project.space.dim,
            encoding: SPACE_ENCODING.to_owned(),
            values: BASE64.encode(bytes),
        },
        curation: &project.curation,
        history: &project.history,
        view: &project.view,
        votes: project.votes.as_ref(),
        tour: &project.tour,
        placer: project.placer.as_ref(),
    };
    // Serialising plain data to a string cannot fail (no maps with non-string keys, no failing Serialize impls).
    serde_json::to_string(&file).unwrap_or_default()
}

/// A cheap look at the first bytes: is this a Vejkort project file? True when the JSON object opens with (or
/// soon has) `"format": "vejkort-project"`, as every file [`save`] writes does.
pub fn looks_like_project(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(start);
    let text = text.trim_start();
    if !text.starts_with('{') {
        return false;
    }
    let names_format = |text: &str| {
        text.match_indices("\"format\"").any(|(at, key)| {
            let rest = text[at + key.len()..].trim_start();
            rest.strip_prefix(':').is_some_and(|value| value.trim_start().starts_with(&format!("\"{FORMAT}\"")))
        })
    };
    if names_format(text) {
        return true;
    }
    // A project re-saved by a tool that sorts keys (Python's json.dump(sort_keys=True), jq -S) has its format far
    // down; an object naming the format anywhere is still best told it is a project, not "not an array".
    let whole = String::from_utf8_lossy(bytes);
    whole.contains(&format!("\"{FORMAT}\"")) && names_format(&whole)
}

fn syntax_error(error: &serde_json::Error, text: &str) -> ProjectError {
    let line = error.line();
    // serde_json counts bytes; people (and their editors) count characters.
    let column = text
        .lines()
        .nth(line.saturating_sub(1))
        .map_or(error.column(), |in_line| in_line.char_indices().take_while(|&(at, _)| at < error.column()).count());
    if error.classify() == serde_json::error::Category::Eof {
        return ProjectError::Truncated { line, column };
    }
    ProjectError::NotJson { line, column, message: message_of(error) }
}

/// serde_json's message without its " at line L column C" suffix, which the errors hold as numbers.
fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Reads a project file.
pub fn load(text: &str) -> Result<Project, ProjectError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with('{') {
        // Syntax errors first: "not JSON" says more than "not a project" when both are true.
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(error) => syntax_error(&error, text),
            Ok(_) => ProjectError::NotAProject { found: None },
        });
    }
    let header: Header = serde_json::from_str(text).map_err(|error| match error.classify() {
        serde_json::error::Category::Data => ProjectError::NotAProject { found: None },
        _ => syntax_error(&error, text),
    })?;
    match header.format {
        Some(serde_json::Value::String(format)) if format == FORMAT => {}
        Some(serde_json::Value::String(format)) => return Err(ProjectError::NotAProject { found: Some(format) }),
        _ => return Err(ProjectError::NotAProject { found: None }),
    }
    let version = match header.version {
        None => return Err(ProjectError::MissingField { path: "version".into() }),
        Some(value) => value.as_u64().ok_or_else(|| ProjectError::Malformed {
            path: "version".into(),
            message: format!("expected a whole number, found {value}"),
        })?,
    };
    // Only version 1 exists; a version 2 reader would migrate older files here, step by step, before reading.
    match version {
        VERSION => {}
        newer if newer > VERSION => return Err(ProjectError::FromTheFuture { version: newer }),
        older => return Err(ProjectError::UnknownOldVersion { version: older }),
    }

    let mut deserializer = serde_json::Deserializer::from_str(text);
    let file: FileV1 = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = message_of(&inner);
        match message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
            Some(field) if path == "." => ProjectError::MissingField { path: field.to_owned() },
            Some(field) => ProjectError::MissingField { path: format!("{path}.{field}") },
            None => ProjectError::Malformed { path, message },
        }
    })?;
    let space = decode_space(&file.space)?;
    let project = Project {
        columns: file.data.columns,
        rows: file.data.rows,
        roles: file.roles,
        options: file.options,
        positions: file.positions,
        space,
        curation: file.curation,
        history: file.history,
        view: file.view,
        votes: file.votes,
        tour: file.tour,
        placer: file.placer,
    };
    check(&project)?;
    Ok(project)
}

fn decode_space(space: &EncodedSpace) -> Result<Vectors, ProjectError> {
    let malformed = |message: String| ProjectError::Malformed { path: "space.values".into(), message };
    if space.encoding != SPACE_ENCODING {
        return Err(ProjectError::Malformed {
            path: "space.encoding".into(),
            message: format!("\"{}\" is not \"{SPACE_ENCODING}\"", space.encoding),
        });
    }
    let bytes = BASE64.decode(&space.values).map_err(|error| malformed(format!("not base64: {error}")))?;
    if bytes.len() % 4 != 0
        || (space.dim == 0 && !bytes.is_empty())
        || (space.dim > 0 && bytes.len() / 4 % space.dim != 0)
    {
        return Err(malformed(format!("{} bytes do not make rows of {} 4-byte numbers", bytes.len(), space.dim)));
    }
    let values = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    Ok(Vectors { dim: space.dim, values })
}

/// The parts must describe the same statements and the same clusters.
fn check(project: &Project) -> Result<(), ProjectError> {
    let n = project.rows.len();
    let sized = |field: &str, found: usize| {
        if found == n {
            Ok(())
        } else {
            Err(ProjectError::SizeMismatch { field: field.into(), expected: n, found })
        }
    };
    let inconsistent = |field: String, message: String| ProjectError::Inconsistent { field, message };
    let columns = project.columns.len();
    if let Some(row) = project.rows.iter().position(|row| row.len() != columns) {
        return Err(inconsistent(
            format!("data.rows[{row}]"),
            format!("{} cells, but there are {columns} columns", project.rows[row].len()),
        ));
    }
    let roles = &project.roles;
    for (name, role) in
        [("text", roles.text), ("kind", roles.kind), ("respondent", roles.respondent), ("group", roles.group)]
    {
        if let Some(column) = role.filter(|&column| column >= columns) {
            return Err(inconsistent(format!("roles.{name}"), format!("column {column}, but there are {columns}")));
        }
    }
    if let Some(votes) = &project.votes {
        if !project.columns.contains(&votes.key_column) {
            return Err(inconsistent(
                "votes.key_column".into(),
                format!("\"{}\" is not a column of the data", votes.key_column),
            ));
        }
        if let Some(at) = votes.statements.iter().position(|statement| statement.groups.len() != votes.groups.len()) {
            return Err(inconsistent(
                format!("votes.statements[{at}].groups"),
                format!("{} tallies, but there are {} groups", votes.statements[at].groups.len(), votes.groups.len()),
            ));
        }
    }
    sized("positions", project.positions.len())?;
    // JSON cannot hold infinity: a number too large for f32 would load, be written back as null, and the next
    // open (an autosave, say) would fail. Refused here, when the person still has the file they opened.
    if let Some(at) = project.positions.iter().position(|point| !point.iter().all(|c| c.is_finite())) {
        return Err(ProjectError::Malformed {
            path: format!("positions[{at}]"),
            message: "expected two finite numbers; a coordinate is too large or not a number".into(),
        });
    }
    if project.space.dim > 0 {
        sized("space", project.space.len())?;
    }
    let curation = &project.curation;
    sized("curation.assignments", curation.assignments.len())?;

    let ids: Vec<i32> = curation.clusters.iter().map(|c| c.id).collect();
    if let Some(pair) = ids.windows(2).position(|w| w[0] >= w[1]) {
        return Err(inconsistent(
            format!("curation.clusters[{}]", pair + 1),
            "clusters must be in increasing id order, each id once".into(),
        ));
    }
    let mut counted = vec![0usize; ids.len()];
    for (point, &cluster) in curation.assignments.iter().enumerate() {
        if cluster == -1 {
            continue;
        }
        match ids.binary_search(&cluster) {
            Ok(index) => counted[index] += 1,
            Err(_) => {
                return Err(ProjectError::UnknownCluster { field: format!("curation.assignments[{point}]"), cluster })
            }
        }
    }
    for (index, cluster) in curation.clusters.iter().enumerate() {
        if cluster.size != counted[index] || cluster.id < 0 || cluster.id >= curation.next_cluster_id {
            return Err(inconsistent(
                format!("curation.clusters[{index}]"),
                format!(
                    "cluster {} says it has {} statements and {} assigned; ids must be from 0 to below next_cluster_id {}",
                    cluster.id, cluster.size, counted[index], curation.next_cluster_id
                ),
            ));
        }
    }
    for (index, way) in curation.ways.ways.iter().enumerate() {
        if let Some(&cluster) = way.clusters.iter().find(|id| ids.binary_search(id).is_err()) {
            return Err(ProjectError::UnknownCluster {
                field: format!("curation.ways.ways[{index}].clusters"),
                cluster,
            });
        }
    }
    if let Some(placer) = &project.placer {
        if project.space.dim != placer.components || placer.axes.len() != placer.mean.len() * placer.components {
            return Err(inconsistent(
                "placer".into(),
                format!(
                    "{} components over {} dimensions with {} axis values, but the space has {} dimensions",
                    placer.components,
                    placer.mean.len(),
                    placer.axes.len(),
                    project.space.dim
                ),
            ));
        }
    }
    if let Some(point) = project.history.max_point().filter(|&point| point >= n) {
        return Err(inconsistent("history".into(), format!("an edit refers to statement {point} of {n}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
