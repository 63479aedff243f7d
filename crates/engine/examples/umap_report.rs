//! Prints the numbers behind the kNN and UMAP choices: NN-descent recall on 10,000 × 384 clustered unit vectors,
//! trustworthiness on the Bowling Green MiniLM embeddings, and the seconds a 100,000 × 50 run takes.
//!
//! Run with `cargo run --release -p vejkort-engine --example umap_report [-- bowling|recall|crossover|large|sgd|map [file.npy]]`. With
//! `bowling`, the layout is also written to `/tmp/vejkort-umap-bowling.f32` (raw little-endian f32) so it can be
//! scored by other tools.
#![allow(clippy::disallowed_methods, reason = "a native measuring tool, never run in the browser")]
#![allow(clippy::expect_used, reason = "a tool run by hand on known data: a failure should stop it loudly")]

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use vejkort_engine::io::{read_files, InputFile, ReadOptions};
use vejkort_engine::knn::{exact_knn, knn, nn_descent, recall, Metric, NnDescentParams};
use vejkort_engine::pca::{pca, PcaInput};
use vejkort_engine::quality::trustworthiness;
use vejkort_engine::umap::{umap, Umap, UmapParams};

/// `n` unit vectors in `dim` dimensions: `clusters` topics, each a centre plus a few directions of its own, plus
/// noise; like sentence embeddings, whose neighbourhoods are neither isotropic nor well separated.
fn topics(n: usize, dim: usize, clusters: usize, seed: u64) -> Vec<f32> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut gaussian = move || {
        let u1: f32 = rng.gen_range(f32::MIN_POSITIVE..1.0);
        let u2: f32 = rng.gen();
        (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
    };
    let centres: Vec<f32> = (0..clusters * dim).map(|_| gaussian()).collect();
    let directions: Vec<f32> = (0..clusters * 8 * dim).map(|_| gaussian() * 0.6).collect();
    let mut data = Vec::with_capacity(n * dim);
    for point in 0..n {
        let cluster = point % clusters;
        let weights: Vec<f32> = (0..8).map(|_| gaussian()).collect();
        let start = data.len();
        for d in 0..dim {
            let along: f32 = (0..8).map(|w| weights[w] * directions[(cluster * 8 + w) * dim + d]).sum();
            data.push(centres[cluster * dim + d] + along + 0.5 * gaussian());
        }
        let norm = data[start..].iter().map(|x| x * x).sum::<f32>().sqrt();
        data[start..].iter_mut().for_each(|x| *x /= norm);
    }
    data
}

