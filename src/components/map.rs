//! The zoomable map: canvases drawn by `vejkort-render` (WebGL2, or Canvas2D where that is missing or
//! `?renderer=canvas2d` asks for it), with pan, zoom, hover and keyboard control.
//!
//! This component turns the analysis and the user's choices (highlighted cluster, visible ways) into a
//! renderer [`Scene`] and handles input; the renderer does the drawing and the hit-testing. Zooming in shows
//! finer labels (parts of clusters, named by their own most frequent cluster terms), then the statements
//! themselves. `?labels=large` sets larger type for projectors.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use vejkort_protocol::Analysis;
use vejkort_render::camera::Viewport;
use vejkort_render::geometry::core_outline;
use vejkort_render::gesture::{Gesture, Pointers};
use vejkort_render::palette::{cluster_colour, Rgba};
use vejkort_render::renderer::Layers;
use vejkort_render::spatial::SpatialIndex;
use vejkort_render::{core_bounds, Camera, Label, Outline, Renderer, RendererKind, Scene};
use wasm_bindgen::prelude::*;

use crate::components::corners::statement_kind;
use crate::components::search::Reading;
use crate::components::selection::points_inside;
use crate::i18n::Lang;
use crate::state::AppState;

const POINT_RADIUS_PX: f32 = 3.5;
const FIT_MARGIN_PX: f32 = 40.0;
/// The first view frames the central 98% of points; zooming out shows the rest.
const FIT_SHARE: f32 = 0.98;
/// How near (in CSS pixels) the pointer must come to a point to show it.
const HOVER_REACH_PX: f32 = 8.0;
/// Share of a cluster's points, nearest its centre, that its way outline encloses.
const OUTLINE_CORE_SHARE: f32 = 0.9;
const FADED_ALPHA: u8 = 45;
/// Points of a layout still converging: a quiet slate grey, so the coloured clusters arrive as news.
const LIVE_COLOUR: Rgba = Rgba::rgb(96, 110, 128).with_alpha(200);
/// Cluster labels name a cluster by this many of its terms; the finer labels use the terms after them.
const TERMS_IN_CLUSTER_LABEL: usize = 3;
/// Parts smaller than this share of their cluster get no label of their own.
const MIN_PART_SHARE: f32 = 0.1;
/// Finer labels appear at this many times the zoom that fits the map in a nominal view, statements at this
/// many (or later, when the map is dense).
const FINE_LABEL_ZOOM: f32 = 2.0;
const POINT_TEXT_ZOOM: f32 = 5.0;
/// Statements are written once about this many points are on a nominal screen.
const POINTS_ON_SCREEN_FOR_TEXT: f32 = 150.0;
const NOMINAL_VIEW: Viewport = Viewport { width_px: 800.0, height_px: 600.0 };

/// A query parameter of the page (`?renderer=canvas2d`, `?labels=large`).
fn query() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// A label for each large part of each cluster: the cluster is cut into quadrants around its centre, and each
/// part is named by the cluster term (after those in the cluster's own label) most of its statements use.
fn part_labels(analysis: &Analysis) -> Vec<Label> {
    let mut labels = Vec::new();
    for cluster in analysis.clusters.iter().filter(|c| c.id >= 0 && c.size > 0) {
        let candidates: Vec<&String> = cluster.terms.iter().skip(TERMS_IN_CLUSTER_LABEL).collect();
        if candidates.is_empty() {
            continue;
        }
        let mut parts: [Vec<usize>; 4] = Default::default();
        for (point, p) in analysis.positions.iter().enumerate() {
            if analysis.assignments[point] == cluster.id {
                let quadrant = usize::from(p[0] >= cluster.centre[0]) + 2 * usize::from(p[1] >= cluster.centre[1]);
                parts[quadrant].push(point);
            }
        }
        parts.sort_by_key(|part| std::cmp::Reverse(part.len()));
        let mut used: Vec<&String> = Vec::new();
        for part in parts.iter().filter(|part| part.len() as f32 >= (cluster.size as f32 * MIN_PART_SHARE).max(3.0)) {
            let texts: Vec<String> = part.iter().filter_map(|&i| analysis.text_of(i)).map(str::to_lowercase).collect();
            let best = candidates
                .iter()
                .filter(|term| !used.contains(term))
                .map(|term| (texts.iter().filter(|t| t.contains(term.as_str())).count(), *term))
                .filter(|(uses, _)| *uses > 0)
                .max_by_key(|(uses, _)| *uses);
            let Some((_, term)) = best else { continue };
            used.push(term);
            let n = part.len() as f32;
            let position = part.iter().fold([0.0, 0.0], |c, &i| {
                let p = analysis.positions[i];
                [c[0] + p[0] / n, c[1] + p[1] / n]
            });
            labels.push(Label { position, text: term.clone(), priority: n, emphasised: false });
        }
    }
    labels
}

