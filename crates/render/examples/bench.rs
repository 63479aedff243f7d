//! The render benchmark's Vejkort side: a page (`bench/render/`) hands it point data and a camera per frame.
//!
//! Built with `wasm-bindgen --target web` by `scripts/bench-render.mjs`; not part of the app or the tests. It
//! draws through the same [`Renderer`] as the app, so the figures include what the app pays per frame.

use std::sync::Arc;

use vejkort_render::camera::Viewport;
use vejkort_render::palette::Rgba;
use vejkort_render::renderer::Layers;
use vejkort_render::spatial::SpatialIndex;
use vejkort_render::{Camera, Renderer, RendererKind, Scene};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen]
pub struct Bench {
    renderer: Renderer,
    positions: Vec<[f32; 2]>,
    index: Option<SpatialIndex>,
    viewport: Viewport,
    device_pixel_ratio: f64,
}

#[wasm_bindgen]
impl Bench {
    /// `positions` are x, y pairs; `colours` r, g, b, a bytes per point; `kind` is "webgl2" or "canvas2d".
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        under: HtmlCanvasElement,
        points: HtmlCanvasElement,
        over: HtmlCanvasElement,
        kind: &str,
        positions: &[f32],
        colours: &[u8],
        radius_px: f32,
        width_px: f32,
        height_px: f32,
        device_pixel_ratio: f64,
    ) -> Result<Bench, JsValue> {
        let wanted = RendererKind::from_name(kind).ok_or_else(|| JsValue::from_str("unknown renderer"))?;
        let mut renderer = Renderer::new(Layers { under, points, over }, wanted);
        if renderer.kind() != wanted {
            return Err(JsValue::from_str("the wanted renderer is not available"));
        }
        let positions: Vec<[f32; 2]> = positions.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
        let scene = Scene {
            positions: positions.clone(),
            colours: colours.chunks_exact(4).map(|c| Rgba { r: c[0], g: c[1], b: c[2], a: c[3] }).collect(),
            point_radius_px: radius_px,
            ..Scene::default()
        };
        renderer.set_scene(Some(Arc::new(scene)));
        Ok(Bench { renderer, positions, index: None, viewport: Viewport { width_px, height_px }, device_pixel_ratio })
    }

    /// Draws one frame looking at (`x`, `y`) with `pixels_per_unit` CSS pixels per data unit.
    pub fn frame(&self, x: f32, y: f32, pixels_per_unit: f32) {
        let camera = Camera { centre: [x, y], pixels_per_unit };
        self.renderer.draw(None, &camera, self.viewport, self.device_pixel_ratio);
    }

    /// Builds the hover index over the points (the page times this call).
    pub fn build_index(&mut self) {
        self.index = Some(SpatialIndex::new(&self.positions));
    }

    /// Runs `count` hover queries of `radius` data units on a fixed walk over [-1, 1]² (the page times this
    /// call); returns how many found a point, so the work cannot be skipped.
    pub fn query_index(&self, count: u32, radius: f32) -> u32 {
        let Some(index) = &self.index else { return 0 };
        (0..count)
            .filter(|&i| {
                let t = i as f32 / count.max(1) as f32;
                let at = [(t * 97.0).fract() * 2.0 - 1.0, (t * 61.0).fract() * 2.0 - 1.0];
                index.nearest(at, radius).is_some()
            })
            .count() as u32
    }
}
