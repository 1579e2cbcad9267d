//! Rate-limit headers and the pacer that spends the quota without tripping it.
//!
//! The Hub sends `RateLimit: "api";r=<remaining>;t=<seconds to reset>` and
//! `RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window>`. In a fixed window the fastest
//! schedule that never trips the limit is to burst while calls remain and, once `r` reaches 0,
//! sleep until the window resets: a listing of C calls then takes about C / q × w, the quota bound.

use std::time::{Duration, Instant};

/// Slack added to a reset wait, for timer granularity.
pub(crate) const RESET_SLACK: Duration = Duration::from_millis(20);
/// At most this many windows are rolled forward when matching an old estimate to a new one.
const MAX_ROLL: u32 = 10_000;

/// What one response said about the quota.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct RateLimit {
    /// Calls left in the window (`r`).
    pub remaining: Option<u32>,
    /// Seconds until the window resets (`t`).
    pub reset_secs: Option<f64>,
    /// Calls per window (`q` of the policy).
    pub quota: Option<u32>,
    /// Window length in seconds (`w` of the policy).
    pub window_secs: Option<f64>,
}

/// The value of parameter `key` in a structured header like `"api";r=5;t=30`.
fn param(value: &str, key: &str) -> Option<f64> {
    value.split([';', ',']).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case(key) {
            v.trim().trim_matches('"').parse::<f64>().ok()
        } else {
            None
        }
    })
}

fn as_u32(v: f64) -> Option<u32> {
    (v.is_finite() && v >= 0.0).then(|| v.min(f64::from(u32::MAX)) as u32)
}

impl RateLimit {
    /// Parses the two headers (either may be absent or malformed: then its fields are `None`).
    pub(crate) fn parse(ratelimit: Option<&str>, policy: Option<&str>) -> RateLimit {
        RateLimit {
            remaining: ratelimit.and_then(|h| param(h, "r")).and_then(as_u32),
            reset_secs: ratelimit
                .and_then(|h| param(h, "t"))
                .filter(|t| t.is_finite() && *t >= 0.0),
            quota: policy.and_then(|h| param(h, "q")).and_then(as_u32),
            window_secs: policy
                .and_then(|h| param(h, "w"))
                .filter(|w| w.is_finite() && *w > 0.0),
        }
    }
}

/// A `Retry-After` value (seconds, or an HTTP date compared with `now_ms`, milliseconds since
/// the epoch) as a wait; `None` when malformed, negative or beyond any plausible wait.
pub(crate) fn retry_after_value(value: &str, now_ms: i64) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<f64>() {
        // try_from: a huge value is garbage, not a reason to panic or to wait for centuries.
        return Duration::try_from_secs_f64(secs)
            .ok()
            .filter(|d| *d <= MAX_RETRY_AFTER);
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let ms = at.timestamp_millis().saturating_sub(now_ms).max(0);
    Some(Duration::from_millis(u64::try_from(ms).ok()?)).filter(|d| *d <= MAX_RETRY_AFTER)
}

/// The longest `Retry-After` taken at its word (a day); longer ones are ignored as malformed.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// Decides how long to wait before the next call, from the responses' headers.
///
/// `t` is whole seconds, so one response only says the reset is within a second. The pacer
/// intersects what every response said (the window's reset lies in `(sent + t - 1, received + t]`),
/// carrying the estimate across windows of the policy's length `w`, so after a few calls it knows
/// the reset instant to within the request spacing and wastes almost nothing waiting for it.
/// Should the server round `t` down instead, the estimate is early by under a second: at most
/// one 429 per window, whose `Retry-After` the client honours.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    remaining: Option<u32>,
    window: Option<Duration>,
    /// Bounds on the instant the current window resets.
    reset: Option<(Instant, Instant)>,
    /// Calls made since the last observation.
    in_flight: u32,
}

impl Pacer {
    /// Records what a response said; `sent` and `received` bracket the server's clock reading.
    pub(crate) fn observe(&mut self, limit: &RateLimit, sent: Instant, received: Instant) {
        if let Some(w) = limit.window_secs {
            self.window = Some(Duration::from_secs_f64(w.min(86_400.0)));
        }
        if let Some(t) = limit.reset_secs {
            let t = Duration::from_secs_f64(t.min(86_400.0));
            let lo = (sent + t)
                .checked_sub(Duration::from_secs(1))
                .unwrap_or(sent);
            let hi = received + t;
            self.reset = Some(match (self.reset, self.window) {
                (Some((mut plo, mut phi)), window) => {
                    // An estimate for an earlier window moves forward by whole windows.
                    if let Some(w) = window.filter(|w| !w.is_zero()) {
                        let mut rolls = 0;
                        while phi < lo && rolls < MAX_ROLL {
                            plo += w;
                            phi += w;
                            rolls += 1;
                        }
                    }
                    let (nlo, nhi) = (plo.max(lo), phi.min(hi));
                    // Inconsistent (a policy change, or another rounding): trust the latest.
                    if nlo <= nhi { (nlo, nhi) } else { (lo, hi) }
                }
                (None, _) => (lo, hi),
            });
        }
        if let Some(r) = limit.remaining {
            self.remaining = Some(r);
            self.in_flight = 0;
        }
    }

