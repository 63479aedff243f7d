//! The read-only explorer's account of a published map (`?mode=explore`): who answered and what they wrote,
//! counted as the seed study opens its own ("403 local politicians in 95 municipalities wrote 57,498 words:
//! 1,374 causes and 1,053 solutions"), then the ways with their descriptions.
//!
//! A public reader has no use for the editing controls, which the style sheet hides in this mode; this panel
//! takes their place so the first thing read is what the map is made of.

use std::collections::{BTreeMap, HashSet};

use leptos::prelude::*;
use vejkort_protocol::Analysis;

use crate::state::AppState;

/// What the data of a map holds, counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataSummary {
    pub statements: usize,
    /// Distinct respondents, when a respondent column is known.
    pub respondents: Option<usize>,
    /// Distinct groups and the group column's name, when one is known.
    pub groups: Option<(usize, String)>,
    pub words: usize,
    /// Statements per kind (cause, solution, …), most frequent first; empty without a kind column.
    pub kinds: Vec<(String, usize)>,
    pub clusters: usize,
}

fn distinct(analysis: &Analysis, column: usize) -> usize {
    analysis
        .rows
        .iter()
        .filter_map(|row| row.get(column))
        .filter(|v| !v.trim().is_empty())
        .collect::<HashSet<_>>()
        .len()
}

/// A word is a run of non-space characters with at least one letter or digit (a lone dash is not a word).
fn count_words(text: &str) -> usize {
    text.split_whitespace().filter(|word| word.chars().any(char::is_alphanumeric)).count()
}

pub fn summarise(analysis: &Analysis) -> DataSummary {
    let roles = analysis.roles;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    if let Some(kind) = roles.kind {
        for value in analysis.rows.iter().filter_map(|row| row.get(kind)).filter(|v| !v.trim().is_empty()) {
            *kinds.entry(value.as_str()).or_default() += 1;
        }
    }
    let mut kinds: Vec<(String, usize)> = kinds.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    DataSummary {
        statements: analysis.rows.len(),
        respondents: roles.respondent.map(|column| distinct(analysis, column)),
        groups: roles.group.map(|column| (distinct(analysis, column), analysis.columns[column].clone())),
        words: (0..analysis.rows.len()).filter_map(|i| analysis.text_of(i)).map(count_words).sum(),
        kinds,
        clusters: analysis.clusters.iter().filter(|c| c.id >= 0 && c.size > 0).count(),
    }
}

#[component]
pub fn ExplorerPanel() -> impl IntoView {
    let state = AppState::use_context();
    let summary = Memo::new(move |_| state.analysis.with(|a| a.as_deref().map(summarise)));
    let lines = move || {
        let lang = state.lang.get();
        summary.with(|s| s.as_ref().map(|s| lang.data_summary(s)).unwrap_or_default())
    };
    let ways = move || {
        let lang = state.lang.get();
        state.ways.with(|ways| {
            state.analysis.with(|analysis| {
                ways.ways
                    .iter()
                    .map(|way| {
                        let clusters: Vec<String> = way
                            .clusters
                            .iter()
                            .filter_map(|&id| analysis.as_ref().and_then(|a| a.cluster(id)))
                            .map(|c| lang.cluster_label(c))
                            .collect();
                        (way.id, way.name.clone(), way.description.clone(), way.colour.clone(), clusters)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let axis = move || state.ways.with(|w| format!("{} → {}", w.axis_start, w.axis_end));

    view! {
        <Show when=move || state.explore.get() && state.analysis.with(Option::is_some)>
            <section class="panel explorer" data-testid="explorer" aria-labelledby="explorer-heading">
                <h2 id="explorer-heading">{move || state.lang.get().strings().explorer_heading}</h2>
                <ul class="explorer-summary" data-testid="explorer-summary">
                    {move || lines().into_iter().map(|(number, what)| view! {
                        <li><strong class="explorer-number">{number}</strong>" "{what}</li>
                    }).collect_view()}
                </ul>
                <h3>{move || state.lang.get().strings().ways}</h3>
                <p class="explorer-axis">{axis}</p>
                <ol class="explorer-ways" data-testid="explorer-ways">
                    {move || ways().into_iter().map(|(id, name, description, colour, clusters)| {
                        let focused = move || state.focused_way.get() == Some(id);
                        view! {
                            <li data-way-id=id class:focused=focused>
                                <button
                                    class="explorer-way"
                                    aria-pressed=move || focused().to_string()
                                    on:click=move |_| state.focused_way.update(|f| *f = if *f == Some(id) { None } else { Some(id) })
                                >
                                    <span class="swatch" style:background-color=colour></span>
                                    <strong>{name}</strong>
                                </button>
                                <p class="explorer-way-description">{description}</p>
                                {(!clusters.is_empty()).then(|| view! { <p class="explorer-way-clusters">{clusters.join(" · ")}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejkort_engine::dataset::ColumnRoles;

    fn analysis() -> Analysis {
        let rows = [
            ("r1", "Aarhus", "årsag", "For få hænder i ældreplejen"),
            ("r1", "Aarhus", "løsning", "Velfærdsteknologi – mere af den"),
            ("r2", "Odense", "løsning", "Flere lærlinge"),
            ("r3", "Aarhus", "løsning", "  "),
        ];
        let data = vejkort_engine::Dataset {
            columns: vec!["respondent".into(), "kommune".into(), "type".into(), "tekst".into()],
            rows: rows.iter().map(|(r, g, k, t)| vec![(*r).into(), (*g).into(), (*k).into(), (*t).into()]).collect(),
            ..Default::default()
        };
        let options = vejkort_protocol::AnalysisOptions {
            vectoriser: vejkort_engine::pipeline::Vectoriser::TfIdf,
            ..Default::default()
        };
        let mut analysis =
            vejkort_engine::pipeline::analyze_dataset(data, &options, &mut vejkort_engine::progress::Silent)
                .expect("a tiny analysis");
        // The counts below are of these roles, whatever the guesser would pick.
        analysis.roles = ColumnRoles { text: Some(3), kind: Some(2), respondent: Some(0), group: Some(1) };
        analysis
    }

    #[test]
    fn the_summary_counts_people_places_words_and_kinds() {
        let analysis = analysis();
        let summary = summarise(&analysis);
        // The row without text is left out by the analysis, so three statements by two people in two places.
        assert_eq!(summary.statements, analysis.rows.len());
        assert_eq!(summary.statements, 3);
        assert_eq!(summary.respondents, Some(2));
        assert_eq!(summary.groups, Some((2, "kommune".into())));
        // "For få hænder i ældreplejen" 5, "Velfærdsteknologi – mere af den" 4 (the dash is no word), "Flere lærlinge" 2.
        assert_eq!(summary.words, 11);
        assert_eq!(summary.kinds, vec![("løsning".into(), 2), ("årsag".into(), 1)]);
        assert_eq!(summary.clusters, analysis.clusters.iter().filter(|c| c.id >= 0 && c.size > 0).count());
    }

    #[test]
    fn without_roles_only_statements_words_and_clusters_are_counted() {
        let mut analysis = analysis();
        analysis.roles = ColumnRoles { text: Some(3), ..ColumnRoles::default() };
        let summary = summarise(&analysis);
        assert_eq!((summary.respondents, summary.groups.clone()), (None, None));
        assert!(summary.kinds.is_empty());
        assert_eq!(summary.words, 11);
    }
}
