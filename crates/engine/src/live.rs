//! Live statements: new texts placed into a finished map during a workshop, without moving anything already there.
//!
//! An analysis keeps a small [`Placer`]: how its statements became vectors (the TF-IDF vocabulary with its idf,
//! or that the language model embedded them) and the PCA that reduced those vectors to the analysis space. A new
//! statement goes the same way (vector, then `(x − mean)·axes`, then unit length), so it lands in the very space
//! the map was made from. Its map position is UMAP's transform of that point against the fixed layout (or its
//! first two principal components, for a PCA map); the positions of the existing points are inputs, never outputs.
//!
//! The cluster of a new statement is a vote of its nearest statements in the analysis space (the same
//! neighbours UMAP places it by): each neighbour votes for its cluster with its UMAP membership strength, noise
//! neighbours do not vote, and the cluster with the largest total wins (ties: the nearer neighbour's). Only when
//! all neighbours are noise is the statement noise. HDBSCAN's own "approximate predict" would need its condensed
//! tree, which the analysis does not keep; the vote needs nothing beyond the space, and it agrees with what a
//! reader sees: a statement joins the cluster its nearest neighbours are in.

use serde::{Deserialize, Serialize};

use crate::curation::{Cluster, Curation};
use crate::dataset::Vectors;
use crate::knn::{exact_knn_query, Metric};
use crate::pca::Pca;
use crate::pipeline::LayoutMethod;
use crate::text::words;
use crate::tfidf::tfidf_row;
use crate::umap::{memberships, FittedUmap, UmapParams};

/// How the analysis turned statements into vectors, as far as placing new ones needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PlacerVectors {
    /// TF-IDF with this sorted vocabulary and its inverse document frequencies.
    TfIdf { vocabulary: Vec<String>, idf: Vec<f32> },
    /// The sentence-embedding model (by name) with vectors this wide: the caller embeds new statements.
    Model { name: String, dimensions: usize },
}

/// What places a new statement where the analysis would have put it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placer {
    pub vectors: PlacerVectors,
    /// PCA's column means of the vectors.
    #[serde(with = "floats")]
    pub mean: Vec<f32>,
    /// Row-major `vector dimensions × components` principal axes.
    #[serde(with = "floats")]
    pub axes: Vec<f32>,
    pub components: usize,
    /// How the map was made: a UMAP layout is extended by its transform, a PCA map by projection.
    pub layout: LayoutMethod,
    /// The 2-D map's UMAP settings, as the analysis ran them.
    pub umap: UmapParams,
}

/// Why statements could not be placed. Each says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PlaceError {
    #[error("this map was made from the data's own vectors; new texts cannot be turned into such vectors")]
    NoPlacer,
    #[error("this map was made with the language model, which could not be loaded")]
    NoModel,
    #[error("the new statements' vectors have {found} dimensions; the map's have {expected}")]
    WrongDimensions { expected: usize, found: usize },
    #[error("the map's parts disagree: {points} points but {found} {what}")]
    Inconsistent { points: usize, found: usize, what: String },
    #[error("there is nothing to place")]
    Nothing,
}

/// The map a statement is placed into: its analysis space, positions and (curated) clusters, one row per point.
#[derive(Debug, Clone, Copy)]
pub struct MapContext<'a> {
    pub space: &'a Vectors,
    pub positions: &'a [[f32; 2]],
    pub assignments: &'a [i32],
}

/// One placed statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placed {
    pub position: [f32; 2],
    /// The cluster it joins, −1 when all its neighbours are noise.
    pub cluster: i32,
    /// Its row of the analysis space, so it can be a neighbour of later statements.
    pub space: Vec<f32>,
    /// How many of its words the TF-IDF vocabulary knows; `None` for the model. Zero means it was placed blind.
    pub known_words: Option<usize>,
}

