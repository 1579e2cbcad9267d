//! Stateless deterministic randomness: every draw is a pure function of (seed, stream, index),
//! so any model can be materialised alone, in any order, on any day.

/// SplitMix64's finaliser: a cheap, well-mixed bijection on `u64`.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A reproducible draw stream for one (seed, purpose, index) triple.
#[derive(Debug, Clone)]
pub(crate) struct Draw {
    state: u64,
}

impl Draw {
    /// A stream keyed by the seed, a purpose tag (keeps streams independent) and an index.
    pub(crate) fn new(seed: u64, purpose: u64, index: u64) -> Draw {
        Draw {
            state: mix(mix(seed ^ purpose.rotate_left(32)) ^ index),
        }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// A float in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An integer in 0..n (n > 0); the tiny modulo bias does not matter for a simulation.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal draw (Box-Muller, one branch).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-300);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn from cumulative weights (`cumulative` ascending, last = total).
    pub(crate) fn weighted(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0.0);
        let target = self.unit() * total;
        cumulative
            .partition_point(|&c| c <= target)
            .min(cumulative.len().saturating_sub(1))
    }
}

/// A single uniform float in [0, 1) for (seed, purpose, index), without keeping a stream.
pub(crate) fn unit_at(seed: u64, purpose: u64, index: u64) -> f64 {
    Draw::new(seed, purpose, index).unit()
}

/// 64 bits for (seed, purpose, index), for hashes such as `sha` and `_id`.
pub(crate) fn bits_at(seed: u64, purpose: u64, index: u64) -> u64 {
    Draw::new(seed, purpose, index).next_u64()
}

/// FNV-1a of a string's lower-case bytes: the key of the case-insensitive id uniqueness check.
pub(crate) fn fold_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let take = |mut d: Draw| (0..4).map(|_| d.next_u64()).collect::<Vec<u64>>();
        let (a, b, c) = (
            take(Draw::new(1, 2, 3)),
            take(Draw::new(1, 2, 3)),
            take(Draw::new(1, 2, 4)),
        );
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn unit_draws_stay_in_range_and_average_one_half() {
        let mut d = Draw::new(7, 0, 0);
        let xs: Vec<f64> = (0..10_000).map(|_| d.unit()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
    }

    #[test]
    fn weighted_respects_weights() {
        let cumulative = [1.0, 1.0, 10.0];
        let mut d = Draw::new(3, 3, 3);
        let mut counts = [0usize; 3];
        for _ in 0..10_000 {
            counts[d.weighted(&cumulative)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > 8 * counts[0], "{counts:?}");
    }

    #[test]
    fn fold_hash_ignores_case() {
        assert_eq!(fold_hash("Qwen/Qwen3-8B"), fold_hash("qwen/QWEN3-8b"));
        assert_ne!(fold_hash("Qwen/Qwen3-8B"), fold_hash("Qwen/Qwen3-7B"));
    }
}
