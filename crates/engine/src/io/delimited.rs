//! CSV and TSV text: survey exports, Polis dumps, and the Embedding Projector's `vectors.tsv` / `metadata.tsv`.
//!
//! The delimiter (comma, semicolon or tab) is sniffed from the first line, because Danish Excel writes
//! semicolons. A file whose first row is all numbers has no header and is read as a block of vectors. Row numbers
//! in errors are the editor line where the record starts, so they stay right after quoted fields that span lines.

use super::{
    is_number, parse_component, skipped_warning, split_numeric_columns, unique_header, Block, Column, Parsed, Table,
};
use crate::dataset::Vectors;
use crate::error::{InputError, Unit, Warning};

/// The delimiter used when the first line has none of the candidates: the ASCII unit separator never occurs in
/// survey text, so every line becomes one field (and commas inside statements stay text).
const NO_DELIMITER: u8 = 0x1F;

/// How far into the file the first line is searched for delimiters; a header is never this long.
const SNIFF_LIMIT: usize = 1 << 20;

/// Reads delimited text (already decoded, without byte-order mark). `tab` forces tabs, as `.tsv` promises.
pub(super) fn read(file: &str, text: &str, tab: bool) -> Result<Parsed, InputError> {
    // A `.tsv` promises tabs, but a semicolon file saved under that name is common; with no tab in the header,
    // the header's own delimiter is the better guess.
    let sniffed = sniff_delimiter(text);
    let delimiter = if tab && (sniffed == b'\t' || sniffed == NO_DELIMITER) { b'\t' } else { sniffed };
    let mut records = Records::new(file, text, delimiter);

    let Some((first, line)) = records.next_record()? else {
        return Err(InputError::EmptyFile { file: file.to_owned() });
    };
    if first.len() >= 2 && first.iter().all(is_number) {
        read_block(file, &mut records, &first, line)
    } else {
        read_table(file, &mut records, &first)
    }
}

fn read_block(
    file: &str,
    records: &mut Records<'_>,
    first: &csv::StringRecord,
    first_line: usize,
) -> Result<Parsed, InputError> {
    let dim = first.len();
    let mut values = Vec::with_capacity(dim * 256);
    let mut push = |record: &csv::StringRecord, line: usize| -> Result<(), InputError> {
        if record.len() != dim {
            return Err(InputError::RaggedVector {
                file: file.to_owned(),
                row: line,
                first_row: first_line,
                expected: dim,
                found: record.len(),
            });
        }
        for (column, cell) in record.iter().enumerate() {
            values.push(parse_component(file, line, Column::Number(column + 1), cell)?);
        }
        Ok(())
    };
    push(first, first_line)?;
    while let Some((record, line)) = records.next_record()? {
        push(&record, line)?;
    }
    let vectors = Vectors { dim, values };
    Ok(Parsed::Block(Block { file: file.to_owned(), vectors, warnings: records.warnings() }))
}

fn read_table(file: &str, records: &mut Records<'_>, header: &csv::StringRecord) -> Result<Parsed, InputError> {
    let width = header.len();
    let lone_header = (width == 1).then(|| header[0].to_owned());
    let mut warnings = Vec::new();
    let columns = unique_header(file, header.iter().map(str::to_owned).collect(), &mut warnings);
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    while let Some((record, line)) = records.next_record()? {
        if record.len() != width {
            return Err(ragged_row(file, &record, line, width, records.delimiter));
        }
        rows.push(record.iter().map(str::to_owned).collect());
        lines.push(line);
    }
    if rows.is_empty() {
        return Err(InputError::NoRows { file: file.to_owned() });
    }
    warnings.extend(records.warnings());
    let mut table = Table { file: file.to_owned(), columns, rows, lone_header, warnings, ..Table::default() };
    split_numeric_columns(&mut table, &lines)?;
    if table.vectors.is_some() {
        // Its one remaining column is not headerless Projector metadata: the numbers had a header.
        table.lone_header = None;
    }
    Ok(Parsed::Table(table))
}

