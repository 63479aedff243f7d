//! Drawing a [`Scene`] on one 2-D canvas: the fallback where WebGL2 is missing.
//!
//! Points of one colour and size are drawn as one path and filled once, which keeps tens of thousands of points
//! smooth on Canvas2D. Outlines go under the points, labels over them ([`crate::overlay`]), each label on a pale
//! plate so it stays readable on a projector. The canvas's backing store is sized for the device pixel ratio, so
//! text is sharp.

use std::collections::BTreeMap;

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::camera::{Camera, Viewport};
use crate::overlay::{draw_hovered, draw_labels, draw_outlines};
use crate::palette::Rgba;
use crate::Scene;

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
    draw_points(context, scene, camera, viewport);
    draw_hovered(context, scene, hovered, camera, viewport);
    draw_labels(context, scene, camera, viewport);
}

fn draw_points(context: &CanvasRenderingContext2d, scene: &Scene, camera: &Camera, viewport: Viewport) {
    let count = scene.positions.len().min(scene.colours.len());
    // Faint points first (batches are ordered alpha first), so opaque ones sit on top; the highlighted ones last,
    // undimmed.
    let everyone = batches(scene, 0..count, |i| scene.shown_colour(i));
    let highlighted = scene.highlighted.iter().map(|&i| i as usize).filter(|&i| i < count);
    let on_top = batches(scene, highlighted, |i| scene.colours[i]);
    for ((a, radius_tenths, r, g, b), points) in everyone.into_iter().chain(on_top) {
        fill_points(context, scene, &points, Rgba { r, g, b, a }, radius_tenths as f32 / 10.0, camera, viewport);
    }
}

type Batches = BTreeMap<(u8, u32, u8, u8, u8), Vec<usize>>;

/// Groups points by colour and radius, so each group is one path. Radii are quantised to a tenth of a pixel so
/// that per-point sizes still batch.
fn batches(scene: &Scene, points: impl Iterator<Item = usize>, colour_of: impl Fn(usize) -> Rgba) -> Batches {
    let mut batches = Batches::new();
    for i in points {
        let colour = colour_of(i);
        let radius_tenths = ((scene.point_radius_px * scene.scale_of(i)).max(0.5) * 10.0).round() as u32;
        batches.entry((colour.a, radius_tenths, colour.r, colour.g, colour.b)).or_default().push(i);
    }
    batches
}

fn fill_points(
    context: &CanvasRenderingContext2d,
    scene: &Scene,
    points: &[usize],
    colour: Rgba,
    radius: f32,
    camera: &Camera,
    viewport: Viewport,
) {
    let margin = radius + 1.0;
    context.set_fill_style_str(&colour.css());
    context.begin_path();
    for &i in points {
        let [x, y] = camera.screen_from_world(scene.positions[i], viewport);
        if x < -margin || y < -margin || x > viewport.width_px + margin || y > viewport.height_px + margin {
            continue;
        }
        context.move_to((x + radius) as f64, y as f64);
        let _ = context.arc(x as f64, y as f64, radius as f64, 0.0, std::f64::consts::TAU);
    }
    context.fill();
}
