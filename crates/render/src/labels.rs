//! Placing labels so none overlaps another: the most important label wins its spot, the rest give way.

/// A label's box on screen, in CSS pixels, centred on `centre_px`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    pub centre_px: [f32; 2],
    pub width_px: f32,
    pub height_px: f32,
    pub priority: f32,
}

impl LabelBox {
    fn overlaps(&self, other: &LabelBox) -> bool {
        (self.centre_px[0] - other.centre_px[0]).abs() * 2.0 < self.width_px + other.width_px
            && (self.centre_px[1] - other.centre_px[1]).abs() * 2.0 < self.height_px + other.height_px
    }
}

/// Indices of the labels to draw: greedily by priority (ties by index), skipping any that would overlap a label
/// already placed. Returned in placement order.
pub fn place_labels(boxes: &[LabelBox]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    order.sort_by(|&a, &b| boxes[b].priority.total_cmp(&boxes[a].priority).then(a.cmp(&b)));
    let mut placed: Vec<usize> = Vec::new();
    for index in order {
        if placed.iter().all(|&p| !boxes[p].overlaps(&boxes[index])) {
            placed.push(index);
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(x: f32, y: f32, priority: f32) -> LabelBox {
        LabelBox { centre_px: [x, y], width_px: 100.0, height_px: 20.0, priority }
    }

    #[test]
    fn the_higher_priority_label_wins_an_overlap() {
        let boxes = [label(0.0, 0.0, 1.0), label(50.0, 5.0, 9.0), label(300.0, 0.0, 0.5)];
        assert_eq!(place_labels(&boxes), [1, 2]);
    }

    #[test]
    fn placed_labels_never_overlap() {
        let boxes: Vec<LabelBox> =
            (0..200).map(|i| label((i * 37 % 500) as f32, (i * 53 % 300) as f32, (i % 7) as f32)).collect();
        let placed = place_labels(&boxes);
        assert!(!placed.is_empty());
        for (i, &a) in placed.iter().enumerate() {
            for &b in &placed[i + 1..] {
                assert!(!boxes[a].overlaps(&boxes[b]), "{a} and {b}");
            }
        }
    }
}