/// A row with the wrong number of fields; when the row splits into the header's width by another delimiter, the
/// message says so, because "found 1 field" alone hides that the row is fine but differently separated.
fn ragged_row(file: &str, record: &csv::StringRecord, row: usize, width: usize, delimiter: u8) -> InputError {
    let line = record.iter().collect::<Vec<_>>().join(&char::from(delimiter).to_string());
    for other in [b',', b';', b'\t'] {
        if other == delimiter || width < 2 {
            continue;
        }
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).delimiter(other).flexible(true).from_reader(line.as_bytes());
        if reader.records().next().and_then(Result::ok).is_some_and(|split| split.len() == width) {
            return InputError::MixedDelimiter {
                file: file.to_owned(),
                row,
                found: delimiter_name(other),
                header: delimiter_name(delimiter),
            };
        }
    }
    InputError::RaggedRow { file: file.to_owned(), row, expected: width, found: record.len() }
}

fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_owned(),
        other => char::from(other).to_string(),
    }
}

/// Reads a delimited file as its header and raw string records with the line each starts on, with no guessing
/// of vectors: for files whose numeric columns mean something else (a Polis vote matrix).
pub(super) fn read_rows(file: &str, text: &str) -> Result<RawRows, InputError> {
    let mut records = Records::new(file, text, sniff_delimiter(text));
    let Some((header, _)) = records.next_record()? else {
        return Err(InputError::EmptyFile { file: file.to_owned() });
    };
    let width = header.len();
    let mut rows = Vec::new();
    while let Some((record, line)) = records.next_record()? {
        if record.len() != width {
            return Err(InputError::RaggedRow {
                file: file.to_owned(),
                row: line,
                expected: width,
                found: record.len(),
            });
        }
        rows.push((record, line));
    }
    Ok(RawRows { header: header.iter().map(str::to_owned).collect(), rows })
}

/// A header and the records under it, each with the editor line it starts on.
pub(super) struct RawRows {
    pub header: Vec<String>,
    pub rows: Vec<(csv::StringRecord, usize)>,
}

/// Counts comma, semicolon and tab outside quotes on the first line and picks the most frequent; tab wins ties
/// (it hardly ever appears by accident), then comma.
pub(super) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b'\t', 0usize), (b',', 0), (b';', 0)];
    let mut quoted = false;
    for &byte in text.as_bytes().iter().take(SNIFF_LIMIT) {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(count) = counts.iter_mut().find(|(delimiter, _)| *delimiter == byte) {
                    count.1 += 1;
                }
            }
            _ => {}
        }
    }
    // max_by_key keeps the last maximum; reversing makes the earlier candidate win ties.
    match counts.iter().rev().max_by_key(|(_, count)| *count) {
        Some(&(delimiter, count)) if count > 0 => delimiter,
        _ => NO_DELIMITER,
    }
}

/// Reads records with the editor line each starts on, skipping blank lines and counting them for a warning.
struct Records<'a> {
    file: &'a str,
    delimiter: u8,
    bytes: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    skipped: usize,
    /// Blank lines since the last record; they only count as skipped once a record follows, so the usual
    /// trailing newlines of a file are not worth a warning.
    pending: usize,
}

impl<'a> Records<'a> {
    fn new(file: &'a str, text: &'a str, delimiter: u8) -> Self {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        Records { file, delimiter, bytes: text.as_bytes(), reader, skipped: 0, pending: 0 }
    }

    fn next_record(&mut self) -> Result<Option<(csv::StringRecord, usize)>, InputError> {
        let mut record = csv::StringRecord::new();
        loop {
            let more = self
                .reader
                .read_record(&mut record)
                .map_err(|error| InputError::Malformed { file: self.file.to_owned(), detail: error.to_string() })?;
            if !more {
                return Ok(None);
            }
            let (line, blank_lines) = self.start_line(&record);
            self.check_quotes_closed(&record, line)?;
            self.pending += blank_lines;
            if record.iter().all(|cell| cell.trim().is_empty()) {
                // Whitespace-only lines and rows of empty cells (",,,", as Excel writes blank rows) carry nothing.
                self.pending += 1;
                continue;
            }
            self.skipped += self.pending;
            self.pending = 0;
            return Ok(Some((record, line)));
        }
    }

