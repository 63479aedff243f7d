//! Reading the user's files into a [`Dataset`].
//!
//! People bring whatever their survey tool or notebook wrote: CSV or TSV (comma, semicolon or tab), XLSX
//! workbooks, JSON or JSON Lines, NumPy `.npy` matrices, and the TensorFlow Embedding Projector pair
//! (`vectors.tsv` plus `metadata.tsv`). Each file is read on its own into either a [`Table`] (a header and string
//! cells, maybe with vectors) or a headerless [`Block`] of vectors; [`read_files`] then joins them into one
//! [`Dataset`], checking that vectors and metadata rows line up.
//!
//! Nothing here panics on user data: every problem becomes an [`InputError`] that names the file, the row as a
//! person would count it in an editor or spreadsheet, and what was expected.

mod delimited;
mod json;
pub mod limits;
mod npy;
mod polis;
mod workbook;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::dataset::{Dataset, Vectors, Workbook};
use crate::error::{InputError, Unit, Warning};

/// One uploaded file: its name (for format detection and messages) and its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Choices that change how files are read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadOptions {
    /// The worksheet to read from workbooks; the first sheet when `None`.
    pub sheet: Option<String>,
}

/// The formats Vejkort reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// CSV or TSV; the delimiter is sniffed unless the extension says tab.
    Delimited,
    /// An XLSX (or XLSM) workbook.
    Workbook,
    /// A JSON array of objects.
    Json,
    /// One JSON object per line.
    JsonLines,
    /// A NumPy `.npy` matrix of float32 or float64.
    Npy,
}

/// The fewest all-numeric columns that make a table "vectors plus metadata". Fewer numeric columns are ids,
/// counts and timestamps (a Polis export has six), not an embedding.
pub const MIN_VECTOR_COLUMNS: usize = 8;

const NPY_MAGIC: &[u8] = b"\x93NUMPY";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const PDF_MAGIC: &[u8] = b"%PDF-";
/// The OLE2 compound document of Excel 97-2003 `.xls` files (and old Word files).
const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// A file read as rows under a header.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Table {
    pub file: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Vectors taken from numeric columns or JSON arrays, one per row.
    pub vectors: Option<Vectors>,
    /// The header cell of a one-column delimited file. The Embedding Projector writes one-column metadata without
    /// a header, which only shows when it has one row fewer than the vectors.
    pub lone_header: Option<String>,
    pub workbook: Option<Workbook>,
    pub warnings: Vec<Warning>,
}

/// A headerless matrix of vectors (`vectors.tsv`, `.npy`).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Block {
    pub file: String,
    pub vectors: Vectors,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Parsed {
    Table(Table),
    Block(Block),
}

/// Reads all files and joins them into one data set.
pub fn read_files(files: &[InputFile], options: &ReadOptions) -> Result<Dataset, InputError> {
    if files.is_empty() {
        return Err(InputError::NoFiles);
    }
    // A Polis vote matrix is not a table of statements: it is read apart and attached to the comments.
    let polis = polis::find_pair(files);
    let mut tables = Vec::new();
    let mut blocks = Vec::new();
    for (index, file) in files.iter().enumerate() {
        if polis.is_some_and(|pair| pair.votes == index) {
            continue;
        }
        match read_file(file, options)? {
            Parsed::Table(table) => tables.push(table),
            Parsed::Block(block) => blocks.push(block),
        }
    }
    let mut dataset = join(tables, blocks)?;
    if let Some(pair) = polis {
        polis::attach(&mut dataset, &files[pair.comments].name, &files[pair.votes])?;
    }
    Ok(dataset)
}

/// Decides how to read a file: binary signatures first (they cannot lie, and a workbook renamed to `.csv`
/// would otherwise give a baffling "not UTF-8" error), then the extension, then the content.
pub fn detect_format(name: &str, bytes: &[u8]) -> Result<Format, InputError> {
    if bytes.starts_with(NPY_MAGIC) {
        return Ok(Format::Npy);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return Ok(Format::Workbook);
    }
    // Files people pick by mistake: named for what they are not, they would otherwise read as garbled text.
    if bytes.starts_with(PDF_MAGIC) {
        return Err(InputError::Pdf { file: name.to_owned() });
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return Err(InputError::LegacyExcel { file: name.to_owned() });
    }
    let extension = name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv" | "tsv" | "txt" | "tab") => return Ok(Format::Delimited),
        Some("xlsx" | "xlsm") => return Ok(Format::Workbook),
        Some("json") => return Ok(Format::Json),
        Some("jsonl" | "ndjson") => return Ok(Format::JsonLines),
        Some("npy") => return Ok(Format::Npy),
        _ => {}
    }
    sniff(name, bytes)
}

