//! Vejkort's analysis Web Worker.
//!
//! A thin adapter: it decodes each [`Request`] from the UI, runs the engine, and posts [`Response`]s back:
//! progress while the job runs, then the analysis or the error. It keeps no state between jobs, so the UI can
//! cancel a job by ending this worker and starting a fresh one. Messages are postcard bytes in a transferred
//! `Uint8Array`, so a 100,000-point result is handed over without a copy.

mod model;

use js_sys::{Array, Uint8Array};
use vejkort_engine::io::read_files;
use vejkort_engine::pipeline::{analyze_dataset_with, Embedder, Vectoriser};
use vejkort_engine::progress::{Cancelled, Plan, ProgressSink, Stage};
use vejkort_protocol::{decode_request, encode_response, JobId, Progress, Request, Response};
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

fn handle(scope: DedicatedWorkerGlobalScope, event: &MessageEvent) {
    let bytes = Uint8Array::new(&event.data()).to_vec();
    match decode_request(&bytes) {
        Ok(Request::Analyze { job, files, options }) => {
            // Loading the model awaits the network and the cache, so a job runs as a task of its own.
            wasm_bindgen_futures::spawn_local(async move {
                let mut report = Reporter { scope: &scope, job, plan: Plan::default(), last: None };
                let _ = report.report(Stage::Reading, 0.0);
                let result = match read_files(&files, &options.read) {
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
                        let needs_table = options.vectoriser == Vectoriser::Instant && dataset.vectors.is_none();
                        let mut instant = None;
                        if needs_table {
                            report.plan(&Plan::new(&[(Stage::Downloading, 0.85), (Stage::LoadingModel, 0.15)]));
                            match model::load_static(&scope, &mut report).await {
                                Ok(table) => instant = Some(model::StaticVectors { table }),
                                Err(model::Unavailable(why)) => web_sys::console::warn_1(
                                    &format!("Vejkort: no static word vectors ({why})").into(),
                                ),
                            }
                        }
                        let embedder = embedder
                            .as_mut()
                            .map(|e| e as &mut dyn Embedder)
                            .or(instant.as_mut().map(|e| e as &mut dyn Embedder));
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
        Err(error) => post(&scope, &Response::Garbled { detail: error.to_string() }),
    }
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| handle(reply_scope.clone(), &event));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page; its handler must too.
    on_message.forget();
    post(&scope, &Response::Ready);
}
