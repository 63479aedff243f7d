//! Browser tests of the WebGL2 renderer: draw small scenes in headless Chromium (SwiftShader when there is no
//! GPU) and read the pixels back. Where a point should land comes from the camera's own mapping, which the
//! native camera tests check against hand-worked numbers.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use vejkort_render::camera::Viewport;
use vejkort_render::palette::Rgba;
use vejkort_render::renderer::Layers;
use vejkort_render::webgl::{WebGlOptions, WebGlPoints};
use vejkort_render::{Camera, Label, Renderer, RendererKind, Scene};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, WebGl2RenderingContext as Gl};

wasm_bindgen_test_configure!(run_in_browser);

const VIEW: Viewport = Viewport { width_px: 200.0, height_px: 100.0 };
const RED: Rgba = Rgba::rgb(255, 0, 0);
const BLUE: Rgba = Rgba::rgb(0, 0, 255);

fn canvas_element() -> HtmlCanvasElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let canvas: HtmlCanvasElement = document.create_element("canvas").expect("a canvas").unchecked_into();
    document.body().expect("a body").append_child(&canvas).expect("attached");
    canvas
}

/// The pixel at CSS position (`x`, `y`) as RGBA (premultiplied, as WebGL stores it), at `dpr` device pixels per
/// CSS pixel. WebGL counts rows from the bottom.
fn pixel(gl: &Gl, x: f32, y: f32, dpr: f32) -> [u8; 4] {
    let height = gl.drawing_buffer_height();
    let mut out = [0u8; 4];
    gl.read_pixels_with_opt_u8_array(
        (x * dpr) as i32,
        height - 1 - (y * dpr) as i32,
        1,
        1,
        Gl::RGBA,
        Gl::UNSIGNED_BYTE,
        Some(&mut out),
    )
    .expect("read pixels");
    out
}

fn two_points() -> Scene {
    Scene {
        positions: vec![[0.0, 0.0], [10.0, 5.0]],
        colours: vec![RED, BLUE],
        point_radius_px: 4.0,
        ..Scene::default()
    }
}

fn fitted(scene: &Scene) -> Camera {
    Camera::fit(vejkort_render::bounds(&scene.positions).expect("bounds"), VIEW, 20.0)
}

#[wasm_bindgen_test]
fn points_land_where_the_camera_says() {
    let canvas = canvas_element();
    let mut points = WebGlPoints::new(&canvas, WebGlOptions::default()).expect("WebGL2 in Chromium");
    let scene = Arc::new(two_points());
    let camera = fitted(&scene);
    points.set_scene(Some(&scene));
    points.draw(&camera, VIEW, 1.0);
    let gl = points.context();
    assert_eq!((canvas.width(), canvas.height()), (200, 100));

    let [x, y] = camera.screen_from_world([0.0, 0.0], VIEW);
    assert_eq!(pixel(&gl, x, y, 1.0), [255, 0, 0, 255]);
    let [x, y] = camera.screen_from_world([10.0, 5.0], VIEW);
    assert_eq!(pixel(&gl, x, y, 1.0), [0, 0, 255, 255]);
    assert_eq!(pixel(&gl, 100.0, 5.0, 1.0)[3], 0, "empty space stays transparent");
    // The disc's radius is 4 CSS pixels: 6 pixels beside its centre is empty.
    let [x, y] = camera.screen_from_world([0.0, 0.0], VIEW);
    assert_eq!(pixel(&gl, x + 6.0, y, 1.0)[3], 0);
    assert!(pixel(&gl, x + 2.0, y, 1.0)[3] > 200);
}

#[wasm_bindgen_test]
fn the_device_pixel_ratio_sizes_buffer_and_points() {
    let canvas = canvas_element();
    let mut points = WebGlPoints::new(&canvas, WebGlOptions::default()).expect("WebGL2");
    let scene = Arc::new(two_points());
    let camera = fitted(&scene);
    points.set_scene(Some(&scene));
    points.draw(&camera, VIEW, 2.0);
    assert_eq!((canvas.width(), canvas.height()), (400, 200));
    let gl = points.context();
    let [x, y] = camera.screen_from_world([0.0, 0.0], VIEW);
    assert_eq!(pixel(&gl, x, y, 2.0), [255, 0, 0, 255]);
    // Still 4 CSS pixels of radius, so 3 CSS pixels (6 device pixels) beside the centre is inside.
    assert!(pixel(&gl, x + 3.0, y, 2.0)[3] > 200);
    assert_eq!(pixel(&gl, x + 6.0, y, 2.0)[3], 0);
}