fn sniff(name: &str, bytes: &[u8]) -> Result<Format, InputError> {
    if is_blank(bytes) {
        return Err(InputError::EmptyFile { file: name.to_owned() });
    }
    let is_utf16 =
        bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || utf16_without_bom(bytes).is_some();
    // Text never holds NUL bytes (UTF-16 aside); git uses the same test on the first 8000 bytes.
    if !is_utf16 && bytes.iter().take(8000).any(|&byte| byte == 0) {
        return Err(InputError::UnknownFormat { file: name.to_owned() });
    }
    let start = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut lines = start.split(|&byte| byte == b'\n').map(<[u8]>::trim_ascii).filter(|line| !line.is_empty());
    match lines.next().and_then(|line| line.first()) {
        Some(b'[') => Ok(Format::Json),
        Some(b'{') => {
            let rest: Vec<&[u8]> = lines.take(3).collect();
            if !rest.is_empty() && rest.iter().all(|line| line.starts_with(b"{")) {
                Ok(Format::JsonLines)
            } else {
                // A lone object: the JSON reader says what it expected instead.
                Ok(Format::Json)
            }
        }
        _ => Ok(Format::Delimited),
    }
}

/// True for files with nothing but whitespace and byte-order marks.
fn is_blank(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        rest = rest.trim_ascii_start();
        if let Some(after) = rest.strip_prefix(UTF8_BOM) {
            rest = after;
        } else {
            return rest.is_empty();
        }
    }
}

fn read_file(file: &InputFile, options: &ReadOptions) -> Result<Parsed, InputError> {
    let name = file.name.as_str();
    if is_blank(&file.bytes) {
        return Err(InputError::EmptyFile { file: name.to_owned() });
    }
    match detect_format(name, &file.bytes)? {
        Format::Npy => npy::read(name, &file.bytes).map(Parsed::Block),
        Format::Workbook => workbook::read(name, &file.bytes, options.sheet.as_deref()).map(Parsed::Table),
        Format::Delimited => {
            let (text, decoded) = decode_text_noting(name, &file.bytes)?;
            let tab = name.rsplit_once('.').is_some_and(|(_, extension)| {
                extension.eq_ignore_ascii_case("tsv") || extension.eq_ignore_ascii_case("tab")
            });
            delimited::read(name, &text, tab).map(|parsed| with_warning(parsed, decoded))
        }
        Format::Json => {
            let (text, decoded) = decode_text_noting(name, &file.bytes)?;
            json::read_array(name, &text).map(|table| with_warning(Parsed::Table(table), decoded))
        }
        Format::JsonLines => {
            let (text, decoded) = decode_text_noting(name, &file.bytes)?;
            json::read_lines(name, &text).map(|table| with_warning(Parsed::Table(table), decoded))
        }
    }
}

/// Puts the note about a guessed encoding first among a file's warnings.
fn with_warning(mut parsed: Parsed, warning: Option<Warning>) -> Parsed {
    if let Some(warning) = warning {
        let warnings = match &mut parsed {
            Parsed::Table(table) => &mut table.warnings,
            Parsed::Block(block) => &mut block.warnings,
        };
        warnings.insert(0, warning);
    }
    parsed
}

/// The byte order of UTF-16 text without a byte-order mark, told by its NUL bytes: text that is mostly ASCII has
/// a NUL in every other byte, at odd offsets in little-endian and even ones in big-endian. Some exporters write
/// it so; read as UTF-8 it would be text full of NULs.
fn utf16_without_bom(bytes: &[u8]) -> Option<fn([u8; 2]) -> u16> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = sample.len() / 2;
    let (mut high_nul, mut low_nul) = (0, 0);
    for pair in sample.chunks_exact(2) {
        low_nul += usize::from(pair[0] == 0);
        high_nul += usize::from(pair[1] == 0);
    }
    // Danish, Arabic or emoji text still has ASCII delimiters, digits and line breaks in most units.
    if high_nul * 10 >= pairs * 3 && low_nul * 50 <= pairs {
        Some(u16::from_le_bytes)
    } else if low_nul * 10 >= pairs * 3 && high_nul * 50 <= pairs {
        Some(u16::from_be_bytes)
    } else {
        None
    }
}