/// The zooms (CSS pixels per world unit) at which finer labels and statements appear: relative to a nominal
/// fitted view, and for statements late enough that only a few hundred points are on screen.
fn detail_zooms(positions: &[[f32; 2]]) -> (f32, f32) {
    let Some(b) = core_bounds(positions, FIT_SHARE) else { return (f32::INFINITY, f32::INFINITY) };
    let fit = Camera::fit(b, NOMINAL_VIEW, FIT_MARGIN_PX).pixels_per_unit;
    let area = ((b[2] - b[0]) * (b[3] - b[1])).max(1e-9);
    let screen = NOMINAL_VIEW.width_px * NOMINAL_VIEW.height_px;
    let dense = (positions.len() as f32 * screen / (area * POINTS_ON_SCREEN_FOR_TEXT)).sqrt();
    (fit * FINE_LABEL_ZOOM, (fit * POINT_TEXT_ZOOM).max(dense))
}

/// What zooming in reveals, which depends on the analysis alone: part labels and the zooms that show them
/// and the statements.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Details {
    part_labels: Vec<Label>,
    fine_zoom: f32,
    text_zoom: f32,
}

impl Details {
    pub(crate) fn of(analysis: &Analysis) -> Details {
        let (fine_zoom, text_zoom) = detail_zooms(&analysis.positions);
        Details { part_labels: part_labels(analysis), fine_zoom, text_zoom }
    }
}

pub(crate) fn scene_for(
    analysis: &Analysis,
    details: &Details,
    highlighted: Option<i32>,
    ways: &vejkort_engine::ways::Ways,
    lang: Lang,
) -> Scene {
    let colours = analysis
        .assignments
        .iter()
        .map(|&id| {
            let colour = cluster_colour(id);
            match highlighted {
                Some(h) if h != id => colour.with_alpha(FADED_ALPHA),
                _ => colour.with_alpha(230),
            }
        })
        .collect();
    let mut outlines = Vec::new();
    for way in ways.ways.iter().filter(|way| way.visible) {
        let colour = Rgba::from_hex(&way.colour).unwrap_or(Rgba::rgb(0, 0, 0));
        for &cluster in &way.clusters {
            let points: Vec<[f32; 2]> = analysis
                .assignments
                .iter()
                .zip(&analysis.positions)
                .filter(|(&id, _)| id == cluster)
                .map(|(_, &p)| p)
                .collect();
            outlines.push(Outline { polygon: core_outline(&points, OUTLINE_CORE_SHARE), colour, padding_px: 10.0 });
        }
    }
    let labels = analysis
        .clusters
        .iter()
        .filter(|c| c.id >= 0 && c.size > 0)
        .map(|c| Label {
            position: c.centre,
            text: lang.cluster_label(c),
            priority: c.size as f32,
            emphasised: highlighted == Some(c.id),
        })
        .collect();
    let highlighted_points = match highlighted {
        Some(h) => (0..analysis.assignments.len() as u32).filter(|&i| analysis.assignments[i as usize] == h).collect(),
        None => Vec::new(),
    };
    let point_texts = match analysis.roles.text {
        Some(_) => (0..analysis.positions.len()).map(|i| analysis.text_of(i).unwrap_or_default().to_owned()).collect(),
        None => Vec::new(),
    };
    Scene {
        positions: analysis.positions.clone(),
        colours,
        point_radius_px: POINT_RADIUS_PX,
        highlighted: highlighted_points,
        outlines,
        labels,
        fine_labels: details.part_labels.clone(),
        fine_labels_min_pixels_per_unit: details.fine_zoom,
        point_texts,
        point_texts_min_pixels_per_unit: details.text_zoom,
        large_labels: query().contains("labels=large"),
        ..Scene::default()
    }
}

/// The scene with a way in focus: only its outline drawn, everything outside it dimmed.
pub(crate) fn focused_scene(
    analysis: &Analysis,
    details: &Details,
    highlighted: Option<i32>,
    ways: &vejkort_engine::ways::Ways,
    focused: Option<u32>,
    lang: Lang,
) -> Scene {
    let shown = crate::components::ways::shown_ways(ways, focused);
    let mut scene = scene_for(analysis, details, highlighted, &shown, lang);
    scene.point_opacity = crate::components::ways::focus_opacity(&analysis.assignments, ways, focused);
    scene
}

thread_local! {
    /// The camera and size of the map on screen, for exports that show what the person framed.
    static SHOWN_VIEW: std::cell::Cell<Option<(Camera, Viewport)>> = const { std::cell::Cell::new(None) };
}

thread_local! {
    /// A camera for the next new map to open with instead of the fitted one (a restored project's view).
    static PENDING_CAMERA: std::cell::Cell<Option<Camera>> = const { std::cell::Cell::new(None) };
}

thread_local! {
    /// A framing for the next new map to open with (a shared link's view); preferred to a pending camera.
    static PENDING_FRAMING: std::cell::Cell<Option<vejkort_engine::project::Framing>> =
        const { std::cell::Cell::new(None) };
}

/// Opens the next new map showing this framing, whatever the size of the screen.
pub(crate) fn open_next_map_framed(framing: vejkort_engine::project::Framing) {
    PENDING_FRAMING.with(|pending| pending.set(Some(framing)));
}

/// Opens the next new map with this camera rather than fitted.
pub(crate) fn open_next_map_at(camera: Camera) {
    PENDING_CAMERA.with(|pending| pending.set(Some(camera)));
}

