//! Reading every supported format into a `Dataset`, and the errors bad files give.
//!
//! Files under `tests/fixtures/` were written with openpyxl; the real data sets live in the shared data folder
//! next to the repository, and tests that read them fail (not skip) when it is missing.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use vejkort_engine::dataset::Dataset;
use vejkort_engine::io::{read_files, InputFile, ReadOptions};
use vejkort_engine::InputError;

fn file(name: &str, bytes: impl Into<Vec<u8>>) -> InputFile {
    InputFile { name: name.to_owned(), bytes: bytes.into() }
}

fn read_one(name: &str, bytes: impl Into<Vec<u8>>) -> Result<Dataset, InputError> {
    read_files(&[file(name, bytes)], &ReadOptions::default())
}

fn read_all(files: &[InputFile]) -> Result<Dataset, InputError> {
    read_files(files, &ReadOptions::default())
}

/// A file from the shared data folder (`crates/engine` → `../../../shared/data`).
fn shared(path: &str) -> InputFile {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(path);
    let bytes =
        std::fs::read(&full).unwrap_or_else(|error| panic!("shared data {} is missing: {error}", full.display()));
    let name = full.file_name().unwrap().to_string_lossy().into_owned();
    file(&name, bytes)
}

fn fixture(name: &str) -> InputFile {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    file(name, std::fs::read(&full).unwrap_or_else(|error| panic!("fixture {} is missing: {error}", full.display())))
}

/// Warnings as the English text a person reads.
fn texts(warnings: &[vejkort_engine::error::Warning]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|&cell| cell.to_owned()).collect()
}

/// A `.npy` file as NumPy writes it: version 1.0 (or 2.0), header padded with spaces to a multiple of 64.
fn npy(descr: &str, shape: &str, data: &[u8], version: u8) -> Vec<u8> {
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    let prefix = if version == 1 { 10 } else { 12 };
    while (prefix + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY".to_vec();
    bytes.extend([version, 0]);
    if version == 1 {
        bytes.extend(u16::try_from(header.len()).unwrap().to_le_bytes());
    } else {
        bytes.extend(u32::try_from(header.len()).unwrap().to_le_bytes());
    }
    bytes.extend(header.as_bytes());
    bytes.extend(data);
    bytes
}

fn f64_bytes(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|value| value.to_le_bytes()).collect()
}

mod delimited {
    use super::*;

    #[test]
    fn comma_semicolon_and_tab_read_alike() {
        let expected = read_one("a.csv", "navn,svar\nSøren,Ja tak\nMette,\"Nej, tak\"\n").unwrap();
        assert_eq!(expected.columns, strings(&["navn", "svar"]));
        assert_eq!(expected.rows, vec![strings(&["Søren", "Ja tak"]), strings(&["Mette", "Nej, tak"])]);
        let semicolon = read_one("a.csv", "navn;svar\nSøren;Ja tak\nMette;Nej, tak\n").unwrap();
        assert_eq!(semicolon, expected);
        let tab = read_one("a.txt", "navn\tsvar\nSøren\tJa tak\nMette\tNej, tak\n").unwrap();
        assert_eq!(tab, expected);
    }

    #[test]
    fn tsv_extension_forces_tabs_even_when_commas_dominate() {
        let data = read_one("m.tsv", "id\ttext\n1\ta, b, c, d\n").unwrap();
        assert_eq!(data.columns, strings(&["id", "text"]));
        assert_eq!(data.rows, vec![strings(&["1", "a, b, c, d"])]);
    }

    #[test]
    fn byte_order_mark_is_stripped_and_cells_stay_verbatim() {
        let data = read_one("a.csv", "\u{FEFF}id,text\n1,  spaced out  \n").unwrap();
        assert_eq!(data.columns, strings(&["id", "text"]));
        assert_eq!(data.rows, vec![strings(&["1", "  spaced out  "])]);
        assert!(data.warnings.is_empty());
    }

    #[test]
    fn quoted_fields_keep_newlines_and_doubled_quotes() {
        let text = "id,text\r\n1,\"line one\r\nline two\"\r\n2,\"she said \"\"hi\"\"\"\r\n";
        let data = read_one("a.csv", text).unwrap();
        assert_eq!(data.rows, vec![strings(&["1", "line one\r\nline two"]), strings(&["2", "she said \"hi\""])]);
    }

