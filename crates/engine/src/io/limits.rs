//! How big an upload Vejkort takes on, decided before a file's bytes are read.
//!
//! In the browser a file's bytes end up in WebAssembly memory twice (once in the app, which keeps them for
//! re-runs, once in the worker, which parses them), and each WebAssembly instance has at most 4 GiB of address
//! space; past that an allocation fails and the worker dies with an opaque "unreachable". A tab that dies
//! silently loses the user's afternoon, so files too big to finish are refused up front, from the file's size
//! and, for `.npy`, from the shape its header declares, with a message naming the file, its size and the limit.
//!
//! The limits are measured, not guessed (ARCHITECTURE.md, "Large inputs"): what a format costs once parsed
//! differs a lot. A float32 `.npy` parses into as many bytes as it has; a numeric CSV cell of ten characters
//! becomes a `String` of about three times that before its number is taken out; a workbook is compressed.

use serde::{Deserialize, Serialize};

use super::{detect_format, npy, Format};

/// A `.npy` file may be this big: 1 GB holds 100,000 × 2,500 float32 numbers (OpenAI's 1,536-wide embeddings of
/// 160,000 statements).
pub const MAX_NPY_BYTES: u64 = 1_000_000_000;
/// Text formats (CSV, TSV, JSON, JSON Lines) may be this big; every cell becomes a string before it is used.
pub const MAX_TEXT_BYTES: u64 = 250_000_000;
/// Workbooks are compressed: their cells take several times the file's size once unpacked.
pub const MAX_WORKBOOK_BYTES: u64 = 50_000_000;
/// All files of one upload together (a `.npy` and its metadata).
pub const MAX_TOTAL_BYTES: u64 = 1_250_000_000;
/// The most vector components a `.npy` may declare (rows × dimensions): 1 GB as float32.
pub const MAX_VECTOR_VALUES: u64 = 250_000_000;
/// How much of a file's start [`check_file`] wants to see: enough for any `.npy` header of version 1.
pub const HEAD_BYTES: usize = 65_546;

/// What kind of file a size limit applies to, so the message can say why that kind has that limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SizeClass {
    Npy,
    Text,
    Workbook,
}

/// Why an upload is refused before it is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TooLarge {
    #[error("{file} is {} MB; Vejkort reads {} files of at most {} MB", megabytes(*bytes), class.english(), megabytes(*limit))]
    File { file: String, class: SizeClass, bytes: u64, limit: u64 },
    #[error("the {files} files are {} MB together; Vejkort reads at most {} MB at once", megabytes(*bytes), megabytes(*limit))]
    Total { files: usize, bytes: u64, limit: u64 },
    #[error(
        "{file} holds {} × {} = {} million numbers; Vejkort reads at most {} million (1 GB as float32)",
        grouped(*rows),
        grouped(*dims),
        millions(rows.saturating_mul(*dims)),
        millions(*limit)
    )]
    Matrix { file: String, rows: u64, dims: u64, limit: u64 },
}

impl SizeClass {
    fn english(self) -> &'static str {
        match self {
            SizeClass::Npy => ".npy",
            SizeClass::Text => "CSV, TSV and JSON",
            SizeClass::Workbook => "XLSX",
        }
    }

    pub fn limit(self) -> u64 {
        match self {
            SizeClass::Npy => MAX_NPY_BYTES,
            SizeClass::Text => MAX_TEXT_BYTES,
            SizeClass::Workbook => MAX_WORKBOOK_BYTES,
        }
    }
}

/// Whole megabytes (10⁶ bytes), rounded up, so a file just over a limit never reads as equal to it.
pub fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1_000_000)
}

