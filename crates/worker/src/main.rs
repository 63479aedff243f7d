//! Vejkort's analysis Web Worker.
//!
//! A thin adapter: it decodes each [`Request`] from the UI, runs the engine, and posts [`Response`]s back:
//! progress while the job runs, then the analysis or the error. It keeps no state between jobs, so the UI can
//! cancel a job by ending this worker and starting a fresh one. Messages are postcard bytes in a transferred
//! `Uint8Array`, so a 100,000-point result is handed over without a copy.

use js_sys::{Array, Uint8Array};
use vejkort_engine::pipeline::analyze;
use vejkort_protocol::{decode_request, encode_response, Progress, Request, Response};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
    let bytes = Uint8Array::from(encode_response(response).as_slice());
    let transfer = Array::of1(&bytes.buffer());
    if let Err(error) = scope.post_message_with_transfer(&bytes, &transfer) {
        web_sys::console::error_2(&"Vejkort worker could not post a message:".into(), &error);
    }
}

fn handle(scope: &DedicatedWorkerGlobalScope, event: &MessageEvent) {
    let bytes = Uint8Array::new(&event.data()).to_vec();
    match decode_request(&bytes) {
        Ok(Request::Analyze { job, files, options }) => {
            let mut report = |stage: vejkort_protocol::Stage, fraction: f32| {
                post(scope, &Response::Progress(Progress { job, stage, overall: stage.overall(fraction) }));
                Ok(())
            };
            let response = match analyze(&files, &options, &mut report) {
                Ok(analysis) => Response::Done { job, analysis: Box::new(analysis) },
                Err(error) => Response::Failed { job, error },
            };
            post(scope, &response);
        }
        Err(error) => post(scope, &Response::Garbled { detail: error.to_string() }),
    }
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| handle(&reply_scope, &event));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page; its handler must too.
    on_message.forget();
    post(&scope, &Response::Ready);
}
