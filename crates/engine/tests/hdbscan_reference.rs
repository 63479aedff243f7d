//! HDBSCAN against the Python `hdbscan` package: the fixtures in `fixtures/hdbscan` hold data sets and the labels
//! that package gave them under several parameter cases (see `make_reference.py` there, which wrote them).
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use std::path::{Path, PathBuf};

use vejkort_engine::hdbscan::{hdbscan, ClusterSelection, HdbscanParams};
use vejkort_engine::metrics::{adjusted_rand_index, normalized_mutual_info};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hdbscan")
}

/// Reads a little-endian `.npy` array of float32 (`<f4`) or int32 (`<i4`) in C order: (values, columns).
fn read_npy(path: &Path) -> (Vec<u8>, String, usize) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..6], b"\x93NUMPY");
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).expect("an ASCII header").to_string();
    assert!(header.contains("'fortran_order': False"));
    let shape = &header[header.find("'shape': (").expect("a shape") + 10..];
    let shape: Vec<usize> =
        shape[..shape.find(')').expect("a closed shape")].split(',').filter_map(|s| s.trim().parse().ok()).collect();
    let columns = if shape.len() > 1 { shape[1] } else { 1 };
    (bytes[10 + header_len..].to_vec(), header, columns)
}

fn read_f32(path: &Path) -> (Vec<f32>, usize) {
    let (raw, header, dim) = read_npy(path);
    assert!(header.contains("'<f4'"), "{header}");
    (raw.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect(), dim)
}

fn read_i32(path: &Path) -> Vec<i32> {
    let (raw, header, _) = read_npy(path);
    assert!(header.contains("'<i4'"), "{header}");
    raw.chunks_exact(4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

/// The Python keyword arguments of one case, as this crate's parameters.
fn params_of(case: &serde_json::Value) -> HdbscanParams {
    let number = |key: &str| case.get(key).and_then(|v| v.as_u64()).map(|v| v as usize);
    HdbscanParams {
        min_cluster_size: number("min_cluster_size").expect("every case sets min_cluster_size"),
        min_samples: number("min_samples"),
        selection: match case.get("cluster_selection_method").and_then(|v| v.as_str()) {
            Some("leaf") => ClusterSelection::Leaf,
            _ => ClusterSelection::ExcessOfMass,
        },
        cluster_selection_epsilon: case.get("cluster_selection_epsilon").and_then(|v| v.as_f64()).unwrap_or(0.0) as f32,
        allow_single_cluster: case.get("allow_single_cluster").and_then(|v| v.as_bool()).unwrap_or(false),
    }
}

#[test]
fn labels_agree_with_the_python_package() {
    let cases: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(fixtures().join("cases.json")).unwrap()).unwrap();
    let mut worst = f64::INFINITY;
    for name in ["blobs_2d", "moons_2d", "blobs_5d", "blobs_30d"] {
        let (data, dim) = read_f32(&fixtures().join(format!("{name}.npy")));
        let table = std::fs::read_to_string(fixtures().join(format!("{name}_labels.csv"))).unwrap();
        let mut lines = table.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let rows: Vec<Vec<i32>> = lines.map(|l| l.split(',').map(|v| v.parse().unwrap()).collect()).collect();
        assert_eq!(rows.len() * dim, data.len());
        for (column, case) in header.iter().enumerate() {
            let expected: Vec<i32> = rows.iter().map(|r| r[column]).collect();
            let params = params_of(&cases[*case]);
            let result = hdbscan(&data, dim, &params, &mut |_| Ok(())).unwrap();
            let ari = adjusted_rand_index(&expected, &result.labels);
            let nmi = normalized_mutual_info(&expected, &result.labels);
            let python_clusters = expected.iter().max().map_or(0, |&m| m + 1);
            let same_noise = expected.iter().zip(&result.labels).filter(|(a, b)| (**a == -1) == (**b == -1)).count();
            eprintln!(
                "{name:>9} {case:>12}: ARI {ari:.4}, NMI {nmi:.4}, clusters {} (python {python_clusters}), \
                 noise agrees on {same_noise}/{}",
                result.n_clusters,
                expected.len()
            );
            worst = worst.min(ari);
            assert!(ari >= 0.95, "{name} {case}: ARI {ari}");
            assert!(same_noise * 100 >= expected.len() * 98, "{name} {case}: noise differs");
        }
    }
    eprintln!("lowest ARI: {worst:.4}");
}

/// Agreement and time on a large data set written by `make_reference.py --bench N DIM FILE.npy`; run with
/// `HDBSCAN_REFERENCE=/tmp/blobs.npy cargo test --release -p vejkort-engine --test hdbscan_reference -- --ignored
/// --nocapture`.
#[test]
#[ignore = "needs a data set written by make_reference.py --bench"]
#[allow(clippy::disallowed_methods, reason = "native-only timing of a benchmark run")]
fn large_data_set_agrees_with_the_python_package() {
    let path = PathBuf::from(std::env::var("HDBSCAN_REFERENCE").expect("HDBSCAN_REFERENCE names the .npy file"));
    let (data, dim) = read_f32(&path);
    let expected = read_i32(&PathBuf::from(path.to_string_lossy().replace(".npy", "_labels.npy")));
    let start = std::time::Instant::now();
    let result = hdbscan(&data, dim, &HdbscanParams::default(), &mut |_| Ok(())).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    let ari = adjusted_rand_index(&expected, &result.labels);
    eprintln!(
        "rust hdbscan: n={} dim={dim}: {seconds:.2} s, {} clusters, ARI vs python {ari:.4}",
        expected.len(),
        result.n_clusters
    );
    assert!(ari >= 0.95, "ARI {ari}");
}