/// Windows-1252 for bytes 0x80 to 0x9F (the rest is Latin-1, byte for code point). The five bytes the code page
/// leaves undefined map to the C1 controls of the same number, as the WHATWG encoding standard does.
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’',
    '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

fn decode_windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&byte| match byte {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(byte - 0x80)],
            _ => char::from(byte),
        })
        .collect()
}

/// Control characters that never occur in text files (tab, line breaks, form feed and escape aside): one of them
/// in a file that is not UTF-8 says it is binary rather than text in another encoding.
fn is_binary_byte(byte: u8) -> bool {
    matches!(byte, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F)
}

/// The text of a file and, when it was not UTF-8, a warning saying how it was read.
///
/// Files that are not UTF-8 are decoded rather than refused: Excel on Windows saves "CSV" in Windows-1252, the
/// usual way Danish survey answers arrive, and refusing them would only send people looking for an encoding
/// menu. Windows-1252 decodes any byte sequence, so binary files are told apart first (NULs and other control
/// bytes) and refused as not text; the warning names the encoding so a wrong guess is noticed.
pub(crate) fn decode_text_noting<'a>(
    file: &str,
    bytes: &'a [u8],
) -> Result<(Cow<'a, str>, Option<Warning>), InputError> {
    let note = |encoding: &str| Some(Warning::Decoded { file: file.to_owned(), encoding: encoding.to_owned() });
    let has_bom = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if !has_bom {
        if let Some(unit) = utf16_without_bom(bytes) {
            let encoding = if unit([1, 0]) == 1 { "UTF-16LE" } else { "UTF-16BE" };
            let text = decode_utf16(file, bytes, unit)?;
            return Ok((Cow::Owned(text), note(encoding)));
        }
    }
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if has_bom || std::str::from_utf8(body).is_ok() {
        return Ok((decode_text(file, bytes)?, None));
    }
    if let Some(at) = bytes.iter().position(|&byte| is_binary_byte(byte)) {
        return Err(InputError::NotText { file: file.to_owned(), byte_offset: at });
    }
    let text = decode_windows_1252(bytes);
    if text.trim().is_empty() {
        return Err(InputError::EmptyFile { file: file.to_owned() });
    }
    Ok((Cow::Owned(text), note("Windows-1252")))
}

/// The text of a file: UTF-8 without its byte-order mark. UTF-16 with a byte-order mark is converted too,
/// because Excel's "Unicode Text" export writes it.
fn decode_text<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, InputError> {
    let text = if let Some(units) = bytes.strip_prefix(b"\xFF\xFE") {
        Cow::Owned(decode_utf16(file, units, u16::from_le_bytes)?)
    } else if let Some(units) = bytes.strip_prefix(b"\xFE\xFF") {
        Cow::Owned(decode_utf16(file, units, u16::from_be_bytes)?)
    } else {
        let (offset, body) = match bytes.strip_prefix(UTF8_BOM) {
            Some(body) => (UTF8_BOM.len(), body),
            None => (0, bytes),
        };
        match std::str::from_utf8(body) {
            Ok(text) => Cow::Borrowed(text),
            Err(error) => {
                return Err(InputError::NotUtf8 { file: file.to_owned(), byte_offset: offset + error.valid_up_to() })
            }
        }
    };
    if text.trim_start_matches('\u{FEFF}').trim().is_empty() {
        return Err(InputError::EmptyFile { file: file.to_owned() });
    }
    Ok(text)
}

fn decode_utf16(file: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, InputError> {
    let bad = |byte_offset: usize| InputError::NotUtf8 { file: file.to_owned(), byte_offset };
    let pairs = bytes.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return Err(bad(bytes.len() + 1));
    }
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut offset = 2;
    for decoded in char::decode_utf16(pairs.map(|pair| unit([pair[0], pair[1]]))) {
        let c = decoded.map_err(|_| bad(offset))?;
        text.push(c);
        offset += c.len_utf16() * 2;
    }
    Ok(text)
}

