//! Drawing a [`Scene`] on a 2-D canvas.
//!
//! Points of one colour are drawn as one path and filled once, which keeps tens of thousands of points smooth
//! on Canvas2D. Outlines go under the points, labels over them, each label on a pale plate so it stays readable
//! on a projector. The canvas's backing store is sized for the device pixel ratio, so text is sharp.

use std::collections::BTreeMap;

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::camera::{Camera, Viewport};
use crate::labels::{place_labels, LabelBox};
use crate::palette::Rgba;
use crate::Scene;

/// Label font size in CSS pixels; large enough for the back of a room.
pub const LABEL_FONT_PX: f32 = 15.0;
const LABEL_PADDING_PX: f32 = 4.0;

/// Sizes the canvas's pixel buffer for `viewport` at `device_pixel_ratio` and returns its 2-D context.
pub fn prepare(
    canvas: &HtmlCanvasElement,
    viewport: Viewport,
    device_pixel_ratio: f64,
) -> Option<CanvasRenderingContext2d> {
    let width = (viewport.width_px as f64 * device_pixel_ratio).round().max(1.0) as u32;
    let height = (viewport.height_px as f64 * device_pixel_ratio).round().max(1.0) as u32;
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let context = canvas.get_context("2d").ok()??;
    let context: CanvasRenderingContext2d = wasm_bindgen::JsCast::dyn_into(context).ok()?;
    context.set_transform(device_pixel_ratio, 0.0, 0.0, device_pixel_ratio, 0.0, 0.0).ok()?;
    Some(context)
}

/// Draws `scene` as seen by `camera`, with point `hovered` (the one under the pointer) drawn larger and ringed.
pub fn draw(
    context: &CanvasRenderingContext2d,
    scene: &Scene,
    hovered: Option<usize>,
    camera: &Camera,
    viewport: Viewport,
) {
    context.clear_rect(0.0, 0.0, viewport.width_px as f64, viewport.height_px as f64);
    draw_outlines(context, scene, camera, viewport);
    draw_points(context, scene, hovered, camera, viewport);
    draw_labels(context, scene, camera, viewport);
}

fn draw_outlines(context: &CanvasRenderingContext2d, scene: &Scene, camera: &Camera, viewport: Viewport) {
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

fn draw_points(
    context: &CanvasRenderingContext2d,
    scene: &Scene,
    hovered: Option<usize>,
    camera: &Camera,
    viewport: Viewport,
) {
    let radius = scene.point_radius_px.max(0.5) as f64;
    let mut by_colour: BTreeMap<(u8, u8, u8, u8), Vec<usize>> = BTreeMap::new();
    for (i, colour) in scene.colours.iter().enumerate().take(scene.positions.len()) {
        by_colour.entry((colour.r, colour.g, colour.b, colour.a)).or_default().push(i);
    }
    let margin = radius as f32 + 1.0;
    // Faint points first so highlighted (opaque) ones sit on top.
    let mut groups: Vec<_> = by_colour.into_iter().collect();
    groups.sort_by_key(|((_, _, _, a), _)| *a);
    for ((r, g, b, a), points) in groups {
        context.set_fill_style_str(&Rgba { r, g, b, a }.css());
        context.begin_path();
        for i in points {
            let [x, y] = camera.screen_from_world(scene.positions[i], viewport);
            if x < -margin || y < -margin || x > viewport.width_px + margin || y > viewport.height_px + margin {
                continue;
            }
            context.move_to(x as f64 + radius, y as f64);
            let _ = context.arc(x as f64, y as f64, radius, 0.0, std::f64::consts::TAU);
        }
        context.fill();
    }
    if let Some(i) = hovered.filter(|&i| i < scene.positions.len()) {
        let [x, y] = camera.screen_from_world(scene.positions[i], viewport);
        context.begin_path();
        let _ = context.arc(x as f64, y as f64, radius * 2.2, 0.0, std::f64::consts::TAU);
        context.set_fill_style_str(&scene.colours.get(i).copied().unwrap_or(Rgba::rgb(0, 0, 0)).css());
        context.fill();
        context.set_stroke_style_str("#111");
        context.set_line_width(2.0);
        context.stroke();
    }
}

fn draw_labels(context: &CanvasRenderingContext2d, scene: &Scene, camera: &Camera, viewport: Viewport) {
    // A label whose anchor is on screen is pulled fully inside the edges; one whose anchor is off screen waits
    // until the user pans to it.
    let mut candidates: Vec<usize> = Vec::new();
    let mut boxes: Vec<LabelBox> = Vec::new();
    for (index, label) in scene.labels.iter().enumerate() {
        let anchor = camera.screen_from_world(label.position, viewport);
        if !(0.0..=viewport.width_px).contains(&anchor[0]) || !(0.0..=viewport.height_px).contains(&anchor[1]) {
            continue;
        }
        context.set_font(&font(label.emphasised));
        let width = context.measure_text(&label.text).map_or(label.text.len() as f64 * 8.0, |m| m.width()) as f32
            + 2.0 * LABEL_PADDING_PX;
        let height = LABEL_FONT_PX + 2.0 * LABEL_PADDING_PX;
        let inside = |value: f32, size: f32, limit: f32| value.clamp(size / 2.0, (limit - size / 2.0).max(size / 2.0));
        candidates.push(index);
        boxes.push(LabelBox {
            centre_px: [inside(anchor[0], width, viewport.width_px), inside(anchor[1], height, viewport.height_px)],
            width_px: width,
            height_px: height,
            priority: label.priority + if label.emphasised { 1e9 } else { 0.0 },
        });
    }
    context.set_text_align("center");
    context.set_text_baseline("middle");
    for placed in place_labels(&boxes) {
        let label = &scene.labels[candidates[placed]];
        let b = boxes[placed];
        context.set_font(&font(label.emphasised));
        context.set_fill_style_str("rgba(255,255,255,0.85)");
        let left = (b.centre_px[0] - b.width_px / 2.0) as f64;
        let top = (b.centre_px[1] - b.height_px / 2.0) as f64;
        context.begin_path();
        let _ = context.round_rect_with_f64(left, top, b.width_px as f64, b.height_px as f64, 4.0);
        context.fill();
        context.set_fill_style_str("#1a1a1a");
        let _ = context.fill_text(&label.text, b.centre_px[0] as f64, b.centre_px[1] as f64);
    }
}

fn font(emphasised: bool) -> String {
    format!("{} {LABEL_FONT_PX}px system-ui, sans-serif", if emphasised { "700" } else { "600" })
}
