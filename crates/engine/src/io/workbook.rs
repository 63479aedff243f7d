//! XLSX workbooks, as SurveyXact, Microsoft Forms and Google Forms export them, read with calamine.
//!
//! One sheet is read (the first unless the user picks another) and its sheet names are kept so the UI can offer
//! the others. The first non-empty row is the header. Spreadsheets drop trailing empty cells, so short rows are
//! padded rather than reported; only non-empty cells beyond the header count as a ragged row.

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Cell, Data, DataRef, Range, Reader, Xlsx, XlsxError};

use super::{skipped_warning, split_numeric_columns, unique_header, Table};
use crate::dataset::Workbook;
use crate::error::{InputError, Unit};

pub(super) fn read(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, InputError> {
    let malformed = |detail: String| InputError::Malformed { file: file.to_owned(), detail };
    // File names sit uncompressed in a zip, so a zip that is no workbook (a Word document, an archive of CSVs) is
    // told apart before calamine reports a missing part in its own words.
    let holds = |name: &[u8]| bytes.windows(name.len()).any(|window| window == name);
    if !holds(b"xl/workbook.xml") && holds(b"[Content_Types].xml") {
        let what = if holds(b"word/document.xml") {
            "a Word document"
        } else if holds(b"ppt/presentation.xml") {
            "a PowerPoint presentation"
        } else {
            "an Office file of another kind"
        };
        return Err(malformed(format!("not an XLSX workbook but {what}; expected a spreadsheet saved as .xlsx")));
    }
    check_shared_string_count(bytes).map_err(malformed)?;
    let mut workbook: Xlsx<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|error| malformed(format!("not a readable XLSX workbook: {error}")))?;
    let sheets = workbook.sheet_names();
    let chosen = match sheet {
        Some(wanted) => sheets.iter().find(|name| *name == wanted).cloned().ok_or_else(|| InputError::NoSuchSheet {
            file: file.to_owned(),
            sheet: wanted.to_owned(),
            available: sheets.join(", "),
        })?,
        None => sheets.first().cloned().ok_or_else(|| malformed("the workbook has no sheets".to_owned()))?,
    };
    let range = used_range(&mut workbook, file, &chosen)?;
    // Rows are numbered as the spreadsheet shows them, which is where the used range starts plus one.
    let first_row = range.start().map_or(0, |(row, _)| row as usize) + 1;

    let mut rows_iter = range.rows().enumerate().map(|(index, cells)| (first_row + index, cells));
    let header = loop {
        match rows_iter.next() {
            None => return Err(InputError::EmptySheet { file: file.to_owned(), sheet: chosen.clone() }),
            Some((_, cells)) => {
                let texts: Vec<String> = cells.iter().map(cell_text).collect();
                if let Some(last) = texts.iter().rposition(|text| !text.trim().is_empty()) {
                    break texts[..=last].to_vec();
                }
            }
        }
    };
    let width = header.len();
    let mut warnings = Vec::new();
    let columns = unique_header(file, header, &mut warnings);

    let mut rows = Vec::new();
    let mut row_numbers = Vec::new();
    let (mut skipped, mut pending) = (0, 0);
    for (number, cells) in rows_iter {
        let mut texts: Vec<String> = cells.iter().map(cell_text).collect();
        let last = texts.iter().rposition(|text| !text.trim().is_empty());
        let Some(last) = last else {
            pending += 1;
            continue;
        };
        if last >= width {
            return Err(InputError::RaggedRow { file: file.to_owned(), row: number, expected: width, found: last + 1 });
        }
        texts.resize(width, String::new());
        rows.push(texts);
        row_numbers.push(number);
        skipped += pending;
        pending = 0;
    }
    if rows.is_empty() {
        return Err(InputError::NoRows { file: file.to_owned() });
    }
    warnings.extend(skipped_warning(file, skipped, Unit::Row));
    let workbook = Workbook { file: file.to_owned(), sheets, chosen };
    let mut table =
        Table { file: file.to_owned(), columns, rows, workbook: Some(workbook), warnings, ..Table::default() };
    split_numeric_columns(&mut table, &row_numbers)?;
    Ok(table)
}

/// The most cells a sheet's used range may span. calamine lays the used range out as one dense grid from the
/// first to the last filled cell, so two cells in opposite corners of a few-KB file would ask for 17 billion
/// cells; 16.7 million (say 100,000 rows of 167 columns) is far beyond any survey export and stays within the
/// browser's memory.
pub(crate) const MAX_SHEET_CELLS: u64 = 1 << 24;

/// The fewest bytes one shared string can take: `<si></si>`.
const SHARED_STRING_MIN_BYTES: u64 = 9;

/// calamine reserves room for as many shared strings as `<sst uniqueCount="…">` declares before it reads one, so
/// a damaged or hostile count (the fuzzer wrote 2.6 quadrillion) aborts the worker on allocation. A count cannot
/// exceed what the part has room for, so the part is decompressed once into nothing, to learn its true length
/// (the length a zip header states may lie too), and a count beyond `length / 9` is refused. A workbook that is
/// not a readable zip passes: calamine then reports it in its own words.
fn check_shared_string_count(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    for index in 0..archive.len() {
        let Ok(mut part) = archive.by_index(index) else { continue };
        let Ok(name) = part.name().map(|name| name.into_owned()) else { continue };
        if !name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            continue;
        }
        // The count sits in the part's first tag; 4 KB holds any real one.
        let mut head = Vec::with_capacity(4096);
        if (&mut part).take(4096).read_to_end(&mut head).is_err() {
            continue;
        }
        let Some(declared) = declared_unique_count(&head) else { continue };
        let rest = std::io::copy(&mut part, &mut std::io::sink()).unwrap_or(0);
        let length = head.len() as u64 + rest;
        let room = length / SHARED_STRING_MIN_BYTES;
        if declared > u128::from(room) {
            return Err(format!(
                "{name} declares {declared} shared strings but, at {length} bytes, has room for at most {room}; \
                 the workbook is damaged (open it in a spreadsheet program and save it again)"
            ));
        }
    }
    Ok(())
}