/// Makes header names usable as keys: blank names become "column N" (1-based) and repeats get " (2)", " (3)",
/// because columns are picked and joined by name.
pub(crate) fn unique_header(file: &str, header: Vec<String>, warnings: &mut Vec<Warning>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    // The next copy number to try per repeated name: a header pasted from a whole survey on one line repeats a
    // few names hundreds of thousands of times, and counting up from 2 each time would take quadratic time.
    let mut next_copy: HashMap<String, usize> = HashMap::new();
    let mut renamed = 0;
    let mut columns = Vec::with_capacity(header.len());
    for (index, name) in header.into_iter().enumerate() {
        let mut name = if name.trim().is_empty() {
            renamed += 1;
            format!("column {}", index + 1)
        } else {
            name
        };
        if seen.contains_key(&name) {
            renamed += 1;
            let base = name;
            let copy = next_copy.entry(base.clone()).or_insert(2);
            name = format!("{base} ({copy})");
            while seen.contains_key(&name) {
                *copy += 1;
                name = format!("{base} ({copy})");
            }
            *copy += 1;
        }
        seen.insert(name.clone(), index);
        columns.push(name);
    }
    if renamed > 0 {
        warnings.push(Warning::RenamedHeaders { file: file.to_owned(), count: renamed });
    }
    columns
}

/// Where a vector component sits, as an error names it: a header, or a 1-based column number in headerless
/// data. It stays unformatted until an error needs it, so reading millions of numbers allocates nothing extra.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Column<'a> {
    Named(&'a str),
    Number(usize),
}

impl Column<'_> {
    fn label(self) -> String {
        match self {
            Column::Named(name) => name.to_owned(),
            Column::Number(number) => number.to_string(),
        }
    }
}

/// Parses one vector component. Rust's float parser accepts "NaN" and "inf", so finiteness is checked
/// separately.
pub(crate) fn parse_component(file: &str, row: usize, column: Column<'_>, cell: &str) -> Result<f32, InputError> {
    let trimmed = cell.trim();
    let value = trimmed.parse::<f64>().map_err(|_| InputError::NotANumber {
        file: file.to_owned(),
        row,
        column: column.label(),
        value: cell.to_owned(),
    })?;
    finite(file, row, column, value, || trimmed.to_owned())
}

/// Narrows to `f32` and checks the result, because 1e39 is a fine `f64` but overflows `f32`.
pub(crate) fn finite(
    file: &str,
    row: usize,
    column: Column<'_>,
    value: f64,
    text: impl FnOnce() -> String,
) -> Result<f32, InputError> {
    let narrow = value as f32;
    if narrow.is_finite() {
        Ok(narrow)
    } else {
        Err(InputError::NotFinite { file: file.to_owned(), row, column: column.label(), value: text() })
    }
}

fn is_number(cell: &str) -> bool {
    cell.trim().parse::<f64>().is_ok()
}

/// Columns named as identifiers hold numbers that name rows, not coordinates: `id`, `comment-id`, `row`, `nr`.
fn is_identifier_name(name: &str) -> bool {
    let name = name.trim().to_lowercase();
    matches!(name.as_str(), "id" | "index" | "row" | "nr" | "no" | "løbenr")
        || [" id", "-id", "_id", ".id"].iter().any(|suffix| name.ends_with(suffix))
}

/// Splits "numbers plus metadata": when at least [`MIN_VECTOR_COLUMNS`] columns hold only numbers (empty cells
/// aside), those columns leave the table and become its vectors, in column order. Identifier columns stay
/// metadata. `row_numbers[i]` is how a person finds row `i` in the file.
pub(crate) fn split_numeric_columns(table: &mut Table, row_numbers: &[usize]) -> Result<(), InputError> {
    let numeric: Vec<bool> = (0..table.columns.len())
        .map(|column| {
            if is_identifier_name(&table.columns[column]) {
                return false;
            }
            let mut any = false;
            for row in &table.rows {
                let cell = row[column].as_str();
                if cell.trim().is_empty() {
                    continue;
                }
                if !is_number(cell) {
                    return false;
                }
                any = true;
            }
            any
        })
        .collect();
    let dim = numeric.iter().filter(|&&is| is).count();
    if dim < MIN_VECTOR_COLUMNS {
        return Ok(());
    }
    let mut values = Vec::with_capacity(dim * table.rows.len());
    for (index, row) in table.rows.iter_mut().enumerate() {
        let line = row_numbers.get(index).copied().unwrap_or(index + 2);
        for (column, cell) in row.iter().enumerate() {
            if numeric[column] {
                values.push(parse_component(&table.file, line, Column::Named(&table.columns[column]), cell)?);
            }
        }
        let mut column = 0;
        row.retain(|_| {
            let keep = !numeric[column];
            column += 1;
            keep
        });
    }
    let mut column = 0;
    table.columns.retain(|_| {
        let keep = !numeric[column];
        column += 1;
        keep
    });
    table.vectors = Some(Vectors { dim, values });
    Ok(())
}