/// The camera and size of the map as last drawn, if it has been.
pub(crate) fn shown_view() -> Option<(Camera, Viewport)> {
    SHOWN_VIEW.with(std::cell::Cell::get)
}

/// The camera that frames the central points in `view`.
fn fitted_camera(positions: &[[f32; 2]], view: Viewport) -> Camera {
    core_bounds(positions, FIT_SHARE).map_or(Camera::default(), |b| Camera::fit(b, view, FIT_MARGIN_PX))
}

/// Points of other kinds on a corner map: a faint trace, so the corner keeps the shape of the whole map.
const OTHER_KIND_OPACITY: f32 = 0.07;
/// Points of the corner's kind outside a brush step back, so the brushed ones stand out.
const UNBRUSHED_OPACITY: f32 = 0.3;
const BRUSHED_SCALE: f32 = 1.6;

/// The positions a corner map can hover: its own kind's; the others are made non-finite, which the spatial
/// index skips, so indices still name the same statements as in the analysis.
fn hoverable_positions(analysis: &Analysis, kind: Option<&str>) -> Vec<[f32; 2]> {
    match kind {
        None => analysis.positions.clone(),
        Some(kind) => (0..analysis.positions.len())
            .map(|i| if statement_kind(analysis, i) == Some(kind) { analysis.positions[i] } else { [f32::NAN; 2] })
            .collect(),
    }
}

/// A corner map draws every point in the same place (one layout, one camera fit) but only its kind's at full
/// strength, and writes only their statements.
fn keep_kind(scene: &mut Scene, analysis: &Analysis, kind: &str) {
    let mine: Vec<bool> = (0..analysis.positions.len()).map(|i| statement_kind(analysis, i) == Some(kind)).collect();
    scene.point_opacity = mine.iter().map(|&m| if m { 1.0 } else { OTHER_KIND_OPACITY }).collect();
    scene.highlighted.retain(|&i| mine.get(i as usize).copied().unwrap_or(false));
    for (text, &m) in scene.point_texts.iter_mut().zip(&mine) {
        if !m {
            text.clear();
        }
    }
}

/// Brushed statements (of this corner's kind) are drawn larger and on top; the rest of the kind steps back.
fn show_brush(scene: &mut Scene, analysis: &Analysis, kind: &str, brushed: &[usize]) {
    if brushed.is_empty() {
        return;
    }
    let n = analysis.positions.len();
    if scene.point_opacity.len() != n {
        scene.point_opacity = vec![1.0; n];
    }
    let mut scales = vec![1.0; n];
    for opacity in scene.point_opacity.iter_mut().filter(|o| **o >= 1.0) {
        *opacity = UNBRUSHED_OPACITY;
    }
    for &i in brushed.iter().filter(|&&i| i < n && statement_kind(analysis, i) == Some(kind)) {
        scene.point_opacity[i] = 1.0;
        scales[i] = BRUSHED_SCALE;
        scene.highlighted.push(i as u32);
    }
    scene.point_scales = scales;
}

/// A layout still converging: points only, in one colour, since clusters are not known yet.
fn live_scene(positions: &[[f32; 2]]) -> Scene {
    Scene {
        positions: positions.to_vec(),
        colours: vec![LIVE_COLOUR; positions.len()],
        point_radius_px: POINT_RADIUS_PX,
        ..Scene::default()
    }
}

