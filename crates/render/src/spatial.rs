//! Finding the point under the pointer quickly: a uniform grid over the points' bounding box.
//!
//! Each cell lists the points inside it, so a query looks only at the cells within reach of the pointer.
//! Built once per layout; a query on 100,000 points touches a few dozen of them.

#[derive(Debug, Clone, Default)]
pub struct SpatialIndex {
    origin: [f32; 2],
    cell_size: f32,
    columns: usize,
    rows: usize,
    /// Point indices sorted by cell; cell `c` holds `points[starts[c]..starts[c + 1]]`.
    starts: Vec<usize>,
    points: Vec<u32>,
    positions: Vec<[f32; 2]>,
}

impl SpatialIndex {
    /// Indexes `positions`, aiming at a few points per cell.
    pub fn new(positions: &[[f32; 2]]) -> Self {
        let finite: Vec<&[f32; 2]> = positions.iter().filter(|p| p[0].is_finite() && p[1].is_finite()).collect();
        let Some(first) = finite.first() else { return SpatialIndex::default() };
        let bounds = finite.iter().fold([first[0], first[1], first[0], first[1]], |b, p| {
            [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])]
        });
        let width = (bounds[2] - bounds[0]).max(1e-6);
        let height = (bounds[3] - bounds[1]).max(1e-6);
        let cells_wanted = (finite.len() as f32 / 4.0).max(1.0);
        let cell_size = ((width * height) / cells_wanted).sqrt().max(width.max(height) / 1024.0);
        let columns = ((width / cell_size).floor() as usize + 1).max(1);
        let rows = ((height / cell_size).floor() as usize + 1).max(1);
        let mut index = SpatialIndex {
            origin: [bounds[0], bounds[1]],
            cell_size,
            columns,
            rows,
            starts: vec![0; columns * rows + 1],
            points: Vec::new(),
            positions: positions.to_vec(),
        };
        let cells: Vec<Option<usize>> = positions.iter().map(|p| index.cell_of(*p)).collect();
        for cell in cells.iter().flatten() {
            index.starts[cell + 1] += 1;
        }
        for c in 0..columns * rows {
            index.starts[c + 1] += index.starts[c];
        }
        let mut fill = index.starts.clone();
        index.points = vec![0; index.starts[columns * rows]];
        for (point, cell) in cells.iter().enumerate() {
            if let Some(cell) = cell {
                index.points[fill[*cell]] = point as u32;
                fill[*cell] += 1;
            }
        }
        index
    }

    fn cell_of(&self, p: [f32; 2]) -> Option<usize> {
        if !(p[0].is_finite() && p[1].is_finite()) {
            return None;
        }
        let col = (((p[0] - self.origin[0]) / self.cell_size).floor().max(0.0) as usize).min(self.columns - 1);
        let row = (((p[1] - self.origin[1]) / self.cell_size).floor().max(0.0) as usize).min(self.rows - 1);
        Some(row * self.columns + col)
    }

    /// The point nearest to `at` within `radius` (world units), if any.
    pub fn nearest(&self, at: [f32; 2], radius: f32) -> Option<usize> {
        if self.points.is_empty() || !(at[0].is_finite() && at[1].is_finite()) {
            return None;
        }
        let reach = (radius / self.cell_size).ceil() as i64;
        let col = ((at[0] - self.origin[0]) / self.cell_size).floor() as i64;
        let row = ((at[1] - self.origin[1]) / self.cell_size).floor() as i64;
        let mut best: Option<(f32, usize)> = None;
        for r in (row - reach).max(0)..=(row + reach).min(self.rows as i64 - 1) {
            for c in (col - reach).max(0)..=(col + reach).min(self.columns as i64 - 1) {
                let cell = r as usize * self.columns + c as usize;
                for &point in &self.points[self.starts[cell]..self.starts[cell + 1]] {
                    let p = self.positions[point as usize];
                    let d = (p[0] - at[0]).powi(2) + (p[1] - at[1]).powi(2);
                    if d <= radius * radius && best.is_none_or(|(bd, bp)| d < bd || (d == bd && (point as usize) < bp))
                    {
                        best = Some((d, point as usize));
                    }
                }
            }
        }
        best.map(|(_, point)| point)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all points: the oracle for the grid.
    fn nearest_by_scan(positions: &[[f32; 2]], at: [f32; 2], radius: f32) -> Option<usize> {
        let mut best: Option<(f32, usize)> = None;
        for (i, p) in positions.iter().enumerate() {
            let d = (p[0] - at[0]).powi(2) + (p[1] - at[1]).powi(2);
            if d <= radius * radius && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, i));
            }
        }
        best.map(|(_, i)| i)
    }

    #[test]
    fn agrees_with_a_linear_scan() {
        // A deterministic scatter with dense and sparse regions.
        let positions: Vec<[f32; 2]> = (0..3000)
            .map(|i| {
                let t = i as f32 * 0.618_034;
                let r = if i % 3 == 0 { 0.2 } else { 5.0 } * (t.fract());
                [r * (t * 40.0).cos() + (i % 2) as f32 * 3.0, r * (t * 40.0).sin()]
            })
            .collect();
        let index = SpatialIndex::new(&positions);
        for q in 0..500 {
            let at = [(q % 25) as f32 * 0.4 - 5.0, (q / 25) as f32 * 0.5 - 5.0];
            for radius in [0.05, 0.3, 2.0] {
                assert_eq!(index.nearest(at, radius), nearest_by_scan(&positions, at, radius), "{at:?} {radius}");
            }
        }
    }

    #[test]
    fn empty_and_non_finite_inputs_are_handled() {
        assert_eq!(SpatialIndex::new(&[]).nearest([0.0, 0.0], 1.0), None);
        let index = SpatialIndex::new(&[[f32::NAN, 0.0], [1.0, 1.0]]);
        assert_eq!(index.nearest([1.0, 1.1], 0.5), Some(1));
        assert_eq!(index.nearest([f32::NAN, 1.0], 0.5), None);
    }
}