pub(crate) fn skipped_warning(file: &str, skipped: usize, unit: Unit) -> Option<Warning> {
    (skipped > 0).then(|| Warning::SkippedEmpty { file: file.to_owned(), count: skipped, unit })
}

/// Stacks vector blocks in file order; they must share one dimension.
fn stack(blocks: Vec<Block>, warnings: &mut Vec<Warning>) -> Result<Option<(String, Vectors)>, InputError> {
    let mut stacked: Option<(String, Vectors)> = None;
    for block in blocks {
        warnings.extend(block.warnings);
        match &mut stacked {
            None => stacked = Some((block.file, block.vectors)),
            Some((first_file, vectors)) => {
                if block.vectors.dim != vectors.dim {
                    return Err(InputError::DimensionMismatch {
                        file: block.file,
                        first_file: first_file.clone(),
                        expected: vectors.dim,
                        found: block.vectors.dim,
                    });
                }
                vectors.values.extend_from_slice(&block.vectors.values);
            }
        }
    }
    Ok(stacked)
}

fn join(mut tables: Vec<Table>, blocks: Vec<Block>) -> Result<Dataset, InputError> {
    let mut warnings = Vec::new();
    let block_files: Vec<String> = blocks.iter().map(|block| block.file.clone()).collect();
    let stacked = stack(blocks, &mut warnings)?;

    if tables.is_empty() {
        let vectors = stacked.map(|(_, vectors)| vectors).unwrap_or_default();
        let rows = (1..=vectors.len()).map(|id| vec![id.to_string()]).collect();
        return Ok(Dataset {
            columns: vec!["id".to_owned()],
            rows,
            vectors: Some(vectors),
            workbooks: Vec::new(),
            warnings,
            votes: None,
        });
    }

    let table_vectors = tables.iter().find(|table| table.vectors.is_some()).map(|table| table.file.clone());
    let vectors = match (stacked, table_vectors) {
        (Some(_), Some(table_file)) => {
            return Err(InputError::Malformed {
                file: block_files.join(", "),
                detail: format!(
                    "{table_file} already has vectors in its numeric columns; give either those or a separate \
                     vector file, not both"
                ),
            })
        }
        (Some((_, vectors)), None) => {
            let rows: usize = tables.iter().map(|table| table.rows.len()).sum();
            let count = vectors.len();
            if rows != count {
                let lone = tables.len() == 1 && rows + 1 == count;
                match tables.first_mut().filter(|_| lone).and_then(|table| table.lone_header.take()) {
                    Some(header) => {
                        let table = &mut tables[0];
                        table.rows.insert(0, vec![header]);
                        table.columns = vec!["label".to_owned()];
                        warnings.push(Warning::HeaderReadAsData { file: table.file.clone() });
                    }
                    None => {
                        return Err(InputError::CountMismatch {
                            file: block_files.join(", "),
                            vectors: count,
                            metadata_file: tables
                                .iter()
                                .map(|table| table.file.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            rows,
                        })
                    }
                }
            }
            Some(vectors)
        }
        (None, Some(_)) => Some(concat_table_vectors(&mut tables)?),
        (None, None) => None,
    };

    let add_file_column = tables.len() > 1;
    let mut columns: Vec<String> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for table in &tables {
        for column in &table.columns {
            if !index_of.contains_key(column) {
                index_of.insert(column.clone(), columns.len());
                columns.push(column.clone());
            }
        }
    }
    let file_column = add_file_column.then(|| {
        let mut name = "file".to_owned();
        let mut copy = 2;
        while index_of.contains_key(&name) {
            name = format!("file ({copy})");
            copy += 1;
        }
        columns.push(name);
        columns.len() - 1
    });

    let total: usize = tables.iter().map(|table| table.rows.len()).sum();
    let mut rows = Vec::with_capacity(total);
    let mut workbooks = Vec::new();
    for table in tables {
        warnings.extend(table.warnings);
        workbooks.extend(table.workbook);
        let same_layout = table.columns.len() == columns.len() && file_column.is_none();
        if same_layout {
            // The common case of one file: its rows already have the final layout.
            rows.extend(table.rows);
            continue;
        }
        let targets: Vec<usize> = table.columns.iter().map(|column| index_of[column]).collect();
        for row in table.rows {
            let mut joined = vec![String::new(); columns.len()];
            for (cell, &target) in row.into_iter().zip(&targets) {
                joined[target] = cell;
            }
            if let Some(file_column) = file_column {
                joined[file_column].clone_from(&table.file);
            }
            rows.push(joined);
        }
    }

    // Tables whose every column was numeric keep nothing to show; number their rows like a vector block.
    if columns.is_empty() {
        columns.push("id".to_owned());
        for (index, row) in rows.iter_mut().enumerate() {
            row.push((index + 1).to_string());
        }
    }

    Ok(Dataset { columns, rows, vectors, workbooks, warnings, votes: None })
}

/// Concatenates the vectors that tables brought themselves; every table must have them, in one dimension.
fn concat_table_vectors(tables: &mut [Table]) -> Result<Vectors, InputError> {
    if let Some(without) = tables.iter().find(|table| table.vectors.is_none()) {
        let with = tables.iter().find(|other| other.vectors.is_some()).map_or("", |other| other.file.as_str());
        return Err(InputError::Malformed {
            file: without.file.clone(),
            detail: format!("no vectors here, but {with} has vectors; every table needs them, or none"),
        });
    }
    let mut first: Option<(String, usize)> = None;
    let mut values = Vec::new();
    for table in tables.iter_mut() {
        let Some(vectors) = table.vectors.take() else { continue };
        match &first {
            None => first = Some((table.file.clone(), vectors.dim)),
            Some((first_file, dim)) if *dim != vectors.dim => {
                return Err(InputError::DimensionMismatch {
                    file: table.file.clone(),
                    first_file: first_file.clone(),
                    expected: *dim,
                    found: vectors.dim,
                })
            }
            Some(_) => {}
        }
        values.extend(vectors.values);
    }
    let dim = first.map_or(0, |(_, dim)| dim);
    Ok(Vectors { dim, values })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn signatures_win_over_extensions() {
        assert_eq!(detect_format("a.csv", b"PK\x03\x04rest").unwrap(), Format::Workbook);
        assert_eq!(detect_format("a.txt", b"\x93NUMPY\x01\x00").unwrap(), Format::Npy);
    }

    #[test]
    fn extensions_are_case_insensitive() {
        assert_eq!(detect_format("A.TSV", b"x").unwrap(), Format::Delimited);
        assert_eq!(detect_format("a.NDJSON", b"x").unwrap(), Format::JsonLines);
        assert_eq!(detect_format("a.Xlsm", b"x").unwrap(), Format::Workbook);
    }

    #[test]
    fn content_decides_without_an_extension() {
        assert_eq!(detect_format("data", b"  [{\"a\": 1}]").unwrap(), Format::Json);
        assert_eq!(detect_format("data", b"{\"a\": 1}\n{\"a\": 2}\n").unwrap(), Format::JsonLines);
        assert_eq!(detect_format("data", b"{\"a\": 1,\n \"b\": 2}").unwrap(), Format::Json);
        assert_eq!(detect_format("data", b"a,b\n1,2\n").unwrap(), Format::Delimited);
        assert_eq!(
            detect_format("data", b"\x00\x01\x02").unwrap_err(),
            InputError::UnknownFormat { file: "data".into() }
        );
        assert_eq!(
            detect_format("data", b"\xEF\xBB\xBF \n").unwrap_err(),
            InputError::EmptyFile { file: "data".into() }
        );
    }

    #[test]
    fn utf8_errors_count_the_byte_order_mark() {
        let error = decode_text("a.csv", b"\xEF\xBB\xBFab\xFFc").unwrap_err();
        assert_eq!(error, InputError::NotUtf8 { file: "a.csv".into(), byte_offset: 5 });
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("a\tæ\n".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_text("a.txt", &bytes).unwrap(), "a\tæ\n");
    }

    #[test]
    fn blank_and_repeated_headers_get_names() {
        let mut warnings = Vec::new();
        let header = vec!["a".into(), "".into(), "a".into(), "a".into()];
        let columns = unique_header("f.csv", header, &mut warnings);
        assert_eq!(columns, ["a", "column 2", "a (2)", "a (3)"]);
        assert_eq!(warnings, [Warning::RenamedHeaders { file: "f.csv".into(), count: 3 }]);
    }
}