impl Placer {
    /// The placer of a fitted analysis: its vectoriser, its PCA and how its map was made.
    pub fn new(vectors: PlacerVectors, reduced: &Pca, layout: LayoutMethod, umap: UmapParams) -> Placer {
        Placer {
            vectors,
            mean: reduced.means.iter().map(|&x| x as f32).collect(),
            axes: reduced.axes.iter().map(|&x| x as f32).collect(),
            components: reduced.components,
            layout,
            umap,
        }
    }

    /// Whether new statements must be embedded by the model before [`Placer::place`].
    pub fn needs_model(&self) -> bool {
        matches!(self.vectors, PlacerVectors::Model { .. })
    }

    fn input_dimensions(&self) -> usize {
        self.mean.len()
    }

    /// TF-IDF vectors of new statements (dense, as wide as the vocabulary) and how many words of each the
    /// vocabulary knows; `None` when the map was made with the model.
    pub fn tfidf(&self, texts: &[&str]) -> Option<(Vectors, Vec<usize>)> {
        let PlacerVectors::TfIdf { vocabulary, idf } = &self.vectors else { return None };
        let dim = vocabulary.len();
        let mut values = vec![0.0; texts.len() * dim];
        let mut known = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            let row = tfidf_row(&words(text).collect::<Vec<_>>(), vocabulary, idf);
            known.push(row.len());
            for (column, value) in row {
                values[i * dim + column as usize] = value;
            }
        }
        Some((Vectors { dim, values }, known))
    }

    /// New rows in the analysis space (unit length) and their first two principal components (a PCA map's
    /// coordinates), from vectors made like the analysis's own.
    pub fn project(&self, vectors: &Vectors) -> Result<(Vectors, Vec<[f32; 2]>), PlaceError> {
        let d = self.input_dimensions();
        if vectors.dim != d {
            return Err(PlaceError::WrongDimensions { expected: d, found: vectors.dim });
        }
        let k = self.components;
        let mut space = Vec::with_capacity(vectors.len() * k);
        let mut principal = Vec::with_capacity(vectors.len());
        for i in 0..vectors.len() {
            let mut row: Vec<f64> = vectors.row(i).iter().map(|&x| f64::from(x)).collect();
            // The model's vectors entered PCA at unit length (TF-IDF rows already are).
            if self.needs_model() {
                let norm = row.iter().map(|x| x * x).sum::<f64>().sqrt();
                if norm > 0.0 {
                    row.iter_mut().for_each(|x| *x /= norm);
                }
            }
            let mut scores = vec![0.0f64; k];
            for (j, &x) in row.iter().enumerate() {
                let centred = x - f64::from(self.mean[j]);
                if centred != 0.0 {
                    let axes = &self.axes[j * k..(j + 1) * k];
                    scores.iter_mut().zip(axes).for_each(|(s, &a)| *s += centred * f64::from(a));
                }
            }
            principal
                .push([scores.first().copied().unwrap_or(0.0) as f32, scores.get(1).copied().unwrap_or(0.0) as f32]);
            let norm = scores.iter().map(|x| x * x).sum::<f64>().sqrt();
            space.extend(scores.iter().map(|&x| if norm > 0.0 { (x / norm) as f32 } else { 0.0 }));
        }
        Ok((Vectors { dim: k, values: space }, principal))
    }

    /// Places statements given as vectors made like the analysis's own (the model's, or [`Placer::tfidf`]'s) into
    /// `map`. Each is placed against the existing points only, never against the others in the same call, so the
    /// order of a batch does not matter; nothing in `map` changes.
    pub fn place(&self, vectors: &Vectors, map: MapContext<'_>) -> Result<Vec<Placed>, PlaceError> {
        let n = map.positions.len();
        if vectors.is_empty() {
            return Err(PlaceError::Nothing);
        }
        let disagree = |found: usize, what: &str| PlaceError::Inconsistent { points: n, found, what: what.into() };
        if map.space.len() != n || map.space.dim != self.components {
            return Err(disagree(map.space.len(), "rows of the analysis space"));
        }
        if map.assignments.len() != n {
            return Err(disagree(map.assignments.len(), "cluster assignments"));
        }
        if n < 2 {
            return Err(disagree(n, "points (at least 2 are needed)"));
        }
        let (space, principal) = self.project(vectors)?;
        let k = self.umap.n_neighbors.clamp(1, n);
        let graph = exact_knn_query(&map.space.values, &space.values, space.dim, k, Metric::Cosine);
        let strengths = memberships(&graph, graph.k);

        let positions: Vec<[f32; 2]> = match self.layout {
            LayoutMethod::Pca => principal,
            LayoutMethod::Umap => {
                let params = UmapParams { n_components: 2, n_neighbors: k, ..self.umap.clone() };
                let flat: Vec<f32> = map.positions.iter().flat_map(|p| [p[0], p[1]]).collect();
                let fitted = FittedUmap::from_layout(map.space.values.clone(), map.space.dim, flat, params)
                    .ok_or_else(|| disagree(map.positions.len(), "positions"))?;
                // One at a time: transform's sampling draws from one stream per call, so a batch would place each
                // statement a little differently depending on the others.
                (0..space.len())
                    .map(|i| {
                        let placed = fitted.transform(space.row(i), space.dim);
                        [placed.first().copied().unwrap_or(0.0), placed.get(1).copied().unwrap_or(0.0)]
                    })
                    .collect()
            }
        };
        Ok((0..space.len())
            .map(|i| {
                let neighbours = graph.neighbours(i);
                let weights = &strengths[i * graph.k..(i + 1) * graph.k];
                Placed {
                    position: positions.get(i).copied().unwrap_or([0.0, 0.0]),
                    cluster: vote(neighbours, weights, map.assignments),
                    space: space.row(i).to_vec(),
                    known_words: None,
                }
            })
            .collect())
    }

    /// Places texts when the map was made with TF-IDF (the model's maps need [`Placer::place`] with embeddings).
    pub fn place_texts(&self, texts: &[&str], map: MapContext<'_>) -> Result<Vec<Placed>, PlaceError> {
        let (vectors, known) = self.tfidf(texts).ok_or(PlaceError::NoModel)?;
        let mut placed = self.place(&vectors, map)?;
        for (statement, known) in placed.iter_mut().zip(known) {
            statement.known_words = Some(known);
        }
        Ok(placed)
    }
}

