//! `vejkort-distil`: writes the static word-vector table for instant mode from the downloaded model, once.
//!
//! Called by `scripts/setup.sh` after the model is fetched. Idempotent: a table whose header names the model's
//! SHA-256 and the requested width is kept. Prints how long distillation took, since it runs on the user's
//! machine at setup.
//!
//! `cargo run --release -p vejkort-embed --bin vejkort-distil -- [--model PATH] [--out PATH] [--dims N]
//! [--sif A | --information] [--threads N] [--force]`

use std::path::PathBuf;
use std::process::ExitCode;

use sha2::{Digest, Sha256};
use vejkort_embed::distil::{embed_pieces, pieces_to_keep, reduce_and_weight, Weighting, DEFAULT_DIMS, DEFAULT_SIF};
use vejkort_embed::static_table::{StaticTable, SOURCE_SHA256_OFFSET};
use vejkort_embed::{format, Model};

struct Args {
    model: PathBuf,
    out: PathBuf,
    dims: usize,
    weighting: Weighting,
    threads: usize,
    force: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        model: PathBuf::from("public/models/e5-small-q4.bin"),
        out: PathBuf::from("public/models/e5-small-static.bin"),
        dims: DEFAULT_DIMS,
        weighting: Weighting::Sif(DEFAULT_SIF),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        force: false,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || given.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--model" => args.model = PathBuf::from(value()?),
            "--out" => args.out = PathBuf::from(value()?),
            "--dims" => args.dims = value()?.parse().map_err(|_| "--dims takes a whole number".to_string())?,
            "--sif" => {
                args.weighting =
                    Weighting::Sif(value()?.parse().map_err(|_| "--sif takes a number such as 0.001".to_string())?)
            }
            "--information" => args.weighting = Weighting::Information,
            "--threads" => args.threads = value()?.parse().map_err(|_| "--threads takes a whole number".to_string())?,
            "--force" => args.force = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// Whether `out` already holds a table of this model at this width.
fn up_to_date(out: &PathBuf, sha: &[u8; 32], dims: usize) -> bool {
    let Ok(bytes) = std::fs::read(out) else { return false };
    bytes.get(SOURCE_SHA256_OFFSET..SOURCE_SHA256_OFFSET + 32) == Some(sha.as_slice())
        && StaticTable::from_bytes(&bytes).is_ok_and(|table| table.dim() == dims)
}

#[allow(clippy::disallowed_methods)] // Native tool: Instant::now is fine outside the browser.
fn run() -> Result<(), String> {
    let args = parse_args()?;
    let bytes = std::fs::read(&args.model)
        .map_err(|e| format!("{}: {e} (run scripts/fetch-model.sh first)", args.model.display()))?;
    let sha: [u8; 32] = Sha256::digest(&bytes).into();
    if !args.force && up_to_date(&args.out, &sha, args.dims) {
        println!("vejkort-distil: {} is up to date", args.out.display());
        return Ok(());
    }
    let started = std::time::Instant::now();
    let vocabulary = format::parse(&bytes).map_err(|e| format!("{}: {e}", args.model.display()))?.vocabulary;
    let mut model = Model::from_bytes(bytes).map_err(|e| format!("{}: {e}", args.model.display()))?;
    if vocabulary.pieces.len() != model.vocabulary_size() {
        return Err(format!("{}: a pruned model; distil from the full one", args.model.display()));
    }
    // Five-token inputs: large batches amortise unpacking each weight tile.
    model.set_batch_tokens(2048);
    let last_shown = std::sync::atomic::AtomicUsize::new(0);
    let progress = |done: usize, total: usize| {
        let percent = done * 100 / total.max(1);
        if last_shown.fetch_max(percent, std::sync::atomic::Ordering::Relaxed) / 10 < percent / 10 {
            println!("vejkort-distil: {percent}% of {total} pieces embedded");
        }
    };
    // For comparing widths and weights: the model's piece vectors are kept in (and read from) this file.
    let raw_cache = std::env::var_os("VEJKORT_DISTIL_RAW").map(PathBuf::from);
    let kept = pieces_to_keep(&vocabulary);
    let cached = raw_cache
        .as_ref()
        .and_then(|path| std::fs::read(path).ok())
        .filter(|b| b.len() == kept.len() * model.dim() * 4);
    let raw: Vec<f32> = match cached {
        Some(bytes) => bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect(),
        None => {
            let raw = embed_pieces(&model, &kept, args.threads, &progress).map_err(|_| "cancelled".to_string())?;
            println!("vejkort-distil: embedded {} pieces in {:.0} s", kept.len(), started.elapsed().as_secs_f64());
            if let Some(path) = &raw_cache {
                let bytes: Vec<u8> = raw.iter().flat_map(|x| x.to_le_bytes()).collect();
                std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            raw
        }
    };
    let table = reduce_and_weight(&raw, model.dim(), vocabulary, kept, sha, args.dims, args.weighting);
    let kept = table.kept.len();
    let pieces = table.vocabulary.pieces.len();
    let written = table.to_bytes();
    let partial = args.out.with_extension("partial");
    std::fs::write(&partial, &written).map_err(|e| format!("{}: {e}", partial.display()))?;
    std::fs::rename(&partial, &args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    println!(
        "vejkort-distil: wrote {} ({kept} of {pieces} pieces × {} dimensions, {:.1} MB) in {:.0} s on {} threads",
        args.out.display(),
        args.dims,
        written.len() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        args.threads
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("vejkort-distil: {message}");
            ExitCode::FAILURE
        }
    }
}
