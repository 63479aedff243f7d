//! Vejkort's map renderer.
//!
//! It draws points, translucent outlines and labels and answers "which point is under the pointer". It knows
//! nothing of the analysis engine: positions, colours, outlines, labels and a camera go in, pixels come out.
//!
//! Two back ends share one [`Renderer`]: [`webgl`] draws the points with WebGL2 from buffers uploaded once per
//! scene (pan and zoom only change a uniform), with outlines and labels on 2-D canvases beneath and above it;
//! [`canvas`] draws everything on one 2-D canvas where WebGL2 is missing. [`overlay`] is the 2-D drawing both
//! use for outlines, labels and the hovered point. Everything else is plain geometry, tested natively; the
//! drawing is exercised in headless Chromium by `tests/canvas.rs` and `tests/webgl.rs`.

pub mod camera;
pub mod canvas;
pub mod geometry;
pub mod gesture;
pub mod labels;
pub mod overlay;
pub mod palette;
pub mod renderer;
pub mod spatial;
pub mod svg;
pub mod webgl;

pub use camera::Camera;
pub use palette::Rgba;
pub use renderer::{Renderer, RendererKind};

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
    /// A radius factor per point; empty means 1 for every point.
    pub point_scales: Vec<f32>,
    /// An opacity factor (0–1) per point, multiplying its colour's alpha, so a filter can dim points instead of
    /// hiding them; empty means 1 for every point.
    pub point_opacity: Vec<f32>,
    /// Indices of points drawn once more on top of all others, undimmed, so a selection is never buried.
    pub highlighted: Vec<u32>,
    pub outlines: Vec<Outline>,
    /// Labels shown at every zoom (one per cluster); they win every overlap.
    pub labels: Vec<Label>,
    /// Finer labels (parts of clusters) shown from `fine_labels_min_pixels_per_unit` on.
    pub fine_labels: Vec<Label>,
    pub fine_labels_min_pixels_per_unit: f32,
    /// A text per point (the statement), shown beside up to [`overlay::MAX_POINT_TEXTS`] points near the view's
    /// centre from `point_texts_min_pixels_per_unit` on; empty means none.
    pub point_texts: Vec<String>,
    pub point_texts_min_pixels_per_unit: f32,
    /// Larger type for projectors and the back of a room.
    pub large_labels: bool,
}

impl Scene {
    /// The radius factor of point `index`.
    pub fn scale_of(&self, index: usize) -> f32 {
        self.point_scales.get(index).copied().unwrap_or(1.0)
    }

    /// The colour of point `index` with its opacity factor applied.
    pub fn shown_colour(&self, index: usize) -> Rgba {
        let colour = self.colours.get(index).copied().unwrap_or(Rgba::rgb(0, 0, 0));
        match self.point_opacity.get(index) {
            Some(&factor) => colour.with_alpha((colour.a as f32 * factor.clamp(0.0, 1.0)).round() as u8),
            None => colour,
        }
    }
}

/// The smallest box holding every point, as `[min_x, min_y, max_x, max_y]`.
pub fn bounds(positions: &[[f32; 2]]) -> Option<[f32; 4]> {
    let mut points = positions.iter().filter(|p| p[0].is_finite() && p[1].is_finite());
    let first = points.next()?;
    Some(points.fold([first[0], first[1], first[0], first[1]], |b, p| {
        [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])]
    }))
}

/// The box holding the central `share` of the points along each axis (0.98 drops the 1% at each side), so a
/// few far-flung points do not shrink everyone else into a corner of the first view. All points when fewer
/// than 50.
pub fn core_bounds(positions: &[[f32; 2]], share: f32) -> Option<[f32; 4]> {
    let finite: Vec<[f32; 2]> = positions.iter().copied().filter(|p| p[0].is_finite() && p[1].is_finite()).collect();
    if finite.len() < 50 {
        return bounds(&finite);
    }
    let cut = ((1.0 - share.clamp(0.0, 1.0)) / 2.0 * finite.len() as f32).round() as usize;
    let mut box_ = [0.0f32; 4];
    for axis in 0..2 {
        let mut values: Vec<f32> = finite.iter().map(|p| p[axis]).collect();
        values.sort_by(f32::total_cmp);
        box_[axis] = values[cut];
        box_[axis + 2] = values[values.len() - 1 - cut];
    }
    Some(box_)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_bounds_ignore_a_few_far_points() {
        let mut points: Vec<[f32; 2]> = (0..100).map(|i| [(i % 10) as f32, (i / 10) as f32]).collect();
        assert_eq!(core_bounds(&points, 0.98), Some([0.0, 0.0, 9.0, 9.0]));
        points[0] = [1000.0, -1000.0];
        assert_eq!(bounds(&points), Some([0.0, -1000.0, 1000.0, 9.0]));
        assert_eq!(core_bounds(&points, 0.98), Some([0.0, 0.0, 9.0, 9.0]));
        assert_eq!(core_bounds(&points[..10], 0.98), bounds(&points[..10]));
        assert_eq!(core_bounds(&[], 0.98), None);
    }
}
