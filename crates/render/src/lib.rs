//! Vejkort's map renderer.
//!
//! It draws points, translucent outlines and labels on a 2-D canvas and answers "which point is under the
//! pointer". It knows nothing of the analysis engine: positions, colours, outlines, labels and a camera go in,
//! pixels come out. Everything but [`canvas`] is plain geometry, tested natively; [`canvas`] is exercised in
//! headless Chromium by `tests/canvas.rs`.

pub mod camera;
pub mod canvas;
pub mod geometry;
pub mod gesture;
pub mod labels;
pub mod palette;
pub mod spatial;

pub use camera::Camera;
pub use palette::Rgba;

/// A closed outline in world coordinates, drawn filled and stroked with a wide round pen so it reads as a soft
/// region around the points it encloses.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub polygon: Vec<[f32; 2]>,
    pub colour: Rgba,
    /// Extra margin around the polygon, in CSS pixels.
    pub padding_px: f32,
}

/// A text label anchored at a world position. Labels with higher priority win when two would overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub position: [f32; 2],
    pub text: String,
    pub priority: f32,
    pub emphasised: bool,
}

/// Everything drawn on the map.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    pub positions: Vec<[f32; 2]>,
    /// One colour per point.
    pub colours: Vec<Rgba>,
    /// Radius of a point in CSS pixels.
    pub point_radius_px: f32,
    pub outlines: Vec<Outline>,
    pub labels: Vec<Label>,
    /// A point drawn larger and ringed (the one under the pointer).
    pub hovered: Option<usize>,
}

impl Scene {
    /// The smallest box holding every point, as `[min_x, min_y, max_x, max_y]`.
    pub fn bounds(&self) -> Option<[f32; 4]> {
        let mut points = self.positions.iter().filter(|p| p[0].is_finite() && p[1].is_finite());
        let first = points.next()?;
        Some(points.fold([first[0], first[1], first[0], first[1]], |b, p| {
            [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])]
        }))
    }
}
