//! Errors that bad input produces.
//!
//! Each variant carries the file, the row (numbered as a person sees it in a spreadsheet or editor: the header is
//! row 1 of a CSV) and what was expected, so the UI can say exactly what to fix. The variants are serialisable
//! so the Web Worker can send them to the UI, which renders them in the user's language; the `Display` text here
//! is the English wording used by tests and command-line tools.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum InputError {
    #[error("no files were given")]
    NoFiles,
    #[error("{file}: the file is empty")]
    EmptyFile { file: String },
    #[error("{file}: unknown format; expected CSV, TSV, XLSX, JSON, JSON Lines or .npy")]
    UnknownFormat { file: String },
    #[error("{file}: the file is not valid UTF-8 text (byte {byte_offset}); save it as UTF-8")]
    NotUtf8 { file: String, byte_offset: usize },
    #[error("{file}, row {row}: expected {expected} fields as in the header, found {found}")]
    RaggedRow { file: String, row: usize, expected: usize, found: usize },
    #[error("{file}, row {row}, column {column}: expected a number, found {}", if value.trim().is_empty() {
        "an empty cell".to_owned()
    } else {
        format!("\"{value}\"")
    })]
    NotANumber { file: String, row: usize, column: String, value: String },
    #[error("{file}, row {row}, column {column}: expected a finite number, found {value}")]
    NotFinite { file: String, row: usize, column: String, value: String },
    #[error("{file}: {vectors} vectors but {metadata_file} has {rows} rows; expected one metadata row per vector")]
    CountMismatch { file: String, vectors: usize, metadata_file: String, rows: usize },
    #[error("{file}: {detail}")]
    Malformed { file: String, detail: String },
    #[error("{file}: no sheet named \"{sheet}\"; the workbook has {available}")]
    NoSuchSheet { file: String, sheet: String, available: String },
    #[error("no column named \"{column}\"; the data has {available}")]
    NoSuchColumn { column: String, available: String },
    #[error("no rows with text in column \"{column}\"")]
    NoText { column: String },
    #[error("the data has neither a text column nor vectors; expected a column of statements or numeric vectors")]
    NothingToAnalyse,
    #[error("{file}: vectors have {found} dimensions but {first_file} has {expected}")]
    DimensionMismatch { file: String, first_file: String, expected: usize, found: usize },
    #[error("{count} {} too few to analyse; at least {minimum} are needed", if *count == 1 { "point is" } else { "points are" })]
    TooFewPoints { count: usize, minimum: usize },
    #[error("clustering failed: {detail}")]
    ClusteringFailed { detail: String },
    #[error("k = {k} is not possible with {points} points; choose k between 2 and {max}")]
    InvalidK { k: usize, points: usize, max: usize },
    /// A layout or clustering setting out of range; `detail` names the setting and the allowed values.
    #[error("invalid setting: {detail}")]
    InvalidParameter { detail: String },
    #[error("{file}, row {row}, column {column}: expected a vote 1 (agree), -1 (disagree), 0 (pass) or nothing, found \"{value}\"")]
    BadVote { file: String, row: usize, column: String, value: String },
    /// A header and nothing under it (or only blank rows), which "the file is empty" would misdescribe.
    #[error("{file}: only a header and no rows below it; expected one row per statement under the header")]
    NoRows { file: String },
    /// A row split by another delimiter than the header's, as when rows were pasted in from another export.
    #[error("{file}, row {row}: fields are separated by \"{found}\" here but by \"{header}\" in the header; expected one delimiter throughout")]
    MixedDelimiter { file: String, row: usize, found: String, header: String },
    #[error("{file}, row {row}: a quoted field opens here and is never closed; expected a closing \" (a quote inside a field is written twice: \"\")")]
    UnterminatedQuote { file: String, row: usize },
    /// A headerless block of vectors (`vectors.tsv`) with a row of another length: there is no header to cite.
    #[error("{file}, row {row}: expected {expected} numbers as in row {first_row}, found {found}")]
    RaggedVector { file: String, row: usize, first_row: usize, expected: usize, found: usize },
    #[error("{file}: this is not text (binary data at byte {byte_offset}); expected CSV, TSV, XLSX, JSON, JSON Lines or .npy")]
    NotText { file: String, byte_offset: usize },
    #[error("{file}: a PDF document, not data; expected CSV, TSV, XLSX, JSON, JSON Lines or .npy (export the table from the program that made the PDF)")]
    Pdf { file: String },
    #[error("{file}: an Excel 97-2003 workbook (.xls), which Vejkort cannot read; expected .xlsx: open it in Excel or LibreOffice and save it as .xlsx or CSV UTF-8")]
    LegacyExcel { file: String },
    #[error("{file}: sheet \"{sheet}\" is empty; expected a header row and one row per statement")]
    EmptySheet { file: String, sheet: String },
}

/// Why an analysis did not produce a map.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AnalysisError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("the analysis was cancelled")]
    Cancelled,
}

impl From<crate::progress::Cancelled> for AnalysisError {
    fn from(_: crate::progress::Cancelled) -> Self {
        AnalysisError::Cancelled
    }
}

/// What a person should know about their data that did not stop the analysis. Structured, like the errors, so the
/// UI words it in the user's language; `Display` gives the English wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Warning {
    #[error("{file}: skipped {count} empty {}", if *count == 1 { unit.singular() } else { unit.plural() })]
    SkippedEmpty { file: String, count: usize, unit: Unit },
    #[error("{file}: named {count} blank or repeated column headers")]
    RenamedHeaders { file: String, count: usize },
    #[error("{file}: one column and one row fewer than the vectors; read its first line as data, not a header")]
    HeaderReadAsData { file: String },
    #[error("{count} rows without text were left out")]
    RowsWithoutText { count: usize },
    #[error("no sentence-embedding model is available; the statements were vectorised with TF-IDF instead")]
    NoModel,
    #[error("{file}: left out {count} comments the moderators rejected (moderated = -1)")]
    RejectedComments { file: String, count: usize },
    #[error("the static word vectors for instant mode are not available; the statements were vectorised with TF-IDF instead")]
    NoStaticTable,
    /// Text that was not UTF-8 but could be read in another encoding (Excel on Windows saves CSV as Windows-1252;
    /// some tools write UTF-16 without a byte-order mark). Worth saying: a wrong guess garbles letters.
    #[error("{file}: not UTF-8; read as {encoding}. If letters such as æ, ø and å look wrong, save the file as UTF-8")]
    Decoded { file: String, encoding: String },
}

/// What a file is made of, as a person counts it: lines of text, rows of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Line,
    Row,
}

impl Unit {
    pub fn singular(self) -> &'static str {
        match self {
            Unit::Line => "line",
            Unit::Row => "row",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Unit::Line => "lines",
            Unit::Row => "rows",
        }
    }
}
