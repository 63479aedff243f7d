//! The parts of the map drawn with a 2-D context by both back ends: way outlines, labels and the hovered point.
//!
//! Text needs a 2-D context, so even the WebGL2 back end draws labels this way, on a canvas above its points.
//! Labels come in three tiers that share one placement, so nothing ever overlaps: cluster labels at every zoom,
//! finer labels from a zoom the scene sets, and at close zoom the statements of points near the view's centre.
//! Within a tier the higher priority wins; a lower tier only takes the space left.

use web_sys::CanvasRenderingContext2d;

use crate::camera::{Camera, Viewport};
use crate::labels::{place_labels, LabelBox};
use crate::palette::Rgba;
use crate::{Label, Scene};

/// Label font size in CSS pixels; large enough for the back of a room.
pub const LABEL_FONT_PX: f32 = 15.0;
/// Label font size with [`Scene::large_labels`], for a projector.
pub const LARGE_LABEL_FONT_PX: f32 = 22.0;
/// At most this many statements are written on the map at once; more would be a wall of text.
pub const MAX_POINT_TEXTS: usize = 30;
/// Statements are cut to this many characters (with an ellipsis); the tooltip shows them whole.
const POINT_TEXT_CHARS: usize = 60;
const LABEL_PADDING_PX: f32 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Cluster,
    Fine,
    PointText,
}

/// A label that may be drawn this frame.
struct Candidate {
    text: String,
    tier: Tier,
    emphasised: bool,
    anchor_px: [f32; 2],
    priority: f32,
}

/// Font size of cluster and fine labels; statements are written a little smaller.
pub fn label_font_px(scene: &Scene) -> f32 {
    if scene.large_labels {
        LARGE_LABEL_FONT_PX
    } else {
        LABEL_FONT_PX
    }
}

fn font(scene: &Scene, tier: Tier, emphasised: bool) -> String {
    let size = label_font_px(scene);
    match tier {
        Tier::Cluster => format!("{} {size}px system-ui, sans-serif", if emphasised { "700" } else { "600" }),
        Tier::Fine => format!("italic 500 {}px system-ui, sans-serif", (size * 0.9).round()),
        Tier::PointText => format!("400 {}px system-ui, sans-serif", (size * 0.85).round()),
    }
}

/// Way outlines: filled translucent, padded by a wide round pen, edged by a thin darker line.
pub fn draw_outlines(context: &CanvasRenderingContext2d, scene: &Scene, camera: &Camera, viewport: Viewport) {
    context.set_line_join("round");
    for outline in &scene.outlines {
        if outline.polygon.is_empty() {
            continue;
        }
        context.begin_path();
        for (i, &p) in outline.polygon.iter().enumerate() {
            let [x, y] = camera.screen_from_world(p, viewport);
            if i == 0 {
                context.move_to(x as f64, y as f64);
            } else {
                context.line_to(x as f64, y as f64);
            }
        }
        context.close_path();
        let fill = outline.colour.with_alpha(40).css();
        context.set_fill_style_str(&fill);
        context.fill();
        // The wide round pen pads the polygon and rounds its corners; a thin darker line marks its edge.
        context.set_stroke_style_str(&fill);
        context.set_line_width((outline.padding_px * 2.0) as f64);
        context.stroke();
        context.set_stroke_style_str(&outline.colour.with_alpha(200).css());
        context.set_line_width(2.0);
        context.stroke();
    }
}

/// The hovered point, drawn larger and ringed.
pub fn draw_hovered(
    context: &CanvasRenderingContext2d,
    scene: &Scene,
    hovered: Option<usize>,
    camera: &Camera,
    viewport: Viewport,
) {
    let Some(i) = hovered.filter(|&i| i < scene.positions.len()) else { return };
    let radius = (scene.point_radius_px * scene.scale_of(i)).max(0.5) as f64;
    let [x, y] = camera.screen_from_world(scene.positions[i], viewport);
    context.begin_path();
    let _ = context.arc(x as f64, y as f64, radius * 2.2, 0.0, std::f64::consts::TAU);
    context.set_fill_style_str(&scene.colours.get(i).copied().unwrap_or(Rgba::rgb(0, 0, 0)).css());
    context.fill();
    context.set_stroke_style_str("#111");
    context.set_line_width(2.0);
    context.stroke();
}

