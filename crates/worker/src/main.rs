//! Vejkort's analysis Web Worker.
//!
//! A thin adapter: it decodes each [`Request`] from the UI, runs the engine, and posts [`Response`]s back:
//! progress while the job runs, then the analysis or the error. It keeps no state between jobs, so the UI can
//! cancel a job by ending this worker and starting a fresh one. Messages are postcard bytes in a transferred
//! `Uint8Array`, so a 100,000-point result is handed over without a copy.

mod model;
mod own_model;

use js_sys::{Array, Uint8Array};
use vejkort_engine::io::read_files;
use vejkort_engine::live::{MapContext, PlaceError, Placed};
use vejkort_engine::pipeline::{analyze_dataset_with, Embedder, Vectoriser};
use vejkort_engine::progress::{Cancelled, Plan, ProgressSink, Stage};
use vejkort_protocol::{
    decode_request, decode_request_parts, encode_response, JobId, PlaceContext, Progress, Request, Response,
};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
    let bytes = Uint8Array::from(encode_response(response).as_slice());
    let transfer = Array::of1(&bytes.buffer());
    if let Err(error) = scope.post_message_with_transfer(&bytes, &transfer) {
        web_sys::console::error_2(&"Vejkort worker could not post a message:".into(), &error);
    }
}

/// Forwards the engine's reports to the UI: progress over the job's plan, and the map while UMAP converges.
/// Reports within one percent of the last are dropped, so a 100,000-point job does not flood the UI thread.
struct Reporter<'a> {
    scope: &'a DedicatedWorkerGlobalScope,
    job: JobId,
    plan: Plan,
    last: Option<(Stage, f32)>,
}

impl Reporter<'_> {
    fn send(&mut self, stage: Stage, fraction: f32, count: Option<(u32, u32)>) {
        let overall = self.plan.overall(stage, fraction);
        if let Some((last_stage, last_overall)) = self.last {
            if last_stage == stage && overall - last_overall < 0.01 && fraction < 1.0 {
                return;
            }
        }
        self.last = Some((stage, overall));
        post(self.scope, &Response::Progress(Progress { job: self.job, stage, overall, count }));
    }
}

impl ProgressSink for Reporter<'_> {
    fn report(&mut self, stage: Stage, fraction: f32) -> Result<(), Cancelled> {
        self.send(stage, fraction, None);
        Ok(())
    }

    fn report_count(&mut self, stage: Stage, done: usize, total: usize) -> Result<(), Cancelled> {
        let fraction = if total == 0 { 1.0 } else { done as f32 / total as f32 };
        self.send(stage, fraction, Some((done as u32, total as u32)));
        Ok(())
    }

    fn plan(&mut self, plan: &Plan) {
        self.plan = plan.clone();
        self.last = None;
    }

    fn layout(&mut self, positions: &[[f32; 2]]) {
        post(self.scope, &Response::Layout { job: self.job, positions: positions.to_vec() });
    }
}

/// A request as the UI sent it: postcard bytes alone, or an array of them followed by the input files' bytes
/// (`vejkort_protocol::encode_request_parts`), each copied once into this worker's memory.
fn receive(data: &JsValue) -> Result<Request, vejkort_protocol::DecodeError> {
    if Array::is_array(data) {
        let parts = Array::from(data);
        let message = Uint8Array::new(&parts.get(0)).to_vec();
        let files = (1..parts.length()).map(|index| Uint8Array::new(&parts.get(index)).to_vec()).collect();
        return decode_request_parts(&message, files);
    }
    decode_request(&Uint8Array::new(data).to_vec())
}

