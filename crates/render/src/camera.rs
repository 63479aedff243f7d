//! Where the map is looked at from: a centre in world coordinates and a scale in CSS pixels per world unit.
//!
//! The world's y axis points up, the screen's down, so the camera flips y. Zooming keeps the world point under
//! the pointer fixed, which is what people expect from maps.

/// Viewport size in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub width_px: f32,
    pub height_px: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub centre: [f32; 2],
    pub pixels_per_unit: f32,
}

/// How far in or out a person may zoom relative to the fitted view.
pub const MAX_ZOOM_IN: f32 = 200.0;
pub const MAX_ZOOM_OUT: f32 = 0.2;

impl Default for Camera {
    fn default() -> Self {
        Camera { centre: [0.0, 0.0], pixels_per_unit: 1.0 }
    }
}

impl Camera {
    /// A camera that shows `bounds` (`[min_x, min_y, max_x, max_y]`) whole, with `margin_px` to spare on every side.
    pub fn fit(bounds: [f32; 4], viewport: Viewport, margin_px: f32) -> Camera {
        let width = (bounds[2] - bounds[0]).max(1e-6);
        let height = (bounds[3] - bounds[1]).max(1e-6);
        let usable_w = (viewport.width_px - 2.0 * margin_px).max(1.0);
        let usable_h = (viewport.height_px - 2.0 * margin_px).max(1.0);
        Camera {
            centre: [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0],
            pixels_per_unit: (usable_w / width).min(usable_h / height),
        }
    }

    pub fn screen_from_world(&self, world: [f32; 2], viewport: Viewport) -> [f32; 2] {
        [
            (world[0] - self.centre[0]) * self.pixels_per_unit + viewport.width_px / 2.0,
            viewport.height_px / 2.0 - (world[1] - self.centre[1]) * self.pixels_per_unit,
        ]
    }

    pub fn world_from_screen(&self, screen: [f32; 2], viewport: Viewport) -> [f32; 2] {
        [
            (screen[0] - viewport.width_px / 2.0) / self.pixels_per_unit + self.centre[0],
            (viewport.height_px / 2.0 - screen[1]) / self.pixels_per_unit + self.centre[1],
        ]
    }

    /// Moves the view by a drag of `delta_px` on screen.
    pub fn pan(&mut self, delta_px: [f32; 2]) {
        self.centre[0] -= delta_px[0] / self.pixels_per_unit;
        self.centre[1] += delta_px[1] / self.pixels_per_unit;
    }

    /// Zooms by `factor` (>1 zooms in) around `anchor_px`, keeping the world point under it in place, within
    /// `[MAX_ZOOM_OUT, MAX_ZOOM_IN]` times `fitted_pixels_per_unit`.
    pub fn zoom_about(&mut self, factor: f32, anchor_px: [f32; 2], viewport: Viewport, fitted_pixels_per_unit: f32) {
        let before = self.world_from_screen(anchor_px, viewport);
        let limits = (fitted_pixels_per_unit * MAX_ZOOM_OUT, fitted_pixels_per_unit * MAX_ZOOM_IN);
        self.pixels_per_unit = (self.pixels_per_unit * factor).clamp(limits.0, limits.1);
        let after = self.world_from_screen(anchor_px, viewport);
        self.centre[0] += before[0] - after[0];
        self.centre[1] += before[1] - after[1];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: Viewport = Viewport { width_px: 800.0, height_px: 600.0 };

    fn close(a: [f32; 2], b: [f32; 2]) -> bool {
        (a[0] - b[0]).abs() < 1e-3 && (a[1] - b[1]).abs() < 1e-3
    }

    #[test]
    fn fitting_shows_every_corner_inside_the_margin() {
        let camera = Camera::fit([-2.0, -1.0, 6.0, 3.0], VIEW, 20.0);
        for corner in [[-2.0, -1.0], [6.0, 3.0], [-2.0, 3.0], [6.0, -1.0]] {
            let s = camera.screen_from_world(corner, VIEW);
            assert!((19.9..=780.1).contains(&s[0]) && (19.9..=580.1).contains(&s[1]), "{s:?}");
        }
        // y is flipped: the top of the world is the top of the screen.
        assert!(camera.screen_from_world([0.0, 3.0], VIEW)[1] < camera.screen_from_world([0.0, -1.0], VIEW)[1]);
    }

    #[test]
    fn screen_and_world_round_trip() {
        let camera = Camera { centre: [3.0, -7.0], pixels_per_unit: 12.5 };
        let p = [1.25, 4.5];
        assert!(close(camera.world_from_screen(camera.screen_from_world(p, VIEW), VIEW), p));
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer() {
        let mut camera = Camera::fit([0.0, 0.0, 10.0, 10.0], VIEW, 0.0);
        let anchor = [123.0, 456.0];
        let before = camera.world_from_screen(anchor, VIEW);
        camera.zoom_about(2.5, anchor, VIEW, camera.pixels_per_unit);
        assert!(close(camera.world_from_screen(anchor, VIEW), before));
    }

    #[test]
    fn zoom_is_bounded() {
        let mut camera = Camera::fit([0.0, 0.0, 10.0, 10.0], VIEW, 0.0);
        let fitted = camera.pixels_per_unit;
        for _ in 0..100 {
            camera.zoom_about(2.0, [0.0, 0.0], VIEW, fitted);
        }
        assert!((camera.pixels_per_unit - fitted * MAX_ZOOM_IN).abs() < 1e-2);
    }

    #[test]
    fn panning_follows_the_drag() {
        let mut camera = Camera { centre: [0.0, 0.0], pixels_per_unit: 10.0 };
        let grabbed = camera.world_from_screen([400.0, 300.0], VIEW);
        camera.pan([50.0, -20.0]);
        assert!(close(camera.screen_from_world(grabbed, VIEW), [450.0, 280.0]));
    }
}
