//! The result as CSV: one row per point with `id, x, y, cluster, label, ways`, then the input's own columns.
//!
//! `id` numbers the points from 1 in input order; `cluster` is −1 for noise; `ways` lists the ways the point's
//! cluster belongs to, separated by "; ". An input column whose name clashes with one of these is written as
//! `input_<name>` so no column is lost or ambiguous.

use crate::pipeline::Analysis;
use crate::ways::Ways;

const OWN_COLUMNS: [&str; 6] = ["id", "x", "y", "cluster", "label", "ways"];

/// Writes the analysis with the current ways as CSV text (RFC 4180 quoting, `\n` line ends).
pub fn assignments_csv(analysis: &Analysis, ways: &Ways) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let header = OWN_COLUMNS.iter().map(|c| (*c).to_owned()).chain(analysis.columns.iter().map(|column| {
        if OWN_COLUMNS.contains(&column.as_str()) {
            format!("input_{column}")
        } else {
            column.clone()
        }
    }));
    // Writing to a Vec cannot fail; errors would only come from the underlying writer.
    let _ = writer.write_record(header);
    for (index, row) in analysis.rows.iter().enumerate() {
        let cluster = analysis.assignments[index];
        let label = analysis.cluster(cluster).map_or("", |c| c.label.as_str());
        let way_names: Vec<&str> = ways.of_cluster(cluster).map(|way| way.name.as_str()).collect();
        let [x, y] = analysis.positions[index];
        let own = [
            (index + 1).to_string(),
            x.to_string(),
            y.to_string(),
            cluster.to_string(),
            label.to_owned(),
            way_names.join("; "),
        ];
        let _ = writer.write_record(own.iter().map(String::as_str).chain(row.iter().map(String::as_str)));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::ColumnRoles;
    use crate::pipeline::{ClusterSummary, VectorSource};

    fn analysis() -> Analysis {
        Analysis {
            columns: vec!["id".into(), "udsagn".into()],
            roles: ColumnRoles { text: Some(1), ..ColumnRoles::default() },
            rows: vec![vec!["a7".into(), "Mere tid, færre skemaer".into()], vec!["a8".into(), "Sig \"nej\"".into()]],
            positions: vec![[0.5, -1.0], [2.0, 3.25]],
            assignments: vec![0, -1],
            clusters: vec![ClusterSummary {
                id: 0,
                size: 1,
                label: "tid, skemaer".into(),
                terms: vec![],
                centre: [0.5, -1.0],
            }],
            vectors: VectorSource::TfIdf { vocabulary: 3 },
            space: crate::dataset::Vectors::default(),
            cluster_space: None,
            membership: vec![1.0],
            layout: crate::pipeline::LayoutMethod::Pca,
            clustering: crate::pipeline::ClusterMethod::KMeans,
            silhouettes: vec![],
            layout_variance: [0.3, 0.2],
            workbooks: vec![],
            warnings: vec![],
            label_language: None,
            votes: None,
            placer: None,
        }
    }

    #[test]
    fn csv_has_own_columns_then_metadata_quoted() {
        let mut ways = Ways::default();
        ways.toggle(2, 0);
        ways.toggle(4, 0);
        let text = assignments_csv(&analysis(), &ways);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "id,x,y,cluster,label,ways,input_id,udsagn");
        assert_eq!(lines[1], "1,0.5,-1,0,\"tid, skemaer\",Smarter not harder; New deal,a7,\"Mere tid, færre skemaer\"");
        assert_eq!(lines[2], "2,2,3.25,-1,,,a8,\"Sig \"\"nej\"\"\"");
        assert_eq!(lines.len(), 3);
    }
}
