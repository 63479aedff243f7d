//! The projects kept in this browser: the autosave switch and its state, the list of saved projects to open or
//! delete, and "Delete all my data", which asks once, wipes every trace and then says what it removed.
//!
//! Privacy-minded users need to see that their data stays here and to be able to make it go; workshop
//! facilitators need last week's map back without hunting for a file.

use leptos::prelude::*;

use crate::autosave::{Autosave, SaveState};
use crate::state::AppState;
use crate::storage::ProjectSummary;

#[component]
pub fn ProjectsPanel() -> impl IntoView {
    let state = AppState::use_context();
    let autosave = Autosave::use_context();
    let text = move || state.lang.get().strings();
    // The project whose deletion waits for a second click, and whether the wipe waits for its confirmation.
    let confirming_delete = RwSignal::new(None::<String>);
    let confirming_wipe = RwSignal::new(false);
    let confirm_wipe_button = NodeRef::<leptos::html::Button>::new();
    // The question takes the focus, so a keyboard user answers it next (and Escape backs out).
    Effect::new(move |_| {
        if let Some(button) = confirm_wipe_button.get() {
            let _ = button.focus();
        }
    });

    leptos::task::spawn_local(async move { autosave.refresh().await });

    let projects = move || {
        autosave
            .projects
            .get()
            .into_iter()
            .map(move |project| view! { <SavedProject project confirming_delete/> })
            .collect_view()
    };

    let save_note = move || {
        let lang = state.lang.get();
        autosave.save_state.with(|s| lang.save_state(s))
    };
    let save_failed = move || autosave.save_state.with(|s| matches!(s, SaveState::Failed(_)));

    view! {
        <section class="panel projects" aria-labelledby="projects-heading">
            <h2 id="projects-heading">{move || text().projects_heading}</h2>
            <label class="autosave-toggle">
                <input
                    type="checkbox"
                    data-testid="autosave"
                    prop:checked=move || autosave.enabled.get()
                    on:change=move |event| autosave.set_enabled(state, event_target_checked(&event))
                />
                {move || text().autosave_label}
            </label>
            <p class="hint">{move || text().saved_here_note}</p>
            <p
                class="autosave-status"
                class:edit-error=save_failed
                data-testid="autosave-status"
                role=move || if save_failed() { "alert" } else { "status" }
            >
                {save_note}
            </p>
            <Show when=move || autosave.list_error.with(Option::is_some)>
                <p class="edit-error" role="alert">
                    {move || {
                        let lang = state.lang.get();
                        autosave.list_error.with(|e| e.as_ref().map(|e| lang.storage_list_error(e)).unwrap_or_default())
                    }}
                </p>
            </Show>
            <Show
                when=move || autosave.projects.with(|p| !p.is_empty())
                fallback=move || view! { <p class="hint" data-testid="no-saved-projects">{move || text().no_saved_projects}</p> }
            >
                <ul class="saved-projects" data-testid="projects-list">{projects}</ul>
            </Show>
            <div class="wipe">
                <Show
                    when=move || confirming_wipe.get()
                    fallback=move || view! {
                        <button
                            class="button danger-outline"
                            data-testid="delete-all-data"
                            disabled=move || autosave.wiping.get()
                            on:click=move |_| {
                                autosave.wipe_result.set(None);
                                confirming_wipe.set(true);
                            }
                        >
                            {move || if autosave.wiping.get() { text().wiping } else { text().delete_all_data }}
                        </button>
                    }
                >
                    <div class="wipe-confirm" role="alertdialog" aria-labelledby="wipe-warning">
                        <p id="wipe-warning">{move || text().delete_all_warning}</p>
                        <button
                            class="button danger"
                            data-testid="confirm-delete-all"
                            node_ref=confirm_wipe_button
                            on:click=move |_| {
                                confirming_wipe.set(false);
                                leptos::task::spawn_local(async move { autosave.wipe().await });
                            }
                            on:keydown=move |event: web_sys::KeyboardEvent| {
                                if event.key() == "Escape" {
                                    confirming_wipe.set(false);
                                }
                            }
                        >
                            {move || text().confirm_delete_all}
                        </button>
                        <button class="button" data-testid="cancel-delete-all" on:click=move |_| confirming_wipe.set(false)>
                            {move || text().keep_my_data}
                        </button>
                    </div>
                </Show>
                <Show when=move || autosave.wipe_result.with(Option::is_some)>
                    <p
                        class="wipe-result"
                        class:edit-error=move || autosave.wipe_result.with(|r| r.as_ref().is_some_and(|r| !r.left.is_empty()))
                        data-testid="wipe-result"
                        data-left=move || autosave.wipe_result.with(|r| r.as_ref().map_or(0, |r| r.left.len()))
                        role="status"
                    >
                        {move || {
                            let lang = state.lang.get();
                            autosave.wipe_result.with(|r| r.as_ref().map(|r| lang.wipe_report(r)).unwrap_or_default())
                        }}
                    </p>
                </Show>
            </div>
        </section>
    }
}

/// One saved project: its name, size and date, "Open", and "Delete" that asks once more before it deletes.
#[component]
fn SavedProject(project: ProjectSummary, confirming_delete: RwSignal<Option<String>>) -> impl IntoView {
    let state = AppState::use_context();
    let autosave = Autosave::use_context();
    let text = move || state.lang.get().strings();
    let ProjectSummary { ref id, ref name, saved, points, clusters, .. } = project;
    let id = StoredValue::new(id.clone());
    let confirming = move || confirming_delete.with(|c| id.with_value(|id| c.as_deref() == Some(id.as_str())));
    let summary = StoredValue::new(project.clone());
    view! {
        <li class="saved-project" data-project-id=id.get_value() data-points=points data-clusters=clusters>
            <span class="saved-project-name">{name.clone()}</span>
            <span class="saved-project-facts">
                {move || state.lang.get().saved_project_facts(points, clusters)}
                " · "
                {move || state.lang.get().saved_at(saved)}
            </span>
            <span class="saved-project-actions">
                <button
                    class="button"
                    data-testid="open-saved-project"
                    on:click=move |_| {
                        let summary = summary.get_value();
                        leptos::task::spawn_local(async move { autosave.open(state, summary).await });
                    }
                >
                    {move || text().open_saved}
                </button>
                <Show
                    when=confirming
                    fallback=move || view! {
                        <button
                            class="button subtle"
                            data-testid="delete-saved-project"
                            on:click=move |_| confirming_delete.set(Some(id.get_value()))
                        >
                            {move || text().delete_saved}
                        </button>
                    }
                >
                    <button
                        class="button danger"
                        data-testid="confirm-delete-saved-project"
                        on:click=move |_| {
                            confirming_delete.set(None);
                            let id = id.get_value();
                            leptos::task::spawn_local(async move { autosave.delete(id).await });
                        }
                    >
                        {move || text().confirm_delete_saved}
                    </button>
                </Show>
            </span>
        </li>
    }
}
