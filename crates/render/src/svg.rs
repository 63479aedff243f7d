//! The map as an SVG document, for print and slides: vector points, way outlines, cluster labels and a key.
//!
//! It draws the same [`Scene`] through the same [`Camera`] as the screen, so the file shows what the person
//! framed. Text comes from people (labels, way names, statements) and is written into XML, so every piece of it
//! is escaped: a label reading `<script>` must stay a label. Label widths are estimated from the character
//! count, since there is no canvas to measure with; the estimate errs wide so placed labels do not overlap.

use std::fmt::Write as _;

use crate::camera::{Camera, Viewport};
use crate::labels::{place_labels, LabelBox};
use crate::overlay::label_font_px;
use crate::palette::Rgba;
use crate::Scene;

/// A line of the key: a way's name and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyEntry {
    pub name: String,
    pub colour: Rgba,
}

/// Text around the map: the document's title and the key of ways (with its heading).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    pub title: String,
    pub key_heading: String,
    pub key: Vec<KeyEntry>,
}

/// Average glyph width as a share of the font size, on the wide side for system sans-serif fonts.
const GLYPH_WIDTH: f32 = 0.62;
const LABEL_PADDING_PX: f32 = 4.0;
/// Points this far outside the view are still drawn, so circles cut by the edge are whole.
const EDGE_SLACK_PX: f32 = 12.0;

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn opacity(colour: Rgba) -> String {
    format!("{:.3}", colour.a as f32 / 255.0)
}

/// The scene as seen by `camera` in a `viewport`-sized picture, with `frame`'s title and key.
pub fn scene_svg(scene: &Scene, camera: &Camera, viewport: Viewport, frame: &Frame) -> String {
    let (w, h) = (viewport.width_px, viewport.height_px);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"system-ui, sans-serif\">\n<title>{}</title>\n\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#fcfcfa\"/>\n",
        escape(&frame.title)
    );
    write_outlines(&mut svg, scene, camera, viewport);
    write_points(&mut svg, scene, camera, viewport);
    write_labels(&mut svg, scene, camera, viewport);
    write_key(&mut svg, frame);
    svg.push_str("</svg>\n");
    svg
}

fn write_outlines(svg: &mut String, scene: &Scene, camera: &Camera, viewport: Viewport) {
    svg.push_str("<g class=\"outlines\" stroke-linejoin=\"round\">\n");
    for outline in scene.outlines.iter().filter(|o| !o.polygon.is_empty()) {
        let mut d = String::new();
        for (i, &p) in outline.polygon.iter().enumerate() {
            let [x, y] = camera.screen_from_world(p, viewport);
            let _ = write!(d, "{}{x:.1} {y:.1} ", if i == 0 { "M" } else { "L" });
        }
        d.push('Z');
        let fill = outline.colour.with_alpha(40);
        let hex = outline.colour.to_hex();
        // As on screen: a wide translucent pen pads the polygon, a thin darker line marks its edge.
        let _ = writeln!(
            svg,
            "<path d=\"{d}\" fill=\"{hex}\" fill-opacity=\"{o}\" stroke=\"{hex}\" stroke-opacity=\"{o}\" \
             stroke-width=\"{pad:.1}\"/>\n<path d=\"{d}\" fill=\"none\" stroke=\"{hex}\" stroke-opacity=\"0.8\" \
             stroke-width=\"1.5\"/>",
            o = opacity(fill),
            pad = outline.padding_px * 2.0,
        );
    }
    svg.push_str("</g>\n");
}

fn write_points(svg: &mut String, scene: &Scene, camera: &Camera, viewport: Viewport) {
    let inside = |[x, y]: [f32; 2]| {
        x.is_finite()
            && y.is_finite()
            && (-EDGE_SLACK_PX..=viewport.width_px + EDGE_SLACK_PX).contains(&x)
            && (-EDGE_SLACK_PX..=viewport.height_px + EDGE_SLACK_PX).contains(&y)
    };
    let circle = |svg: &mut String, i: usize, colour: Rgba| {
        let at = camera.screen_from_world(scene.positions[i], viewport);
        if !inside(at) || colour.a == 0 {
            return;
        }
        let r = scene.point_radius_px * scene.scale_of(i);
        let _ = writeln!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.2}\" fill=\"{}\" fill-opacity=\"{}\"/>",
            at[0],
            at[1],
            colour.to_hex(),
            opacity(colour)
        );
    };
    svg.push_str("<g class=\"points\">\n");
    for i in 0..scene.positions.len() {
        circle(svg, i, scene.shown_colour(i));
    }
    // Highlighted points go on top, undimmed, as on screen.
    for &i in &scene.highlighted {
        let i = i as usize;
        if i < scene.positions.len() {
            circle(svg, i, scene.colours.get(i).copied().unwrap_or(Rgba::rgb(0, 0, 0)).with_alpha(255));
        }
    }
    svg.push_str("</g>\n");
}

