//! Drawing a scene's points with WebGL2, fast enough for a million of them.
//!
//! Each point is one vertex drawn as a `POINTS` sprite; the fragment shader cuts it to a disc with an
//! antialiased edge. Positions, colours, sizes and opacities go to the GPU once per scene, in data space; a
//! frame only sets the camera uniforms and issues two draw calls (all points, then the highlighted ones on top),
//! so panning and zooming never re-upload anything. When the browser takes the context away (GPU reset, too many
//! contexts) the points vanish until it gives it back; then the program and buffers are rebuilt from the scene
//! kept here and the owner is asked to redraw.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use js_sys::{Float32Array, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    HtmlCanvasElement, WebGl2RenderingContext as Gl, WebGlBuffer, WebGlContextAttributes, WebGlProgram, WebGlShader,
    WebGlUniformLocation, WebGlVertexArrayObject,
};

use crate::camera::{Camera, Viewport};
use crate::Scene;

const VERTEX_SHADER: &str = r#"#version 300 es
layout(location = 0) in vec2 position;
layout(location = 1) in vec4 colour;
layout(location = 2) in float scale;
layout(location = 3) in float opacity;
// The camera: world centre, and clip units per world unit along x and y.
uniform vec2 centre;
uniform vec2 clip_per_unit;
uniform float radius_device_px;
out vec4 shade;
out float radius;
void main() {
    // Subtracting the centre before scaling keeps precision when zoomed far in.
    gl_Position = vec4((position - centre) * clip_per_unit, 0.0, 1.0);
    radius = max(radius_device_px * scale, 0.5);
    // Half a pixel to spare on each side for the antialiased edge.
    gl_PointSize = 2.0 * radius + 1.0;
    shade = vec4(colour.rgb, colour.a * clamp(opacity, 0.0, 1.0));
}
"#;

const FRAGMENT_SHADER: &str = r#"#version 300 es
precision mediump float;
in vec4 shade;
in float radius;
out vec4 pixel;
void main() {
    float distance_px = length(gl_PointCoord - 0.5) * (2.0 * radius + 1.0);
    float coverage = clamp(radius - distance_px + 0.5, 0.0, 1.0);
    if (coverage <= 0.0) discard;
    float alpha = shade.a * coverage;
    // Premultiplied, as the canvas composites.
    pixel = vec4(shade.rgb * alpha, alpha);
}
"#;

const POSITION: u32 = 0;
const COLOUR: u32 = 1;
const SCALE: u32 = 2;
const OPACITY: u32 = 3;

/// Options for the WebGL2 context.
#[derive(Debug, Clone, Copy)]
pub struct WebGlOptions {
    /// Keep the drawn image after compositing so `toDataURL` and screenshots see it (the app's tests read the
    /// map's pixels); costs a copy per frame.
    pub preserve_drawing_buffer: bool,
}

impl Default for WebGlOptions {
    fn default() -> Self {
        WebGlOptions { preserve_drawing_buffer: true }
    }
}

struct Program {
    program: WebGlProgram,
    centre: Option<WebGlUniformLocation>,
    clip_per_unit: Option<WebGlUniformLocation>,
    radius_device_px: Option<WebGlUniformLocation>,
}

/// One uploaded set of points: its vertex array and the buffers behind it.
struct PointBatch {
    vertex_array: WebGlVertexArrayObject,
    buffers: Vec<WebGlBuffer>,
    count: i32,
    has_scales: bool,
    has_opacity: bool,
}

struct State {
    gl: Gl,
    program: Option<Program>,
    scene: Option<Arc<Scene>>,
    everyone: Option<PointBatch>,
    highlighted: Option<PointBatch>,
    lost: bool,
    on_restored: Option<Rc<dyn Fn()>>,
    uploads: u32,
}

/// The points of a scene on a WebGL2 canvas.
pub struct WebGlPoints {
    canvas: HtmlCanvasElement,
    state: Rc<RefCell<State>>,
    context_lost: Closure<dyn FnMut(web_sys::Event)>,
    context_restored: Closure<dyn FnMut(web_sys::Event)>,
}

