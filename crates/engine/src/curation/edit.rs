//! The vocabulary of curation: what a person can ask for ([`Edit`]), why it may be refused ([`EditError`]), and
//! what an applied edit did ([`Outcome`], worded in English by [`Outcome::summary`]).
//!
//! An `Edit` says what the person wants; an `Outcome` records what that meant on the map at the time (the
//! labels, the new cluster ids of a split, the clusters a move emptied), so the change log can be worded later in
//! any language without replaying anything.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One change a person makes to the map or its ways. Every edit is validated before anything changes, and every
/// applied edit can be undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edit {
    /// Names a cluster; its label is then the person's and no longer follows the terms.
    RenameCluster {
        cluster: i32,
        label: String,
    },
    /// Gives a cluster back its machine label (its top terms).
    ResetClusterLabel {
        cluster: i32,
    },
    /// Sets or (with an empty text) clears a cluster's description.
    DescribeCluster {
        cluster: i32,
        description: String,
    },
    /// Joins two or more clusters into the largest of them, which keeps its id (ties: the smaller id). The label
    /// is a person's if any of them had one (the largest such cluster's), else recomputed from the terms; the
    /// description is likewise the largest described cluster's; the result is in every way any of them was in.
    MergeClusters {
        clusters: Vec<i32>,
    },
    /// Re-clusters a cluster's statements into `parts` (default 2) new clusters by k-means in the analysis space.
    /// The parts get fresh ids in order of size, machine labels, and the parent's ways; the parent's id retires.
    /// k-means may find fewer parts than asked for when statements coincide, but always at least two.
    SplitCluster {
        cluster: i32,
        #[serde(default = "default_parts")]
        parts: usize,
    },
    /// Puts statements (point indices) into an existing cluster. A cluster left empty disappears, and leaves its
    /// ways.
    MoveStatements {
        points: Vec<usize>,
        to: i32,
    },
    /// Takes statements out of every cluster (cluster −1).
    MarkNoise {
        points: Vec<usize>,
    },
    CreateWay {
        name: String,
        description: String,
        colour: String,
    },
    RenameWay {
        way: u32,
        name: String,
    },
    DescribeWay {
        way: u32,
        description: String,
    },
    RecolourWay {
        way: u32,
        colour: String,
    },
    DeleteWay {
        way: u32,
    },
    /// Moves a way to position `index` along the axis (0 is nearest the axis start).
    MoveWay {
        way: u32,
        index: usize,
    },
    AddClusterToWay {
        way: u32,
        cluster: i32,
    },
    RemoveClusterFromWay {
        way: u32,
        cluster: i32,
    },
    /// Names the two ends of the axis the ways are ordered along.
    NameAxis {
        start: String,
        end: String,
    },
}

fn default_parts() -> usize {
    2
}

/// Why an edit was refused. Nothing changes when an edit is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum EditError {
    #[error("there is no cluster {cluster}")]
    UnknownCluster { cluster: i32 },
    #[error("there is no way {way}")]
    UnknownWay { way: u32 },
    #[error("there is no statement {point}; the map has {count}")]
    UnknownPoint { point: usize, count: usize },
    #[error("a name cannot be empty")]
    EmptyName,
    #[error("merging needs at least two different clusters, but {given} were given")]
    MergeNeedsTwo { given: usize },
    #[error("a cluster splits into at least two parts, not {parts}")]
    TooFewParts { parts: usize },
    #[error("cluster {cluster} has {size} statements, too few to split into {parts} parts")]
    TooSmallToSplit { cluster: i32, size: usize, parts: usize },
    #[error("cluster {cluster} cannot be split: its statements are all alike in the analysis space")]
    NothingToSplit { cluster: i32 },
    #[error("splitting cluster {cluster} failed: {detail}")]
    SplitFailed { cluster: i32, detail: String },
    #[error("splitting needs the analysis space, which this map does not have")]
    NoAnalysisSpace,
    #[error("no statements were given to move")]
    NoStatements,
    #[error("the statements are already there")]
    AlreadyThere,
    #[error("\"{colour}\" is not a colour of the form #rrggbb")]
    InvalidColour { colour: String },
    #[error("there is already a way named \"{name}\"")]
    DuplicateWayName { name: String },
    #[error("position {index} is outside the {count} ways")]
    WayPositionOutOfRange { index: usize, count: usize },
    #[error("cluster {cluster} is already in way {way}")]
    AlreadyInWay { way: u32, cluster: i32 },
    #[error("cluster {cluster} is not in way {way}")]
    NotInWay { way: u32, cluster: i32 },
}

/// A cluster made by a split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub cluster: i32,
    pub label: String,
    pub size: usize,
}

