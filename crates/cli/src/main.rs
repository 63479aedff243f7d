//! `vejkort`: the app's analysis on the command line.
//!
//! It reads every format the app reads, runs the same engine with the same defaults, and writes the same CSV as
//! the app's export, so a data set too large for a browser tab can be analysed natively and the benchmark can
//! drive the engine without a browser. Progress goes to standard error; the result goes to `--out`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use vejkort_engine::cluster::ClusterCount;
use vejkort_engine::dataset::{ColumnChoice, ColumnPick};
use vejkort_engine::export::assignments_csv;
use vejkort_engine::io::{InputFile, ReadOptions};
use vejkort_engine::pipeline::{analyze, AnalysisOptions};
use vejkort_engine::progress::{Cancelled, Stage};
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
    /// How points are grouped.
    #[arg(long, value_enum, default_value_t = Algorithm::Kmeans)]
    algorithm: Algorithm,
    /// How the 2-D map is drawn.
    #[arg(long, value_enum, default_value_t = Layout::Pca)]
    layout: Layout,
    /// Number of k-means clusters; chosen by silhouette when left out.
    #[arg(long)]
    clusters: Option<usize>,
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
}

#[derive(Clone, Copy, ValueEnum)]
enum Algorithm {
    Kmeans,
}

#[derive(Clone, Copy, ValueEnum)]
enum Layout {
    Pca,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Analyze(args) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("vejkort: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

fn options(args: &AnalyzeArgs) -> AnalysisOptions {
    let (Algorithm::Kmeans, Layout::Pca) = (args.algorithm, args.layout);
    AnalysisOptions {
        read: ReadOptions { sheet: args.sheet.clone() },
        columns: ColumnChoice {
            text: args.text_column.clone().map_or(ColumnPick::Auto, ColumnPick::Named),
            ..ColumnChoice::default()
        },
        clusters: args.clusters.map_or(ClusterCount::Auto, ClusterCount::Fixed),
        seed: args.seed,
    }
}

/// Stage timings for the benchmark; the clock is read only here, natively, never in the engine.
struct Timer {
    started: std::time::Instant,
    current: Option<(Stage, std::time::Instant)>,
    seconds: Vec<(Stage, f64)>,
    quiet: bool,
    last_percent: i32,
}

impl Timer {
    #[allow(clippy::disallowed_methods)] // native command line: Instant works here, unlike in the browser
    fn now() -> std::time::Instant {
        std::time::Instant::now()
    }

    fn new(quiet: bool) -> Self {
        Timer { started: Self::now(), current: None, seconds: Vec::new(), quiet, last_percent: -1 }
    }

    fn report(&mut self, stage: Stage, fraction: f32) {
        let now = Self::now();
        if self.current.map(|(current, _)| current) != Some(stage) {
            self.close(now);
            self.current = Some((stage, now));
        }
        let percent = (stage.overall(fraction) * 100.0).round() as i32;
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

fn run(args: &AnalyzeArgs) -> Result<(), String> {
    let files = args
        .inputs
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
            let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
            Ok(InputFile { name, bytes })
        })
        .collect::<Result<Vec<_>, String>>()?;

    let mut timer = Timer::new(args.quiet);
    let mut sink = |stage: Stage, fraction: f32| -> Result<(), Cancelled> {
        timer.report(stage, fraction);
        Ok(())
    };
    let analysis = analyze(&files, &options(args), &mut sink).map_err(|error| error.to_string())?;
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