fn on_screen(anchor: [f32; 2], viewport: Viewport) -> bool {
    (0.0..=viewport.width_px).contains(&anchor[0]) && (0.0..=viewport.height_px).contains(&anchor[1])
}

fn label_candidates(labels: &[Label], tier: Tier, camera: &Camera, viewport: Viewport) -> Vec<Candidate> {
    labels
        .iter()
        .map(|label| Candidate {
            text: label.text.clone(),
            tier,
            emphasised: label.emphasised,
            anchor_px: camera.screen_from_world(label.position, viewport),
            priority: label.priority,
        })
        // A label whose anchor is off screen waits until the user pans to it.
        .filter(|c| on_screen(c.anchor_px, viewport))
        .collect()
}

/// The points on screen nearest the view's centre, nearest first, at most `limit`; undimmed before dimmed.
pub fn points_near_centre(scene: &Scene, camera: &Camera, viewport: Viewport, limit: usize) -> Vec<usize> {
    let half = [viewport.width_px / 2.0 / camera.pixels_per_unit, viewport.height_px / 2.0 / camera.pixels_per_unit];
    let mut near: Vec<(f32, usize)> = Vec::new();
    for (i, p) in scene.positions.iter().enumerate() {
        let dx = (p[0] - camera.centre[0]) / half[0];
        let dy = (p[1] - camera.centre[1]) / half[1];
        if dx.abs() <= 1.0 && dy.abs() <= 1.0 {
            let dimmed = scene.point_opacity.get(i).is_some_and(|&o| o < 0.5);
            near.push((dx * dx + dy * dy + if dimmed { 10.0 } else { 0.0 }, i));
        }
    }
    if near.len() > limit {
        near.select_nth_unstable_by(limit, |a, b| a.0.total_cmp(&b.0));
        near.truncate(limit);
    }
    near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    near.into_iter().map(|(_, i)| i).collect()
}