    #[test]
    fn ragged_row_after_a_multiline_field_names_its_editor_line() {
        let text = "id,text\n1,\"line one\nline two\nline three\"\n2,\"say \"\"hi\"\"\"\n\n3,x,extra\n";
        let error = read_one("comments.csv", text).unwrap_err();
        assert_eq!(error, InputError::RaggedRow { file: "comments.csv".into(), row: 7, expected: 2, found: 3 });
    }

    #[test]
    fn short_row_is_ragged_too() {
        let error = read_one("a.csv", "a;b;c\r\n1;2;3\r\n4;5\r\n").unwrap_err();
        assert_eq!(error, InputError::RaggedRow { file: "a.csv".into(), row: 3, expected: 3, found: 2 });
    }

    #[test]
    fn empty_lines_are_skipped_with_a_warning() {
        let data = read_one("comments.csv", "id,text\n\n1,a\n\n\n2,b\n\n").unwrap();
        assert_eq!(data.rows, vec![strings(&["1", "a"]), strings(&["2", "b"])]);
        assert_eq!(texts(&data.warnings), strings(&["comments.csv: skipped 3 empty lines"]));
    }

    #[test]
    fn empty_and_blank_files_are_empty() {
        for bytes in [&b""[..], b"  \n\t\r\n ", b"\xEF\xBB\xBF", b"\xEF\xBB\xBF\n\n"] {
            assert_eq!(read_one("a.csv", bytes).unwrap_err(), InputError::EmptyFile { file: "a.csv".into() });
            assert_eq!(read_one("noext", bytes).unwrap_err(), InputError::EmptyFile { file: "noext".into() });
        }
    }

    #[test]
    fn a_header_without_rows_has_no_rows() {
        assert_eq!(read_one("a.csv", "id,text\n\n").unwrap_err(), InputError::NoRows { file: "a.csv".into() });
    }

    #[test]
    fn binary_without_a_known_extension_is_unknown() {
        let bytes = vec![0x00, 0x01, 0x02, 0xFF, 0x10, 0x00];
        assert_eq!(read_one("blob.bin", bytes).unwrap_err(), InputError::UnknownFormat { file: "blob.bin".into() });
        let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00".to_vec();
        assert_eq!(read_one("old.xls", xls).unwrap_err(), InputError::LegacyExcel { file: "old.xls".into() });
    }

    #[test]
    fn latin1_text_is_read_as_windows_1252_with_a_warning() {
        // "Søren" saved as Latin-1: ø is the single byte 0xF8.
        for name in ["navne.csv", "navne"] {
            let data = read_one(name, b"navn\nS\xF8ren\n".to_vec()).unwrap();
            assert_eq!(data.rows, vec![strings(&["Søren"])]);
            assert_eq!(
                data.warnings,
                [vejkort_engine::error::Warning::Decoded { file: name.into(), encoding: "Windows-1252".into() }]
            );
        }
        // Control bytes no text holds make it binary, not text in another encoding.
        let error = read_one("navne.csv", b"navn\nS\xF8\x01ren\n".to_vec()).unwrap_err();
        assert_eq!(error, InputError::NotText { file: "navne.csv".into(), byte_offset: 7 });
    }

    #[test]
    fn text_without_extension_is_read_as_delimited() {
        let data = read_one("export", "a;b\n1;2\n").unwrap();
        assert_eq!(data.columns, strings(&["a", "b"]));
    }

    #[test]
    fn one_column_text_keeps_commas_in_statements() {
        let data = read_one("udsagn.txt", "udsagn\nFlere stier, færre biler\nBilligere bus; også om natten\n").unwrap();
        assert_eq!(data.columns, strings(&["udsagn"]));
        assert_eq!(
            data.rows,
            vec![strings(&["Flere stier, færre biler"]), strings(&["Billigere bus; også om natten"])]
        );
    }

    #[test]
    fn repeated_headers_get_distinct_names() {
        let data = read_one("a.csv", "svar,svar,\n1,2,3\n").unwrap();
        assert_eq!(data.columns, strings(&["svar", "svar (2)", "column 3"]));
        assert_eq!(texts(&data.warnings), strings(&["a.csv: named 2 blank or repeated column headers"]));
    }

    #[test]
    fn polis_comments_parse_completely() {
        let data = read_all(&[shared("polis/american-assembly.bowling-green/comments.csv")]).unwrap();
        assert_eq!(
            data.columns,
            strings(&[
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body"
            ])
        );
        assert_eq!(data.len(), 896);
        assert!(data.vectors.is_none(), "six numeric columns are ids and counts, not vectors");
        assert_eq!(data.rows[0][2], "895");
        assert!(data.rows[0][7].starts_with("Smallhouse Rd (at Campbell Ln)"));
        assert!(data.warnings.is_empty());
    }

