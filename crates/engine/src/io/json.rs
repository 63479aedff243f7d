//! JSON (an array of objects) and JSON Lines (one object per line), as notebooks and APIs write records.
//!
//! Keys become columns in the order they first appear, which serde_json's own map would lose (it sorts keys
//! unless a crate-wide feature is on), so objects are read through a small order-keeping visitor. An array of
//! numbers under a key such as `embedding` becomes the record's vector.

use std::collections::HashMap;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::{finite, skipped_warning, Column, Table};
use crate::dataset::Vectors;
use crate::error::{InputError, Unit, Warning};

/// Key names (compared in lower case) whose arrays of numbers are vectors rather than cells.
const VECTOR_KEYS: &[&str] = &["vector", "embedding", "embeddings", "vec"];

/// A JSON object with its keys in file order.
struct Record(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = Record;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(field) = map.next_entry::<String, Value>()? {
                    fields.push(field);
                }
                Ok(Record(fields))
            }
        }
        deserializer.deserialize_map(RecordVisitor)
    }
}

/// The top level of a JSON file: the records, or what was found instead of an array.
enum TopLevel {
    Records(Vec<Record>),
    Other(&'static str),
    /// An array with something other than an object at this 1-based position.
    NotARecord {
        record: usize,
        found: &'static str,
    },
}

/// One element of the top-level array: a record, or the kind of value found instead, so the error can name the
/// element ("record 3 is a string") rather than quote the parser's type names.
enum Item {
    Record(Record),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(field) = map.next_entry::<String, Value>()? {
                    fields.push(field);
                }
                Ok(Item::Record(Record(fields)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Other("an array"))
            }
            fn visit_str<E>(self, _: &str) -> Result<Item, E> {
                Ok(Item::Other("a string"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Item, E> {
                Ok(Item::Other("a boolean"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Item, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Item, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Item, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_unit<E>(self) -> Result<Item, E> {
                Ok(Item::Other("null"))
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TopVisitor;
        impl<'de> Visitor<'de> for TopVisitor {
            type Value = TopLevel;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an array of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TopLevel, A::Error> {
                let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                let mut not_a_record = None;
                while let Some(item) = seq.next_element::<Item>()? {
                    match item {
                        Item::Record(record) => records.push(record),
                        // Read on to the end, since the parser insists, but remember the first stray element.
                        Item::Other(found) => {
                            not_a_record.get_or_insert((records.len() + 1, found));
                        }
                    }
                }
                Ok(match not_a_record {
                    Some((record, found)) => TopLevel::NotARecord { record, found },
                    None => TopLevel::Records(records),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
                // The parser insists on reading the whole object before it reports anything.
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TopLevel::Other("an object"))
            }
            fn visit_str<E>(self, _: &str) -> Result<TopLevel, E> {
                Ok(TopLevel::Other("a string"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<TopLevel, E> {
                Ok(TopLevel::Other("a boolean"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<TopLevel, E> {
                Ok(TopLevel::Other("a number"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<TopLevel, E> {
                Ok(TopLevel::Other("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<TopLevel, E> {
                Ok(TopLevel::Other("a number"))
            }
            fn visit_unit<E>(self) -> Result<TopLevel, E> {
                Ok(TopLevel::Other("null"))
            }
        }
        deserializer.deserialize_any(TopVisitor)
    }
}

/// Reads a JSON array of objects; record `i` is row `i + 1` in errors.
pub(super) fn read_array(file: &str, text: &str) -> Result<Table, InputError> {
    let malformed = |detail: String| InputError::Malformed { file: file.to_owned(), detail };
    match serde_json::from_str::<TopLevel>(text) {
        Ok(TopLevel::Records(records)) => {
            let rows = (1..=records.len()).collect::<Vec<_>>();
            build(file, records, &rows, Vec::new())
        }
        Ok(TopLevel::Other(found)) => Err(malformed(format!("expected an array of objects, found {found}"))),
        Ok(TopLevel::NotARecord { record, found }) => {
            Err(malformed(format!("record {record} is {found}; expected an array of objects, one per statement")))
        }
        Err(error) if error.classify() == serde_json::error::Category::Eof => Err(malformed(format!(
            "the JSON ends early at line {}, column {}: the file was cut off; expected the rest of the array and its closing ]",
            error.line(),
            error.column()
        ))),
        Err(error) => Err(malformed(format!("invalid JSON: {error}"))),
    }
}

/// Reads JSON Lines; the line number is the row in errors.
pub(super) fn read_lines(file: &str, text: &str) -> Result<Table, InputError> {
    let mut records = Vec::new();
    let mut rows = Vec::new();
    let (mut skipped, mut pending) = (0, 0);
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            pending += 1;
            continue;
        }
        let record = serde_json::from_str::<Record>(line).map_err(|error| InputError::Malformed {
            file: file.to_owned(),
            // Each line is parsed alone, so serde_json's own "line 1" would mislead: only its column is kept.
            detail: match error.to_string().rsplit_once(" at line ") {
                Some((message, _)) => format!("line {}, column {}: {message}", index + 1, error.column()),
                None => format!("line {}: {error}", index + 1),
            },
        })?;
        records.push(record);
        rows.push(index + 1);
        skipped += pending;
        pending = 0;
    }
    let warnings = skipped_warning(file, skipped, Unit::Line).into_iter().collect();
    build(file, records, &rows, warnings)
}

fn is_vector_key(key: &str) -> bool {
    let key = key.trim().to_lowercase();
    VECTOR_KEYS.contains(&key.as_str())
}

fn build(file: &str, records: Vec<Record>, row_numbers: &[usize], warnings: Vec<Warning>) -> Result<Table, InputError> {
    if records.is_empty() {
        return Err(InputError::EmptyFile { file: file.to_owned() });
    }
    // The first vector-named key holding an array; later ones stay ordinary columns.
    let vector_key = records
        .iter()
        .flat_map(|record| &record.0)
        .find(|(key, value)| value.is_array() && is_vector_key(key))
        .map(|(key, _)| key.clone());

    let mut columns = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for (key, _) in records.iter().flat_map(|record| &record.0) {
        if Some(key) != vector_key.as_ref() && !index_of.contains_key(key) {
            index_of.insert(key.clone(), columns.len());
            columns.push(key.clone());
        }
    }

    let mut rows = Vec::with_capacity(records.len());
    let mut vectors: Option<Vectors> = None;
    let mut first_vector_row = 0;
    for (record, &row_number) in records.into_iter().zip(row_numbers) {
        let mut row = vec![String::new(); columns.len()];
        let mut vector = None;
        for (key, value) in record.0 {
            if Some(&key) == vector_key.as_ref() {
                vector = Some(value);
            } else if let Some(&column) = index_of.get(&key) {
                row[column] = cell_text(value);
            }
        }
        if let Some(key) = &vector_key {
            let dim = vectors.as_ref().map(|vectors| vectors.dim);
            let values = vector_values(file, row_number, key, vector, dim, first_vector_row)?;
            match &mut vectors {
                None => {
                    first_vector_row = row_number;
                    vectors = Some(Vectors { dim: values.len(), values });
                }
                Some(vectors) => vectors.values.extend(values),
            }
        }
        rows.push(row);
    }
    Ok(Table { file: file.to_owned(), columns, rows, vectors, warnings, ..Table::default() })
}

/// One record's vector, which must be an array of `dim` numbers (any non-zero length for the first record).
fn vector_values(
    file: &str,
    row: usize,
    key: &str,
    value: Option<Value>,
    dim: Option<usize>,
    first_row: usize,
) -> Result<Vec<f32>, InputError> {
    let malformed = |detail: String| InputError::Malformed { file: file.to_owned(), detail };
    let items = match value {
        None | Some(Value::Null) => {
            return Err(malformed(format!("record {row} has no \"{key}\"; every record needs a vector")))
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(InputError::NotANumber {
                file: file.to_owned(),
                row,
                column: key.to_owned(),
                value: other.to_string(),
            })
        }
    };
    match dim {
        None if items.is_empty() => return Err(malformed(format!("record {row}: \"{key}\" is an empty array"))),
        Some(dim) if items.len() != dim => {
            return Err(malformed(format!(
                "record {row}: \"{key}\" has {} numbers, expected {dim} as in record {first_row}",
                items.len()
            )))
        }
        _ => {}
    }
    items
        .iter()
        .map(|item| match item.as_f64() {
            Some(number) => finite(file, row, Column::Named(key), number, || item.to_string()),
            None => Err(InputError::NotANumber {
                file: file.to_owned(),
                row,
                column: key.to_owned(),
                value: item.to_string(),
            }),
        })
        .collect()
}

fn cell_text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        Value::Null => String::new(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        nested => nested.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_order_of_first_appearance() {
        let table = read_array("a.json", r#"[{"zeta": 1, "alpha": "x"}, {"mid": null, "alpha": "y"}]"#).unwrap();
        assert_eq!(table.columns, ["zeta", "alpha", "mid"]);
        assert_eq!(table.rows, [["1", "x", ""], ["", "y", ""]]);
    }

    #[test]
    fn nested_values_become_compact_json() {
        let table = read_array("a.json", r#"[{"tags": ["a", "b"], "meta": {"k": true}, "score": 1.5}]"#).unwrap();
        assert_eq!(table.rows, [[r#"["a","b"]"#, r#"{"k":true}"#, "1.5"]]);
    }

    #[test]
    fn a_vector_key_with_text_stays_a_column() {
        let table = read_array("a.json", r#"[{"vec": "not numbers", "text": "t"}]"#).unwrap();
        assert_eq!(table.columns, ["vec", "text"]);
        assert!(table.vectors.is_none());
    }

    #[test]
    fn vectors_need_numbers_of_one_length() {
        let error = read_array("a.json", r#"[{"Embedding": [1, 2]}, {"Embedding": [1, "x"]}]"#).unwrap_err();
        assert_eq!(
            error,
            InputError::NotANumber { file: "a.json".into(), row: 2, column: "Embedding".into(), value: "\"x\"".into() }
        );
        let error = read_array("a.json", r#"[{"vec": [1, 2]}, {"vec": [1]}]"#).unwrap_err();
        assert_eq!(
            error,
            InputError::Malformed {
                file: "a.json".into(),
                detail: "record 2: \"vec\" has 1 numbers, expected 2 as in record 1".into()
            }
        );
        let error = read_array("a.json", r#"[{"vec": [1, 2]}, {"text": "no vector"}]"#).unwrap_err();
        assert_eq!(
            error,
            InputError::Malformed {
                file: "a.json".into(),
                detail: "record 2 has no \"vec\"; every record needs a vector".into()
            }
        );
        let error = read_array("a.json", r#"[{"vec": [1, 1e39]}]"#).unwrap_err();
        assert_eq!(
            error,
            InputError::NotFinite { file: "a.json".into(), row: 1, column: "vec".into(), value: "1e+39".into() }
        );
    }

    #[test]
    fn an_empty_array_is_an_empty_file() {
        assert_eq!(read_array("a.json", " [ ] ").unwrap_err(), InputError::EmptyFile { file: "a.json".into() });
    }

    #[test]
    fn scalars_at_the_top_are_named() {
        let error = read_array("a.json", "42").unwrap_err();
        assert_eq!(
            error,
            InputError::Malformed {
                file: "a.json".into(),
                detail: "expected an array of objects, found a number".into()
            }
        );
    }
}
