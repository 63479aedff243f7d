//! The lenses panel: the seed study's other two readings of a map beside "what is said where".
//!
//! *Scale* charts, per cluster, how many statements it holds and what share of the respondents and groups
//! contributed, and can size the map's points by it. *Conflict* lists the most divisive and the most shared
//! clusters (from Polis votes, or from how unevenly a cluster spreads over a group column) and can colour the
//! map by divisiveness. Both read the map as it is on screen, curated edits included; the numbers come from the
//! engine's `lens` module, and the map only receives colours and sizes, so the renderer never learns what they
//! mean.
//!
//! Test hooks: `lenses` (the panel), `lens-scale` and `lens-conflict` (toggle buttons with `aria-pressed`),
//! `scale-bars` (`li[data-cluster-id][data-statements][data-respondents][data-groups]`), `size-by-scale`,
//! `conflict-list` and `shared-list` (`li[data-cluster-id][data-divisiveness][data-shared]`, ranked),
//! `conflict-basis` (`data-basis` = `votes` | `group-column`), `colour-by-conflict`.

use leptos::prelude::*;
use vejkort_engine::lens::conflict::{conflict, Basis, ClusterConflict, Conflict};
use vejkort_engine::lens::scale::{scale, ClusterScale, Points};
use vejkort_protocol::Analysis;
use vejkort_render::palette::Rgba;
use vejkort_render::Scene;

use crate::state::AppState;

/// How many clusters each conflict list names.
const LISTED: usize = 5;
/// Point sizes by scale run from this factor (the smallest cluster) to this plus [`SCALE_RANGE`] (the largest).
const SCALE_FLOOR: f32 = 0.6;
const SCALE_RANGE: f32 = 1.4;
/// The diverging scale for conflict, shared to divisive: blue, a neutral grey, red (ColorBrewer's RdBu ends,
/// which stay apart for the common colour-vision deficiencies).
const SHARED_COLOUR: Rgba = Rgba::rgb(33, 102, 172);
const MIDDLE_COLOUR: Rgba = Rgba::rgb(170, 170, 170);
const DIVISIVE_COLOUR: Rgba = Rgba::rgb(178, 24, 43);
/// Points the conflict lens cannot measure (no votes, noise) stay faint.
const UNMEASURED_COLOUR: Rgba = Rgba::rgb(200, 200, 200).with_alpha(90);

fn cluster_ids(analysis: &Analysis) -> Vec<i32> {
    analysis.clusters.iter().filter(|c| c.id >= 0 && c.size > 0).map(|c| c.id).collect()
}

fn points(analysis: &Analysis) -> Points<'_> {
    Points { rows: &analysis.rows, assignments: &analysis.assignments }
}

/// The scale of each cluster on the map (noise aside).
pub fn scale_of(analysis: &Analysis) -> Vec<ClusterScale> {
    scale(points(analysis), &cluster_ids(analysis), analysis.roles.respondent, analysis.roles.group)
}

/// The conflict lens of the map: from its votes, else its group column; `None` with neither.
pub fn conflict_of(analysis: &Analysis) -> Option<Conflict> {
    conflict(points(analysis), &analysis.columns, &cluster_ids(analysis), analysis.votes.as_ref(), analysis.roles.group)
}

fn mix(a: Rgba, b: Rgba, t: f32) -> Rgba {
    let channel = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t.clamp(0.0, 1.0)).round() as u8;
    Rgba::rgb(channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b))
}

/// The diverging colour of a divisiveness `t` from 0 (shared) to 1 (the map's most divisive).
pub fn conflict_colour(t: f32) -> Rgba {
    if t < 0.5 {
        mix(SHARED_COLOUR, MIDDLE_COLOUR, t * 2.0)
    } else {
        mix(MIDDLE_COLOUR, DIVISIVE_COLOUR, (t - 0.5) * 2.0)
    }
}

/// Point colours by conflict, scaled to the map's most divisive point so the whole range is used; the alpha of
/// the colours already there (a highlight's fading) is kept.
fn colour_by_conflict(scene: &mut Scene, lens: &Conflict) {
    let highest = lens.points.iter().flatten().copied().fold(0.0f64, f64::max);
    for (colour, value) in scene.colours.iter_mut().zip(&lens.points) {
        *colour = match value {
            Some(value) if highest > 0.0 => conflict_colour((value / highest) as f32).with_alpha(colour.a),
            Some(_) => conflict_colour(0.0).with_alpha(colour.a),
            None => UNMEASURED_COLOUR,
        };
    }
}

