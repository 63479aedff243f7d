//! One drawing API for the map, whichever back end the browser allows.
//!
//! The map is three stacked canvases: outlines beneath, points in the middle, labels and the hovered point on
//! top. With WebGL2 the middle canvas draws the points from GPU buffers and the other two are 2-D; without it
//! (or when asked, e.g. by tests) the middle canvas draws everything with Canvas2D and the other two stay
//! empty. The middle canvas is the one that takes input and carries the map's test hooks.

use std::rc::Rc;
use std::sync::Arc;

use web_sys::HtmlCanvasElement;

use crate::camera::{Camera, Viewport};
use crate::webgl::{WebGlOptions, WebGlPoints};
use crate::{canvas, overlay, Scene};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RendererKind {
    WebGl2,
    Canvas2d,
}

impl RendererKind {
    /// The name used in `data-renderer` and in the `renderer` query parameter.
    pub fn name(self) -> &'static str {
        match self {
            RendererKind::WebGl2 => "webgl2",
            RendererKind::Canvas2d => "canvas2d",
        }
    }

    pub fn from_name(name: &str) -> Option<RendererKind> {
        match name {
            "webgl2" => Some(RendererKind::WebGl2),
            "canvas2d" => Some(RendererKind::Canvas2d),
            _ => None,
        }
    }

    /// The back end a page's query string (`?renderer=canvas2d`, with or without the `?`) asks for, if any.
    pub fn from_query(query: &str) -> Option<RendererKind> {
        query
            .trim_start_matches('?')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "renderer")
            .and_then(|(_, value)| RendererKind::from_name(value))
    }
}

/// The map's three canvases, bottom to top.
#[derive(Debug, Clone)]
pub struct Layers {
    pub under: HtmlCanvasElement,
    pub points: HtmlCanvasElement,
    pub over: HtmlCanvasElement,
}

enum BackEnd {
    WebGl2(WebGlPoints),
    Canvas2d,
}

pub struct Renderer {
    layers: Layers,
    back_end: BackEnd,
    scene: Option<Arc<Scene>>,
}

impl Renderer {
    /// A renderer of the `wanted` kind, falling back to Canvas2D when WebGL2 is not available.
    pub fn new(layers: Layers, wanted: RendererKind) -> Renderer {
        let back_end = match wanted {
            RendererKind::WebGl2 => {
                WebGlPoints::new(&layers.points, WebGlOptions::default()).map_or(BackEnd::Canvas2d, BackEnd::WebGl2)
            }
            RendererKind::Canvas2d => BackEnd::Canvas2d,
        };
        Renderer { layers, back_end, scene: None }
    }

    pub fn kind(&self) -> RendererKind {
        match self.back_end {
            BackEnd::WebGl2(_) => RendererKind::WebGl2,
            BackEnd::Canvas2d => RendererKind::Canvas2d,
        }
    }

    /// The WebGL2 back end, when that is the one drawing.
    pub fn webgl(&self) -> Option<&WebGlPoints> {
        match &self.back_end {
            BackEnd::WebGl2(points) => Some(points),
            BackEnd::Canvas2d => None,
        }
    }

    /// `redraw` is called when a lost WebGL context is back and the view needs drawing again.
    pub fn on_restored(&mut self, redraw: Rc<dyn Fn()>) {
        if let BackEnd::WebGl2(points) = &mut self.back_end {
            points.on_restored(redraw);
        }
    }

    /// The scene to draw from now on. Passing the same `Arc` again costs nothing; a new one is uploaded once.
    pub fn set_scene(&mut self, scene: Option<Arc<Scene>>) {
        if let BackEnd::WebGl2(points) = &mut self.back_end {
            points.set_scene(scene.as_ref());
        }
        self.scene = scene;
    }

    pub fn draw(&self, hovered: Option<usize>, camera: &Camera, viewport: Viewport, device_pixel_ratio: f64) {
        let clear = |context: &web_sys::CanvasRenderingContext2d| {
            context.clear_rect(0.0, 0.0, viewport.width_px as f64, viewport.height_px as f64)
        };
        match &self.back_end {
            BackEnd::Canvas2d => {
                for layer in [&self.layers.under, &self.layers.over] {
                    overlay_layer(layer, false, viewport, device_pixel_ratio);
                }
                let Some(context) = canvas::prepare(&self.layers.points, viewport, device_pixel_ratio) else { return };
                match &self.scene {
                    Some(scene) => canvas::draw(&context, scene, hovered, camera, viewport),
                    None => clear(&context),
                }
            }
            BackEnd::WebGl2(points) => {
                points.draw(camera, viewport, device_pixel_ratio);
                let scene = self.scene.as_deref();
                let outlines = scene.is_some_and(|s| !s.outlines.is_empty());
                let labels = scene.is_some_and(|s| {
                    hovered.is_some() || !s.labels.is_empty() || !s.fine_labels.is_empty() || !s.point_texts.is_empty()
                });
                let under = overlay_layer(&self.layers.under, outlines, viewport, device_pixel_ratio);
                let over = overlay_layer(&self.layers.over, labels, viewport, device_pixel_ratio);
                let Some(scene) = scene else { return };
                if let Some(context) = &under {
                    overlay::draw_outlines(context, scene, camera, viewport);
                }
                if let Some(context) = &over {
                    overlay::draw_hovered(context, scene, hovered, camera, viewport);
                    overlay::draw_labels(context, scene, camera, viewport);
                }
            }
        }
    }
}

/// A cleared 2-D context on `layer` when it has something to show; otherwise the layer is hidden, so the
/// compositor does not blend an empty full-size canvas every frame.
fn overlay_layer(
    layer: &HtmlCanvasElement,
    needed: bool,
    viewport: Viewport,
    device_pixel_ratio: f64,
) -> Option<web_sys::CanvasRenderingContext2d> {
    if layer.hidden() == needed {
        layer.set_hidden(!needed);
    }
    if !needed {
        return None;
    }
    let context = canvas::prepare(layer, viewport, device_pixel_ratio)?;
    context.clear_rect(0.0, 0.0, viewport.width_px as f64, viewport.height_px as f64);
    Some(context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_can_ask_for_a_back_end() {
        assert_eq!(RendererKind::from_query("?renderer=canvas2d"), Some(RendererKind::Canvas2d));
        assert_eq!(RendererKind::from_query("lang=da&renderer=webgl2"), Some(RendererKind::WebGl2));
        assert_eq!(RendererKind::from_query("?renderer=vulkan"), None);
        assert_eq!(RendererKind::from_query(""), None);
        for kind in [RendererKind::WebGl2, RendererKind::Canvas2d] {
            assert_eq!(RendererKind::from_name(kind.name()), Some(kind));
        }
    }
}
