//! A reader for the safetensors format (a little-endian u64 header length, a JSON header naming each tensor's
//! dtype, shape and byte range, then the raw data), widening f16 and bf16 to f32.
//!
//! Written here rather than taken from the `safetensors` crate because the format is a page long and the loader
//! needs only this: tensors by name, converted to f32, with an error that says which tensor is wrong and how.

use std::collections::HashMap;
use std::ops::Range;

use crate::format::f16_to_f32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    F32,
    F16,
    Bf16,
    /// A type the encoder never reads as weights (`position_ids` are I64, for instance), with its width in bytes.
    Other(&'static str, usize),
}

impl Dtype {
    fn bytes(self) -> usize {
        match self {
            Dtype::F32 => 4,
            Dtype::F16 | Dtype::Bf16 => 2,
            Dtype::Other(_, bytes) => bytes,
        }
    }

    fn parse(name: &str) -> Option<Dtype> {
        Some(match name {
            "F32" => Dtype::F32,
            "F16" => Dtype::F16,
            "BF16" => Dtype::Bf16,
            "F64" => Dtype::Other("F64", 8),
            "I64" => Dtype::Other("I64", 8),
            "U64" => Dtype::Other("U64", 8),
            "I32" => Dtype::Other("I32", 4),
            "U32" => Dtype::Other("U32", 4),
            "I16" => Dtype::Other("I16", 2),
            "U16" => Dtype::Other("U16", 2),
            "I8" => Dtype::Other("I8", 1),
            "U8" => Dtype::Other("U8", 1),
            "BOOL" => Dtype::Other("BOOL", 1),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct TensorInfo {
    pub dtype: Dtype,
    pub shape: Vec<usize>,
    bytes: Range<usize>,
}

/// The parsed header over the file's bytes.
pub struct SafeTensors<'a> {
    data: &'a [u8],
    tensors: HashMap<String, TensorInfo>,
}

impl<'a> SafeTensors<'a> {
    /// Reads the header; the error is a sentence about what is wrong.
    pub fn parse(bytes: &'a [u8]) -> Result<SafeTensors<'a>, String> {
        let Some(length) = bytes.get(..8) else {
            return Err("the file is shorter than the 8-byte header length".into());
        };
        let mut length_bytes = [0u8; 8];
        length_bytes.copy_from_slice(length);
        let header_length = u64::from_le_bytes(length_bytes);
        let header_end =
            usize::try_from(header_length).ok().and_then(|n| n.checked_add(8)).filter(|&end| end <= bytes.len());
        let Some(header_end) = header_end else {
            return Err(format!("the header claims {header_length} bytes but the file has {}", bytes.len()));
        };
        let header: serde_json::Value = serde_json::from_slice(&bytes[8..header_end])
            .map_err(|error| format!("the JSON header does not parse: {error}"))?;
        let serde_json::Value::Object(entries) = header else {
            return Err("the JSON header is not an object".into());
        };
        let data = &bytes[header_end..];
        let mut tensors = HashMap::with_capacity(entries.len());
        for (name, entry) in entries {
            if name == "__metadata__" {
                continue;
            }
            let dtype = match entry.get("dtype").and_then(|d| d.as_str()) {
                Some(dtype) => {
                    Dtype::parse(dtype).ok_or_else(|| format!("tensor {name} has an unknown dtype {dtype}"))?
                }
                None => return Err(format!("tensor {name} has no dtype")),
            };
            let numbers = |field: &str| -> Result<Vec<usize>, String> {
                entry
                    .get(field)
                    .and_then(|v| v.as_array())
                    .ok_or_else(|| format!("tensor {name} has no {field}"))?
                    .iter()
                    .map(|v| v.as_u64().and_then(|n| usize::try_from(n).ok()))
                    .collect::<Option<Vec<usize>>>()
                    .ok_or_else(|| format!("tensor {name}'s {field} is not a list of whole numbers"))
            };
            let shape = numbers("shape")?;
            let offsets = numbers("data_offsets")?;
            let [begin, end] = offsets[..] else {
                return Err(format!("tensor {name}'s data_offsets is not [begin, end]"));
            };
            let elements = shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
            let expected = elements.and_then(|n| n.checked_mul(dtype.bytes()));
            if begin > end || end > data.len() || expected != Some(end - begin) {
                return Err(format!(
                    "tensor {name} (shape {shape:?}) has bytes {begin}..{end}, which do not fit its shape or the file"
                ));
            }
            tensors.insert(name, TensorInfo { dtype, shape, bytes: begin..end });
        }
        Ok(SafeTensors { data, tensors })
    }

    pub fn info(&self, name: &str) -> Option<&TensorInfo> {
        self.tensors.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tensors.keys().map(String::as_str)
    }

    /// The tensor's values as f32, row-major, with its shape; `None` when it is absent or not a float tensor.
    pub fn f32(&self, name: &str) -> Option<(Vec<f32>, Vec<usize>)> {
        let info = self.tensors.get(name)?;
        let bytes = &self.data[info.bytes.clone()];
        let values = match info.dtype {
            Dtype::F32 => bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect(),
            Dtype::F16 => bytes.chunks_exact(2).map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]]))).collect(),
            Dtype::Bf16 => bytes
                .chunks_exact(2)
                .map(|b| f32::from_bits(u32::from(u16::from_le_bytes([b[0], b[1]])) << 16))
                .collect(),
            Dtype::Other(..) => return None,
        };
        Some((values, info.shape.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file built by hand from the format's definition.
    fn file(header: &str, data: &[u8]) -> Vec<u8> {
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(data);
        bytes
    }

    #[test]
    fn reads_f32_f16_and_bf16() {
        let mut data = Vec::new();
        data.extend_from_slice(&1.5f32.to_le_bytes());
        data.extend_from_slice(&(-2.0f32).to_le_bytes());
        data.extend_from_slice(&0x3c00u16.to_le_bytes()); // f16 1.0
        data.extend_from_slice(&0x4040u16.to_le_bytes()); // bf16 3.0
        let header = r#"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},
            "h":{"dtype":"F16","shape":[1],"data_offsets":[8,10]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[10,12]}}"#;
        let bytes = file(header, &data);
        let tensors = SafeTensors::parse(&bytes).unwrap();
        assert_eq!(tensors.f32("a").unwrap(), (vec![1.5, -2.0], vec![1, 2]));
        assert_eq!(tensors.f32("h").unwrap().0, vec![1.0]);
        assert_eq!(tensors.f32("b").unwrap().0, vec![3.0]);
        assert!(tensors.f32("missing").is_none());
    }

    fn error(bytes: &[u8]) -> String {
        match SafeTensors::parse(bytes) {
            Err(error) => error,
            Ok(_) => panic!("should have been refused"),
        }
    }

    #[test]
    fn broken_files_are_errors_that_say_why() {
        assert!(error(b"abc").contains("shorter"));
        assert!(error(&file("{", b"")).contains("does not parse"));
        let short = file(r#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, &[0; 8]);
        assert!(error(&short).contains("tensor a"));
        let odd = file(r#"{"a":{"dtype":"Q9","shape":[1],"data_offsets":[0,8]}}"#, &[0; 8]);
        assert!(error(&odd).contains("Q9"));
        let ids = file(r#"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, &[0; 8]);
        assert!(SafeTensors::parse(&ids).is_ok_and(|t| t.f32("a").is_none()), "integer tensors are listed, not read");
        let mut huge = u64::MAX.to_le_bytes().to_vec();
        huge.extend_from_slice(b"{}");
        assert!(error(&huge).contains("claims"));
    }
}
