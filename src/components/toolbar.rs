//! The top bar: load files or a saved project, load the example, export (CSV, SVG, PNG, project), switch
//! language.

use leptos::prelude::*;

use crate::actions;
use crate::state::{AppState, Status};

#[component]
pub fn Toolbar() -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let has_map = move || state.analysis.with(Option::is_some);
    let busy = move || state.status() == Status::Working;
    // While "Publish" packs the app and the project into a .zip.
    let packing = RwSignal::new(false);

    view! {
        <header class="toolbar">
            <div class="brand">
                <h1>"Vejkort"</h1>
                <p class="tagline">{move || text().tagline}</p>
            </div>
            <div class="actions">
                <input
                    id="file-input"
                    class="visually-hidden"
                    type="file"
                    multiple
                    accept=".csv,.tsv,.txt,.tab,.xlsx,.xlsm,.json,.jsonl,.ndjson,.npy"
                    data-testid="file-input"
                    node_ref=input_ref
                    on:change=move |_| {
                        if let Some(input) = input_ref.get() {
                            if let Some(files) = input.files() {
                                actions::load_file_list(state, files);
                            }
                            // Choosing the same file again must fire change again.
                            input.set_value("");
                        }
                    }
                />
                <label class="button primary" for="file-input">{move || text().load_files}</label>
                <button class="button" data-testid="load-example" disabled=busy on:click=move |_| actions::load_example(state)>
                    {move || text().load_example}
                </button>
                <button
                    class="button"
                    data-testid="export-csv"
                    disabled=move || !has_map()
                    on:click=move |_| actions::export_csv(state)
                >
                    {move || text().export_csv}
                </button>
                <button
                    class="button"
                    data-testid="export-svg"
                    disabled=move || !has_map()
                    on:click=move |_| actions::export_svg(state)
                >
                    {move || text().export_svg}
                </button>
                <button
                    class="button"
                    data-testid="export-png"
                    disabled=move || !has_map()
                    on:click=move |_| actions::export_png(state, 2)
                >
                    {move || text().export_png}
                </button>
                <button
                    class="button"
                    data-testid="export-png-4x"
                    disabled=move || !has_map()
                    on:click=move |_| actions::export_png(state, 4)
                >
                    {move || text().export_png_4x}
                </button>
                <button
                    class="button"
                    data-testid="export-project"
                    disabled=move || !has_map()
                    on:click=move |_| actions::export_project(state)
                >
                    {move || text().export_project}
                </button>
                <button
                    class="button"
                    data-testid="publish"
                    title=move || text().publish_hint
                    aria-busy=move || packing.get().to_string()
                    disabled=move || !has_map() || packing.get()
                    on:click=move |_| crate::publish::publish(state, packing)
                >
                    {move || if packing.get() { text().publishing } else { text().publish }}
                </button>
                <button
                    class="button subtle"
                    data-testid="language"
                    lang=move || state.lang.get().other().code()
                    on:click=move |_| state.lang.update(|lang| *lang = lang.other())
                >
                    {move || text().switch_language}
                </button>
            </div>
        </header>
    }
}