fn shortened(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= POINT_TEXT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(POINT_TEXT_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Which labels of `scene` are visible at this camera, in every tier, before placement.
fn candidates(scene: &Scene, camera: &Camera, viewport: Viewport) -> Vec<Candidate> {
    let mut all = label_candidates(&scene.labels, Tier::Cluster, camera, viewport);
    if camera.pixels_per_unit >= scene.fine_labels_min_pixels_per_unit {
        all.extend(label_candidates(&scene.fine_labels, Tier::Fine, camera, viewport));
    }
    if !scene.point_texts.is_empty() && camera.pixels_per_unit >= scene.point_texts_min_pixels_per_unit {
        // Twice as many candidates as can be shown, since some will collide with others.
        let near = points_near_centre(scene, camera, viewport, 2 * MAX_POINT_TEXTS);
        for (rank, i) in near.into_iter().enumerate() {
            let Some(text) = scene.point_texts.get(i).filter(|t| !t.trim().is_empty()) else { continue };
            let [x, y] = camera.screen_from_world(scene.positions[i], viewport);
            let gap = scene.point_radius_px * scene.scale_of(i) + 2.0;
            all.push(Candidate {
                text: shortened(text),
                tier: Tier::PointText,
                emphasised: false,
                // Beside the point, not over it, so the dot stays visible; nearer the centre is more important.
                anchor_px: [x, y - gap - label_font_px(scene) * 0.6],
                priority: -(rank as f32),
            });
        }
    }
    all
}

/// Draws every visible label tier without overlaps; returns how many labels of each tier were drawn (cluster,
/// fine, statement), which tests and diagnostics read.
pub fn draw_labels(
    context: &CanvasRenderingContext2d,
    scene: &Scene,
    camera: &Camera,
    viewport: Viewport,
) -> [usize; 3] {
    let candidates = candidates(scene, camera, viewport);
    // One placement for all tiers: rank by (tier, emphasis, priority) and hand place_labels the rank, which
    // keeps f32 priorities of different tiers from mixing.
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (&candidates[a], &candidates[b]);
        ca.tier
            .cmp(&cb.tier)
            .then(cb.emphasised.cmp(&ca.emphasised))
            .then(cb.priority.total_cmp(&ca.priority))
            .then(a.cmp(&b))
    });
    let height = label_font_px(scene) + 2.0 * LABEL_PADDING_PX;
    let mut boxes =
        vec![LabelBox { centre_px: [0.0, 0.0], width_px: 0.0, height_px: 0.0, priority: 0.0 }; candidates.len()];
    for (rank, &index) in order.iter().enumerate() {
        let candidate = &candidates[index];
        context.set_font(&font(scene, candidate.tier, candidate.emphasised));
        let width = context.measure_text(&candidate.text).map_or(candidate.text.len() as f64 * 8.0, |m| m.width())
            as f32
            + 2.0 * LABEL_PADDING_PX;
        // Pulled fully inside the edges, so a label near the border is not cut.
        let inside = |value: f32, size: f32, limit: f32| value.clamp(size / 2.0, (limit - size / 2.0).max(size / 2.0));
        boxes[index] = LabelBox {
            centre_px: [
                inside(candidate.anchor_px[0], width, viewport.width_px),
                inside(candidate.anchor_px[1], height, viewport.height_px),
            ],
            width_px: width,
            height_px: height,
            priority: (candidates.len() - rank) as f32,
        };
    }
    context.set_text_align("center");
    context.set_text_baseline("middle");
    let mut drawn = [0usize; 3];
    let mut texts = 0;
    for placed in place_labels(&boxes) {
        let candidate = &candidates[placed];
        if candidate.tier == Tier::PointText {
            if texts == MAX_POINT_TEXTS {
                continue;
            }
            texts += 1;
        }
        drawn[candidate.tier as usize] += 1;
        let b = boxes[placed];
        context.set_font(&font(scene, candidate.tier, candidate.emphasised));
        context.set_fill_style_str(match candidate.tier {
            Tier::PointText => "rgba(255,255,255,0.78)",
            _ => "rgba(255,255,255,0.85)",
        });
        let left = (b.centre_px[0] - b.width_px / 2.0) as f64;
        let top = (b.centre_px[1] - b.height_px / 2.0) as f64;
        context.begin_path();
        let _ = context.round_rect_with_f64(left, top, b.width_px as f64, b.height_px as f64, 4.0);
        context.fill();
        context.set_fill_style_str(match candidate.tier {
            Tier::Cluster => "#1a1a1a",
            Tier::Fine => "#33415c",
            Tier::PointText => "#2b2b2b",
        });
        let _ = context.fill_text(&candidate.text, b.centre_px[0] as f64, b.centre_px[1] as f64);
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_statements_are_cut_with_an_ellipsis() {
        assert_eq!(shortened("  kort   udsagn "), "kort udsagn");
        let long = "ø".repeat(200);
        let cut = shortened(&long);
        assert_eq!(cut.chars().count(), POINT_TEXT_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn points_near_the_centre_come_first_and_off_screen_ones_never() {
        let scene = Scene {
            positions: vec![[5.0, 5.0], [0.1, 0.0], [100.0, 0.0], [-1.0, 1.0], [0.0, 0.0]],
            point_opacity: vec![1.0, 1.0, 1.0, 1.0, 0.1],
            ..Scene::default()
        };
        let camera = Camera { centre: [0.0, 0.0], pixels_per_unit: 20.0 };
        let view = Viewport { width_px: 400.0, height_px: 300.0 };
        // Point 4 sits at the centre but is dimmed, so it comes after the undimmed ones.
        assert_eq!(points_near_centre(&scene, &camera, view, 10), [1, 3, 0, 4]);
        assert_eq!(points_near_centre(&scene, &camera, view, 2), [1, 3]);
    }
}