/// What an applied edit did, with the names as they were at that moment, for the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    ClusterRenamed {
        cluster: i32,
        before: String,
        after: String,
    },
    ClusterLabelReset {
        cluster: i32,
        before: String,
        after: String,
    },
    ClusterDescribed {
        cluster: i32,
        label: String,
        description: Option<String>,
    },
    /// `merged` lists the clusters that joined `into` (which kept its id).
    ClustersMerged {
        into: i32,
        merged: Vec<i32>,
        label: String,
        size: usize,
    },
    ClusterSplit {
        cluster: i32,
        label: String,
        parts: Vec<Part>,
    },
    /// `emptied` lists the clusters the move left without statements, which are gone.
    StatementsMoved {
        count: usize,
        to: i32,
        label: String,
        emptied: Vec<i32>,
    },
    StatementsMarkedNoise {
        count: usize,
        emptied: Vec<i32>,
    },
    WayCreated {
        way: u32,
        name: String,
    },
    WayRenamed {
        way: u32,
        before: String,
        after: String,
    },
    WayDescribed {
        way: u32,
        name: String,
        description: String,
    },
    WayRecoloured {
        way: u32,
        name: String,
        colour: String,
    },
    WayDeleted {
        way: u32,
        name: String,
    },
    WayMoved {
        way: u32,
        name: String,
        from: usize,
        to: usize,
    },
    ClusterAddedToWay {
        way: u32,
        name: String,
        cluster: i32,
        label: String,
    },
    ClusterRemovedFromWay {
        way: u32,
        name: String,
        cluster: i32,
        label: String,
    },
    AxisNamed {
        start: String,
        end: String,
    },
}

/// How a cluster is named in English sentences: by its label, or by number when it has none.
fn cluster_name(id: i32, label: &str) -> String {
    if label.is_empty() {
        format!("cluster {id}")
    } else {
        format!("cluster {id} “{label}”")
    }
}

fn id_list(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
}

fn statements(count: usize) -> String {
    if count == 1 {
        "1 statement".to_owned()
    } else {
        format!("{count} statements")
    }
}

impl Outcome {
    /// One English sentence for the change log; the UI words the structured fields in Danish itself.
    pub fn summary(&self) -> String {
        match self {
            Outcome::ClusterRenamed { cluster, before, after } => {
                format!("Renamed {} to “{after}”", cluster_name(*cluster, before))
            }
            Outcome::ClusterLabelReset { cluster, before, after } => {
                format!("Gave {} back its machine label “{after}”", cluster_name(*cluster, before))
            }
            Outcome::ClusterDescribed { cluster, label, description: Some(_) } => {
                format!("Described {}", cluster_name(*cluster, label))
            }
            Outcome::ClusterDescribed { cluster, label, description: None } => {
                format!("Removed the description of {}", cluster_name(*cluster, label))
            }
            Outcome::ClustersMerged { into, merged, label, size } => format!(
                "Merged clusters {} into {} ({})",
                id_list(merged),
                cluster_name(*into, label),
                statements(*size)
            ),
            Outcome::ClusterSplit { cluster, label, parts } => {
                let parts: Vec<String> =
                    parts.iter().map(|p| format!("{} ({})", cluster_name(p.cluster, &p.label), p.size)).collect();
                format!("Split {} into {}", cluster_name(*cluster, label), parts.join(", "))
            }
            Outcome::StatementsMoved { count, to, label, emptied } => {
                let mut text = format!("Moved {} to {}", statements(*count), cluster_name(*to, label));
                if !emptied.is_empty() {
                    text.push_str(&format!("; clusters {} were emptied and removed", id_list(emptied)));
                }
                text
            }
            Outcome::StatementsMarkedNoise { count, emptied } => {
                let mut text = format!("Marked {} as noise", statements(*count));
                if !emptied.is_empty() {
                    text.push_str(&format!("; clusters {} were emptied and removed", id_list(emptied)));
                }
                text
            }
            Outcome::WayCreated { name, .. } => format!("Created the way “{name}”"),
            Outcome::WayRenamed { before, after, .. } => format!("Renamed the way “{before}” to “{after}”"),
            Outcome::WayDescribed { name, .. } => format!("Described the way “{name}”"),
            Outcome::WayRecoloured { name, colour, .. } => format!("Coloured the way “{name}” {colour}"),
            Outcome::WayDeleted { name, .. } => format!("Deleted the way “{name}”"),
            Outcome::WayMoved { name, from, to, .. } => {
                format!("Moved the way “{name}” from position {} to {}", from + 1, to + 1)
            }
            Outcome::ClusterAddedToWay { name, cluster, label, .. } => {
                format!("Added {} to the way “{name}”", cluster_name(*cluster, label))
            }
            Outcome::ClusterRemovedFromWay { name, cluster, label, .. } => {
                format!("Removed {} from the way “{name}”", cluster_name(*cluster, label))
            }
            Outcome::AxisNamed { start, end } => format!("Named the axis “{start}” → “{end}”"),
        }
    }
}
