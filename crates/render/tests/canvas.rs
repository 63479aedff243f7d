//! Browser tests of the canvas renderer: draw real scenes in headless Chromium and read the pixels back.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::expect_used, reason = "test support: a failed expectation fails the test with its message")]

use vejkort_render::camera::Viewport;
use vejkort_render::palette::Rgba;
use vejkort_render::{canvas, Camera, Label, Outline, Scene};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

const VIEW: Viewport = Viewport { width_px: 200.0, height_px: 100.0 };

fn canvas_element() -> HtmlCanvasElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let canvas: HtmlCanvasElement = document.create_element("canvas").expect("a canvas").unchecked_into();
    document.body().expect("a body").append_child(&canvas).expect("attached");
    canvas
}

fn pixel(context: &CanvasRenderingContext2d, x: f64, y: f64) -> [u8; 4] {
    let data = context.get_image_data(x, y, 1.0, 1.0).expect("pixels").data();
    [data[0], data[1], data[2], data[3]]
}

#[wasm_bindgen_test]
fn points_land_where_the_camera_says() {
    let canvas = canvas_element();
    let context = canvas::prepare(&canvas, VIEW, 1.0).expect("a 2-D context");
    assert_eq!((canvas.width(), canvas.height()), (200, 100));
    let scene = Scene {
        positions: vec![[0.0, 0.0], [10.0, 5.0]],
        colours: vec![Rgba::rgb(255, 0, 0), Rgba::rgb(0, 0, 255)],
        point_radius_px: 4.0,
        ..Scene::default()
    };
    let camera = Camera::fit(vejkort_render::bounds(&scene.positions).expect("bounds"), VIEW, 20.0);
    canvas::draw(&context, &scene, None, &camera, VIEW);

    let [x, y] = camera.screen_from_world([0.0, 0.0], VIEW);
    assert_eq!(pixel(&context, x as f64, y as f64), [255, 0, 0, 255]);
    let [x, y] = camera.screen_from_world([10.0, 5.0], VIEW);
    assert_eq!(pixel(&context, x as f64, y as f64), [0, 0, 255, 255]);
    // Empty space stays transparent.
    assert_eq!(pixel(&context, 100.0, 5.0)[3], 0);

    // The hovered point grows: 6 px beside its centre is empty before and red after.
    let [x, y] = camera.screen_from_world([0.0, 0.0], VIEW);
    assert_eq!(pixel(&context, x as f64 + 6.0, y as f64)[3], 0);
    canvas::draw(&context, &scene, Some(0), &camera, VIEW);
    assert_eq!(pixel(&context, x as f64 + 6.0, y as f64), [255, 0, 0, 255]);
}

#[wasm_bindgen_test]
fn outlines_shade_the_region_between_points() {
    let canvas = canvas_element();
    let context = canvas::prepare(&canvas, VIEW, 1.0).expect("a 2-D context");
    let square = vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]];
    let scene = Scene {
        outlines: vec![Outline { polygon: square, colour: Rgba::rgb(0, 128, 0), padding_px: 6.0 }],
        ..Scene::default()
    };
    let camera = Camera { centre: [2.0, 2.0], pixels_per_unit: 10.0 };
    canvas::draw(&context, &scene, None, &camera, VIEW);
    let inside = pixel(&context, 100.0, 50.0);
    assert!(inside[3] > 0 && inside[1] > inside[0], "{inside:?}");
    // The padding reaches beyond the polygon's edge (x = 120) but not far.
    assert!(pixel(&context, 123.0, 50.0)[3] > 0);
    assert_eq!(pixel(&context, 150.0, 50.0)[3], 0);
}