fn handle(scope: DedicatedWorkerGlobalScope, event: &MessageEvent) {
    match receive(&event.data()) {
        Ok(Request::Analyze { job, files, options }) => {
            // Loading the model awaits the network and the cache, so a job runs as a task of its own.
            wasm_bindgen_futures::spawn_local(async move {
                let mut report = Reporter { scope: &scope, job, plan: Plan::default(), last: None };
                let _ = report.report(Stage::Reading, 0.0);
                let read = read_files(&files, &options.read);
                // The files' bytes are parsed now; freeing them lets the analysis reuse their memory (a 614 MB
                // .npy would otherwise sit beside its own vectors for the whole job).
                drop(files);
                let result = match read {
                    Ok(dataset) => {
                        let needs_model = options.vectoriser == Vectoriser::Model && dataset.vectors.is_none();
                        let mut embedder = None;
                        if needs_model {
                            // The bar covers the download while it runs; the analysis then plans its own stages.
                            report.plan(&Plan::new(&[(Stage::Downloading, 0.85), (Stage::LoadingModel, 0.15)]));
                            match model::load(&scope, &mut report).await {
                                Ok(model) => embedder = Some(model::E5 { model }),
                                Err(model::Unavailable(why)) => {
                                    web_sys::console::warn_1(&format!("Vejkort: no language model ({why})").into())
                                }
                            }
                        }
                        let mut own_embedder = None;
                        if options.vectoriser == Vectoriser::OwnModel && dataset.vectors.is_none() {
                            report.plan(&Plan::new(&[(Stage::LoadingModel, 1.0)]));
                            match own_model::prepare(&mut report) {
                                Ok(Some(model)) => {
                                    let (name, dimensions) = (model.name().to_owned(), model.dim() as u32);
                                    post(&scope, &Response::ModelLoaded { job, name, dimensions });
                                    own_embedder = Some(own_model::OwnEmbedder { model });
                                }
                                Ok(None) => {}
                                Err(error) => return post(&scope, &Response::ModelRejected { job, error }),
                            }
                        }
                        let needs_table = options.vectoriser == Vectoriser::Instant && dataset.vectors.is_none();
                        let mut instant = None;
                        if needs_table {
                            report.plan(&Plan::new(&[(Stage::Downloading, 0.85), (Stage::LoadingModel, 0.15)]));
                            match model::load_static(&scope, &mut report).await {
                                Ok(table) => instant = Some(model::StaticVectors { table }),
                                Err(model::Unavailable(why)) => {
                                    web_sys::console::warn_1(&format!("Vejkort: no static word vectors ({why})").into())
                                }
                            }
                        }
                        let embedder = match own_embedder.as_mut() {
                            Some(own) => Some(own as &mut dyn Embedder),
                            None => embedder
                                .as_mut()
                                .map(|e| e as &mut dyn Embedder)
                                .or(instant.as_mut().map(|e| e as &mut dyn Embedder)),
                        };
                        analyze_dataset_with(dataset, &options, embedder, &mut report)
                    }
                    Err(error) => Err(error.into()),
                };
                let response = match result {
                    Ok(analysis) => Response::Done { job, analysis: Box::new(analysis) },
                    Err(error) => Response::Failed { job, error },
                };
                post(&scope, &response);
            });
        }
        Ok(Request::LoadModel { files }) => own_model::receive(files),
        Ok(Request::Place { job, texts, context }) => {
            wasm_bindgen_futures::spawn_local(async move {
                let response = match place(&scope, &texts, &context).await {
                    Ok((placed, worker_ms)) => Response::Placed { job, placed, worker_ms },
                    Err(error) => Response::PlaceFailed { job, error },
                };
                post(&scope, &response);
            });
        }
        Err(error) => post(&scope, &Response::Garbled { detail: error.to_string() }),
    }
}

/// `performance.now()` of this worker: sub-millisecond, unlike `Date.now()` (and `Instant::now` panics here).
fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|performance| {
            let now: js_sys::Function = js_sys::Reflect::get(&performance, &"now".into()).ok()?.dyn_into().ok()?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// Embeds (with the model, when the map was made with it) and places live statements; the milliseconds exclude
/// loading the model, which happens once per worker.
async fn place(
    scope: &DedicatedWorkerGlobalScope,
    texts: &[String],
    context: &PlaceContext,
) -> Result<(Vec<Placed>, f64), PlaceError> {
    let map = MapContext { space: &context.space, positions: &context.positions, assignments: &context.assignments };
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    if !context.placer.needs_model() {
        let start = now_ms();
        let placed = context.placer.place_texts(&texts, map)?;
        return Ok((placed, now_ms() - start));
    }
    let mut silent = vejkort_engine::progress::Silent;
    let model = model::load(scope, &mut silent).await.map_err(|model::Unavailable(why)| {
        web_sys::console::warn_1(&format!("Vejkort: no language model for live statements ({why})").into());
        PlaceError::NoModel
    })?;
    let start = now_ms();
    let mut embedder = model::E5 { model };
    let vectors = embedder.embed(&texts, &mut |_, _| Ok(())).map_err(|_| PlaceError::NoModel)?;
    let placed = context.placer.place(&vectors, map)?;
    Ok((placed, now_ms() - start))
}

fn main() {
    console_error_panic_hook::set_once();
    // The memory benchmark reads the worker's WebAssembly memory size here (bench/memory/browser.mjs).
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__vejkortWasmMemory".into(), &wasm_bindgen::memory());
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message =
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| handle(reply_scope.clone(), &event));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page; its handler must too.
    on_message.forget();
    post(&scope, &Response::Ready);
}
