//! NumPy `.npy` matrices, the usual way to save embeddings from Python (`np.save("embeddings.npy", matrix)`).
//!
//! Only what embeddings use is read: a 2-D float32 or float64 array, in C or Fortran order, little- or big-endian. The format is small
//! enough to parse here: a magic string, a version, a header length, and a Python dict literal such as
//! `{'descr': '<f4', 'fortran_order': False, 'shape': (896, 384), }`.

use super::{finite, Block, Column, NPY_MAGIC};
use crate::dataset::Vectors;
use crate::error::InputError;

pub(super) fn read(file: &str, bytes: &[u8]) -> Result<Block, InputError> {
    let malformed = |detail: String| InputError::Malformed { file: file.to_owned(), detail };
    let rest = bytes.strip_prefix(NPY_MAGIC).ok_or_else(|| malformed("not a .npy file (no NUMPY signature)".into()))?;
    let (major, minor) = match rest {
        [major, minor, ..] => (*major, *minor),
        _ => return Err(malformed("truncated .npy header".into())),
    };
    // Version 1 stores the header length in two bytes; versions 2 and 3 (for long or UTF-8 headers) in four.
    let (length, header_start) = match (major, &rest[2..]) {
        (1, [a, b, ..]) => (usize::from(u16::from_le_bytes([*a, *b])), 4),
        (2 | 3, [a, b, c, d, ..]) => (usize::try_from(u32::from_le_bytes([*a, *b, *c, *d])).unwrap_or(usize::MAX), 6),
        (1..=3, _) => return Err(malformed("truncated .npy header".into())),
        _ => return Err(malformed(format!("unsupported .npy version {major}.{minor}"))),
    };
    let header = rest
        .get(header_start..)
        .and_then(|after| after.get(..length))
        .ok_or_else(|| malformed("truncated .npy header".into()))?;
    let data = &rest[header_start + length..];
    let header = std::str::from_utf8(header).map_err(|_| malformed("the .npy header is not text".into()))?;
    let header = parse_header(header).map_err(|detail| malformed(format!("unreadable .npy header: {detail}")))?;

    // `np.save(path, matrix.T)` writes Fortran order and some machines write big-endian; both are the same
    // numbers in another layout, so they are read rather than refused.
    let (width, big_endian) = match (header.descr.as_str(), header.shape.as_slice()) {
        ("<f4" | "=f4", [_, _]) => (4, false),
        ("<f8" | "=f8", [_, _]) => (8, false),
        (">f4", [_, _]) => (4, true),
        (">f8", [_, _]) => (8, true),
        _ => {
            let shape = match header.shape.as_slice() {
                [one] => format!("({one},)"),
                dims => format!("({})", dims.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
            };
            let objects = if header.descr.contains('O') {
                " (Python objects, saved with pickle, which is not safe to read; save a float array instead)"
            } else {
                ""
            };
            return Err(malformed(format!(
                "expected a 2-D float32 or float64 array, found descr '{}' shape {shape}{objects}",
                header.descr
            )));
        }
    };
    let (rows, dim) = (header.shape[0], header.shape[1]);
    if rows == 0 {
        return Err(InputError::EmptyFile { file: file.to_owned() });
    }
    if dim == 0 {
        return Err(malformed(format!("the array has shape ({rows}, 0): vectors with no numbers")));
    }
    let expected = rows.checked_mul(dim).and_then(|count| count.checked_mul(width));
    if expected != Some(data.len()) {
        let expected = expected.map_or_else(|| "more than fit in memory".to_owned(), |bytes| format!("{bytes}"));
        return Err(malformed(format!("shape ({rows}, {dim}) needs {expected} bytes of data, found {}", data.len())));
    }

    let mut values = vec![0.0; rows * dim];
    for (index, chunk) in data.chunks_exact(width).enumerate() {
        let value = match (chunk, big_endian) {
            (&[a, b, c, d], false) => f64::from(f32::from_le_bytes([a, b, c, d])),
            (&[a, b, c, d], true) => f64::from(f32::from_be_bytes([a, b, c, d])),
            (&[a, b, c, d, e, f, g, h], false) => f64::from_le_bytes([a, b, c, d, e, f, g, h]),
            (&[a, b, c, d, e, f, g, h], true) => f64::from_be_bytes([a, b, c, d, e, f, g, h]),
            _ => f64::NAN,
        };
        // In Fortran order the file runs down the columns.
        let (row, column) =
            if header.fortran_order { (index % rows, index / rows) } else { (index / dim, index % dim) };
        values[row * dim + column] = finite(file, row + 1, Column::Number(column + 1), value, || value.to_string())?;
    }
    Ok(Block { file: file.to_owned(), vectors: Vectors { dim, values }, warnings: Vec::new() })
}

/// The 2-D shape a `.npy` file's header declares, read from the file's start alone, so the upload limits can be
/// checked before the data is read. `None` when the start holds no complete, readable 2-D header: then reading
/// the whole file gives the specific error.
pub(super) fn declared_shape(head: &[u8]) -> Option<(usize, usize)> {
    let rest = head.strip_prefix(NPY_MAGIC)?;
    let (length, header_start) = match rest {
        [1, _, a, b, ..] => (usize::from(u16::from_le_bytes([*a, *b])), 4),
        [2 | 3, _, a, b, c, d, ..] => (usize::try_from(u32::from_le_bytes([*a, *b, *c, *d])).ok()?, 6),
        _ => return None,
    };
    let header = rest.get(header_start..)?.get(..length)?;
    let header = parse_header(std::str::from_utf8(header).ok()?).ok()?;
    match header.shape.as_slice() {
        [rows, dims] => Some((*rows, *dims)),
        _ => None,
    }
}

#[derive(Debug, PartialEq)]
struct Header {
    descr: String,
    fortran_order: bool,
    shape: Vec<usize>,
}

/// The values a `.npy` header dict holds.
#[derive(Debug, PartialEq)]
enum PyValue {
    Str(String),
    Bool(bool),
    Int(usize),
    None,
    /// A tuple or list; structured dtypes put lists of tuples in `descr`.
    Seq(Vec<PyValue>),
}

fn parse_header(text: &str) -> Result<Header, String> {
    let mut parser = Parser { text: text.as_bytes(), at: 0, depth: 0 };
    let entries = parser.dict()?;
    let find = |name: &str| entries.iter().find(|(key, _)| key == name).map(|(_, value)| value);
    let descr = match find("descr") {
        Some(PyValue::Str(descr)) => descr.clone(),
        Some(other) => describe(other),
        None => return Err("no 'descr'".into()),
    };
    let fortran_order = match find("fortran_order") {
        Some(PyValue::Bool(flag)) => *flag,
        _ => return Err("no 'fortran_order'".into()),
    };
    let shape = match find("shape") {
        Some(PyValue::Seq(items)) => items
            .iter()
            .map(|item| match item {
                PyValue::Int(size) => Ok(*size),
                _ => Err("'shape' holds something other than sizes".to_owned()),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("no 'shape'".into()),
    };
    Ok(Header { descr, fortran_order, shape })
}

/// Python-like text of a value, for error messages about odd dtypes.
fn describe(value: &PyValue) -> String {
    match value {
        PyValue::Str(text) => text.clone(),
        PyValue::Bool(flag) => if *flag { "True" } else { "False" }.to_owned(),
        PyValue::Int(number) => number.to_string(),
        PyValue::None => "None".to_owned(),
        PyValue::Seq(items) => format!("[{}]", items.iter().map(describe).collect::<Vec<_>>().join(", ")),
    }
}

/// A reader for the Python literals NumPy writes in headers, nothing more.
struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    /// How many tuples or lists are open: nesting is bounded because each level recurses, and a header (up to
    /// 4 GB in versions 2 and 3) of nothing but brackets would otherwise overflow the stack and kill the worker.
    depth: usize,
}

/// Deeper than any header NumPy writes (structured dtypes nest a few levels).
const MAX_NESTING: usize = 32;

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", char::from(byte), self.at))
        }
    }

    fn dict(&mut self) -> Result<Vec<(String, PyValue)>, String> {
        self.expect(b'{')?;
        let mut entries = Vec::new();
        loop {
            if self.peek() == Some(b'}') {
                self.at += 1;
                return Ok(entries);
            }
            let key = match self.value()? {
                PyValue::Str(key) => key,
                other => return Err(format!("a key that is not a string: {}", describe(&other))),
            };
            self.expect(b':')?;
            let value = self.value()?;
            entries.push((key, value));
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {}
                _ => return Err(format!("expected ',' or '}}' at byte {}", self.at)),
            }
        }
    }

    fn value(&mut self) -> Result<PyValue, String> {
        match self.peek() {
            Some(quote @ (b'\'' | b'"')) => {
                self.at += 1;
                let start = self.at;
                let length = self.text[start..]
                    .iter()
                    .position(|&byte| byte == quote)
                    .ok_or_else(|| "an unterminated string".to_owned())?;
                self.at = start + length + 1;
                Ok(PyValue::Str(String::from_utf8_lossy(&self.text[start..start + length]).into_owned()))
            }
            Some(open @ (b'(' | b'[')) => {
                let close = if open == b'(' { b')' } else { b']' };
                if self.depth == MAX_NESTING {
                    return Err(format!("tuples or lists nested more than {MAX_NESTING} deep at byte {}", self.at));
                }
                self.at += 1;
                self.depth += 1;
                let mut items = Vec::new();
                loop {
                    if self.peek() == Some(close) {
                        self.at += 1;
                        self.depth -= 1;
                        return Ok(PyValue::Seq(items));
                    }
                    items.push(self.value()?);
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(byte) if byte == close => {}
                        _ => return Err(format!("expected ',' or '{}' at byte {}", char::from(close), self.at)),
                    }
                }
            }
            Some(byte) if byte.is_ascii_alphanumeric() => {
                let start = self.at;
                while self.text.get(self.at).is_some_and(|byte| byte.is_ascii_alphanumeric() || *byte == b'_') {
                    self.at += 1;
                }
                let word = String::from_utf8_lossy(&self.text[start..self.at]);
                match word.as_ref() {
                    "True" => Ok(PyValue::Bool(true)),
                    "False" => Ok(PyValue::Bool(false)),
                    "None" => Ok(PyValue::None),
                    // NumPy wrote `10L` for sizes under Python 2.
                    number => number
                        .trim_end_matches('L')
                        .parse()
                        .map(PyValue::Int)
                        .map_err(|_| format!("an unexpected word '{number}'")),
                }
            }
            _ => Err(format!("an unexpected character at byte {}", self.at)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_with_any_spacing_and_trailing_commas() {
        let header = parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': (896, 384), }    \n").unwrap();
        assert_eq!(header, Header { descr: "<f4".into(), fortran_order: false, shape: vec![896, 384] });
        let header = parse_header("{\"descr\":\"<f8\",\"fortran_order\":True,\"shape\":(3,)}").unwrap();
        assert_eq!(header, Header { descr: "<f8".into(), fortran_order: true, shape: vec![3] });
        let header = parse_header("{'descr': [('a', '<i4'), ('b', '<f8')], 'fortran_order': False, 'shape': (2L,)}");
        assert_eq!(header.unwrap().descr, "[[a, <i4], [b, <f8]]");
    }

    #[test]
    fn headers_nested_deeper_than_numpy_writes_are_refused() {
        let deep = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {}2, 2)}}", "(".repeat(100_000));
        let error = parse_header(&deep).unwrap_err();
        assert!(error.contains("nested more than 32 deep"), "{error}");
        // Structured dtypes nest in 'descr': 32 levels still read, the 33rd is refused.
        let nested = |levels: usize| {
            format!(
                "{{'descr': {}'<f4'{}, 'fortran_order': False, 'shape': (2, 2)}}",
                "[".repeat(levels),
                "]".repeat(levels)
            )
        };
        assert!(parse_header(&nested(32)).is_ok());
        assert!(parse_header(&nested(33)).unwrap_err().contains("nested more than 32 deep"));
    }

    #[test]
    fn broken_headers_are_errors_not_panics() {
        for text in ["", "{", "{'descr'", "{'descr': '<f4", "{'shape': (1, -2)}", "{1: 2}", "{'a': 1 'b': 2}"] {
            assert!(parse_header(text).is_err(), "{text:?}");
        }
    }

    fn npy(descr: &str, fortran: bool, data: &[u8]) -> Vec<u8> {
        let header = format!(
            "{{'descr': '{descr}', 'fortran_order': {}, 'shape': (2, 3), }}\n",
            if fortran { "True" } else { "False" }
        );
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend(u16::try_from(header.len()).unwrap().to_le_bytes());
        bytes.extend(header.as_bytes());
        bytes.extend(data);
        bytes
    }

    #[test]
    fn fortran_order_and_big_endian_read_as_the_same_matrix() {
        let matrix = [[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]];
        let c_order: Vec<u8> = matrix.iter().flatten().flat_map(|x| x.to_le_bytes()).collect();
        let by_column: Vec<u8> =
            (0..3).flat_map(|c| (0..2).map(move |r| matrix[r][c])).flat_map(f32::to_le_bytes).collect();
        let big: Vec<u8> = matrix.iter().flatten().flat_map(|x| f64::from(*x).to_be_bytes()).collect();
        let expected = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert_eq!(read("c.npy", &npy("<f4", false, &c_order)).unwrap().vectors.values, expected);
        assert_eq!(read("f.npy", &npy("<f4", true, &by_column)).unwrap().vectors.values, expected);
        assert_eq!(read("b.npy", &npy(">f8", false, &big)).unwrap().vectors.values, expected);
    }

    #[test]
    fn truncated_files_are_malformed() {
        for bytes in [&b"\x93NUMPY"[..], b"\x93NUMPY\x01\x00\x10", b"\x93NUMPY\x01\x00\xff\x00{'descr'"] {
            let error = read("t.npy", bytes).unwrap_err();
            assert!(matches!(error, InputError::Malformed { .. }), "{error:?}");
        }
        let error = read("t.npy", b"\x93NUMPY\x09\x00").unwrap_err();
        assert_eq!(
            error,
            InputError::Malformed { file: "t.npy".into(), detail: "unsupported .npy version 9.0".into() }
        );
    }
}