/// `kind`: draw one corner, the statements of that kind (see `corners.rs`). `first`: in the corners view, this
/// corner carries the single map's test hooks (`data-testid=map`, zoom buttons), so there is always exactly one.
#[component]
pub fn MapView(#[prop(optional)] kind: Option<String>, #[prop(optional)] first: bool) -> impl IntoView {
    let state = AppState::use_context();
    let main_hooks = kind.is_none() || first;
    let kind = StoredValue::new(kind);
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let under_ref = NodeRef::<leptos::html::Canvas>::new();
    let over_ref = NodeRef::<leptos::html::Canvas>::new();
    let viewport = RwSignal::new(Viewport { width_px: 800.0, height_px: 600.0 });
    let camera = RwSignal::new(Camera::default());
    let fitted = RwSignal::new(Camera::default());
    let hovered = RwSignal::new(None::<(usize, [f32; 2])>);
    let pointers = StoredValue::new(Pointers::default());
    let index = StoredValue::new_local(Arc::new(SpatialIndex::default()));
    let reading = use_context::<Reading>();
    // The lasso's path on screen while it is drawn, and where a press began (a press that barely moves pins).
    let lasso_path = RwSignal::new(Vec::<[f32; 2]>::new());
    let pressed_at = StoredValue::new(None::<[f32; 2]>);
    // Bumped by every flight and every grab of the map, so a newer move ends an older flight.
    let flight = StoredValue::new(0u32);

    // A new map: index its points and fit the view to them. An edit (a renamed or merged cluster) keeps the
    // points where they are, and so keeps the view the user has.
    let indexed_positions = StoredValue::new_local(None::<Arc<Analysis>>);
    Effect::new(move |_| {
        let analysis = state.analysis.get();
        let view = viewport.get_untracked();
        hovered.set(None);
        if let Some(analysis) = analysis {
            let moved = indexed_positions.with_value(|last| {
                last.as_ref().is_none_or(|last| last.positions != analysis.positions || last.roles != analysis.roles)
            });
            // Live statements add points and move none: the view the room is looking at stays.
            let grown = indexed_positions.with_value(|last| {
                last.as_ref().is_some_and(|last| {
                    last.positions.len() < analysis.positions.len() && analysis.positions.starts_with(&last.positions)
                })
            });
            if moved {
                let hoverable = kind.with_value(|kind| hoverable_positions(&analysis, kind.as_deref()));
                index.set_value(Arc::new(SpatialIndex::new(&hoverable)));
            }
            if moved && !grown {
                let fit = fitted_camera(&analysis.positions, view);
                fitted.set(fit);
                let framed = PENDING_FRAMING.with(std::cell::Cell::take).map(|f| crate::share::camera_for(f, view));
                camera.set(framed.or(PENDING_CAMERA.with(std::cell::Cell::take)).unwrap_or(fit));
            }
            indexed_positions.set_value(Some(analysis));
        }
    });

    // While UMAP converges the job's map is shown as it moves, framed anew at every step.
    Effect::new(move |_| {
        let Some(positions) = state.live_positions.get() else { return };
        hovered.set(None);
        let fit = fitted_camera(&positions, viewport.get_untracked());
        fitted.set(fit);
        camera.set(fit);
    });

    Effect::new(move |_| {
        let Some(bounds) = state.fly_to.get() else { return };
        let to = flight_target(bounds, viewport.get_untracked(), fitted.get_untracked());
        fly_camera(camera, to, flight);
    });

    // The main map says what it shows, for the link in the address bar and for tour stops.
    Effect::new(move |_| {
        let (cam, view) = (camera.get(), viewport.get());
        if main_hooks && state.analysis.with_untracked(Option::is_some) {
            state.framing.set(Some(crate::share::framing_of(cam, view)));
        }
    });

    // A tour stop or a link asks the main map to show a framing (or the whole map), flown to or jumped to.
    Effect::new(move |_| {
        let Some((goal, animate)) = state.framing_goal.get() else { return };
        if !main_hooks {
            return;
        }
        if animate {
            fly_framing(camera, viewport, fitted, goal, flight);
        } else {
            flight.update_value(|f| *f += 1);
            let view = viewport.get_untracked();
            camera.set(goal.map_or_else(|| fitted.get_untracked(), |framing| crate::share::camera_for(framing, view)));
        }
    });

    // The scene changes with the data, the highlight and the ways, not with the camera; the renderer uploads it
    // once per change and a camera move only redraws.
    // Part labels read every statement: computed once per analysis, not on every highlight.
    let details = Memo::new(move |_| state.analysis.with(|analysis| analysis.as_ref().map(|a| Details::of(a))));
    let scene = Memo::new(move |_| {
        if let Some(positions) = state.live_positions.get() {
            return Some(Arc::new(live_scene(&positions)));
        }
        state.analysis.with(|analysis| {
            let analysis = analysis.as_ref()?;
            details.with(|details| {
                let details = details.as_ref()?;
                let highlighted = state.highlighted.get();
                let lang = state.lang.get();
                let focused = state.focused_way.get();
                let mut scene =
                    state.ways.with(|ways| focused_scene(analysis, details, highlighted, ways, focused, lang));
                mark_reading(&mut scene, state, reading);
                crate::components::lenses::apply_lenses(&mut scene, analysis, state);
                // A projector needs large type; a room may be shown the map without the statements' words.
                if state.presenting.get() {
                    scene.large_labels = true;
                }
                if state.hide_statements.get() {
                    scene.point_texts.clear();
                }
                if let Some(kind) = kind.get_value() {
                    keep_kind(&mut scene, analysis, &kind);
                    state.brushed.with(|brushed| show_brush(&mut scene, analysis, &kind, brushed));
                }
                Some(Arc::new(scene))
            })
        })
    });

    let renderer = StoredValue::new_local(None::<Rc<RefCell<Renderer>>>);
    let renderer_kind = RwSignal::new(None::<RendererKind>);
    // Bumped when a lost WebGL context is back, to draw again.
    let restored = RwSignal::new(0u32);
    Effect::new(move |_| {
        let (Some(under), Some(points), Some(over)) = (under_ref.get(), canvas_ref.get(), over_ref.get()) else {
            return;
        };
        let current = renderer.get_value().unwrap_or_else(|| {
            let wanted = RendererKind::from_query(&query()).unwrap_or(RendererKind::WebGl2);
            let mut created = Renderer::new(Layers { under, points, over }, wanted);
            created.on_restored(Rc::new(move || {
                restored.try_update(|count| *count += 1);
            }));
            renderer_kind.set(Some(created.kind()));
            let created = Rc::new(RefCell::new(created));
            renderer.set_value(Some(Rc::clone(&created)));
            created
        });
        restored.track();
        let view = viewport.get();
        let camera = camera.get();
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let hovered_point = hovered.get().map(|(i, _)| i);
        SHOWN_VIEW.with(|shown| shown.set(Some((camera, view))));
        let mut current = current.borrow_mut();
        current.set_scene(scene.get());
        current.draw(hovered_point, &camera, view, dpr);
    });

    // Follow the element's size.
    Effect::new(move |_| {
        let Some(canvas_element) = canvas_ref.get() else { return };
        let measure = move |element: &web_sys::Element| {
            let rect = element.get_bounding_client_rect();
            let size = Viewport { width_px: rect.width().max(1.0) as f32, height_px: rect.height().max(1.0) as f32 };
            let previous = viewport.get_untracked();
            if previous != size {
                viewport.set(size);
                // Keep the fitted view fitted when the window changes.
                if let Some(analysis) = state.analysis.get_untracked() {
                    let was_fitted = camera.get_untracked() == fitted.get_untracked();
                    let fit = fitted_camera(&analysis.positions, size);
                    fitted.set(fit);
                    if was_fitted {
                        camera.set(fit);
                    } else if main_hooks && state.presenting.get_untracked() {
                        // Entering or leaving full screen while presenting keeps the same part of the map in view.
                        let framing = crate::share::framing_of(camera.get_untracked(), previous);
                        camera.set(crate::share::camera_for(framing, size));
                    }
                }
            }
        };
        let element: web_sys::Element = canvas_element.clone().into();
        measure(&element);
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |_entries: js_sys::Array| measure(&element));
        if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            observer.observe(&canvas_element);
            callback.forget();
            on_cleanup(move || observer.disconnect());
        }
    });

    // A corner tells the others which statement is under the pointer, for brushing.
    Effect::new(move |_| {
        let point = hovered.get().map(|(i, _)| i);
        if kind.with_value(Option::is_some) {
            state.corner_hover.set(point);
        }
    });

    let local_point = move |x: i32, y: i32| -> [f32; 2] {
        canvas_ref.get_untracked().map_or([0.0, 0.0], |c| {
            let rect = c.get_bounding_client_rect();
            [x as f32 - rect.left() as f32, y as f32 - rect.top() as f32]
        })
    };
    let zoom = move |factor: f32, anchor: Option<[f32; 2]>| {
        let view = viewport.get_untracked();
        let anchor = anchor.unwrap_or([view.width_px / 2.0, view.height_px / 2.0]);
        let limit = fitted.get_untracked().pixels_per_unit;
        camera.update(|c| c.zoom_about(factor, anchor, view, limit));
    };
    let reset = move || camera.set(fitted.get_untracked());
    // In a corner, Enter points at the statement nearest the view's centre (brushing it, as the pointer would)
    // and Escape lets it go, so brushing works from the keyboard too.
    let corner_keys = move |event: web_sys::KeyboardEvent| {
        if kind.with_value(Option::is_none) {
            return;
        }
        match event.key().as_str() {
            "Enter" => {
                let view = viewport.get_untracked();
                let cam = camera.get_untracked();
                let centre = [view.width_px / 2.0, view.height_px / 2.0];
                let world = cam.world_from_screen(centre, view);
                let reach = view.width_px.min(view.height_px) / 2.0 / cam.pixels_per_unit;
                let found = index.with_value(|index| index.nearest(world, reach));
                if let Some(point) = found {
                    let at = state.analysis.with_untracked(|a| {
                        a.as_ref().and_then(|a| a.positions.get(point)).map(|&p| cam.screen_from_world(p, view))
                    });
                    hovered.set(at.map(|at| (point, at)));
                }
            }
            "Escape" => hovered.set(None),
            _ => {}
        }
    };

    let tooltip = move || {
        let (point, at) = hovered.get()?;
        state.analysis.with(|analysis| {
            let analysis = analysis.as_ref()?;
            let lang = state.lang.get();
            let cluster =
                analysis.cluster(analysis.assignments[point]).map(|c| lang.cluster_label(c)).unwrap_or_default();
            let text = analysis.text_of(point).map(str::to_owned);
            let text_column = analysis.roles.text;
            let metadata: Vec<(String, String)> = analysis
                .columns
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != text_column)
                .map(|(i, name)| (name.clone(), analysis.rows[point][i].clone()))
                .filter(|(_, value)| !value.is_empty())
                .take(8)
                .collect();
            let view = viewport.get_untracked();
            let flip_x = at[0] > view.width_px * 0.6;
            let flip_y = at[1] > view.height_px * 0.6;
            Some(view! {
                <div
                    class="tooltip"
                    data-testid="tooltip"
                    role="tooltip"
                    class:flip-x=flip_x
                    class:flip-y=flip_y
                    style:left=format!("{}px", at[0])
                    style:top=format!("{}px", at[1])
                >
                    <p class="tooltip-cluster">{cluster}</p>
                    {text.map(|t| view! { <p class="tooltip-text">"“"{t}"”"</p> })}
                    <dl>
                        {metadata
                            .into_iter()
                            .map(|(name, value)| view! { <dt>{name}</dt><dd>{value}</dd> })
                            .collect_view()}
                    </dl>
                </div>
            })
        })
    };

    view! {
        <section class="map-area" aria-label=move || state.lang.get().strings().map_label on:keydown=corner_keys>
            <canvas class="map-layer" aria-hidden="true" node_ref=under_ref></canvas>
            <canvas
                class="map"
                data-testid=if main_hooks { "map" } else { "kind-map-canvas" }
                data-renderer=move || renderer_kind.get().map(RendererKind::name)
                data-live=move || state.live_positions.with(Option::is_some).to_string()
                data-live-frames=move || state.live_frames.get()
                tabindex="0"
                role="img"
                aria-label=move || state.lang.get().strings().map_label
                node_ref=canvas_ref
                class:lasso-mode=move || state.lasso.get()
                on:pointerdown=move |event: web_sys::PointerEvent| {
                    let at = local_point(event.client_x(), event.client_y());
                    flight.update_value(|f| *f += 1);
                    if state.lasso.get_untracked() {
                        lasso_path.set(vec![at]);
                        if let Some(c) = canvas_ref.get_untracked() {
                            let _ = c.set_pointer_capture(event.pointer_id());
                        }
                        return;
                    }
                    pressed_at.set_value(Some(at));
                    pointers.update_value(|p| p.press(event.pointer_id(), at));
                    if let Some(c) = canvas_ref.get_untracked() {
                        let _ = c.set_pointer_capture(event.pointer_id());
                    }
                }
                on:pointermove=move |event: web_sys::PointerEvent| {
                    let at = local_point(event.client_x(), event.client_y());
                    if extend_lasso(lasso_path, at) {
                        return;
                    }
                    if pointers.with_value(Pointers::active) {
                        let gesture = pointers.try_update_value(|p| p.moved(event.pointer_id(), at)).flatten();
                        match gesture {
                            Some(Gesture::Pan(delta)) => camera.update(|c| c.pan(delta)),
                            Some(Gesture::Pinch { factor, anchor_px, pan_px }) => {
                                zoom(factor, Some(anchor_px));
                                camera.update(|c| c.pan(pan_px));
                            }
                            None => {}
                        }
                        hovered.set(None);
                        return;
                    }
                    let view = viewport.get_untracked();
                    let cam = camera.get_untracked();
                    let world = cam.world_from_screen(at, view);
                    let reach = HOVER_REACH_PX / cam.pixels_per_unit;
                    let found = index.with_value(|index| index.nearest(world, reach));
                    let next = found.map(|i| (i, at));
                    if hovered.get_untracked().map(|h| h.0) != next.map(|h| h.0) {
                        hovered.set(next);
                    }
                }
                on:pointerup=move |event: web_sys::PointerEvent| {
                    pointers.update_value(|p| p.release(event.pointer_id()));
                    let at = local_point(event.client_x(), event.client_y());
                    let cam = camera.get_untracked();
                    let view = viewport.get_untracked();
                    if finish_lasso(state, lasso_path, cam, view) {
                        return;
                    }
                    if let Some(point) = clicked_point(pressed_at.get_value(), at, cam, view, index) {
                        state.pinned.set(Some(point));
                    }
                    pressed_at.set_value(None);
                }
                on:pointercancel=move |event: web_sys::PointerEvent| {
                    pointers.update_value(|p| p.release(event.pointer_id()));
                    lasso_path.set(Vec::new());
                }
                on:pointerleave=move |_| hovered.set(None)
                on:wheel=move |event: web_sys::WheelEvent| {
                    event.prevent_default();
                    let anchor = local_point(event.client_x(), event.client_y());
                    zoom((-event.delta_y() as f32 * 0.0015).exp(), Some(anchor));
                }
                on:keydown=move |event: web_sys::KeyboardEvent| {
                    let step = 60.0;
                    match event.key().as_str() {
                        "ArrowLeft" => camera.update(|c| c.pan([step, 0.0])),
                        "ArrowRight" => camera.update(|c| c.pan([-step, 0.0])),
                        "ArrowUp" => camera.update(|c| c.pan([0.0, step])),
                        "ArrowDown" => camera.update(|c| c.pan([0.0, -step])),
                        "+" | "=" => zoom(1.25, None),
                        "-" | "_" => zoom(0.8, None),
                        "0" => reset(),
                        // In a corner Enter brushes (see `corner_keys`); pinning a card there would take the focus.
                        "Enter" if kind.with_value(Option::is_none) => {
                            pin_at_centre(state, camera.get_untracked(), viewport.get_untracked(), index)
                        }
                        _ => return,
                    }
                    event.prevent_default();
                }
            ></canvas>
            <canvas class="map-layer" aria-hidden="true" node_ref=over_ref></canvas>
            <svg class="lasso-layer" aria-hidden="true">
                <polygon
                    class="lasso-path"
                    points=move || lasso_path.with(|path| path.iter().map(|p| format!("{},{}", p[0], p[1])).collect::<Vec<_>>().join(" "))
                ></polygon>
            </svg>
            {tooltip}
            <Show when=move || state.analysis.with(Option::is_none)>
                <div class="empty-state">
                    <h2>{move || state.lang.get().strings().empty_title}</h2>
                    <p>{move || state.lang.get().strings().empty_body}</p>
                    <p class="formats">{move || state.lang.get().strings().formats}</p>
                    <p class="privacy">{move || state.lang.get().strings().privacy}</p>
                </div>
            </Show>
            <div class="zoom-controls">
                <button class="button icon" data-testid=main_hooks.then_some("zoom-in") aria-label=move || state.lang.get().strings().zoom_in on:click=move |_| zoom(1.25, None)>"+"</button>
                <button class="button icon" data-testid=main_hooks.then_some("zoom-out") aria-label=move || state.lang.get().strings().zoom_out on:click=move |_| zoom(0.8, None)>"−"</button>
                <button class="button icon" data-testid=main_hooks.then_some("zoom-reset") aria-label=move || state.lang.get().strings().reset_view on:click=move |_| reset()>"⟲"</button>
            </div>
            <p class="map-help">{move || state.lang.get().strings().map_help}</p>
        </section>
    }
}

