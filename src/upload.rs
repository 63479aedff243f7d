//! Reading the user's chosen files into memory, after checking that they are not too big to finish.
//!
//! A 614 MB embedding export read the simple way (`File.arrayBuffer()`, then copied into WebAssembly) exists
//! twice at once in the tab, and a file too big for the worker's 4 GiB would kill it with nothing on screen. So
//! each file's size, and a `.npy` file's declared shape read from its first bytes, is checked against
//! `vejkort_engine::io::limits` before anything else is read, and the bytes come in slices of
//! [`CHUNK_BYTES`] straight into a buffer reserved once, so the JavaScript side never holds more than a slice.

use js_sys::Uint8Array;
use vejkort_engine::io::limits::{self, TooLarge};
use vejkort_protocol::InputFile;
use wasm_bindgen_futures::JsFuture;

use crate::state::UiError;

/// Puts this instance's `WebAssembly.Memory` on the global object as `__vejkortWasmMemory`, so the memory
/// benchmark and the large-file test can read its size from outside (`bench/memory/browser.mjs`). WebAssembly
/// memory only grows, so its size at the end of a job is the job's peak. Reading a size reveals nothing: the
/// object is the page's own.
pub fn expose_wasm_memory() {
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__vejkortWasmMemory".into(), &wasm_bindgen::memory());
}

/// One slice of a file read at a time: big enough that the per-slice promise costs nothing, small next to any
/// file that matters for memory.
const CHUNK_BYTES: u64 = 16 * 1024 * 1024;

/// Checks every file against the upload limits, then reads them all. Nothing is read when any file is refused.
pub async fn read_checked(files: Vec<web_sys::File>) -> Result<Vec<InputFile>, UiError> {
    let mut sizes = Vec::with_capacity(files.len());
    for file in &files {
        let size = file_size(file);
        let head = read_range(file, 0, size.min(limits::HEAD_BYTES as u64)).await?;
        limits::check_file(&file.name(), size, &head).map_err(UiError::TooLarge)?;
        sizes.push(size);
    }
    limits::check_total(&sizes).map_err(UiError::TooLarge)?;
    let mut inputs = Vec::with_capacity(files.len());
    for (file, size) in files.into_iter().zip(sizes) {
        inputs.push(InputFile { name: file.name(), bytes: read_range(&file, 0, size).await? });
    }
    Ok(inputs)
}

/// A `File`'s size in bytes; the File API gives it as a double.
fn file_size(file: &web_sys::File) -> u64 {
    let size = file.size();
    if size.is_finite() && size > 0.0 {
        size as u64
    } else {
        0
    }
}

/// Bytes `start..end` of a file, read slice by slice into one buffer reserved up front.
async fn read_range(file: &web_sys::File, start: u64, end: u64) -> Result<Vec<u8>, UiError> {
    let name = file.name();
    let browser_error =
        |error: wasm_bindgen::JsValue| UiError::Browser { file: name.clone(), detail: format!("{error:?}") };
    let wanted = usize::try_from(end.saturating_sub(start))
        .map_err(|_| UiError::TooLarge(TooLarge::Total { files: 1, bytes: end, limit: limits::MAX_TOTAL_BYTES }))?;
    let mut bytes = Vec::new();
    // Reserving fails (instead of aborting) when WebAssembly memory cannot grow that far.
    bytes.try_reserve_exact(wanted).map_err(|_| UiError::NoMemory { file: name.clone(), bytes: wanted as u64 })?;
    let mut at = start;
    while at < end {
        let until = (at + CHUNK_BYTES).min(end);
        let slice = file.slice_with_f64_and_f64(at as f64, until as f64).map_err(browser_error)?;
        let buffer = JsFuture::from(slice.array_buffer()).await.map_err(browser_error)?;
        let array = Uint8Array::new(&buffer);
        let length = array.length() as usize;
        if length == 0 {
            // The file shrank while being read (it was being written to): keep what is there.
            break;
        }
        let filled = bytes.len();
        bytes.resize(filled + length, 0);
        array.copy_to(&mut bytes[filled..]);
        at += length as u64;
    }
    Ok(bytes)
}