/// A count with English thousands separators (the UI words Danish itself).
fn grouped(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Whole millions, rounded up for the same reason.
pub fn millions(count: u64) -> u64 {
    count.div_ceil(1_000_000)
}

/// Checks one file from its name, its size and the first bytes of it (up to [`HEAD_BYTES`]; fewer if the file is
/// shorter). Files whose start says nothing (blank, garbled) pass: reading them gives the specific error.
pub fn check_file(name: &str, bytes: u64, head: &[u8]) -> Result<(), TooLarge> {
    let class = match detect_format(name, head) {
        Ok(Format::Npy) => SizeClass::Npy,
        Ok(Format::Workbook) => SizeClass::Workbook,
        Ok(Format::Delimited | Format::Json | Format::JsonLines) | Err(_) => SizeClass::Text,
    };
    if class == SizeClass::Npy {
        if let Some((rows, dims)) = npy::declared_shape(head) {
            let (rows, dims) = (rows as u64, dims as u64);
            if rows.saturating_mul(dims) > MAX_VECTOR_VALUES {
                return Err(TooLarge::Matrix { file: name.to_owned(), rows, dims, limit: MAX_VECTOR_VALUES });
            }
        }
    }
    if bytes > class.limit() {
        return Err(TooLarge::File { file: name.to_owned(), class, bytes, limit: class.limit() });
    }
    Ok(())
}

/// Checks the files of one upload together, after each passed [`check_file`].
pub fn check_total(sizes: &[u64]) -> Result<(), TooLarge> {
    let bytes = sizes.iter().fold(0u64, |sum, &size| sum.saturating_add(size));
    if bytes > MAX_TOTAL_BYTES {
        return Err(TooLarge::Total { files: sizes.len(), bytes, limit: MAX_TOTAL_BYTES });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A `.npy` header as NumPy writes it, padded so the data starts at a multiple of 64 bytes.
    fn npy_head(shape: &str, descr: &str) -> Vec<u8> {
        let mut dict = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
        while (10 + dict.len() + 1) % 64 != 0 {
            dict.push(' ');
        }
        dict.push('\n');
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend((dict.len() as u16).to_le_bytes());
        bytes.extend(dict.as_bytes());
        bytes
    }

    #[test]
    fn sizes_at_the_limit_pass_and_one_byte_more_is_refused() {
        assert_eq!(check_file("a.csv", MAX_TEXT_BYTES, b"id,text\n"), Ok(()));
        assert_eq!(
            check_file("a.csv", MAX_TEXT_BYTES + 1, b"id,text\n"),
            Err(TooLarge::File {
                file: "a.csv".into(),
                class: SizeClass::Text,
                bytes: MAX_TEXT_BYTES + 1,
                limit: MAX_TEXT_BYTES
            })
        );
        let head = npy_head("(1000, 384)", "<f4");
        assert_eq!(check_file("e.npy", MAX_NPY_BYTES, &head), Ok(()));
        assert!(matches!(
            check_file("e.npy", MAX_NPY_BYTES + 1, &head),
            Err(TooLarge::File { class: SizeClass::Npy, .. })
        ));
        assert!(matches!(
            check_file("book.xlsx", MAX_WORKBOOK_BYTES + 1, b"PK\x03\x04"),
            Err(TooLarge::File { class: SizeClass::Workbook, .. })
        ));
    }

    #[test]
    fn the_signature_decides_the_class_not_the_name() {
        // A .npy renamed to .csv is still read as .npy, so it gets the .npy limit.
        let head = npy_head("(100000, 1536)", "<f4");
        assert_eq!(check_file("vectors.csv", 614_400_128, &head), Ok(()));
    }

    #[test]
    fn a_declared_shape_over_the_limit_is_refused_whatever_the_file_size() {
        let head = npy_head("(200000, 1536)", "<f4");
        assert_eq!(
            check_file("big.npy", head.len() as u64, &head),
            Err(TooLarge::Matrix { file: "big.npy".into(), rows: 200_000, dims: 1536, limit: MAX_VECTOR_VALUES })
        );
        // Shapes whose product overflows are over the limit too.
        let head = npy_head(&format!("({}, {})", usize::MAX, usize::MAX), "<f8");
        assert!(matches!(check_file("huge.npy", 1000, &head), Err(TooLarge::Matrix { .. })));
    }

    #[test]
    fn unreadable_starts_are_left_to_the_parser() {
        assert_eq!(check_file("t.npy", 10, b"\x93NUMPY\x01"), Ok(()));
        assert_eq!(check_file("blank.csv", 3, b"   "), Ok(()));
        assert_eq!(check_file("nothing", 0, b""), Ok(()));
    }

    #[test]
    fn totals_add_up_without_overflow() {
        assert_eq!(check_total(&[MAX_NPY_BYTES, MAX_TOTAL_BYTES - MAX_NPY_BYTES]), Ok(()));
        assert_eq!(
            check_total(&[MAX_NPY_BYTES, MAX_TOTAL_BYTES - MAX_NPY_BYTES + 1]),
            Err(TooLarge::Total { files: 2, bytes: MAX_TOTAL_BYTES + 1, limit: MAX_TOTAL_BYTES })
        );
        assert!(check_total(&[u64::MAX, u64::MAX]).is_err());
    }

    #[test]
    fn messages_name_the_file_its_size_and_the_limit() {
        let message = check_file("svar.csv", 300_000_001, b"a,b\n").unwrap_err().to_string();
        assert_eq!(message, "svar.csv is 301 MB; Vejkort reads CSV, TSV and JSON files of at most 250 MB");
        let head = npy_head("(200000, 1536)", "<f4");
        let message = check_file("big.npy", 4096, &head).unwrap_err().to_string();
        assert_eq!(
            message,
            "big.npy holds 200,000 × 1,536 = 308 million numbers; Vejkort reads at most 250 million (1 GB as float32)"
        );
    }
}