// Reading the map: search, filters, selection, pinning, the lasso and flights of the camera. Kept apart from the
// drawing above so other views of the map (a focused way) can add their own marks beside these.

/// Points outside the search or the filters keep this share of their opacity: dimmed, never hidden.
const DIMMED_OPACITY: f32 = 0.18;
const SELECTED_SCALE: f32 = 1.6;
const PINNED_SCALE: f32 = 2.4;
/// A press that moves less than this (CSS pixels) before release is a click.
const CLICK_SLOP_PX: f32 = 5.0;
/// A flight zooms in at most this many times the fitted zoom, so a single point keeps its neighbourhood.
const FLIGHT_MAX_ZOOM: f32 = 8.0;
const FLIGHT_MS: f64 = 450.0;

/// Dims points outside the search and the filters, and draws the matches, the selection and the pinned point
/// on top (the selection and pin larger).
fn mark_reading(scene: &mut Scene, state: AppState, reading: Option<Reading>) {
    let (matches, passing) = reading.map_or((None, None), |r| (r.matches.get(), r.passing.get()));
    let selection = state.selection.get();
    let pinned = state.pinned.get();
    let count = scene.positions.len();
    if matches.is_some() || passing.is_some() {
        let mut opacity = std::mem::take(&mut scene.point_opacity);
        opacity.resize(count, 1.0);
        for (i, factor) in opacity.iter_mut().enumerate() {
            if !Reading::shows(&matches, &passing, i) {
                *factor *= DIMMED_OPACITY;
            }
        }
        scene.point_opacity = opacity;
        if matches.is_some() {
            scene.highlighted.extend((0..count as u32).filter(|&i| Reading::shows(&matches, &passing, i as usize)));
        }
    }
    if !selection.is_empty() || pinned.is_some() {
        let mut scales = std::mem::take(&mut scene.point_scales);
        scales.resize(count, 1.0);
        for &i in selection.iter().filter(|&&i| i < count) {
            scales[i] = scales[i].max(SELECTED_SCALE);
            scene.highlighted.push(i as u32);
        }
        if let Some(p) = pinned.filter(|&p| p < count) {
            scales[p] = PINNED_SCALE;
            scene.highlighted.push(p as u32);
        }
        scene.point_scales = scales;
    }
    crate::components::live::mark_new(scene, state);
}