#[wasm_bindgen_test]
fn dimmed_points_are_fainter_and_scaled_points_larger() {
    let canvas = canvas_element();
    let mut points = WebGlPoints::new(&canvas, WebGlOptions::default()).expect("WebGL2");
    let scene = Arc::new(Scene {
        positions: vec![[0.0, 0.0], [10.0, 0.0], [20.0, 0.0]],
        colours: vec![RED, RED, RED],
        point_radius_px: 3.0,
        point_opacity: vec![1.0, 0.25, 1.0],
        point_scales: vec![1.0, 1.0, 3.0],
        ..Scene::default()
    });
    let camera = Camera { centre: [10.0, 0.0], pixels_per_unit: 6.0 };
    points.set_scene(Some(&scene));
    points.draw(&camera, VIEW, 1.0);
    let gl = points.context();
    let at = |p: [f32; 2]| camera.screen_from_world(p, VIEW);
    let bright = pixel(&gl, at([0.0, 0.0])[0], at([0.0, 0.0])[1], 1.0);
    let dim = pixel(&gl, at([10.0, 0.0])[0], at([10.0, 0.0])[1], 1.0);
    assert_eq!(bright[3], 255);
    assert!((55..=75).contains(&dim[3]), "a quarter of full opacity, got {dim:?}");
    // The third point has three times the radius (9 px): 7 px from its centre is covered, unlike the first's.
    let [x, y] = at([20.0, 0.0]);
    assert_eq!(pixel(&gl, x + 7.0, y, 1.0)[3], 255);
    let [x, y] = at([0.0, 0.0]);
    assert_eq!(pixel(&gl, x + 7.0, y, 1.0)[3], 0);
}

#[wasm_bindgen_test]
fn highlighted_points_are_drawn_on_top_and_undimmed() {
    let canvas = canvas_element();
    let mut points = WebGlPoints::new(&canvas, WebGlOptions::default()).expect("WebGL2");
    // Two points on one spot: the later one would normally cover the earlier.
    let mut scene = Scene {
        positions: vec![[0.0, 0.0], [0.0, 0.0]],
        colours: vec![RED, BLUE],
        point_radius_px: 4.0,
        point_opacity: vec![0.2, 1.0],
        ..Scene::default()
    };
    let camera = Camera { centre: [0.0, 0.0], pixels_per_unit: 1.0 };
    points.set_scene(Some(&Arc::new(scene.clone())));
    points.draw(&camera, VIEW, 1.0);
    assert_eq!(pixel(&points.context(), 100.0, 50.0, 1.0), [0, 0, 255, 255]);
    scene.highlighted = vec![0];
    points.set_scene(Some(&Arc::new(scene)));
    points.draw(&camera, VIEW, 1.0);
    assert_eq!(pixel(&points.context(), 100.0, 50.0, 1.0), [255, 0, 0, 255]);
}

#[wasm_bindgen_test]
fn panning_moves_the_points_without_uploading_again() {
    let canvas = canvas_element();
    let mut points = WebGlPoints::new(&canvas, WebGlOptions::default()).expect("WebGL2");
    let scene = Arc::new(two_points());
    let mut camera = fitted(&scene);
    points.set_scene(Some(&scene));
    points.draw(&camera, VIEW, 1.0);
    let uploads = points.uploads();
    assert_eq!(uploads, 1);
    let [x, y] = camera.screen_from_world([0.0, 0.0], VIEW);
    camera.pan([30.0, 10.0]);
    points.set_scene(Some(&scene));
    points.draw(&camera, VIEW, 1.0);
    let gl = points.context();
    assert_eq!(pixel(&gl, x, y, 1.0)[3], 0, "the old spot is empty");
    assert_eq!(pixel(&gl, x + 30.0, y + 10.0, 1.0), [255, 0, 0, 255], "the point followed the drag");
    camera.zoom_about(2.0, [x + 30.0, y + 10.0], VIEW, 1.0);
    points.draw(&camera, VIEW, 1.0);
    assert_eq!(pixel(&gl, x + 30.0, y + 10.0, 1.0), [255, 0, 0, 255], "zoom keeps the point under the anchor");
    assert_eq!(points.uploads(), uploads, "camera moves only change uniforms");
}