    #[test]
    fn danish_agendas_keep_their_letters() {
        let data = read_all(&[shared("danish_agendas/test_agendas.csv")]).unwrap();
        assert_eq!(data.columns, strings(&["id", "text"]));
        assert_eq!(data.len(), 1999);
        assert_eq!(data.rows[0], strings(&["118877", "10. Bygnings- og jordforureningspulje - Åben sag"]));
        let text: String = data.rows.iter().map(|row| row[1].as_str()).collect();
        for letter in ['æ', 'ø', 'å', 'Æ', 'Ø', 'Å'] {
            assert!(text.contains(letter), "{letter} is missing");
        }
    }
}

mod numbers {
    use super::*;

    fn numeric_table(columns: usize, rows: usize) -> String {
        let mut text = (1..=columns).map(|column| format!("d{column}")).collect::<Vec<_>>().join(",");
        text.push_str(",text\n");
        for row in 0..rows {
            for column in 0..columns {
                text.push_str(&format!("{}.5,", row * 100 + column));
            }
            text.push_str(&format!("statement {row}\n"));
        }
        text
    }

    #[test]
    fn identifier_columns_stay_metadata_beside_vectors() {
        let table = numeric_table(9, 3).replacen("d1,", "comment-id,", 1);
        let data = read_one("stats.csv", table).unwrap();
        assert_eq!(data.columns, strings(&["comment-id", "text"]));
        assert_eq!(data.rows[2], strings(&["200.5", "statement 2"]));
        assert_eq!(data.vectors.unwrap().dim, 8);
    }

    #[test]
    fn headerless_numbers_are_a_vector_block() {
        let data = read_one("vectors.tsv", "0.1\t0.2\t0.3\n-1e-3\t2\t3.5\n").unwrap();
        assert_eq!(data.columns, strings(&["id"]));
        assert_eq!(data.rows, vec![strings(&["1"]), strings(&["2"])]);
        let vectors = data.vectors.unwrap();
        assert_eq!(vectors.dim, 3);
        assert_eq!(vectors.values, [0.1, 0.2, 0.3, -0.001, 2.0, 3.5]);
    }

    #[test]
    fn nan_in_a_vector_block_is_not_finite() {
        let error = read_one("vectors.tsv", "0.1\t0.2\t0.3\n0.4\tNaN\t0.6\n").unwrap_err();
        assert_eq!(
            error,
            InputError::NotFinite { file: "vectors.tsv".into(), row: 2, column: "2".into(), value: "NaN".into() }
        );
        let error = read_one("vectors.tsv", "0.1\t0.2\n\n-inf\t0.6\n").unwrap_err();
        assert_eq!(
            error,
            InputError::NotFinite { file: "vectors.tsv".into(), row: 3, column: "1".into(), value: "-inf".into() }
        );
    }

    #[test]
    fn text_in_a_vector_block_is_not_a_number() {
        let error = read_one("vectors.tsv", "0.1\t0.2\t0.3\n0.4\t0.5\tabc\n").unwrap_err();
        assert_eq!(
            error,
            InputError::NotANumber { file: "vectors.tsv".into(), row: 2, column: "3".into(), value: "abc".into() }
        );
    }

    #[test]
    fn a_short_vector_row_is_ragged() {
        let error = read_one("vectors.tsv", "0.1\t0.2\t0.3\n0.4\t0.5\t0.6\n0.7\t0.8\n").unwrap_err();
        assert_eq!(
            error,
            InputError::RaggedVector { file: "vectors.tsv".into(), row: 3, first_row: 1, expected: 3, found: 2 }
        );
    }

    #[test]
    fn ten_numeric_columns_become_vectors_and_the_rest_stays() {
        let data = read_one("scores.csv", numeric_table(10, 3)).unwrap();
        assert_eq!(data.columns, strings(&["text"]));
        assert_eq!(data.rows, vec![strings(&["statement 0"]), strings(&["statement 1"]), strings(&["statement 2"])]);
        let vectors = data.vectors.unwrap();
        assert_eq!(vectors.dim, 10);
        assert_eq!(vectors.len(), 3);
        assert_eq!(vectors.row(1)[..3], [100.5, 101.5, 102.5]);
    }