impl WebGlPoints {
    /// A WebGL2 context on `canvas`, or `None` where the browser has none (the caller falls back to Canvas2D).
    pub fn new(canvas: &HtmlCanvasElement, options: WebGlOptions) -> Option<WebGlPoints> {
        let attributes = WebGlContextAttributes::new();
        attributes.set_alpha(true);
        attributes.set_premultiplied_alpha(true);
        // The fragment shader antialiases each disc; multisampling would only cost fill rate.
        attributes.set_antialias(false);
        attributes.set_depth(false);
        attributes.set_stencil(false);
        attributes.set_preserve_drawing_buffer(options.preserve_drawing_buffer);
        let gl: Gl = canvas.get_context_with_context_options("webgl2", &attributes).ok()??.dyn_into().ok()?;
        let program = build_program(&gl)?;
        let state = Rc::new(RefCell::new(State {
            gl,
            program: Some(program),
            scene: None,
            everyone: None,
            highlighted: None,
            lost: false,
            on_restored: None,
            uploads: 0,
        }));
        let lost_state = Rc::clone(&state);
        let context_lost = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            // Without preventDefault the browser never restores the context.
            event.prevent_default();
            let mut state = lost_state.borrow_mut();
            state.lost = true;
            state.program = None;
            state.everyone = None;
            state.highlighted = None;
        });
        let restored_state = Rc::clone(&state);
        let context_restored = Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
            let on_restored = {
                let mut state = restored_state.borrow_mut();
                state.lost = false;
                state.program = build_program(&state.gl);
                upload(&mut state);
                state.on_restored.clone()
            };
            if let Some(redraw) = on_restored {
                redraw();
            }
        });
        let _ = canvas.add_event_listener_with_callback("webglcontextlost", context_lost.as_ref().unchecked_ref());
        let _ =
            canvas.add_event_listener_with_callback("webglcontextrestored", context_restored.as_ref().unchecked_ref());
        Some(WebGlPoints { canvas: canvas.clone(), state, context_lost, context_restored })
    }

    /// Called after a lost context is back and the scene re-uploaded, to draw the current view again.
    pub fn on_restored(&mut self, redraw: Rc<dyn Fn()>) {
        self.state.borrow_mut().on_restored = Some(redraw);
    }

    pub fn canvas(&self) -> &HtmlCanvasElement {
        &self.canvas
    }

    pub fn context(&self) -> Gl {
        self.state.borrow().gl.clone()
    }

    /// True while the browser has taken the context away.
    pub fn is_lost(&self) -> bool {
        self.state.borrow().lost
    }

    /// How many times point buffers were uploaded; a camera move must leave it unchanged.
    pub fn uploads(&self) -> u32 {
        self.state.borrow().uploads
    }

    /// Makes `scene` the one drawn (`None`: nothing); uploads its points unless it is the scene already
    /// uploaded. The scene is shared, not copied, and kept to re-upload after a context loss.
    pub fn set_scene(&mut self, scene: Option<&Arc<Scene>>) {
        let mut state = self.state.borrow_mut();
        let same = match (&state.scene, scene) {
            (Some(current), Some(next)) => Arc::ptr_eq(current, next),
            (None, None) => true,
            _ => false,
        };
        if !same {
            state.scene = scene.cloned();
            upload(&mut state);
        }
    }

    /// Sizes the drawing buffer for `viewport` at `device_pixel_ratio` and draws the points as `camera` sees them.
    pub fn draw(&self, camera: &Camera, viewport: Viewport, device_pixel_ratio: f64) {
        let width = (viewport.width_px as f64 * device_pixel_ratio).round().max(1.0) as u32;
        let height = (viewport.height_px as f64 * device_pixel_ratio).round().max(1.0) as u32;
        if self.canvas.width() != width {
            self.canvas.set_width(width);
        }
        if self.canvas.height() != height {
            self.canvas.set_height(height);
        }
        let state = self.state.borrow();
        let gl = &state.gl;
        if state.lost {
            return;
        }
        gl.viewport(0, 0, width as i32, height as i32);
        gl.clear_color(0.0, 0.0, 0.0, 0.0);
        gl.clear(Gl::COLOR_BUFFER_BIT);
        let (Some(program), Some(scene)) = (&state.program, &state.scene) else { return };
        gl.use_program(Some(&program.program));
        gl.uniform2f(program.centre.as_ref(), camera.centre[0], camera.centre[1]);
        gl.uniform2f(
            program.clip_per_unit.as_ref(),
            2.0 * camera.pixels_per_unit / viewport.width_px.max(1.0),
            2.0 * camera.pixels_per_unit / viewport.height_px.max(1.0),
        );
        gl.uniform1f(program.radius_device_px.as_ref(), scene.point_radius_px * device_pixel_ratio as f32);
        gl.enable(Gl::BLEND);
        gl.blend_func(Gl::ONE, Gl::ONE_MINUS_SRC_ALPHA);
        for batch in [&state.everyone, &state.highlighted].into_iter().flatten() {
            gl.bind_vertex_array(Some(&batch.vertex_array));
            // Constant attribute values are context state, not vertex-array state: set them for each batch.
            if !batch.has_scales {
                gl.vertex_attrib1f(SCALE, 1.0);
            }
            if !batch.has_opacity {
                gl.vertex_attrib1f(OPACITY, 1.0);
            }
            gl.draw_arrays(Gl::POINTS, 0, batch.count);
        }
        gl.bind_vertex_array(None);
    }
}