#[wasm_bindgen_test]
fn overlapping_labels_are_not_both_drawn() {
    let canvas = canvas_element();
    let context = canvas::prepare(&canvas, VIEW, 1.0).expect("a 2-D context");
    let camera = Camera { centre: [0.0, 0.0], pixels_per_unit: 1.0 };
    let label = |x: f32, text: &str, priority: f32| Label {
        position: [x, 0.0],
        text: text.into(),
        priority,
        emphasised: false,
    };
    let far_apart = Scene { labels: vec![label(-60.0, "ældre", 1.0), label(60.0, "skole", 2.0)], ..Scene::default() };
    canvas::draw(&context, &far_apart, None, &camera, VIEW);
    let left_drawn = pixel(&context, 40.0, 50.0)[3] > 0;
    assert!(left_drawn && pixel(&context, 160.0, 50.0)[3] > 0);

    let clashing = Scene { labels: vec![label(-5.0, "ældre", 1.0), label(5.0, "skole", 2.0)], ..Scene::default() };
    canvas::draw(&context, &clashing, None, &camera, VIEW);
    // Only the higher-priority plate ("skole", about 50 px wide around x = 105) is drawn; x = 76 lies inside
    // where the other plate (around x = 95) would be, and outside the drawn one.
    assert_eq!(pixel(&context, 76.0, 50.0)[3], 0);
    assert!(pixel(&context, 105.0, 50.0)[3] > 0);
}

#[wasm_bindgen_test]
fn finer_labels_and_statements_appear_only_when_zoomed_in() {
    use vejkort_render::overlay::{draw_labels, MAX_POINT_TEXTS};
    let canvas = canvas_element();
    let context = canvas::prepare(&canvas, Viewport { width_px: 800.0, height_px: 600.0 }, 1.0).expect("2-D");
    let view = Viewport { width_px: 800.0, height_px: 600.0 };
    let label =
        |x: f32, y: f32, text: &str| Label { position: [x, y], text: text.into(), priority: 1.0, emphasised: false };
    // A 40 × 40 grid of points one unit apart, each with its own statement.
    let positions: Vec<[f32; 2]> = (0..1600).map(|i| [(i % 40) as f32 - 20.0, (i / 40) as f32 - 20.0]).collect();
    let scene = Scene {
        point_texts: (0..positions.len()).map(|i| format!("udsagn {i}")).collect(),
        colours: vec![Rgba::rgb(0, 0, 0); positions.len()],
        positions,
        point_radius_px: 2.0,
        labels: vec![label(0.0, 0.0, "klynge")],
        fine_labels: vec![label(-10.0, 10.0, "del a"), label(10.0, -10.0, "del b")],
        fine_labels_min_pixels_per_unit: 10.0,
        point_texts_min_pixels_per_unit: 40.0,
        ..Scene::default()
    };
    let overview = Camera { centre: [0.0, 0.0], pixels_per_unit: 5.0 };
    assert_eq!(draw_labels(&context, &scene, &overview, view), [1, 0, 0]);
    let closer = Camera { pixels_per_unit: 20.0, ..overview };
    assert_eq!(draw_labels(&context, &scene, &closer, view), [1, 2, 0]);
    // Close: the cluster label, the fine labels still on screen, and statements, never more than the cap.
    let close = Camera { centre: [-10.0, 10.0], pixels_per_unit: 120.0 };
    let [clusters, fine, texts] = draw_labels(&context, &scene, &close, view);
    assert_eq!((clusters, fine), (0, 1), "the cluster's anchor is off screen, part a's is on it");
    assert!(texts > 3 && texts <= MAX_POINT_TEXTS, "{texts} statements");
    let large = Scene { large_labels: true, ..scene.clone() };
    let [_, _, large_texts] = draw_labels(&context, &large, &close, view);
    assert!(large_texts < texts, "larger type leaves room for fewer statements ({large_texts} vs {texts})");
}

#[wasm_bindgen_test]
fn dimmed_points_are_fainter_and_highlighted_ones_on_top() {
    let canvas = canvas_element();
    let context = canvas::prepare(&canvas, VIEW, 1.0).expect("a 2-D context");
    let scene = Scene {
        positions: vec![[0.0, 0.0], [0.0, 0.0], [50.0, 0.0]],
        colours: vec![Rgba::rgb(255, 0, 0), Rgba::rgb(0, 0, 255), Rgba::rgb(255, 0, 0)],
        point_opacity: vec![0.2, 1.0, 0.25],
        highlighted: vec![0],
        point_radius_px: 4.0,
        ..Scene::default()
    };
    let camera = Camera { centre: [0.0, 0.0], pixels_per_unit: 1.0 };
    canvas::draw(&context, &scene, None, &camera, VIEW);
    assert_eq!(pixel(&context, 100.0, 50.0), [255, 0, 0, 255], "the highlighted point covers the blue one");
    let dim = pixel(&context, 150.0, 50.0);
    assert!((55..=75).contains(&dim[3]), "a quarter of full opacity, got {dim:?}");
}
