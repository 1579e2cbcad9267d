//! Injectable faults: which request fails, and how. Decisions are a pure function of the fault
//! seed and the request's sequence number, so a sequential client sees the same faults each run.

use std::str::FromStr;

use crate::error::SimError;
use crate::hash::Draw;

/// Draw purpose: fault decisions.
const PURPOSE_FAULT: u64 = 0x4641_554c;

/// One way a request can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// `429` with `Retry-After: 1` although the quota is not exhausted (`429`).
    RateLimited,
    /// `500`, `502` or `503` (`5xx`).
    ServerError,
    /// The connection closes without a response (`drop`).
    Drop,
    /// The body stops half-way, short of its `Content-Length` (`truncate`).
    Truncate,
    /// A complete `200` whose body is cut half-way, its `Content-Length` to match, as a
    /// misbehaving proxy or cache may serve it: the transfer succeeds, the JSON does not
    /// parse (`garble`).
    Garble,
    /// The response comes after `slow_ms` (`slow`).
    Slow,
    /// One record of the page has a wrong-typed field (`malformed`).
    Malformed,
}

impl FaultKind {
    /// Every kind.
    pub const ALL: [FaultKind; 7] = [
        FaultKind::RateLimited,
        FaultKind::ServerError,
        FaultKind::Drop,
        FaultKind::Truncate,
        FaultKind::Garble,
        FaultKind::Slow,
        FaultKind::Malformed,
    ];

    /// Its position in [`FaultKind::ALL`] (which lists the kinds in declaration order).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The command-line spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::RateLimited => "429",
            FaultKind::ServerError => "5xx",
            FaultKind::Drop => "drop",
            FaultKind::Truncate => "truncate",
            FaultKind::Garble => "garble",
            FaultKind::Slow => "slow",
            FaultKind::Malformed => "malformed",
        }
    }

    /// Parses a comma-separated list (`"429,5xx,drop"`); `"all"` means every kind.
    pub fn parse_list(text: &str) -> Result<Vec<FaultKind>, SimError> {
        if text.trim() == "all" {
            return Ok(FaultKind::ALL.to_vec());
        }
        text.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect()
    }
}

impl FromStr for FaultKind {
    type Err = SimError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        FaultKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| SimError::UnknownFault {
                found: s.to_owned(),
            })
    }
}

/// Fault injection settings: off when `rate` is 0.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Probability in [0, 1] that a request gets a fault.
    pub rate: f64,
    /// The kinds to choose from (uniformly); empty means none.
    pub kinds: Vec<FaultKind>,
    /// Seed of the decisions.
    pub seed: u64,
    /// Delay of a `slow` response, milliseconds.
    pub slow_ms: u64,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            rate: 0.0,
            kinds: FaultKind::ALL.to_vec(),
            seed: 0,
            slow_ms: 1_500,
        }
    }
}

impl FaultConfig {
    /// The fault of the request with this sequence number, if any, and a draw for its details.
    pub(crate) fn decide(&self, seq: u64) -> Option<(FaultKind, u64)> {
        if self.kinds.is_empty() || self.rate <= 0.0 {
            return None;
        }
        let mut d = Draw::new(self.seed, PURPOSE_FAULT, seq);
        if !d.chance(self.rate) {
            return None;
        }
        let kind = *d.pick(&self.kinds);
        Some((kind, d.next_u64()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_their_cli_spelling() {
        let all = FaultKind::parse_list("429,5xx,drop,truncate,garble,slow,malformed").unwrap();
        assert_eq!(all, FaultKind::ALL.to_vec());
        assert_eq!(
            FaultKind::parse_list("all").unwrap(),
            FaultKind::ALL.to_vec()
        );
        assert!(
            matches!("teapot".parse::<FaultKind>(), Err(SimError::UnknownFault { found }) if found == "teapot")
        );
        for (k, kind) in FaultKind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), k, "{kind:?}");
        }
    }

    #[test]
    fn decisions_follow_the_rate_and_are_reproducible() {
        let cfg = FaultConfig {
            rate: 0.2,
            seed: 9,
            ..FaultConfig::default()
        };
        let hits: Vec<bool> = (0..5_000).map(|s| cfg.decide(s).is_some()).collect();
        let again: Vec<bool> = (0..5_000).map(|s| cfg.decide(s).is_some()).collect();
        assert_eq!(hits, again);
        let share = hits.iter().filter(|h| **h).count() as f64 / 5_000.0;
        assert!((share - 0.2).abs() < 0.03, "{share}");
        let off = FaultConfig::default();
        assert!((0..1_000).all(|s| off.decide(s).is_none()));
    }
}