impl Drop for WebGlPoints {
    fn drop(&mut self) {
        let _ = self
            .canvas
            .remove_event_listener_with_callback("webglcontextlost", self.context_lost.as_ref().unchecked_ref());
        let _ = self.canvas.remove_event_listener_with_callback(
            "webglcontextrestored",
            self.context_restored.as_ref().unchecked_ref(),
        );
        let mut state = self.state.borrow_mut();
        let gl = state.gl.clone();
        release(&gl, state.everyone.take());
        release(&gl, state.highlighted.take());
    }
}

fn compile(gl: &Gl, kind: u32, source: &str) -> Option<WebGlShader> {
    let shader = gl.create_shader(kind)?;
    gl.shader_source(&shader, source);
    gl.compile_shader(&shader);
    if gl.get_shader_parameter(&shader, Gl::COMPILE_STATUS).as_bool() == Some(true) {
        Some(shader)
    } else {
        web_sys::console::error_1(&JsValue::from_str(&gl.get_shader_info_log(&shader).unwrap_or_default()));
        gl.delete_shader(Some(&shader));
        None
    }
}

fn build_program(gl: &Gl) -> Option<Program> {
    let vertex = compile(gl, Gl::VERTEX_SHADER, VERTEX_SHADER)?;
    let fragment = compile(gl, Gl::FRAGMENT_SHADER, FRAGMENT_SHADER)?;
    let program = gl.create_program()?;
    gl.attach_shader(&program, &vertex);
    gl.attach_shader(&program, &fragment);
    gl.link_program(&program);
    gl.delete_shader(Some(&vertex));
    gl.delete_shader(Some(&fragment));
    if gl.get_program_parameter(&program, Gl::LINK_STATUS).as_bool() != Some(true) {
        web_sys::console::error_1(&JsValue::from_str(&gl.get_program_info_log(&program).unwrap_or_default()));
        return None;
    }
    Some(Program {
        centre: gl.get_uniform_location(&program, "centre"),
        clip_per_unit: gl.get_uniform_location(&program, "clip_per_unit"),
        radius_device_px: gl.get_uniform_location(&program, "radius_device_px"),
        program,
    })
}

fn release(gl: &Gl, batch: Option<PointBatch>) {
    if let Some(batch) = batch {
        gl.delete_vertex_array(Some(&batch.vertex_array));
        for buffer in &batch.buffers {
            gl.delete_buffer(Some(buffer));
        }
    }
}

