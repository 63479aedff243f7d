//! The selection panel: the statements picked with the lasso (or ticked in the table), read verbatim, exported,
//! moved to another cluster or marked as noise.
//!
//! Moving and marking go through `state.edit`, so they are logged and undoable like every other change. The
//! lasso's geometry lives here too ([`points_inside`]), kept free of the browser so it is tested natively.

use leptos::prelude::*;
use vejkort_engine::curation::Edit;
use vejkort_engine::ways::Ways;
use vejkort_protocol::Analysis;

use crate::actions;
use crate::state::AppState;

/// The panel lists at most this many statements; the export has them all.
const LISTED: usize = 100;

/// Whether `p` lies inside the closed polygon (even-odd rule; the polygon need not be simple).
pub fn inside(polygon: &[[f32; 2]], p: [f32; 2]) -> bool {
    let mut within = false;
    let mut j = polygon.len().wrapping_sub(1);
    for (i, a) in polygon.iter().enumerate() {
        let b = polygon[j];
        if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0] {
            within = !within;
        }
        j = i;
    }
    within
}

/// The points (indices, ascending) inside a freehand polygon; fewer than three corners enclose nothing.
pub fn points_inside(positions: &[[f32; 2]], polygon: &[[f32; 2]]) -> Vec<usize> {
    let Some(b) = vejkort_render::bounds(polygon).filter(|_| polygon.len() >= 3) else { return Vec::new() };
    positions
        .iter()
        .enumerate()
        .filter(|(_, p)| p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3] && inside(polygon, **p))
        .map(|(i, _)| i)
        .collect()
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// The selected statements as CSV, in the columns of the full export (`vejkort_engine::export`), so the two
/// files line up.
pub fn selection_csv(analysis: &Analysis, ways: &Ways, points: &[usize]) -> String {
    const OWN: [&str; 6] = ["id", "x", "y", "cluster", "label", "ways"];
    let header = OWN.iter().map(|c| (*c).to_owned()).chain(analysis.columns.iter().map(|c| {
        if OWN.contains(&c.as_str()) {
            format!("input_{c}")
        } else {
            c.clone()
        }
    }));
    let mut out = header.map(|h| csv_field(&h)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for &i in points.iter().filter(|&&i| i < analysis.rows.len()) {
        let cluster = analysis.assignments[i];
        let label = analysis.cluster(cluster).map_or("", |c| c.label.as_str());
        let way_names: Vec<&str> = ways.of_cluster(cluster).map(|w| w.name.as_str()).collect();
        let [x, y] = analysis.positions[i];
        let own = [
            (i + 1).to_string(),
            x.to_string(),
            y.to_string(),
            cluster.to_string(),
            label.to_owned(),
            way_names.join("; "),
        ];
        let cells: Vec<String> = own.iter().chain(analysis.rows[i].iter()).map(|c| csv_field(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[component]
pub fn SelectionPanel() -> impl IntoView {
    let state = AppState::use_context();
    let count = move || state.selection.with(Vec::len);
    let target = RwSignal::new(None::<i32>);
    let refused = RwSignal::new(None::<String>);
    let listed = move || {
        let selection = state.selection.get();
        state.analysis.with(|a| {
            let Some(a) = a.as_ref() else { return Vec::new() };
            selection.iter().take(LISTED).map(|&i| (i, a.text_of(i).unwrap_or_default().to_owned())).collect::<Vec<_>>()
        })
    };
    let clusters = move || {
        let lang = state.lang.get();
        state.analysis.with(|a| {
            a.as_ref()
                .map(|a| {
                    a.clusters
                        .iter()
                        .filter(|c| c.id >= 0 && c.size > 0)
                        .map(|c| (c.id, lang.cluster_label(c)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let apply = move |edit: Edit| {
        refused.set(None);
        if let Err(error) = state.edit(edit) {
            refused.set(Some(format!("{}: {error}", state.lang.get_untracked().strings().edit_refused)));
        }
    };

    view! {
        <Show when=move || state.analysis.with(Option::is_some)>
            <section class="panel selection" data-testid="selection" data-count=count aria-labelledby="selection-heading">
                <h2 id="selection-heading">{move || state.lang.get().strings().selection}</h2>
                <p class="selection-count" aria-live="polite">
                    {move || {
                        let lang = state.lang.get();
                        if count() == 0 { lang.strings().selection_empty.to_owned() } else { lang.selected_count(count()) }
                    }}
                </p>
                <Show when=move || { count() > 0 }>
                    <ul class="selection-list">
                        {move || {
                            listed()
                                .into_iter()
                                .map(|(i, text)| view! {
                                    <li>
                                        <button class="link" data-point=i on:click=move |_| state.pinned.set(Some(i))>{text}</button>
                                    </li>
                                })
                                .collect_view()
                        }}
                    </ul>
                    <Show when=move || { count() > LISTED }>
                        <p class="filter-note">{move || state.lang.get().and_more(count() - LISTED)}</p>
                    </Show>
                    <div class="selection-actions">
                        <button class="button" data-testid="export-selection" on:click=move |_| actions::export_selection(state)>
                            {move || state.lang.get().strings().export_selection}
                        </button>
                        <label class="field">
                            <span>{move || state.lang.get().strings().move_to_cluster}</span>
                            <span class="inline">
                                <select
                                    data-testid="move-target"
                                    on:change=move |event| target.set(event_target_value(&event).parse().ok())
                                    prop:value=move || target.get().map(|t| t.to_string()).unwrap_or_default()
                                >
                                    <option value="">"—"</option>
                                    {move || clusters().into_iter().map(|(id, label)| view! { <option value=id.to_string()>{label}</option> }).collect_view()}
                                </select>
                                <button
                                    class="button"
                                    data-testid="move-selection"
                                    disabled=move || target.get().is_none()
                                    on:click=move |_| {
                                        if let Some(to) = target.get_untracked() {
                                            apply(Edit::MoveStatements { points: state.selection.get_untracked(), to });
                                        }
                                    }
                                >
                                    {move || state.lang.get().strings().move_button}
                                </button>
                            </span>
                        </label>
                        <button class="button" data-testid="mark-noise" on:click=move |_| apply(Edit::MarkNoise { points: state.selection.get_untracked() })>
                            {move || state.lang.get().strings().mark_noise}
                        </button>
                        <button class="button subtle" data-testid="clear-selection" on:click=move |_| state.selection.set(Vec::new())>
                            {move || state.lang.get().strings().clear_selection}
                        </button>
                    </div>
                    {move || refused.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
                </Show>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lasso_takes_the_points_inside_its_path() {
        let positions = [[0.0, 0.0], [1.0, 1.0], [3.0, 3.0], [1.0, 0.0], [-1.0, 0.5]];
        let square = [[-0.5, -0.5], [2.0, -0.5], [2.0, 2.0], [-0.5, 2.0]];
        assert_eq!(points_inside(&positions, &square), vec![0, 1, 3]);
        // A triangle cutting the square's corner leaves (1, 1) out.
        let triangle = [[-0.5, -0.5], [2.0, -0.5], [-0.5, 1.5]];
        assert_eq!(points_inside(&positions, &triangle), vec![0, 3]);
        assert!(points_inside(&positions, &square[..2]).is_empty());
        assert!(points_inside(&positions, &[]).is_empty());
    }

    #[test]
    fn selection_csv_quotes_and_renames_like_the_full_export() {
        let data = vejkort_engine::Dataset {
            columns: vec!["tekst".into()],
            rows: ["ældre pleje", "ældre hjem", "skole lærer", "skole klasse"]
                .iter()
                .map(|t| vec![(*t).into()])
                .collect(),
            ..Default::default()
        };
        let options = vejkort_protocol::AnalysisOptions::default();
        let mut analysis =
            vejkort_engine::pipeline::analyze_dataset(data, &options, &mut vejkort_engine::progress::Silent)
                .expect("a tiny analysis");
        analysis.columns = vec!["id".into(), "udsagn".into()];
        analysis.rows = vec![vec!["a".into(), "Mere tid, \"nej\"".into()], vec!["b".into(), "ok".into()]];
        analysis.positions = vec![[0.5, 1.0], [2.0, 3.0]];
        analysis.assignments = vec![0, -1];
        analysis.clusters.clear();
        let csv = selection_csv(&analysis, &Ways::default(), &[0, 9]);
        assert_eq!(csv, "id,x,y,cluster,label,ways,input_id,udsagn\n1,0.5,1,0,,,a,\"Mere tid, \"\"nej\"\"\"\n");
    }
}