/// Adds a pointer position to a lasso being drawn; false when no lasso is being drawn.
fn extend_lasso(path: RwSignal<Vec<[f32; 2]>>, at: [f32; 2]) -> bool {
    if path.with_untracked(Vec::is_empty) {
        return false;
    }
    let far_enough = path.with_untracked(|p| p.last().is_none_or(|l| (l[0] - at[0]).hypot(l[1] - at[1]) >= 2.0));
    if far_enough {
        path.update(|p| p.push(at));
    }
    true
}

/// Closes a lasso being drawn: the points inside become the selection. False when no lasso was being drawn.
fn finish_lasso(state: AppState, path: RwSignal<Vec<[f32; 2]>>, camera: Camera, view: Viewport) -> bool {
    let screen = path.get_untracked();
    if screen.is_empty() {
        return false;
    }
    path.set(Vec::new());
    let polygon: Vec<[f32; 2]> = screen.iter().map(|&p| camera.world_from_screen(p, view)).collect();
    let picked = state.analysis.with_untracked(|a| a.as_ref().map(|a| points_inside(&a.positions, &polygon)));
    if let Some(picked) = picked.filter(|_| polygon.len() >= 3) {
        state.selection.set(picked);
    }
    true
}

/// The point under a click (a press released where it began), if any.
fn clicked_point(
    pressed: Option<[f32; 2]>,
    released: [f32; 2],
    camera: Camera,
    view: Viewport,
    index: StoredValue<Arc<SpatialIndex>, LocalStorage>,
) -> Option<usize> {
    let pressed = pressed?;
    if (pressed[0] - released[0]).hypot(pressed[1] - released[1]) > CLICK_SLOP_PX {
        return None;
    }
    let world = camera.world_from_screen(released, view);
    index.with_value(|index| index.nearest(world, HOVER_REACH_PX / camera.pixels_per_unit))
}

