//! The picker for the user's own sentence-transformers model folder, shown under the method panel's
//! "Text to vectors" when "Your own model …" is chosen.
//!
//! It exists so a user can embed with a model Vejkort does not ship (an English MiniLM, a domain model) without
//! anything leaving the browser: the folder's files are read here and handed to the analysis worker only. The
//! line under the picker says which model is in use, or which file of the folder is wrong.

use leptos::prelude::*;

use crate::actions;
use crate::state::{AppState, OwnModelStatus};

#[component]
pub fn OwnModelPicker() -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let input_ref = NodeRef::<leptos::html::Input>::new();
    // The view macro knows no `webkitdirectory`; set the property once the element exists, so the picker picks a
    // folder (with each file's path inside it) rather than single files.
    Effect::new(move || {
        if let Some(input) = input_ref.get() {
            input.set_webkitdirectory(true);
        }
    });
    let status_text = move || {
        let lang = state.lang.get();
        let text = lang.strings();
        match state.own_model.get() {
            OwnModelStatus::None => text.own_model_none.to_owned(),
            OwnModelStatus::Loading { folder } => format!("{} {folder} …", text.own_model_loading),
            OwnModelStatus::Loaded { name, dimensions } => {
                format!("{name} ({dimensions} {})", text.own_model_dimensions)
            }
            OwnModelStatus::Failed(error) => lang.model_folder_error(&error),
        }
    };
    let status_kind = move || match state.own_model.get() {
        OwnModelStatus::None => "none",
        OwnModelStatus::Loading { .. } => "loading",
        OwnModelStatus::Loaded { .. } => "loaded",
        OwnModelStatus::Failed(_) => "failed",
    };

    view! {
        <div
            class="own-model"
            data-testid="own-model"
            on:dragover=move |event: web_sys::DragEvent| event.prevent_default()
            on:drop=move |event: web_sys::DragEvent| {
                // Prevented here, so the window's drop handler leaves these files alone (they are no data set).
                event.prevent_default();
                if let Some(files) = event.data_transfer().and_then(|t| t.files()) {
                    actions::load_model_folder(state, files);
                }
            }
        >
            <label class="field">
                <span>{move || text().own_model_folder}</span>
                <input
                    type="file"
                    data-testid="model-folder"
                    multiple
                    node_ref=input_ref
                    on:change=move |_| {
                        if let Some(input) = input_ref.get() {
                            if let Some(files) = input.files() {
                                actions::load_model_folder(state, files);
                            }
                            // Choosing the same folder again (after fixing it) must fire change again.
                            input.set_value("");
                        }
                    }
                />
            </label>
            <p class="hint">{move || text().own_model_hint}</p>
            <p class="own-model-status" data-testid="model-name" data-state=status_kind role="status">
                {status_text}
            </p>
        </div>
    }
}
