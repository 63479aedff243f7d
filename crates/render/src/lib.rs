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