/// The `uniqueCount` attribute of the first `<sst>` tag (with or without a namespace prefix), saturating at
/// `u128::MAX`; `None` if there is none or it is not a number, which calamine then ignores too.
fn declared_unique_count(head: &[u8]) -> Option<u128> {
    let text = String::from_utf8_lossy(head);
    let tag_start = text.find("<sst").or_else(|| text.find(":sst"))?;
    let tag = &text[tag_start..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let after = &tag[tag.find("uniqueCount")? + "uniqueCount".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let digits: String = after.trim_start_matches(['"', '\'']).chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    Some(digits.bytes().fold(0u128, |total, digit| total.saturating_mul(10).saturating_add(u128::from(digit - b'0'))))
}

/// The sheet's filled cells as calamine's `worksheet_range` reads them, refused before the grid is laid out when it
/// would span more than [`MAX_SHEET_CELLS`] (or the sheet repeats cells past that count).
fn used_range(workbook: &mut Xlsx<Cursor<&[u8]>>, file: &str, sheet: &str) -> Result<Range<Data>, InputError> {
    let unreadable = |error: XlsxError| InputError::Malformed {
        file: file.to_owned(),
        detail: format!("sheet \"{sheet}\" could not be read: {error}"),
    };
    let mut reader = match workbook.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        // A chart sheet has no cells; calamine reads it as an empty range, and so do we (it is then "empty").
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
        Err(error) => return Err(unreadable(error)),
    };
    let mut cells = Vec::new();
    let (mut top, mut bottom, mut left, mut right) = (u32::MAX, 0, u32::MAX, 0);
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        if *cell.get_value() == DataRef::Empty {
            continue;
        }
        let (row, column) = cell.get_position();
        (top, bottom, left, right) = (top.min(row), bottom.max(row), left.min(column), right.max(column));
        let (rows, columns) = (u64::from(bottom - top) + 1, u64::from(right - left) + 1);
        let too_large = |what: String| InputError::Malformed {
            file: file.to_owned(),
            detail: format!(
                "sheet \"{sheet}\" is too large: {what}, more than the {MAX_SHEET_CELLS} cells Vejkort reads from a \
                 sheet; delete the cells outside your data, or save the sheet as CSV"
            ),
        };
        if rows * columns > MAX_SHEET_CELLS {
            return Err(too_large(format!("its filled cells span {rows} rows × {columns} columns")));
        }
        if cells.len() as u64 >= MAX_SHEET_CELLS {
            return Err(too_large(format!("it holds over {MAX_SHEET_CELLS} filled cells")));
        }
        cells.push(Cell::new((row, column), Data::from(cell.get_value().clone())));
    }
    Ok(Range::from_sparse(cells))
}

/// A cell as text. Whole floats print without ".0" (Rust's float formatting already does), and dates are written
/// as ISO 8601, which is what people recognise and what sorts.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::DateTime(datetime) if datetime.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
            let value = datetime.as_f64();
            if value.fract() == 0.0 {
                format!("{year:04}-{month:02}-{day:02}")
            } else if (0.0..1.0).contains(&value) {
                format!("{hour:02}:{minute:02}:{second:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    use super::*;

    fn date(value: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(value, ExcelDateTimeType::DateTime, false))
    }

    #[test]
    fn cells_print_as_a_person_reads_them() {
        assert_eq!(cell_text(&Data::Float(3.0)), "3");
        assert_eq!(cell_text(&Data::Float(0.25)), "0.25");
        assert_eq!(cell_text(&Data::Int(-7)), "-7");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
        assert_eq!(cell_text(&Data::Empty), "");
        assert_eq!(cell_text(&date(45943.0)), "2025-10-13");
        assert_eq!(cell_text(&date(45943.5)), "2025-10-13 12:00:00");
        assert_eq!(cell_text(&date(0.75)), "18:00:00");
    }

    #[test]
    fn a_sheet_spanning_too_many_cells_is_refused_with_its_span_and_the_limit() {
        // Made by crates/engine/tests/fuzz_regressions/make_handmade.py: cells A1 and XFD1048576 only.
        let bytes = include_bytes!("../../tests/fuzz_regressions/workbook/cells-in-opposite-corners.xlsx");
        let error = read("corners.xlsx", bytes, None).unwrap_err().to_string();
        assert!(error.starts_with("corners.xlsx: sheet \"Svar\" is too large"), "{error}");
        assert!(error.contains("1048576 rows × 16384 columns") && error.contains("16777216 cells"), "{error}");
    }

    #[test]
    fn bytes_that_are_not_a_workbook_are_malformed() {
        let error = read("x.xlsx", b"PK\x03\x04 not really", None).unwrap_err();
        assert!(matches!(error, InputError::Malformed { ref file, .. } if file == "x.xlsx"), "{error:?}");
    }
}