    /// The wait before the next call made at `now` (zero while calls remain in the window).
    pub(crate) fn delay(&self, now: Instant) -> Duration {
        match (self.remaining, self.reset) {
            (Some(r), Some((_, hi))) if r <= self.in_flight => {
                hi.saturating_duration_since(now) + RESET_SLACK
            }
            _ => Duration::ZERO,
        }
    }

    /// Notes that a call is being made.
    pub(crate) fn sent(&mut self) {
        self.in_flight = self.in_flight.saturating_add(1);
    }

    /// After a reset wait the window is fresh: forget the spent count (keep the phase).
    pub(crate) fn waited(&mut self) {
        self.remaining = None;
        self.in_flight = 0;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_hub_headers() {
        let l = RateLimit::parse(
            Some(r#""api";r=497;t=212"#),
            Some(r#""fixed window";"api";q=500;w=300"#),
        );
        assert_eq!(l.remaining, Some(497));
        assert_eq!(l.reset_secs, Some(212.0));
        assert_eq!(l.quota, Some(500));
        assert_eq!(l.window_secs, Some(300.0));
    }

    #[test]
    fn malformed_headers_parse_to_none() {
        let l = RateLimit::parse(Some("api;r=abc;t=-1"), Some("nonsense"));
        assert_eq!(l, RateLimit::default());
        assert_eq!(RateLimit::parse(None, None), RateLimit::default());
    }

    fn limit(r: u32, t: f64) -> RateLimit {
        RateLimit {
            remaining: Some(r),
            reset_secs: Some(t),
            window_secs: Some(10.0),
            ..RateLimit::default()
        }
    }

    #[test]
    fn bursts_while_calls_remain_then_waits_for_the_reset() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut p = Pacer::default();
        assert_eq!(p.delay(t0), Duration::ZERO, "no headers yet: go");
        p.sent();
        p.observe(&limit(2, 10.0), t0, t0);
        p.sent();
        assert_eq!(p.delay(t0), Duration::ZERO);
        p.observe(&limit(0, 9.0), t0 + s(1), t0 + s(1));
        let wait = p.delay(t0 + s(1));
        assert_eq!(wait, s(9) + RESET_SLACK);
        // Later on the fake clock, less is left to wait.
        assert_eq!(p.delay(t0 + s(7)), s(3) + RESET_SLACK);
        p.waited();
        assert_eq!(p.delay(t0 + s(11)), Duration::ZERO);
    }

    #[test]
    fn observations_narrow_the_reset_instant() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut p = Pacer::default();
        // True reset at t0 + 9.3 s; the server rounds up.
        p.observe(&limit(5, 10.0), t0, t0 + ms(10));
        p.observe(&limit(4, 10.0), t0 + ms(200), t0 + ms(210));
        p.observe(&limit(3, 9.0), t0 + ms(400), t0 + ms(410));
        p.observe(&limit(0, 9.0), t0 + ms(600), t0 + ms(610));
        let wait = p.delay(t0 + ms(610));
        // hi = 0.41 + 9 = 9.41 s: within 0.11 s of the truth, not a whole second.
        assert_eq!(wait, ms(9410 - 610) + RESET_SLACK);
        // Next window: the phase carries over (w = 10 s), so a fresh coarse t does not widen it.
        p.waited();
        p.observe(&limit(9, 10.0), t0 + ms(9500), t0 + ms(9510));
        p.observe(&limit(0, 10.0), t0 + ms(9600), t0 + ms(9610));
        let wait = p.delay(t0 + ms(9610));
        assert_eq!(wait, ms(19410 - 9610) + RESET_SLACK);
    }

    #[test]
    fn a_full_listing_takes_about_the_quota_bound() {
        // A fixed-window server (q calls per w seconds, windows from its own start, `t` rounded
        // up) against the pacer on a fake clock: 10 windows' worth of calls must stay within
        // 5% of the bound calls / q × w, with no 429.
        let (q, w) = (50u32, 10.0f64);
        let calls = 10 * q;
        let origin = Instant::now();
        let t0 = origin + Duration::from_millis(3_700);
        let mut now = t0;
        let (mut index, mut used) = (0u64, 0u32);
        let mut p = Pacer::default();
        let rtt = Duration::from_millis(7);
        for _ in 0..calls {
            let d = p.delay(now);
            if !d.is_zero() {
                now += d;
                p.waited();
            }
            p.sent();
            let sent = now;
            let at = (now + rtt / 2).duration_since(origin).as_secs_f64();
            let i = (at / w) as u64;
            if i != index {
                (index, used) = (i, 0);
            }
            assert!(used < q, "would have tripped a 429");
            used += 1;
            let t = ((i + 1) as f64 * w - at).ceil().max(1.0);
            now += rtt;
            p.observe(
                &RateLimit {
                    remaining: Some(q - used),
                    reset_secs: Some(t),
                    quota: Some(q),
                    window_secs: Some(w),
                },
                sent,
                now,
            );
        }
        let took = now.duration_since(t0).as_secs_f64();
        let bound = f64::from(calls) / f64::from(q) * w;
        assert!(took <= bound * 1.05, "took {took}s, bound {bound}s");
    }
}