/// Enter on the map pins the statement nearest the view's centre (within reach of a generous pointer), so a
/// card can be opened without a mouse: pan with the arrows, then Enter.
fn pin_at_centre(state: AppState, camera: Camera, view: Viewport, index: StoredValue<Arc<SpatialIndex>, LocalStorage>) {
    let centre = camera.world_from_screen([view.width_px / 2.0, view.height_px / 2.0], view);
    let reach = view.width_px.min(view.height_px) / 4.0 / camera.pixels_per_unit;
    if let Some(point) = index.with_value(|index| index.nearest(centre, reach)) {
        state.pinned.set(Some(point));
    }
}

/// The camera that shows `bounds`, no further in than [`FLIGHT_MAX_ZOOM`] times the fitted view.
fn flight_target(bounds: [f32; 4], view: Viewport, fitted: Camera) -> Camera {
    let mut target = Camera::fit(bounds, view, FIT_MARGIN_PX * 2.0);
    let most = fitted.pixels_per_unit * FLIGHT_MAX_ZOOM;
    if !target.pixels_per_unit.is_finite() || target.pixels_per_unit > most {
        target.pixels_per_unit = most;
    }
    target
}

/// Whether the person asked their system for less motion.
fn reduced_motion() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let Ok(match_media) = js_sys::Reflect::get(&window, &JsValue::from_str("matchMedia")) else { return false };
    let Ok(match_media) = match_media.dyn_into::<js_sys::Function>() else { return false };
    match_media
        .call1(&window, &JsValue::from_str("(prefers-reduced-motion: reduce)"))
        .ok()
        .and_then(|list| js_sys::Reflect::get(&list, &JsValue::from_str("matches")).ok())
        .and_then(|matches| matches.as_bool())
        .unwrap_or(false)
}

