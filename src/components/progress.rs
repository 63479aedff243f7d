//! The progress bar of the running job, with its stage, a rate and time left for counted stages (statements
//! embedded), and a Cancel button.

use leptos::prelude::*;

use crate::actions;
use crate::state::AppState;

#[component]
pub fn ProgressPanel() -> impl IntoView {
    let state = AppState::use_context();
    view! {
        <Show when=move || state.progress.with(Option::is_some)>
            {move || {
                let lang = state.lang.get();
                state.progress.get().map(|progress| {
                    let percent = (progress.overall * 100.0).round();
                    view! {
                        <div class="progress" data-testid="progress" role="status" aria-live="polite">
                            <span class="stage" data-testid="progress-stage" data-stage=format!("{:?}", progress.stage)>{lang.stage(progress.stage)}</span>
                            <progress max="100" value=percent aria-label=lang.stage(progress.stage)></progress>
                            <span class="percent">{format!("{percent} %")}</span>
                            {progress.count.map(|(done, total)| {
                                let rate = state.rate(js_sys::Date::now());
                                view! {
                                    <span class="rate" data-testid="progress-rate">
                                        {lang.counted(done, total, rate)}
                                    </span>
                                }
                            })}
                            <button class="button" data-testid="cancel" on:click=move |_| actions::cancel(state)>
                                {lang.strings().cancel}
                            </button>
                        </div>
                    }
                })
            }}
        </Show>
    }
}