/// CPU seconds this process has used (user + system), from `/proc/self/stat`: on a shared machine wall time
/// also counts the time other processes held the cores. Zero where `/proc` is missing.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Runs `work`, printing nothing, and returns its result with wall and CPU seconds.
fn timed<T>(work: impl FnOnce() -> T) -> (T, f64, f64) {
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let result = work();
    (result, wall.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

fn bowling() {
    let path = "/work/shared/data/embeddings/bowling-green_all-MiniLM-L6-v2/embeddings.npy";
    let Ok(bytes) = std::fs::read(path) else {
        println!("bowling: {path} not found");
        return;
    };
    let dataset = read_files(&[InputFile { name: "embeddings.npy".into(), bytes }], &ReadOptions::default())
        .expect("the Bowling Green embeddings parse");
    let vectors = dataset.vectors.expect("the .npy holds vectors");
    let (data, dim) = (vectors.values, vectors.dim);
    let exact = exact_knn(&data, dim, 15, Metric::Cosine);
    let approximate = nn_descent(&data, dim, 15, Metric::Cosine, &NnDescentParams::default(), 1, &mut |_| Ok(()))
        .expect("not cancelled");
    println!("bowling green NN-descent recall@15 {:.4}", recall(&approximate, &exact));
    // Twelve seeds: a change to the SGD moves one seed's trustworthiness by more than it moves the mean.
    let seeds = [42u64, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    let mut at_15 = 0.0;
    for seed in seeds {
        let (layout, wall, cpu) = timed(|| {
            let graph = knn(&data, dim, 15, Metric::Cosine, seed, &mut |_| Ok(())).expect("not cancelled");
            umap(&data, dim, &graph, UmapParams { seed, ..UmapParams::default() }, &mut |_| Ok(())).expect("valid")
        });
        let scores: Vec<String> =
            [5, 10, 15].iter().map(|&k| format!("T@{k} {:.4}", trustworthiness(&data, dim, &layout, 2, k))).collect();
        at_15 += trustworthiness(&data, dim, &layout, 2, 15);
        println!(
            "bowling green {}×{dim}, seed {seed}: {} (wall {wall:.2} s, cpu {cpu:.2} s)",
            data.len() / dim,
            scores.join(", ")
        );
        if seed == 42 {
            let bytes: Vec<u8> = layout.iter().flat_map(|v| v.to_le_bytes()).collect();
            std::fs::write("/tmp/vejkort-umap-bowling.f32", bytes).expect("/tmp is writable");
        }
    }
    println!("bowling green mean T@15 over {} seeds: {:.4}", seeds.len(), at_15 / seeds.len() as f64);
}

fn recall_report() {
    for (n, dim) in [(10_000usize, 384usize), (10_000, 50)] {
        let data = topics(n, dim, 30, 1);
        let (exact, wall, cpu) = timed(|| exact_knn(&data, dim, 15, Metric::Cosine));
        println!("{n}×{dim} cosine k=15 exact: wall {wall:.2} s, cpu {cpu:.2} s");
        for (name, params) in [
            ("default", NnDescentParams::default()),
            ("random start", NnDescentParams { trees: 0, ..NnDescentParams::default() }),
        ] {
            let (approximate, wall, cpu) = timed(|| {
                nn_descent(&data, dim, 15, Metric::Cosine, &params, 1, &mut |_| Ok(())).expect("not cancelled")
            });
            println!(
                "{n}×{dim} cosine k=15 NN-descent ({name}): recall {:.4}, wall {wall:.2} s, cpu {cpu:.2} s",
                recall(&approximate, &exact)
            );
        }
    }
}

/// Exact against NN-descent cost at growing sizes, to place [`vejkort_engine::knn::EXACT_THRESHOLD`]. The
/// fastest of five wall times is the least disturbed by other processes.
fn crossover() {
    for n in [1_000usize, 2_000, 3_000, 4_000, 6_000, 8_000] {
        let data = topics(n, 50, 20, 3);
        let fastest = |work: &dyn Fn()| (0..5).map(|_| timed(work).1).fold(f64::INFINITY, f64::min);
        let exact = fastest(&|| {
            exact_knn(&data, 50, 15, Metric::Cosine);
        });
        let descent = fastest(&|| {
            nn_descent(&data, 50, 15, Metric::Cosine, &NnDescentParams::default(), 1, &mut |_| Ok(())).expect("runs");
        });
        println!("{n}×50 k=15: exact {:.1} ms, NN-descent {:.1} ms", exact * 1e3, descent * 1e3);
    }
}

fn large() {
    let (n, dim) = (100_000usize, 50usize);
    let data = topics(n, dim, 40, 2);
    let (graph, knn_wall, knn_cpu) = timed(|| knn(&data, dim, 15, Metric::Cosine, 1, &mut |_| Ok(())).expect("runs"));
    let (mut run, setup_wall, setup_cpu) =
        timed(|| Umap::new(&data, dim, &graph, UmapParams::default()).expect("valid parameters"));
    let ((), sgd_wall, sgd_cpu) = timed(|| while !run.step(10) {});
    let epochs = run.epochs_total();
    println!("{n}×{dim}: kNN wall {knn_wall:.2} s cpu {knn_cpu:.2} s");
    println!("{n}×{dim}: fuzzy set + spectral start wall {setup_wall:.2} s cpu {setup_cpu:.2} s");
    println!(
        "{n}×{dim}: {epochs} epochs wall {sgd_wall:.2} s cpu {sgd_cpu:.2} s ({:.3} µs cpu per point per epoch)",
        sgd_cpu * 1e6 / (n * epochs) as f64
    );
    println!(
        "{n}×{dim}: total wall {:.2} s, cpu {:.2} s",
        knn_wall + setup_wall + sgd_wall,
        knn_cpu + setup_cpu + sgd_cpu
    );
}

/// The optimisation alone on 20,000 points, for comparing changes to the SGD.
fn sgd() {
    let (n, dim) = (20_000usize, 50usize);
    let data = topics(n, dim, 30, 4);
    let graph = knn(&data, dim, 15, Metric::Cosine, 1, &mut |_| Ok(())).expect("runs");
    let mut run = Umap::new(&data, dim, &graph, UmapParams::default()).expect("valid parameters");
    let ((), wall, cpu) = timed(|| while !run.step(10) {});
    let per_point = cpu * 1e6 / (n * run.epochs_total()) as f64;
    // A fingerprint of the layout's bits, so a change meant to be only faster can show it changed nothing else.
    let fingerprint = run
        .embedding()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, x| (hash ^ u64::from(x.to_bits())).wrapping_mul(0x0100_0000_01b3));
    println!(
        "{n}×{dim} SGD: wall {wall:.2} s, cpu {cpu:.2} s ({per_point:.3} µs cpu per point per epoch), \
         layout fingerprint {fingerprint:016x}"
    );
}

/// Where the map's time goes on an embedding (`map <file.npy>`): the stages the worker runs before clustering,
/// each in CPU seconds, so a change to one shows against the others (the browser benchmark only sees the page's
/// stage boundaries).
fn map_stages(path: &str) {
    let Ok(bytes) = std::fs::read(path) else {
        println!("map: {path} not found");
        return;
    };
    let dataset = read_files(&[InputFile { name: "input.npy".into(), bytes }], &ReadOptions::default())
        .expect("the embedding parses");
    let mut vectors = dataset.vectors.expect("an .npy holds vectors");
    let dim = vectors.dim;
    for row in vectors.values.chunks_exact_mut(dim) {
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        row.iter_mut().for_each(|x| *x /= norm);
    }
    let n = vectors.len();
    let (reduced, _, pca_cpu) = timed(|| pca(PcaInput::Dense(&vectors), 50, 0));
    let mut space: Vec<f32> = reduced.scores.iter().map(|&x| x as f32).collect();
    for row in space.chunks_exact_mut(reduced.components) {
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        row.iter_mut().for_each(|x| *x /= norm);
    }
    let dim = reduced.components;
    let (graph, _, knn_cpu) = timed(|| knn(&space, dim, 15, Metric::Cosine, 0, &mut |_| Ok(())).expect("runs"));
    let (run, _, setup_cpu) = timed(|| Umap::new(&space, dim, &graph, UmapParams::default()).expect("valid"));
    let mut run = run;
    let ((), _, sgd_cpu) = timed(|| while !run.step(10) {});
    let total = pca_cpu + knn_cpu + setup_cpu + sgd_cpu;
    println!(
        "{n}×{} map, cpu s: pca {pca_cpu:.2}, knn {knn_cpu:.2}, fuzzy set + init {setup_cpu:.2}, sgd {sgd_cpu:.2} \
         ({} epochs); total {total:.2}",
        vectors.dim,
        run.epochs_total()
    );
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    if which == "map" {
        let path = std::env::args().nth(2).unwrap_or_else(|| "target/bench/data/so10k.npy".into());
        map_stages(&path);
        return;
    }
    if which.is_empty() || which == "bowling" {
        bowling();
    }
    if which.is_empty() || which == "recall" {
        recall_report();
    }
    if which.is_empty() || which == "crossover" {
        crossover();
    }
    if which == "sgd" {
        sgd();
    }
    if which.is_empty() || which == "large" {
        large();
    }
}
