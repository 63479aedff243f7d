//! Shapes around groups of points: the outline a way draws around each of its clusters.
//!
//! A convex hull of all a cluster's points would be stretched by a few stray statements, so the outline is the
//! hull of the points nearest the cluster's centre (the closest `core_share` of them). The wide round pen the
//! canvas strokes it with then rounds its corners into a soft region.

/// The convex hull by Andrew's monotone chain, counter-clockwise, without repeated or collinear points.
pub fn convex_hull(points: &[[f32; 2]]) -> Vec<[f32; 2]> {
    let mut sorted: Vec<[f32; 2]> = points.iter().copied().filter(|p| p[0].is_finite() && p[1].is_finite()).collect();
    sorted.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    sorted.dedup();
    if sorted.len() < 3 {
        return sorted;
    }
    let cross = |o: [f32; 2], a: [f32; 2], b: [f32; 2]| (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    let mut hull: Vec<[f32; 2]> = Vec::with_capacity(2 * sorted.len());
    for pass in [&sorted[..], &sorted.iter().rev().copied().collect::<Vec<_>>()[..]] {
        let start = hull.len();
        for &p in pass {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop(); // the last point of each chain starts the other
    }
    hull
}

/// The hull of the `core_share` (0–1) of `points` closest to their centroid.
pub fn core_outline(points: &[[f32; 2]], core_share: f32) -> Vec<[f32; 2]> {
    if points.is_empty() {
        return Vec::new();
    }
    let n = points.len() as f32;
    let centre = points.iter().fold([0.0, 0.0], |c, p| [c[0] + p[0] / n, c[1] + p[1] / n]);
    let mut by_distance: Vec<(f32, [f32; 2])> =
        points.iter().map(|p| ((p[0] - centre[0]).powi(2) + (p[1] - centre[1]).powi(2), *p)).collect();
    by_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
    let keep = ((n * core_share.clamp(0.0, 1.0)).ceil() as usize).clamp(1, points.len());
    convex_hull(&by_distance[..keep].iter().map(|(_, p)| *p).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hull_of_a_square_with_inner_points_is_its_corners() {
        let points = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.5, 0.5], [0.2, 0.7], [0.5, 0.0]];
        let hull = convex_hull(&points);
        assert_eq!(hull, vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        assert!(convex_hull(&[]).is_empty());
        assert_eq!(convex_hull(&[[1.0, 1.0], [1.0, 1.0]]), vec![[1.0, 1.0]]);
        assert_eq!(convex_hull(&[[0.0, 0.0], [f32::NAN, 1.0], [2.0, 2.0]]).len(), 2);
    }

    #[test]
    fn a_stray_point_does_not_stretch_the_core_outline() {
        let mut points: Vec<[f32; 2]> = (0..20).map(|i| [(i % 5) as f32 * 0.1, (i / 5) as f32 * 0.1]).collect();
        points.push([50.0, 50.0]);
        let outline = core_outline(&points, 0.9);
        assert!(outline.iter().all(|p| p[0] < 1.0 && p[1] < 1.0), "{outline:?}");
        assert!(core_outline(&points, 1.0).contains(&[50.0, 50.0]));
    }
}
