//! The current error, and warnings from the last analysis.

use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn Notices() -> impl IntoView {
    let state = AppState::use_context();
    let warnings = move || state.analysis.with(|a| a.as_ref().map(|a| a.warnings.clone()).unwrap_or_default());
    view! {
        <Show when=move || state.error.with(Option::is_some)>
            <div class="notice error" role="alert">
                <strong>{move || state.lang.get().strings().error_title}": "</strong>
                <span data-testid="error">
                    {move || state.error.with(|e| e.as_ref().map(|e| e.message(state.lang.get())).unwrap_or_default())}
                </span>
                <button class="button subtle" on:click=move |_| state.error.set(None)>
                    {move || state.lang.get().strings().dismiss}
                </button>
            </div>
        </Show>
        <Show when=move || !warnings().is_empty()>
            <div class="notice warning" data-testid="warnings">
                <strong>{move || state.lang.get().strings().warnings}": "</strong>
                {move || {
                    let lang = state.lang.get();
                    warnings().iter().map(|w| lang.warning(w)).collect::<Vec<_>>().join(" · ")
                }}
            </div>
        </Show>
    }
}