/// Replaces the GPU copies of the current scene's points.
fn upload(state: &mut State) {
    let gl = state.gl.clone();
    release(&gl, state.everyone.take());
    release(&gl, state.highlighted.take());
    let Some(scene) = state.scene.clone() else { return };
    if state.lost {
        return;
    }
    let count = scene.positions.len().min(scene.colours.len());
    state.everyone = upload_points(&gl, &scene, &(0..count).collect::<Vec<_>>(), true);
    let on_top: Vec<usize> = scene.highlighted.iter().map(|&i| i as usize).filter(|&i| i < count).collect();
    if !on_top.is_empty() {
        state.highlighted = upload_points(&gl, &scene, &on_top, false);
    }
    state.uploads += 1;
}

fn array_buffer(gl: &Gl, data: &JsValue) -> Option<WebGlBuffer> {
    let buffer = gl.create_buffer()?;
    gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&buffer));
    gl.buffer_data_with_array_buffer_view(Gl::ARRAY_BUFFER, data.unchecked_ref(), Gl::STATIC_DRAW);
    Some(buffer)
}

/// Uploads the points `indices` of `scene` into a new vertex array; `dimmable` batches carry the opacity
/// factors, the highlighted batch is drawn undimmed.
fn upload_points(gl: &Gl, scene: &Scene, indices: &[usize], dimmable: bool) -> Option<PointBatch> {
    let vertex_array = gl.create_vertex_array()?;
    gl.bind_vertex_array(Some(&vertex_array));
    let mut buffers = Vec::new();
    let everyone = indices.len() == scene.positions.len();

    let positions: Float32Array = if everyone {
        Float32Array::from(scene.positions.as_flattened())
    } else {
        Float32Array::from(&indices.iter().flat_map(|&i| scene.positions[i]).collect::<Vec<f32>>()[..])
    };
    buffers.push(array_buffer(gl, &positions)?);
    gl.enable_vertex_attrib_array(POSITION);
    gl.vertex_attrib_pointer_with_i32(POSITION, 2, Gl::FLOAT, false, 0, 0);

    let colours: Vec<u8> = indices
        .iter()
        .flat_map(|&i| {
            let c = scene.colours[i];
            [c.r, c.g, c.b, c.a]
        })
        .collect();
    buffers.push(array_buffer(gl, &Uint8Array::from(&colours[..]))?);
    gl.enable_vertex_attrib_array(COLOUR);
    gl.vertex_attrib_pointer_with_i32(COLOUR, 4, Gl::UNSIGNED_BYTE, true, 0, 0);

    let has_scales = scene.point_scales.len() >= scene.positions.len() && !scene.positions.is_empty();
    if has_scales {
        let scales: Vec<f32> = indices.iter().map(|&i| scene.point_scales[i]).collect();
        buffers.push(array_buffer(gl, &Float32Array::from(&scales[..]))?);
        gl.enable_vertex_attrib_array(SCALE);
        gl.vertex_attrib_pointer_with_i32(SCALE, 1, Gl::FLOAT, false, 0, 0);
    } else {
        gl.disable_vertex_attrib_array(SCALE);
    }

    let has_opacity = dimmable && scene.point_opacity.len() >= scene.positions.len() && !scene.positions.is_empty();
    if has_opacity {
        // A byte per point is plenty for a dimming factor and a quarter of a float's memory at a million points.
        let opacity: Vec<u8> =
            indices.iter().map(|&i| (scene.point_opacity[i].clamp(0.0, 1.0) * 255.0).round() as u8).collect();
        buffers.push(array_buffer(gl, &Uint8Array::from(&opacity[..]))?);
        gl.enable_vertex_attrib_array(OPACITY);
        gl.vertex_attrib_pointer_with_i32(OPACITY, 1, Gl::UNSIGNED_BYTE, true, 0, 0);
    } else {
        gl.disable_vertex_attrib_array(OPACITY);
    }
    gl.bind_vertex_array(None);
    gl.bind_buffer(Gl::ARRAY_BUFFER, None);
    Some(PointBatch { vertex_array, buffers, count: indices.len() as i32, has_scales, has_opacity })
}