    /// The csv crate reports where it began reading, which can be before the previous record's line break and
    /// before skipped empty lines; walking over the line breaks from there gives the line the record starts on
    /// and how many empty lines lay in between.
    fn start_line(&self, record: &csv::StringRecord) -> (usize, usize) {
        let Some(position) = record.position() else { return (0, 0) };
        let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
        let mut line = usize::try_from(position.line()).unwrap_or(usize::MAX);
        let mut breaks = 0;
        for &byte in self.bytes.get(start..).unwrap_or_default() {
            match byte {
                b'\n' => breaks += 1,
                b'\r' => {}
                _ => break,
            }
        }
        line = line.saturating_add(breaks);
        // The first break ends the previous record unless the reader had already passed it.
        let ended = start == 0 || self.bytes.get(start - 1) == Some(&b'\n');
        let blank = if ended { breaks } else { breaks.saturating_sub(1) };
        (line, blank)
    }

    /// The csv reader lets a quoted field that never closes run to the end of the file, which then shows up
    /// as one odd last record. Such a record reaches the end, spans more than one line, and holds an odd number
    /// of quotes (a quote inside a field is doubled, so closed fields always hold an even number).
    fn check_quotes_closed(&self, record: &csv::StringRecord, line: usize) -> Result<(), InputError> {
        let at_end = usize::try_from(self.reader.position().byte()).is_ok_and(|byte| byte >= self.bytes.len());
        let Some(start) = record.position().and_then(|position| usize::try_from(position.byte()).ok()) else {
            return Ok(());
        };
        if !at_end {
            return Ok(());
        }
        let span = self.bytes.get(start..).unwrap_or_default().trim_ascii();
        let quotes = span.iter().filter(|&&byte| byte == b'"').count();
        let spans_lines = span.iter().any(|&byte| byte == b'\n' || byte == b'\r');
        if !quotes.is_multiple_of(2) && spans_lines {
            return Err(InputError::UnterminatedQuote { file: self.file.to_owned(), row: line });
        }
        Ok(())
    }

    fn warnings(&self) -> Vec<Warning> {
        skipped_warning(self.file, self.skipped, Unit::Line).into_iter().collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> Vec<usize> {
        let mut records = Records::new("t.csv", text, b',');
        let mut lines = Vec::new();
        while let Some((_, line)) = records.next_record().unwrap() {
            lines.push(line);
        }
        lines
    }

    #[test]
    fn sniffing_counts_only_outside_quotes() {
        assert_eq!(sniff_delimiter("\"a;b;c\",d,e\n1;2;3"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,2,3,4,5"), b';');
        assert_eq!(sniff_delimiter("a\tb,c\td"), b'\t');
        assert_eq!(sniff_delimiter("a,b\tc"), b'\t');
        assert_eq!(sniff_delimiter("statement\nHello, world"), NO_DELIMITER);
    }

    #[test]
    fn start_lines_survive_crlf_empty_lines_and_multiline_fields() {
        assert_eq!(lines_of("a,b\r\n\r\n1,\"x\ny\"\r\n\n\n2,3\n   \n,,\n4,5"), [1, 3, 7, 10]);
        assert_eq!(lines_of("\n\na,b\n1,2\n"), [3, 4]);
    }

    #[test]
    fn empty_lines_are_counted_only_between_records() {
        let mut records = Records::new("t.csv", "\na,b\n\n1,2\n\n\n,\n", b',');
        while records.next_record().unwrap().is_some() {}
        assert_eq!(records.warnings()[0].to_string(), "t.csv: skipped 2 empty lines");
    }

    #[test]
    fn a_first_line_without_delimiters_makes_one_column() {
        let Parsed::Table(table) = read("s.txt", "statement\nHello, world\nMore; please\n", false).unwrap() else {
            panic!("expected a table");
        };
        assert_eq!(table.columns, ["statement"]);
        assert_eq!(table.rows, [["Hello, world"], ["More; please"]]);
        assert_eq!(table.lone_header.as_deref(), Some("statement"));
    }
}