#[wasm_bindgen_test]
fn the_renderer_picks_webgl2_or_canvas2d_and_draws_labels_above_the_points() {
    let layers = || Layers { under: canvas_element(), points: canvas_element(), over: canvas_element() };
    let scene = Arc::new(Scene {
        labels: vec![Label { position: [0.0, 0.0], text: "skole".into(), priority: 1.0, emphasised: false }],
        ..two_points()
    });
    let camera = fitted(&scene);

    let webgl_layers = layers();
    let mut webgl = Renderer::new(webgl_layers.clone(), RendererKind::WebGl2);
    assert_eq!(webgl.kind(), RendererKind::WebGl2);
    webgl.set_scene(Some(Arc::clone(&scene)));
    webgl.draw(None, &camera, VIEW, 1.0);
    let [x, y] = camera.screen_from_world([10.0, 5.0], VIEW);
    let gl = webgl.webgl().expect("the WebGL2 back end").context();
    assert_eq!(pixel(&gl, x, y, 1.0), [0, 0, 255, 255]);
    let over: CanvasRenderingContext2d =
        webgl_layers.over.get_context("2d").ok().flatten().expect("2-D overlay").unchecked_into();
    let [lx, ly] = camera.screen_from_world([0.0, 0.0], VIEW);
    let plate = over.get_image_data(lx as f64, ly as f64, 1.0, 1.0).expect("pixels").data();
    assert!(plate[3] > 0, "the label's plate is drawn on the overlay");
    assert!(webgl_layers.under.hidden() && !webgl_layers.over.hidden(), "without outlines the lower layer is hidden");

    let flat_layers = layers();
    let mut flat = Renderer::new(flat_layers.clone(), RendererKind::Canvas2d);
    assert_eq!(flat.kind(), RendererKind::Canvas2d);
    assert!(flat.webgl().is_none());
    flat.set_scene(Some(scene));
    flat.draw(None, &camera, VIEW, 1.0);
    let context: CanvasRenderingContext2d =
        flat_layers.points.get_context("2d").ok().flatten().expect("2-D canvas").unchecked_into();
    let data = context.get_image_data(x as f64, y as f64, 1.0, 1.0).expect("pixels").data();
    assert_eq!([data[0], data[1], data[2], data[3]], [0, 0, 255, 255]);
    assert!(flat_layers.under.hidden() && flat_layers.over.hidden(), "Canvas2D draws on the middle canvas alone");
}

async fn next_frames(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds)
            .expect("a timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("the timer fires");
}

fn call(target: &JsValue, method: &str) {
    let function: js_sys::Function = js_sys::Reflect::get(target, &method.into()).expect(method).unchecked_into();
    function.call0(target).expect(method);
}

#[wasm_bindgen_test]
async fn a_lost_context_comes_back_with_the_scene_uploaded_again() {
    let canvas = canvas_element();
    let mut points = WebGlPoints::new(&canvas, WebGlOptions::default()).expect("WebGL2");
    let redraws = Rc::new(Cell::new(0));
    let counter = Rc::clone(&redraws);
    points.on_restored(Rc::new(move || counter.set(counter.get() + 1)));
    let scene = Arc::new(two_points());
    let camera = fitted(&scene);
    points.set_scene(Some(&scene));
    points.draw(&camera, VIEW, 1.0);
    let gl = points.context();
    let lose = gl.get_extension("WEBGL_lose_context").ok().flatten().expect("WEBGL_lose_context");

    call(&lose, "loseContext");
    for _ in 0..50 {
        if points.is_lost() {
            break;
        }
        next_frames(20).await;
    }
    assert!(points.is_lost(), "the renderer noticed the loss");
    points.draw(&camera, VIEW, 1.0); // drawing while lost must not fail

    call(&lose, "restoreContext");
    for _ in 0..50 {
        if !points.is_lost() {
            break;
        }
        next_frames(20).await;
    }
    assert!(!points.is_lost(), "the context came back");
    assert_eq!(redraws.get(), 1, "the owner was asked to redraw");
    assert_eq!(points.uploads(), 2, "the scene was uploaded again");
    points.draw(&camera, VIEW, 1.0);
    let [x, y] = camera.screen_from_world([0.0, 0.0], VIEW);
    assert_eq!(pixel(&gl, x, y, 1.0), [255, 0, 0, 255]);
}

#[wasm_bindgen_test]
fn a_point_just_beyond_the_edge_still_shows_its_visible_part() {
    let canvas = canvas_element();
    let mut points = WebGlPoints::new(&canvas, WebGlOptions::default()).expect("WebGL2");
    // Centre 2 CSS px left of the canvas, radius 5: its right part covers x = 0..3. OpenGL ES lets a driver drop a
    // sprite whose centre leaves the view, which would make points pop at the edges while panning; this checks the
    // browser the tests run in does not.
    let scene =
        Arc::new(Scene { positions: vec![[-2.0, 0.0]], colours: vec![RED], point_radius_px: 5.0, ..Scene::default() });
    let camera = Camera { centre: [100.0, 0.0], pixels_per_unit: 1.0 };
    points.set_scene(Some(&scene));
    points.draw(&camera, VIEW, 1.0);
    let [x, y] = camera.screen_from_world([-2.0, 0.0], VIEW);
    assert!(x < 0.0);
    assert_eq!(pixel(&points.context(), 1.0, y, 1.0), [255, 0, 0, 255]);
}
