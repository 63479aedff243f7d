//! Turning pointer events into camera moves: one pointer drags the map, two pointers pinch-zoom it.
//!
//! Mouse, pen and touch all arrive as pointer events; this tracks the pointers that are down and says what each
//! move means, so the component only applies the result to its camera.

/// What a pointer move does to the view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gesture {
    /// Drag by this many CSS pixels.
    Pan([f32; 2]),
    /// Zoom by `factor` about `anchor_px`, then drag by `pan_px` (the fingers' midpoint moved).
    Pinch { factor: f32, anchor_px: [f32; 2], pan_px: [f32; 2] },
}

#[derive(Debug, Clone, Default)]
pub struct Pointers {
    down: Vec<(i32, [f32; 2])>,
}

fn midpoint(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

impl Pointers {
    pub fn press(&mut self, id: i32, at_px: [f32; 2]) {
        self.down.retain(|(other, _)| *other != id);
        self.down.push((id, at_px));
    }

    pub fn release(&mut self, id: i32) {
        self.down.retain(|(other, _)| *other != id);
    }

    /// True while any pointer is pressed (the user is dragging, not hovering).
    pub fn active(&self) -> bool {
        !self.down.is_empty()
    }

    /// Records that pointer `id` moved to `at_px` and returns what that does to the view, if anything.
    pub fn moved(&mut self, id: i32, at_px: [f32; 2]) -> Option<Gesture> {
        let index = self.down.iter().position(|(other, _)| *other == id)?;
        let before = self.down.clone();
        self.down[index].1 = at_px;
        match before.len() {
            1 => {
                let from = before[0].1;
                Some(Gesture::Pan([at_px[0] - from[0], at_px[1] - from[1]]))
            }
            2 => {
                let (a0, b0) = (before[0].1, before[1].1);
                let (a1, b1) = (self.down[0].1, self.down[1].1);
                let spread_before = distance(a0, b0);
                if spread_before < 1.0 {
                    return None;
                }
                let (m0, m1) = (midpoint(a0, b0), midpoint(a1, b1));
                Some(Gesture::Pinch {
                    factor: distance(a1, b1) / spread_before,
                    anchor_px: m0,
                    pan_px: [m1[0] - m0[0], m1[1] - m0[1]],
                })
            }
            // A third finger is ignored rather than guessed at.
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pointer_drags() {
        let mut pointers = Pointers::default();
        assert_eq!(pointers.moved(1, [5.0, 5.0]), None, "moving without pressing is hovering");
        pointers.press(1, [10.0, 10.0]);
        assert_eq!(pointers.moved(1, [14.0, 7.0]), Some(Gesture::Pan([4.0, -3.0])));
        assert_eq!(pointers.moved(1, [15.0, 7.0]), Some(Gesture::Pan([1.0, 0.0])));
        pointers.release(1);
        assert!(!pointers.active());
    }

    #[test]
    fn two_pointers_spreading_apart_zoom_in_about_their_midpoint() {
        let mut pointers = Pointers::default();
        pointers.press(1, [100.0, 100.0]);
        pointers.press(2, [200.0, 100.0]);
        match pointers.moved(2, [300.0, 100.0]) {
            Some(Gesture::Pinch { factor, anchor_px, pan_px }) => {
                assert!((factor - 2.0).abs() < 1e-6);
                assert_eq!(anchor_px, [150.0, 100.0]);
                assert_eq!(pan_px, [50.0, 0.0]);
            }
            other => panic!("expected a pinch, got {other:?}"),
        }
        // Lifting one finger goes back to dragging with the other.
        pointers.release(1);
        assert_eq!(pointers.moved(2, [310.0, 100.0]), Some(Gesture::Pan([10.0, 0.0])));
    }
}