fn write_labels(svg: &mut String, scene: &Scene, camera: &Camera, viewport: Viewport) {
    let size = label_font_px(scene);
    let height = size + 2.0 * LABEL_PADDING_PX;
    let boxes: Vec<LabelBox> = scene
        .labels
        .iter()
        .map(|label| LabelBox {
            centre_px: camera.screen_from_world(label.position, viewport),
            width_px: label.text.chars().count() as f32 * size * GLYPH_WIDTH + 2.0 * LABEL_PADDING_PX,
            height_px: height,
            priority: label.priority + if label.emphasised { 1e9 } else { 0.0 },
        })
        .collect();
    svg.push_str("<g class=\"labels\" text-anchor=\"middle\" dominant-baseline=\"central\">\n");
    for index in place_labels(&boxes) {
        let (label, b) = (&scene.labels[index], boxes[index]);
        let [x, y] = b.centre_px;
        if !(0.0..=viewport.width_px).contains(&x) || !(0.0..=viewport.height_px).contains(&y) {
            continue;
        }
        let _ = writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\" rx=\"4\" fill=\"#ffffff\" \
             fill-opacity=\"0.85\"/>\n<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" font-weight=\"{}\" \
             fill=\"#1a1a1a\">{}</text>",
            x - b.width_px / 2.0,
            y - height / 2.0,
            b.width_px,
            if label.emphasised { 700 } else { 600 },
            escape(&label.text)
        );
    }
    svg.push_str("</g>\n");
}

fn write_key(svg: &mut String, frame: &Frame) {
    if frame.key.is_empty() {
        return;
    }
    let line = 20.0;
    let width = frame
        .key
        .iter()
        .map(|entry| entry.name.chars().count())
        .chain(std::iter::once(frame.key_heading.chars().count()))
        .max()
        .unwrap_or(0) as f32
        * 13.0
        * GLYPH_WIDTH
        + 40.0;
    let height = line * (frame.key.len() as f32 + 1.0) + 12.0;
    let _ = writeln!(
        svg,
        "<g class=\"key\" transform=\"translate(12 12)\" font-size=\"13\">\n<rect width=\"{width:.1}\" \
         height=\"{height:.1}\" rx=\"6\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#d0d0d0\"/>\n<text x=\"10\" \
         y=\"20\" font-weight=\"700\" fill=\"#1a1a1a\">{}</text>",
        escape(&frame.key_heading)
    );
    for (i, entry) in frame.key.iter().enumerate() {
        let y = line * (i as f32 + 2.0);
        let _ = writeln!(
            svg,
            "<rect x=\"10\" y=\"{:.1}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>\n<text x=\"28\" y=\"{y:.1}\" \
             fill=\"#1a1a1a\">{}</text>",
            y - 10.0,
            entry.colour.to_hex(),
            escape(&entry.name)
        );
    }
    svg.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Label, Outline};

    const VIEW: Viewport = Viewport { width_px: 400.0, height_px: 300.0 };

    fn scene() -> Scene {
        Scene {
            positions: vec![[0.0, 0.0], [1.0, 1.0], [1000.0, 0.0]],
            colours: vec![Rgba::rgb(0x11, 0x22, 0x33); 3],
            point_radius_px: 3.0,
            outlines: vec![Outline {
                polygon: vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]],
                colour: Rgba::rgb(0xE6, 0x9F, 0x00),
                padding_px: 10.0,
            }],
            labels: vec![Label {
                position: [0.5, 0.5],
                text: "<script>alert('x')</script> & co".into(),
                priority: 1.0,
                emphasised: false,
            }],
            ..Scene::default()
        }
    }

    fn frame() -> Frame {
        Frame {
            title: "Vejkort \"map\"".into(),
            key_heading: "Ways".into(),
            key: vec![KeyEntry { name: "Less & <more>".into(), colour: Rgba::rgb(0xE6, 0x9F, 0x00) }],
        }
    }

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(escape("<a href=\"x\">&'\u{1}</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos; &lt;/a&gt;");
        assert_eq!(escape("æøå\tok"), "æøå\tok");
    }

    #[test]
    fn people_text_never_becomes_markup() {
        let camera = Camera { centre: [0.5, 0.5], pixels_per_unit: 100.0 };
        let svg = scene_svg(&scene(), &camera, VIEW, &frame());
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; co"));
        assert!(svg.contains("Less &amp; &lt;more&gt;"));
        assert!(svg.contains("<title>Vejkort &quot;map&quot;</title>"));
        // Every & in the document starts an entity.
        for (at, _) in svg.match_indices('&') {
            let rest = &svg[at..];
            assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| rest.starts_with(e)), "{rest}");
        }
    }

    #[test]
    fn points_outside_the_view_are_left_out_and_outlines_and_key_drawn() {
        let camera = Camera { centre: [0.5, 0.5], pixels_per_unit: 100.0 };
        let svg = scene_svg(&scene(), &camera, VIEW, &frame());
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(svg.contains("fill=\"#e69f00\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        let dimmed = Scene { point_opacity: vec![0.0, 1.0, 1.0], ..scene() };
        assert_eq!(scene_svg(&dimmed, &camera, VIEW, &Frame::default()).matches("<circle").count(), 1);
    }
}
