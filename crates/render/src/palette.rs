//! Colours for clusters that stay distinguishable for people with the common colour-vision deficiencies.
//!
//! Paul Tol's "muted" and "light" qualitative schemes, muted first: they were designed to be told apart under
//! deuteranopia and protanopia and stay calm beside the bright way outlines. Beyond 17 clusters colours repeat,
//! and the legend and labels carry the distinction.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Rgba { r, g, b, a: 255 }
    }

    pub const fn with_alpha(self, a: u8) -> Self {
        Rgba { a, ..self }
    }

    /// Parses `#rrggbb`; anything else is `None`.
    pub fn from_hex(hex: &str) -> Option<Self> {
        let digits = hex.strip_prefix('#')?;
        if digits.len() != 6 || !digits.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
        Some(Rgba::rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// CSS `rgba()` text for canvas styles.
    pub fn css(self) -> String {
        format!("rgba({},{},{},{:.3})", self.r, self.g, self.b, self.a as f32 / 255.0)
    }
}

const CLUSTER_COLOURS: [Rgba; 17] = [
    Rgba::rgb(0x33, 0x22, 0x88),
    Rgba::rgb(0x11, 0x77, 0x33),
    Rgba::rgb(0xCC, 0x66, 0x77),
    Rgba::rgb(0x88, 0xCC, 0xEE),
    Rgba::rgb(0xDD, 0xCC, 0x77),
    Rgba::rgb(0x88, 0x22, 0x55),
    Rgba::rgb(0x44, 0xAA, 0x99),
    Rgba::rgb(0x99, 0x99, 0x33),
    Rgba::rgb(0xAA, 0x44, 0x99),
    Rgba::rgb(0x77, 0xAA, 0xDD),
    Rgba::rgb(0xEE, 0x88, 0x66),
    Rgba::rgb(0xEE, 0xDD, 0x88),
    Rgba::rgb(0xFF, 0xAA, 0xBB),
    Rgba::rgb(0x99, 0xDD, 0xFF),
    Rgba::rgb(0xBB, 0xCC, 0x33),
    Rgba::rgb(0xAA, 0xAA, 0x00),
    Rgba::rgb(0x55, 0x55, 0x55),
];

/// Points that belong to no cluster.
pub const NOISE: Rgba = Rgba::rgb(0xBB, 0xBB, 0xBB);

/// The colour of cluster `id`; negative ids are noise.
pub fn cluster_colour(id: i32) -> Rgba {
    usize::try_from(id).map_or(NOISE, |i| CLUSTER_COLOURS[i % CLUSTER_COLOURS.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        assert_eq!(Rgba::from_hex("#0072B2"), Some(Rgba::rgb(0, 0x72, 0xB2)));
        assert_eq!(Rgba::rgb(0, 0x72, 0xB2).to_hex(), "#0072b2");
        for junk in ["0072B2", "#0072B", "#00z2B2", "#ææ"] {
            assert_eq!(Rgba::from_hex(junk), None, "{junk}");
        }
    }

    #[test]
    fn neighbouring_clusters_differ_and_noise_is_grey() {
        for id in 0..16 {
            assert_ne!(cluster_colour(id), cluster_colour(id + 1));
        }
        assert_eq!(cluster_colour(-1), NOISE);
        assert_eq!(cluster_colour(17), cluster_colour(0));
    }
}