/// Point sizes by their cluster's scale: the share of respondents when known (breadth of support), else the
/// number of statements; square-root so a cluster twice as large looks twice the area, not four times.
fn size_by_scale(scene: &mut Scene, assignments: &[i32], scales: &[ClusterScale]) {
    let weight = |s: &ClusterScale| s.respondent_share.unwrap_or(s.statements as f64);
    let largest = scales.iter().map(weight).fold(0.0f64, f64::max);
    if largest <= 0.0 {
        return;
    }
    let count = scene.positions.len();
    let mut factors = std::mem::take(&mut scene.point_scales);
    factors.resize(count, 1.0);
    for (factor, cluster) in factors.iter_mut().zip(assignments) {
        let share = scales.iter().find(|s| s.cluster == *cluster).map_or(0.0, |s| weight(s) / largest);
        *factor *= SCALE_FLOOR + SCALE_RANGE * (share as f32).sqrt();
    }
    scene.point_scales = factors;
}

/// What the lenses change on the map: colours by conflict and sizes by scale, when switched on.
pub(crate) fn apply_lenses(scene: &mut Scene, analysis: &Analysis, state: AppState) {
    if scene.positions.len() != analysis.assignments.len() {
        return;
    }
    if state.lens_colour.get() {
        if let Some(lens) = conflict_of(analysis) {
            colour_by_conflict(scene, &lens);
        }
    }
    if state.lens_size.get() {
        size_by_scale(scene, &analysis.assignments, &scale_of(analysis));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lens {
    Scale,
    Conflict,
}

fn percent(share: f64) -> String {
    format!("{:.1}%", (share * 100.0).clamp(0.0, 100.0))
}

#[component]
pub fn LensesPanel() -> impl IntoView {
    let state = AppState::use_context();
    let open = RwSignal::new(None::<Lens>);
    let has_map = move || state.analysis.with(Option::is_some);
    let toggle = move |lens: Lens| open.update(|open| *open = if *open == Some(lens) { None } else { Some(lens) });
    let label_of = move |analysis: &Analysis, id: i32| {
        let lang = state.lang.get();
        analysis.cluster(id).map_or_else(|| format!("{}", id + 1), |c| lang.cluster_label(c))
    };

    let scale_view = move || {
        let text = state.lang.get().strings();
        let lang = state.lang.get();
        let rows = state.analysis.with(|analysis| {
            let Some(analysis) = analysis.as_ref() else { return Vec::new() };
            let mut scales = scale_of(analysis);
            scales.sort_by(|a, b| b.statements.cmp(&a.statements).then(a.cluster.cmp(&b.cluster)));
            let largest = scales.first().map_or(1, |s| s.statements.max(1));
            scales
                .into_iter()
                .map(|s| (label_of(analysis, s.cluster), s.statements as f64 / largest as f64, s))
                .collect::<Vec<_>>()
        });
        view! {
            <p class="lens-help">{text.scale_help}</p>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="size-by-scale"
                    prop:checked=move || state.lens_size.get()
                    on:change=move |event| state.lens_size.set(event_target_checked(&event))
                />
                <span>{text.size_by_scale}</span>
            </label>
            <ul class="scale-bars" data-testid="scale-bars">
                {rows
                    .into_iter()
                    .map(|(label, width, s)| {
                        let id = s.cluster;
                        let line = lang.scale_line(s.statements, s.respondent_share, s.groups.zip(s.group_share));
                        let title = line.clone();
                        view! {
                            <li
                                data-cluster-id=id
                                data-statements=s.statements
                                data-respondents=s.respondents.map(|r| r.to_string()).unwrap_or_default()
                                data-groups=s.groups.map(|g| g.to_string()).unwrap_or_default()
                            >
                                <button
                                    class="lens-row"
                                    title=title
                                    on:click=move |_| state.highlighted.set(Some(id))
                                >
                                    <span class="lens-label">{label}</span>
                                    <span class="bar" aria-hidden="true">
                                        <span class="bar-fill" style:width=percent(width)></span>
                                    </span>
                                    {s.respondent_share.map(|share| view! {
                                        <span class="bar bar-share" aria-hidden="true">
                                            <span class="bar-fill" style:width=percent(share)></span>
                                        </span>
                                    })}
                                    <span class="lens-figure">{line}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    };

    let conflict_view = move || {
        let lang = state.lang.get();
        let text = lang.strings();
        let found = state.analysis.with(|analysis| {
            let analysis = analysis.as_ref()?;
            let lens = conflict_of(analysis)?;
            let named = |list: Vec<&ClusterConflict>| -> Vec<(String, ClusterConflict)> {
                list.into_iter().take(LISTED).map(|c| (label_of(analysis, c.cluster), c.clone())).collect()
            };
            Some((lens.basis.clone(), named(lens.most_divisive()), named(lens.most_shared())))
        });
        let Some((basis, divisive, shared)) = found else {
            return view! { <p class="lens-help" data-testid="conflict-basis" data-basis="none">{text.lens_nothing_to_compare}</p> }
                .into_any();
        };
        let basis_kind = match basis {
            Basis::Votes { .. } => "votes",
            Basis::GroupColumn { .. } => "group-column",
        };
        let list = move |entries: Vec<(String, ClusterConflict)>, testid: &'static str| {
            view! {
                <ol class="conflict-list" data-testid=testid>
                    {entries
                        .into_iter()
                        .map(|(label, c)| {
                            let id = c.cluster;
                            view! {
                                <li
                                    data-cluster-id=id
                                    data-divisiveness=format!("{:.4}", c.divisiveness)
                                    data-shared=format!("{:.4}", c.shared)
                                    data-statements=c.statements
                                >
                                    <button class="lens-row" on:click=move |_| state.highlighted.set(Some(id))>
                                        <span class="swatch" style:background-color=conflict_colour(c.divisiveness as f32).css()></span>
                                        <span class="lens-label">{label}</span>
                                        <span class="lens-figure">
                                            {format!("{} · {}", lang.cluster_size(c.statements), lang.conflict_measure(&c.measure))}
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            }
        };
        view! {
            <p class="lens-help" data-testid="conflict-basis" data-basis=basis_kind>{lang.conflict_basis(&basis)}</p>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="colour-by-conflict"
                    prop:checked=move || state.lens_colour.get()
                    on:change=move |event| state.lens_colour.set(event_target_checked(&event))
                />
                <span>{text.colour_by_conflict}</span>
            </label>
            <p class="conflict-key" aria-hidden="true">
                <span>{text.conflict_key_shared}</span>
                <span class="conflict-gradient"></span>
                <span>{text.conflict_key_divisive}</span>
            </p>
            <h3>{text.most_divisive}</h3>
            {list(divisive, "conflict-list")}
            <h3>{text.most_shared}</h3>
            {list(shared, "shared-list")}
        }
        .into_any()
    };

    view! {
        <Show when=has_map>
            <section class="panel lenses" data-testid="lenses" aria-labelledby="lenses-heading">
                <h2 id="lenses-heading">{move || state.lang.get().strings().lenses}</h2>
                <div class="lens-tabs" role="group">
                    <button
                        data-testid="lens-scale"
                        aria-pressed=move || (open.get() == Some(Lens::Scale)).to_string()
                        on:click=move |_| toggle(Lens::Scale)
                    >
                        {move || state.lang.get().strings().lens_scale}
                    </button>
                    <button
                        data-testid="lens-conflict"
                        aria-pressed=move || (open.get() == Some(Lens::Conflict)).to_string()
                        on:click=move |_| toggle(Lens::Conflict)
                    >
                        {move || state.lang.get().strings().lens_conflict}
                    </button>
                </div>
                <Show when=move || open.get() == Some(Lens::Scale)>{scale_view}</Show>
                <Show when=move || open.get() == Some(Lens::Conflict)>{conflict_view}</Show>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conflict_scale_runs_from_blue_through_grey_to_red() {
        assert_eq!(conflict_colour(0.0), SHARED_COLOUR);
        assert_eq!(conflict_colour(0.5), MIDDLE_COLOUR);
        assert_eq!(conflict_colour(1.0), DIVISIVE_COLOUR);
        let quarter = conflict_colour(0.25);
        assert!(quarter.b < SHARED_COLOUR.b && quarter.b > MIDDLE_COLOUR.b);
    }

    #[test]
    fn sizes_follow_the_share_of_respondents_and_keep_other_factors() {
        let scales = vec![
            ClusterScale {
                cluster: 0,
                statements: 9,
                respondents: Some(4),
                respondent_share: Some(1.0),
                groups: None,
                group_share: None,
            },
            ClusterScale {
                cluster: 1,
                statements: 1,
                respondents: Some(1),
                respondent_share: Some(0.25),
                groups: None,
                group_share: None,
            },
        ];
        let mut scene = Scene { positions: vec![[0.0, 0.0]; 3], point_scales: vec![2.0, 1.0, 1.0], ..Scene::default() };
        size_by_scale(&mut scene, &[0, 1, -1], &scales);
        assert!((scene.point_scales[0] - 2.0 * (SCALE_FLOOR + SCALE_RANGE)).abs() < 1e-6);
        assert!((scene.point_scales[1] - (SCALE_FLOOR + SCALE_RANGE * 0.5)).abs() < 1e-6);
        assert!((scene.point_scales[2] - SCALE_FLOOR).abs() < 1e-6, "noise gets the smallest size");
    }
}