    #[test]
    fn seven_numeric_columns_stay_metadata() {
        let data = read_one("scores.csv", numeric_table(7, 3)).unwrap();
        assert_eq!(data.columns.len(), 8);
        assert!(data.vectors.is_none());
    }

    #[test]
    fn nan_in_a_numeric_column_names_row_and_column() {
        let text = numeric_table(10, 3).replace("203.5", "NaN");
        let error = read_one("scores.csv", text).unwrap_err();
        assert_eq!(
            error,
            InputError::NotFinite { file: "scores.csv".into(), row: 4, column: "d4".into(), value: "NaN".into() }
        );
    }

    #[test]
    fn an_empty_cell_in_a_numeric_column_is_not_a_number() {
        let text = numeric_table(10, 3).replace(",102.5,", ",,");
        let error = read_one("scores.csv", text).unwrap_err();
        assert_eq!(
            error,
            InputError::NotANumber { file: "scores.csv".into(), row: 3, column: "d3".into(), value: "".into() }
        );
    }
}

mod projector {
    use super::*;

    const FOLDER: &str = "embeddings/bowling-green_all-MiniLM-L6-v2";

    #[test]
    fn the_real_pair_reads_as_vectors_with_metadata() {
        let files = [shared(&format!("{FOLDER}/vectors.tsv")), shared(&format!("{FOLDER}/metadata.tsv"))];
        let data = read_all(&files).unwrap();
        assert_eq!(data.columns, strings(&["comment_id", "text", "moderated", "agrees", "disagrees", "divisiveness"]));
        assert_eq!(data.len(), 896);
        let vectors = data.vectors.unwrap();
        assert_eq!((vectors.len(), vectors.dim), (896, 384));
        assert!((vectors.row(0)[0] - 0.058822).abs() < 1e-7);
        assert!(data.warnings.is_empty());
    }

    #[test]
    fn metadata_first_works_too() {
        let files = [shared(&format!("{FOLDER}/metadata.tsv")), shared(&format!("{FOLDER}/vectors.tsv"))];
        let data = read_all(&files).unwrap();
        assert_eq!(data.len(), 896);
        assert_eq!(data.vectors.unwrap().len(), 896);
    }

    #[test]
    fn a_missing_metadata_row_is_a_count_mismatch() {
        let metadata = shared(&format!("{FOLDER}/metadata.tsv"));
        let text = String::from_utf8(metadata.bytes).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.remove(100);
        let files = [shared(&format!("{FOLDER}/vectors.tsv")), file("metadata.tsv", lines.join("\n"))];
        let error = read_all(&files).unwrap_err();
        assert_eq!(
            error,
            InputError::CountMismatch {
                file: "vectors.tsv".into(),
                vectors: 896,
                metadata_file: "metadata.tsv".into(),
                rows: 895
            }
        );
    }

    #[test]
    fn one_column_metadata_without_header_counts_its_first_line() {
        let vectors = file("vectors.tsv", "1\t0\n0\t1\n1\t1\n");
        let data = read_all(&[vectors.clone(), file("metadata.tsv", "alpha\nbeta\ngamma\n")]).unwrap();
        assert_eq!(data.columns, strings(&["label"]));
        assert_eq!(data.rows, vec![strings(&["alpha"]), strings(&["beta"]), strings(&["gamma"])]);
        assert_eq!(texts(&data.warnings),
            strings(&["metadata.tsv: one column and one row fewer than the vectors; read its first line as data, not a header"])
        );

        // Numeric labels (digit classes, as in the Projector's MNIST demo) are labels, not one-number vectors.
        let data = read_all(&[vectors.clone(), file("metadata.tsv", "7\n2\n1\n")]).unwrap();
        assert_eq!(data.rows, vec![strings(&["7"]), strings(&["2"]), strings(&["1"])]);

        // With a header line the counts already match and the header stays a header.
        let data = read_all(&[vectors, file("metadata.tsv", "word\nalpha\nbeta\ngamma\n")]).unwrap();
        assert_eq!(data.columns, strings(&["word"]));
        assert_eq!(data.len(), 3);
        assert!(data.warnings.is_empty());
    }

    #[test]
    fn two_columns_one_row_short_is_still_a_mismatch() {
        let files = [file("vectors.tsv", "1\t0\n0\t1\n1\t1\n"), file("metadata.tsv", "a\tb\nc\td\n")];
        assert_eq!(
            read_all(&files).unwrap_err(),
            InputError::CountMismatch {
                file: "vectors.tsv".into(),
                vectors: 3,
                metadata_file: "metadata.tsv".into(),
                rows: 1
            }
        );
    }
}