/// The cluster the neighbours (nearest first) vote for with their strengths; noise does not vote.
pub fn vote(neighbours: &[u32], weights: &[f32], assignments: &[i32]) -> i32 {
    let mut totals: Vec<(i32, f32, usize)> = Vec::new();
    for (rank, (&neighbour, &weight)) in neighbours.iter().zip(weights).enumerate() {
        let Some(&cluster) = assignments.get(neighbour as usize) else { continue };
        if cluster < 0 {
            continue;
        }
        match totals.iter_mut().find(|(id, _, _)| *id == cluster) {
            Some((_, total, _)) => *total += weight,
            None => totals.push((cluster, weight, rank)),
        }
    }
    totals.iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.2.cmp(&a.2))).map_or(-1, |&(cluster, _, _)| cluster)
}

/// The cluster the `k` nearest points (by cosine in `space`) of point `point` vote for, the point itself and
/// points whose cluster is `skip` left out: for a statement whose cluster vanished (an undone split).
pub fn nearest_cluster(
    space: &Vectors,
    point: usize,
    assignments: &[i32],
    k: usize,
    skip: &dyn Fn(i32) -> bool,
) -> i32 {
    let Some(query) = (point < space.len()).then(|| space.row(point)) else { return -1 };
    let mut scored: Vec<(f32, usize)> = (0..space.len())
        .filter(|&i| i != point && assignments.get(i).is_some_and(|&c| c >= 0 && !skip(c)))
        .map(|i| (space.row(i).iter().zip(query).map(|(a, b)| a * b).sum::<f32>(), i))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(k);
    let neighbours: Vec<u32> = scored.iter().map(|&(_, i)| i as u32).collect();
    let weights: Vec<f32> = scored.iter().map(|&(similarity, _)| similarity.max(0.0) + 1e-6).collect();
    vote(&neighbours, &weights, assignments)
}