type Frame = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Flies to a framing (`None`: the whole map) over a short eased flight, zooming evenly in scale. Each frame
/// places the framing in the viewport as it is then, so entering full screen during the flight still lands on
/// the same part of the map. At once when the person prefers less motion; a newer flight or a grab ends it.
fn fly_framing(
    camera: RwSignal<Camera>,
    viewport: RwSignal<Viewport>,
    fitted: RwSignal<Camera>,
    goal: Option<vejkort_engine::project::Framing>,
    flight: StoredValue<u32>,
) {
    use crate::share::{camera_for, framing_of};
    let generation = flight.try_update_value(|f| {
        *f += 1;
        *f
    });
    let target = move || goal.unwrap_or_else(|| framing_of(fitted.get_untracked(), viewport.get_untracked()));
    let from = framing_of(camera.get_untracked(), viewport.get_untracked());
    if reduced_motion() {
        camera.set(camera_for(target(), viewport.get_untracked()));
        return;
    }
    let frame: Frame = Rc::new(RefCell::new(None));
    let again = Rc::clone(&frame);
    let mut start = None;
    *frame.borrow_mut() = Some(Closure::new(move |now: f64| {
        if flight.try_get_value() != generation {
            drop(again.borrow_mut().take());
            return;
        }
        let t = ((now - *start.get_or_insert(now)) / FLIGHT_MS).clamp(0.0, 1.0);
        let eased = t * t * (3.0 - 2.0 * t);
        let to = target();
        let view = viewport.get_untracked();
        if t >= 1.0 {
            camera.set(camera_for(to, view));
            drop(again.borrow_mut().take());
            return;
        }
        let span = (from.span.ln() + (to.span.ln() - from.span.ln()) * eased).exp();
        let centre = [
            from.centre[0] + (to.centre[0] - from.centre[0]) * eased,
            from.centre[1] + (to.centre[1] - from.centre[1]) * eased,
        ];
        camera.set(camera_for(vejkort_engine::project::Framing { centre, span }, view));
        request_frame(&again);
    }));
    request_frame(&frame);
}

fn request_frame(frame: &Frame) {
    if let (Some(window), Some(callback)) = (web_sys::window(), frame.borrow().as_ref()) {
        let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
    }
}

/// Moves the camera to `to` over a short eased flight (zooming evenly in scale), so the eye can follow where
/// the map went; at once when the person prefers less motion. A newer flight or a grab of the map ends it.
fn fly_camera(camera: RwSignal<Camera>, to: Camera, flight: StoredValue<u32>) {
    let generation = flight.try_update_value(|f| {
        *f += 1;
        *f
    });
    let from = camera.get_untracked();
    if reduced_motion() {
        camera.set(to);
        return;
    }
    let frame: Frame = Rc::new(RefCell::new(None));
    let again = Rc::clone(&frame);
    let mut start = None;
    *frame.borrow_mut() = Some(Closure::new(move |now: f64| {
        if flight.try_get_value() != generation {
            drop(again.borrow_mut().take());
            return;
        }
        let t = ((now - *start.get_or_insert(now)) / FLIGHT_MS).clamp(0.0, 1.0) as f32;
        let eased = t * t * (3.0 - 2.0 * t);
        let zoom = (from.pixels_per_unit.ln() + (to.pixels_per_unit.ln() - from.pixels_per_unit.ln()) * eased).exp();
        let centre = [
            from.centre[0] + (to.centre[0] - from.centre[0]) * eased,
            from.centre[1] + (to.centre[1] - from.centre[1]) * eased,
        ];
        // The last frame lands exactly on the target, so a tour stop or link shows the very view it saved.
        camera.set(if t < 1.0 { Camera { centre, pixels_per_unit: zoom } } else { to });
        if t < 1.0 {
            request_frame(&again);
        } else {
            drop(again.borrow_mut().take());
        }
    }));
    request_frame(&frame);
}