mod npy_files {
    use super::*;

    #[test]
    fn the_real_embeddings_match_their_tsv() {
        let folder = "embeddings/bowling-green_all-MiniLM-L6-v2";
        let from_npy = read_all(&[shared(&format!("{folder}/embeddings.npy"))]).unwrap();
        let from_tsv = read_all(&[shared(&format!("{folder}/vectors.tsv"))]).unwrap();
        assert_eq!(from_npy.columns, strings(&["id"]));
        assert_eq!(from_npy.len(), 896);
        let (npy, tsv) = (from_npy.vectors.unwrap(), from_tsv.vectors.unwrap());
        assert_eq!((npy.len(), npy.dim), (896, 384));
        assert_eq!((tsv.len(), tsv.dim), (896, 384));
        for row in 0..896 {
            for (a, b) in npy.row(row).iter().zip(tsv.row(row)) {
                assert!((a - b).abs() <= 1e-6, "row {row}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn npy_pairs_with_metadata() {
        let folder = "embeddings/bowling-green_all-MiniLM-L6-v2";
        let files = [shared(&format!("{folder}/embeddings.npy")), shared(&format!("{folder}/metadata.csv"))];
        let data = read_all(&files).unwrap();
        assert_eq!(data.len(), 896);
        assert_eq!(data.columns[1], "text");
    }

    #[test]
    fn handmade_float64_in_both_header_versions() {
        for version in [1, 2] {
            let bytes = npy("<f8", "(2, 3)", &f64_bytes(&[1.0, 2.5, -3.0, 0.125, 5.0, 6.0]), version);
            let data = read_one("m.npy", bytes).unwrap();
            let vectors = data.vectors.unwrap();
            assert_eq!(vectors.dim, 3);
            assert_eq!(vectors.values, [1.0, 2.5, -3.0, 0.125, 5.0, 6.0]);
        }
    }

    #[test]
    fn wrong_dtype_is_malformed_with_details() {
        let bytes = npy("<i8", "(10,)", &[0; 80], 1);
        assert_eq!(
            read_one("ids.npy", bytes).unwrap_err(),
            InputError::Malformed {
                file: "ids.npy".into(),
                detail: "expected a 2-D float32 or float64 array, found descr '<i8' shape (10,)".into()
            }
        );
    }

    #[test]
    fn wrong_dimensions_are_malformed() {
        let bytes = npy("<f4", "(2, 2, 2)", &[0; 32], 1);
        assert_eq!(
            read_one("cube.npy", bytes).unwrap_err(),
            InputError::Malformed {
                file: "cube.npy".into(),
                detail: "expected a 2-D float32 or float64 array, found descr '<f4' shape (2, 2, 2)".into()
            }
        );
    }

    #[test]
    fn nan_names_its_row_and_column() {
        let bytes = npy("<f8", "(2, 3)", &f64_bytes(&[1.0, 2.0, 3.0, 4.0, 5.0, f64::NAN]), 1);
        assert_eq!(
            read_one("m.npy", bytes).unwrap_err(),
            InputError::NotFinite { file: "m.npy".into(), row: 2, column: "3".into(), value: "NaN".into() }
        );
    }

    #[test]
    fn data_shorter_than_the_shape_is_malformed() {
        let bytes = npy("<f8", "(2, 3)", &f64_bytes(&[1.0, 2.0, 3.0, 4.0, 5.0]), 1);
        assert_eq!(
            read_one("m.npy", bytes).unwrap_err(),
            InputError::Malformed {
                file: "m.npy".into(),
                detail: "shape (2, 3) needs 48 bytes of data, found 40".into()
            }
        );
    }
}

mod json {
    use super::*;

    #[test]
    fn an_array_of_objects_is_a_table() {
        let text = r#"[{"id": 1, "text": "Flere træer", "ok": true},
                       {"text": "Mindre støj", "id": 2, "extra": null, "tags": ["a"]}]"#;
        let data = read_one("svar.json", text).unwrap();
        assert_eq!(data.columns, strings(&["id", "text", "ok", "extra", "tags"]));
        assert_eq!(
            data.rows,
            vec![strings(&["1", "Flere træer", "true", "", ""]), strings(&["2", "Mindre støj", "", "", "[\"a\"]"])]
        );
        assert!(data.vectors.is_none());
    }

    #[test]
    fn an_embedding_key_brings_vectors() {
        let text = r#"[{"text": "a", "embedding": [0.5, 1, -2]}, {"embedding": [0, 0, 1e-3], "text": "b"}]"#;
        let data = read_one("e.json", text).unwrap();
        assert_eq!(data.columns, strings(&["text"]));
        let vectors = data.vectors.unwrap();
        assert_eq!(vectors.dim, 3);
        assert_eq!(vectors.values, [0.5, 1.0, -2.0, 0.0, 0.0, 0.001]);
    }

    #[test]
    fn a_bad_embedding_names_the_record() {
        let text = r#"[{"text": "a", "vector": [0.5, 1]}, {"text": "b", "vector": [0.5, null]}]"#;
        assert_eq!(
            read_one("e.json", text).unwrap_err(),
            InputError::NotANumber { file: "e.json".into(), row: 2, column: "vector".into(), value: "null".into() }
        );
    }

    #[test]
    fn a_top_level_object_is_malformed() {
        let error = read_one("svar.json", r#"{"svar": [{"text": "a"}]}"#).unwrap_err();
        assert_eq!(
            error,
            InputError::Malformed {
                file: "svar.json".into(),
                detail: "expected an array of objects, found an object".into()
            }
        );
        // Without an extension a lone object is sniffed as JSON and gets the same explanation.
        let error = read_one("svar", "{\"svar\": 1}\n").unwrap_err();
        assert_eq!(
            error,
            InputError::Malformed {
                file: "svar".into(),
                detail: "expected an array of objects, found an object".into()
            }
        );
    }

    #[test]
    fn broken_json_is_malformed() {
        let error = read_one("svar.json", "[{\"text\": \"a\"},\n {\"text\": }]").unwrap_err();
        let InputError::Malformed { file, detail } = error else { panic!("expected Malformed, got {error:?}") };
        assert_eq!(file, "svar.json");
        assert!(detail.starts_with("invalid JSON: ") && detail.contains("line 2"), "{detail}");
    }

    #[test]
    fn json_lines_read_one_object_per_line() {
        let text = "{\"text\": \"a\", \"n\": 1}\n\n{\"n\": 2, \"text\": \"b\", \"x\": 1.5}\n";
        let data = read_one("svar.jsonl", text).unwrap();
        assert_eq!(data.columns, strings(&["text", "n", "x"]));
        assert_eq!(data.rows, vec![strings(&["a", "1", ""]), strings(&["b", "2", "1.5"])]);
        assert_eq!(texts(&data.warnings), strings(&["svar.jsonl: skipped 1 empty line"]));
        // The same content without an extension is recognised as JSON Lines.
        assert_eq!(read_one("svar", text).unwrap().rows, data.rows);
    }

    #[test]
    fn a_bad_json_line_names_its_line() {
        let text = "{\"text\": \"a\"}\n\n{\"text\": \"b\",}\n";
        let error = read_one("svar.ndjson", text).unwrap_err();
        let InputError::Malformed { file, detail } = error else { panic!("expected Malformed, got {error:?}") };
        assert_eq!(file, "svar.ndjson");
        assert!(detail.starts_with("line 3, column 14: "), "{detail}");
    }

    #[test]
    fn json_lines_vectors_name_the_line() {
        let text = "{\"vec\": [1, 2]}\n{\"vec\": [1, 1e39]}\n";
        assert_eq!(
            read_one("v.jsonl", text).unwrap_err(),
            InputError::NotFinite { file: "v.jsonl".into(), row: 2, column: "vec".into(), value: "1e+39".into() }
        );
    }

    #[test]
    fn json_that_is_not_utf8_is_read_as_windows_1252() {
        let data = read_one("a.json", b"[{\"t\": \"S\xF8ren\"}]".to_vec()).unwrap();
        assert_eq!(data.rows, vec![strings(&["Søren"])]);
        assert_eq!(texts(&data.warnings).len(), 1);
    }
}

mod workbook {
    use vejkort_engine::dataset::Workbook;

    use super::*;

    fn read_sheet(name: &str, sheet: Option<&str>) -> Result<Dataset, InputError> {
        read_files(&[fixture(name)], &ReadOptions { sheet: sheet.map(str::to_owned) })
    }

    #[test]
    fn the_first_sheet_is_read_by_default() {
        let data = read_sheet("survey.xlsx", None).unwrap();
        assert_eq!(data.columns, strings(&["Respondent", "Kommune", "Svar", "Alder", "Vægt", "Indsendt", "Note"]));
        assert_eq!(
            data.rows,
            vec![
                strings(&["1", "Århus", "Flere cykelstier langs åen", "34", "1.5", "2024-03-01 13:05:00", "ok"]),
                strings(&["2", "Køge", "Bedre busforbindelser om aftenen", "51", "2", "2024-03-02", ""]),
                strings(&[
                    "3",
                    "Ærø",
                    "Færgen skal sejle oftere – også søndag",
                    "28",
                    "0.25",
                    "2024-03-03 08:00:00",
                    "sidste"
                ]),
            ]
        );
        assert_eq!(
            data.workbooks,
            vec![Workbook {
                file: "survey.xlsx".into(),
                sheets: strings(&["Svar", "Baggrund", "Vektorer", "Tom"]),
                chosen: "Svar".into(),
            }]
        );
        assert_eq!(texts(&data.warnings), strings(&["survey.xlsx: skipped 1 empty row"]));
    }

    #[test]
    fn a_chosen_sheet_is_read() {
        let data = read_sheet("survey.xlsx", Some("Baggrund")).unwrap();
        assert_eq!(data.columns, strings(&["Navn", "Rolle"]));
        assert_eq!(data.rows, vec![strings(&["Søren", "Borger"]), strings(&["Øjvind", "Politiker"])]);
        assert_eq!(data.workbooks[0].chosen, "Baggrund");
    }

    #[test]
    fn a_missing_sheet_lists_the_others() {
        assert_eq!(
            read_sheet("survey.xlsx", Some("Ark1")).unwrap_err(),
            InputError::NoSuchSheet {
                file: "survey.xlsx".into(),
                sheet: "Ark1".into(),
                available: "Svar, Baggrund, Vektorer, Tom".into()
            }
        );
    }

    #[test]
    fn an_empty_sheet_is_empty() {
        assert_eq!(
            read_sheet("survey.xlsx", Some("Tom")).unwrap_err(),
            InputError::EmptySheet { file: "survey.xlsx".into(), sheet: "Tom".into() }
        );
    }

    #[test]
    fn numeric_columns_of_a_sheet_become_vectors() {
        let data = read_sheet("survey.xlsx", Some("Vektorer")).unwrap();
        assert_eq!(data.columns, strings(&["tekst"]));
        let vectors = data.vectors.unwrap();
        assert_eq!((vectors.len(), vectors.dim), (3, 10));
        assert_eq!(vectors.row(2)[..3], [2.0, 2.1, 2.2]);
    }

    #[test]
    fn a_cell_beyond_the_header_is_ragged_at_its_sheet_row() {
        assert_eq!(
            read_sheet("ragged.xlsx", None).unwrap_err(),
            InputError::RaggedRow { file: "ragged.xlsx".into(), row: 5, expected: 3, found: 5 }
        );
    }

    #[test]
    fn a_renamed_workbook_is_still_a_workbook() {
        let mut renamed = fixture("survey.xlsx");
        renamed.name = "survey.csv".into();
        assert_eq!(read_all(&[renamed]).unwrap().len(), 3);
    }

    #[test]
    fn a_broken_workbook_is_malformed() {
        let mut broken = fixture("survey.xlsx");
        broken.bytes.truncate(broken.bytes.len() / 2);
        let error = read_all(&[broken]).unwrap_err();
        assert!(matches!(error, InputError::Malformed { ref file, .. } if file == "survey.xlsx"), "{error:?}");
    }
}

mod joining {
    use super::*;

    #[test]
    fn no_files_is_an_error() {
        assert_eq!(read_all(&[]).unwrap_err(), InputError::NoFiles);
    }

    #[test]
    fn two_tables_are_stacked_with_a_file_column() {
        let files = [
            file("causes.csv", "id,text\n1,Too many cars\n2,No buses\n"),
            file("solutions.csv", "text,author\nMore buses,7\n"),
        ];
        let data = read_all(&files).unwrap();
        assert_eq!(data.columns, strings(&["id", "text", "author", "file"]));
        assert_eq!(
            data.rows,
            vec![
                strings(&["1", "Too many cars", "", "causes.csv"]),
                strings(&["2", "No buses", "", "causes.csv"]),
                strings(&["", "More buses", "7", "solutions.csv"]),
            ]
        );
    }

    #[test]
    fn an_existing_file_column_is_not_overwritten() {
        let files = [file("a.csv", "file,text\nx.pdf,a\n"), file("b.csv", "text\nb\n")];
        let data = read_all(&files).unwrap();
        assert_eq!(data.columns, strings(&["file", "text", "file (2)"]));
        assert_eq!(data.rows[0], strings(&["x.pdf", "a", "a.csv"]));
    }

    #[test]
    fn vector_blocks_stack_and_must_share_a_dimension() {
        let first = file("a.tsv", "1\t2\n3\t4\n");
        let data = read_all(&[first.clone(), file("b.tsv", "5\t6\n")]).unwrap();
        assert_eq!(data.vectors.unwrap().values, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(data.rows, vec![strings(&["1"]), strings(&["2"]), strings(&["3"])]);
        assert_eq!(
            read_all(&[first, file("b.tsv", "5\t6\t7\n")]).unwrap_err(),
            InputError::DimensionMismatch { file: "b.tsv".into(), first_file: "a.tsv".into(), expected: 2, found: 3 }
        );
    }

    #[test]
    fn table_vectors_and_a_vector_file_do_not_mix() {
        let table = file("e.json", r#"[{"text": "a", "vec": [1, 2]}]"#);
        let error = read_all(&[table, file("v.tsv", "1\t2\n")]).unwrap_err();
        let InputError::Malformed { file, detail } = error else { panic!("expected Malformed, got {error:?}") };
        assert_eq!(file, "v.tsv");
        assert!(detail.starts_with("e.json already has vectors"), "{detail}");
    }

    #[test]
    fn table_vectors_must_agree_across_tables() {
        let a = file("a.json", r#"[{"text": "a", "vec": [1, 2]}]"#);
        let b = file("b.json", r#"[{"text": "b", "vec": [1, 2, 3]}]"#);
        assert_eq!(
            read_all(&[a.clone(), b]).unwrap_err(),
            InputError::DimensionMismatch { file: "b.json".into(), first_file: "a.json".into(), expected: 2, found: 3 }
        );
        let c = file("c.csv", "text\nc\n");
        let error = read_all(&[a.clone(), c]).unwrap_err();
        assert!(matches!(error, InputError::Malformed { ref file, .. } if file == "c.csv"), "{error:?}");

        let d = file("d.json", r#"[{"text": "d", "vec": [3, 4]}]"#);
        let data = read_all(&[a, d]).unwrap();
        assert_eq!(data.vectors.unwrap().values, [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(data.columns, strings(&["text", "file"]));
    }

    #[test]
    fn the_first_error_stops_reading() {
        let files = [file("good.csv", "a\n1\n"), file("empty.csv", "")];
        assert_eq!(read_all(&files).unwrap_err(), InputError::EmptyFile { file: "empty.csv".into() });
    }
}

/// Damaged input of every kind must give an error or a data set, never a panic.
mod robustness {
    use super::*;

    fn every_prefix(name: &str, bytes: &[u8], step: usize) {
        for end in (0..bytes.len()).step_by(step) {
            let _ = read_one(name, bytes[..end].to_vec());
        }
    }

    #[test]
    fn truncated_files_never_panic() {
        every_prefix("survey.xlsx", &fixture("survey.xlsx").bytes, 37);
        every_prefix("m.npy", &npy("<f8", "(2, 3)", &f64_bytes(&[1.0; 6]), 1), 1);
        every_prefix("m.npy", &npy("<f4", "(1, 2)", &[0; 8], 3), 1);
        every_prefix("a.json", br#"[{"text": "a", "vec": [1, 2]}, {"text": "b", "vec": [3, 4]}]"#, 1);
        every_prefix("a.jsonl", b"{\"a\": 1}\n{\"a\": [1, {\"b\": 2}]}\n", 1);
        every_prefix("a.csv", "id,text\n1,\"multi\nline \"\"quoted\"\"\"\n2,æøå\n".as_bytes(), 1);
        every_prefix("v.tsv", b"0.1\t0.2\n0.3\t0.4\n", 1);
    }

    #[test]
    fn corrupted_bytes_never_panic() {
        let xlsx = fixture("survey.xlsx").bytes;
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..60 {
            let mut bytes = xlsx.clone();
            for _ in 0..8 {
                // xorshift: a fixed sequence, so a failure reproduces.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = usize::try_from(state % bytes.len() as u64).unwrap();
                bytes[at] ^= u8::try_from(state >> 56).unwrap() | 1;
            }
            let _ = read_one("survey.xlsx", bytes);
        }
    }
}