/// Brings a curation in line with its statements after live statements were added or removed, or after an undo
/// restored clusters as they were before live statements joined them: a statement whose cluster no longer exists
/// joins the cluster its nearest statements vote for, and each cluster's size and centre follow its statements
/// (an emptied cluster goes, from the ways too). A curation that already agrees is left exactly as it is.
/// Returns whether anything changed.
pub fn reconcile(curation: &mut Curation, positions: &[[f32; 2]], space: &Vectors, neighbours: usize) -> bool {
    let mut changed = false;
    let known = |clusters: &[Cluster], id: i32| clusters.binary_search_by_key(&id, |c| c.id).is_ok();
    let orphans: Vec<usize> = (0..curation.assignments.len())
        .filter(|&i| curation.assignments[i] >= 0 && !known(&curation.clusters, curation.assignments[i]))
        .collect();
    for &point in &orphans {
        let clusters = &curation.clusters;
        let skip = |id: i32| !known(clusters, id);
        let cluster = if space.len() == curation.assignments.len() {
            nearest_cluster(space, point, &curation.assignments, neighbours, &skip)
        } else {
            -1
        };
        curation.assignments[point] = cluster;
        changed = true;
    }
    let mut counts: std::collections::HashMap<i32, (usize, [f32; 2])> = std::collections::HashMap::new();
    for (point, &id) in curation.assignments.iter().enumerate() {
        let entry = counts.entry(id).or_insert((0, [0.0, 0.0]));
        entry.0 += 1;
        if let Some(p) = positions.get(point) {
            entry.1 = [entry.1[0] + p[0], entry.1[1] + p[1]];
        }
    }
    let mut emptied = Vec::new();
    for cluster in &mut curation.clusters {
        let (size, sum) = counts.get(&cluster.id).copied().unwrap_or((0, [0.0, 0.0]));
        if size == cluster.size {
            continue;
        }
        changed = true;
        cluster.size = size;
        if size == 0 {
            emptied.push(cluster.id);
        } else {
            cluster.centre = [sum[0] / size as f32, sum[1] / size as f32];
        }
    }
    if !emptied.is_empty() {
        curation.clusters.retain(|cluster| !emptied.contains(&cluster.id));
        for way in &mut curation.ways.ways {
            way.clusters.retain(|id| !emptied.contains(id));
        }
    }
    changed
}

/// A table as CSV (header, then rows), quoted where needed: what "re-run layout" analyses when the map holds
/// statements that no input file has.
pub fn table_csv(columns: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail on I/O; a row of the wrong length cannot happen for an analysis's rows.
    let _ = writer.write_record(columns);
    for row in rows {
        let _ = writer.write_record(row);
    }
    writer.into_inner().unwrap_or_default()
}

/// Base64 of little-endian f32 in human-readable formats (the project file's JSON, like its analysis space),
/// plain sequences elsewhere (postcard between UI and worker).
mod floats {
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[f32], serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let bytes: Vec<u8> = values.iter().flat_map(|x| x.to_le_bytes()).collect();
            serializer.serialize_str(&BASE64.encode(bytes))
        } else {
            serializer.collect_seq(values)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f32>, D::Error> {
        if deserializer.is_human_readable() {
            let text = String::deserialize(deserializer)?;
            let bytes = BASE64.decode(text).map_err(serde::de::Error::custom)?;
            if bytes.len() % 4 != 0 {
                return Err(serde::de::Error::custom(format!("{} bytes are not whole 4-byte numbers", bytes.len())));
            }
            Ok(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
        } else {
            Vec::<f32>::deserialize(deserializer)
        }
    }
}

#[cfg(test)]
mod tests;
