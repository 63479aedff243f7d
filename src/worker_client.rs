//! The UI's handle on the analysis worker: spawning it, sending typed requests, and hearing typed responses.
//!
//! A worker built from Rust cannot take messages until its WebAssembly has loaded, so requests sent before the
//! worker says [`Response::Ready`] wait in a queue. Cancelling ends the worker outright (a busy worker cannot
//! read a "stop" message) and starts a fresh one; since the worker keeps no state, nothing is lost.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use vejkort_protocol::{decode_response, encode_request, encode_request_parts, JobId, Request, Response};
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions};

/// Where Trunk puts the worker's loader (see `index.html`).
const WORKER_SCRIPT: &str = "./vejkort-worker_loader.js";

/// What the UI hears from the worker.
#[derive(Debug)]
pub enum WorkerEvent {
    Response(Response),
    /// The worker died (a panic, or out of memory) or could not start.
    Crashed(String),
}

struct Running {
    worker: Worker,
    ready: bool,
    queue: Vec<Outgoing>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

struct Inner {
    running: Option<Running>,
    /// Sent first to every worker this client starts (the user's own model folder), so a worker started anew
    /// after a cancel still has it.
    preamble: Option<Vec<u8>>,
    next_job: u32,
    listener: Rc<dyn Fn(WorkerEvent)>,
}

#[derive(Clone)]
pub struct WorkerClient {
    inner: Rc<RefCell<Inner>>,
}

impl WorkerClient {
    pub fn new(listener: impl Fn(WorkerEvent) + 'static) -> Self {
        let client = WorkerClient {
            inner: Rc::new(RefCell::new(Inner {
                running: None,
                preamble: None,
                next_job: 1,
                listener: Rc::new(listener),
            })),
        };
        client.spawn();
        client
    }

    fn spawn(&self) {
        let listener = self.inner.borrow().listener.clone();
        let options = WorkerOptions::new();
        options.set_name("vejkort-analysis");
        let worker = match Worker::new_with_options(WORKER_SCRIPT, &options) {
            Ok(worker) => worker,
            Err(error) => {
                listener(WorkerEvent::Crashed(format!("{error:?}")));
                return;
            }
        };
        let weak = Rc::downgrade(&self.inner);
        let on_message_listener = listener.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let bytes = Uint8Array::new(&event.data()).to_vec();
            let response = match decode_response(&bytes) {
                Ok(response) => response,
                Err(error) => Response::Garbled { detail: error.to_string() },
            };
            if response == Response::Ready {
                if let Some(inner) = weak.upgrade() {
                    if let Some(running) = inner.borrow_mut().running.as_mut() {
                        running.ready = true;
                        for message in running.queue.drain(..) {
                            post(&running.worker, message);
                        }
                    }
                }
                return;
            }
            on_message_listener(WorkerEvent::Response(response));
        });
        let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            listener(WorkerEvent::Crashed(event.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut inner = self.inner.borrow_mut();
        let queue = inner.preamble.iter().map(|message| Outgoing::new(message, &[])).collect();
        inner.running = Some(Running { worker, ready: false, queue, _on_message: on_message, _on_error: on_error });
    }

    /// Sends `request` now and again first thing to every worker started later.
    pub fn send_to_every_worker(&self, request: &Request) {
        self.inner.borrow_mut().preamble = Some(encode_request(request));
        self.send(request);
    }

    /// A fresh job id.
    pub fn next_job(&self) -> JobId {
        let mut inner = self.inner.borrow_mut();
        let job = JobId(inner.next_job);
        inner.next_job += 1;
        job
    }

    pub fn send(&self, request: &Request) {
        let (message, files) = encode_request_parts(request);
        let message = Outgoing::new(&message, &files);
        let mut inner = self.inner.borrow_mut();
        match inner.running.as_mut() {
            Some(running) if running.ready => post(&running.worker, message),
            Some(running) => running.queue.push(message),
            None => {}
        }
    }

    /// Ends the worker, dropping whatever it was doing, and starts a new one.
    pub fn restart(&self) {
        if let Some(running) = self.inner.borrow_mut().running.take() {
            running.worker.terminate();
        }
        self.spawn();
    }
}

/// One message as it goes to the worker: the postcard bytes alone, or (with input files) an array of the postcard
/// bytes followed by each file's bytes, every buffer transferred rather than copied again
/// (`vejkort_protocol::encode_request_parts`).
struct Outgoing {
    data: JsValue,
    transfer: Array,
}

impl Outgoing {
    fn new(message: &[u8], files: &[&[u8]]) -> Outgoing {
        let bytes = Uint8Array::from(message);
        let transfer = Array::of1(&bytes.buffer());
        if files.is_empty() {
            return Outgoing { data: bytes.into(), transfer };
        }
        let data = Array::of1(&bytes);
        for file in files {
            let part = Uint8Array::from(*file);
            transfer.push(&part.buffer());
            data.push(&part);
        }
        Outgoing { data: data.into(), transfer }
    }
}

fn post(worker: &Worker, message: Outgoing) {
    if let Err(error) = worker.post_message_with_transfer(&message.data, &message.transfer) {
        web_sys::console::error_2(&"Vejkort could not send a message to its worker:".into(), &error);
    }
}
