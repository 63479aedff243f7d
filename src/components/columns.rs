//! Choosing which columns mean what and which sheet to read, with a summary of what the analysis found.
//!
//! Vejkort guesses (the text column is the one with the longest statements); every guess is shown here and can
//! be changed, which re-runs the analysis on the same files.

use leptos::prelude::*;
use vejkort_engine::dataset::ColumnPick;
use vejkort_engine::pipeline::{LayoutMethod, VectorSource};
use vejkort_protocol::AnalysisOptions;

use crate::actions;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Clone, Copy)]
enum Role {
    Text,
    Kind,
    Respondent,
    Group,
}

impl Role {
    fn label(self, lang: Lang) -> &'static str {
        let s = lang.strings();
        match self {
            Role::Text => s.text_column,
            Role::Kind => s.kind_column,
            Role::Respondent => s.respondent_column,
            Role::Group => s.group_column,
        }
    }

    fn testid(self) -> &'static str {
        match self {
            Role::Text => "text-column",
            Role::Kind => "kind-column",
            Role::Respondent => "respondent-column",
            Role::Group => "group-column",
        }
    }

    fn pick(self, options: &mut AnalysisOptions) -> &mut ColumnPick {
        match self {
            Role::Text => &mut options.columns.text,
            Role::Kind => &mut options.columns.kind,
            Role::Respondent => &mut options.columns.respondent,
            Role::Group => &mut options.columns.group,
        }
    }
}

#[component]
fn RoleSelect(role: Role) -> impl IntoView {
    let state = AppState::use_context();
    let columns = move || state.analysis.with(|a| a.as_ref().map(|a| a.columns.clone()).unwrap_or_default());
    let current = move || {
        state.analysis.with(|a| {
            a.as_ref()
                .and_then(|a| {
                    let roles = a.roles;
                    let index = match role {
                        Role::Text => roles.text,
                        Role::Kind => roles.kind,
                        Role::Respondent => roles.respondent,
                        Role::Group => roles.group,
                    };
                    index.map(|i| a.columns[i].clone())
                })
                .unwrap_or_default()
        })
    };
    view! {
        <label class="field">
            <span>{move || role.label(state.lang.get())}</span>
            <select
                data-testid=role.testid()
                prop:value=current
                on:change=move |event| {
                    let name = event_target_value(&event);
                    actions::rerun(state, |options| {
                        *role.pick(options) = if name.is_empty() { ColumnPick::Nothing } else { ColumnPick::Named(name) };
                    });
                }
            >
                <option value="" selected=move || current().is_empty()>{move || state.lang.get().strings().none}</option>
                {move || {
                    let selected = current();
                    columns()
                        .into_iter()
                        .map(|column| {
                            let is_selected = column == selected;
                            view! { <option value=column.clone() selected=is_selected>{column.clone()}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

#[component]
pub fn ColumnPanel() -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let workbooks = move || state.analysis.with(|a| a.as_ref().map(|a| a.workbooks.clone()).unwrap_or_default());
    let summary = move || {
        let lang = state.lang.get();
        state.analysis.with(|a| {
            a.as_ref().map(|a| {
                let vectors = match &a.vectors {
                    VectorSource::Provided { .. } => lang.strings().vectors_provided.to_owned(),
                    VectorSource::TfIdf { .. } => lang.strings().vectors_from_tfidf.to_owned(),
                    VectorSource::Model { name, .. } => format!("{} ({name})", lang.strings().vectors_from_model),
                };
                let layout = match a.layout {
                    LayoutMethod::Umap => lang.strings().layout_umap_summary.to_owned(),
                    LayoutMethod::Pca => lang.layout_pca((a.layout_variance[0] + a.layout_variance[1]) * 100.0),
                };
                format!(
                    "{} · {vectors} · {layout}",
                    lang.summary_with_noise(a.positions.len(), a.clusters.len(), a.noise()),
                )
            })
        })
    };

    // How many statements of each kind (cause, solution, …): the corners of the problem the data covers.
    let kind_counts = move || state.analysis.with(|a| a.as_ref().map(|a| a.kind_counts()).unwrap_or_default());

    view! {
        <Show when=move || state.analysis.with(Option::is_some)>
            <section class="panel" aria-labelledby="columns-heading">
                <h2 id="columns-heading">{move || text().columns}</h2>
                <p class="summary" data-testid="summary">{summary}</p>
                <RoleSelect role=Role::Text/>
                <RoleSelect role=Role::Kind/>
                <Show when=move || !kind_counts().is_empty()>
                    <p class="kind-counts" data-testid="kind-counts">
                        {move || kind_counts().into_iter().map(|(kind, count)| format!("{kind} {count}")).collect::<Vec<_>>().join(" · ")}
                    </p>
                </Show>
                <RoleSelect role=Role::Respondent/>
                <RoleSelect role=Role::Group/>
                <For each=workbooks key=|w| (w.file.clone(), w.chosen.clone()) let:workbook>
                    <label class="field">
                        <span>{move || text().sheet}" · "{workbook.file.clone()}</span>
                        <select
                            data-testid="sheet"
                            on:change=move |event| {
                                let sheet = event_target_value(&event);
                                actions::rerun(state, |options| options.read.sheet = Some(sheet));
                            }
                        >
                            {workbook
                                .sheets
                                .iter()
                                .map(|sheet| {
                                    let selected = *sheet == workbook.chosen;
                                    view! { <option value=sheet.clone() selected=selected>{sheet.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                </For>
            </section>
        </Show>
    }
}
