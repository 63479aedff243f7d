//! The card of the highlighted cluster: what a person needs to name and describe it well. Its label and who
//! gave it, its size and reach among respondents, the machine's top terms, a description, and a few
//! representative statements quoted verbatim from the data, never paraphrased, so the name is checked against
//! what people actually said.

use leptos::prelude::*;
use vejkort_engine::curation::{ClusterCard as Card, Edit, Provenance};

use crate::state::AppState;

#[component]
pub fn ClusterCard() -> impl IntoView {
    let state = AppState::use_context();
    let card = move || {
        state.revision.track();
        let id = state.highlighted.get().filter(|id| *id >= 0)?;
        state.curator.with_value(|c| c.as_ref().and_then(|c| c.card(id).ok()))
    };
    // The verbatim statements, read from the analysis rows; empty when the data has no text column.
    let quotes = move |points: &[usize]| -> Vec<String> {
        state.analysis.with(|a| {
            let Some(a) = a.as_ref() else { return Vec::new() };
            let Some(text) = a.roles.text else { return Vec::new() };
            points.iter().filter_map(|&p| a.rows.get(p).and_then(|row| row.get(text)).cloned()).collect()
        })
    };

    view! {
        {move || {
            card()
                .map(|card: Card| {
                    let lang = state.lang.get();
                    let text = lang.strings();
                    let id = card.id;
                    let label = if card.label.is_empty() { format!("{} {}", text.cluster_card, id + 1) } else { card.label.clone() };
                    let provenance = match card.provenance {
                        Provenance::Machine => text.named_by_machine,
                        Provenance::Person => text.named_by_person,
                    };
                    let provenance_kind = match card.provenance {
                        Provenance::Machine => "machine",
                        Provenance::Person => "person",
                    };
                    let share = card.share_of_respondents.map(|share| format!("{:.0} %", share * 100.0));
                    let description = card.description.clone().unwrap_or_default();
                    let before = description.clone();
                    view! {
                        <section class="panel cluster-card" data-testid="cluster-card" data-cluster-id=id aria-labelledby="card-heading">
                            <h2>{text.cluster_card}</h2>
                            <h3 id="card-heading" class="card-label">{label}</h3>
                            <p class="card-provenance" data-provenance=provenance_kind>{provenance}</p>
                            <dl class="card-facts">
                                <dt>{text.size}</dt>
                                <dd data-testid="card-size">{lang.cluster_size(card.size)}</dd>
                                {share.map(|share| view! {
                                    <dt>{text.share_of_respondents}</dt>
                                    <dd data-testid="card-share">{share}</dd>
                                })}
                                {(!card.terms.is_empty()).then(|| view! {
                                    <dt>{text.top_terms}</dt>
                                    <dd data-testid="card-terms">{card.terms.join(", ")}</dd>
                                })}
                            </dl>
                            <label class="field">
                                <span>{text.description}</span>
                                <textarea
                                    data-testid="cluster-description"
                                    rows="3"
                                    readonly=move || state.explore.get()
                                    placeholder=text.description_placeholder
                                    prop:value=description
                                    on:change=move |event| {
                                        let description = event_target_value(&event);
                                        if description.trim() != before.trim() {
                                            let _ = state.edit(Edit::DescribeCluster { cluster: id, description });
                                        }
                                    }
                                ></textarea>
                            </label>
                            {
                                let quotes = quotes(&card.representatives);
                                (!quotes.is_empty()).then(|| view! {
                                    <h4>{text.representatives}</h4>
                                    <ul class="representatives">
                                        {quotes.into_iter().map(|quote| view! {
                                            // The quotation marks come from the style sheet, so the element holds the statement exactly.
                                            <li><blockquote data-testid="representative">{quote}</blockquote></li>
                                        }).collect_view()}
                                    </ul>
                                })
                            }
                        </section>
                    }
                })
        }}
    }
}
