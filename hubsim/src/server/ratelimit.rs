//! Fixed-window rate limiting with the Hub's `RateLimit` / `RateLimit-Policy` headers.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A request quota per fixed window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateQuota {
    /// Requests allowed per window.
    pub quota: u32,
    /// Window length in whole seconds (at least 1).
    pub window_secs: u64,
}

/// The verdict on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Whether the request is within the quota.
    pub allowed: bool,
    /// Requests left in the window after this one.
    pub remaining: u32,
    /// Whole seconds until the window resets (at least 1).
    pub reset_secs: u64,
}

/// Counts requests in fixed windows starting when the server started.
#[derive(Debug)]
pub(crate) struct Limiter {
    quota: RateQuota,
    origin: Instant,
    state: Mutex<(u64, u32)>,
}

impl Limiter {
    /// A limiter whose first window starts now.
    pub(crate) fn new(quota: RateQuota) -> Limiter {
        Limiter {
            quota: RateQuota {
                quota: quota.quota,
                window_secs: quota.window_secs.max(1),
            },
            origin: Instant::now(),
            state: Mutex::new((0, 0)),
        }
    }

    /// Counts one request at `elapsed` since the origin.
    pub(crate) fn check_at(&self, elapsed: Duration) -> Verdict {
        let window = self.quota.window_secs;
        let index = elapsed.as_secs() / window;
        let into = elapsed.as_secs_f64() - (index * window) as f64;
        let reset_secs = ((window as f64 - into).ceil() as u64).clamp(1, window);
        let mut state = match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if state.0 != index {
            *state = (index, 0);
        }
        let allowed = state.1 < self.quota.quota;
        if allowed {
            state.1 += 1;
        }
        Verdict {
            allowed,
            remaining: self.quota.quota - state.1,
            reset_secs,
        }
    }

    /// Counts one request now.
    pub(crate) fn check(&self) -> Verdict {
        self.check_at(self.origin.elapsed())
    }

    /// `RateLimit: "api";r=<remaining>;t=<reset>`.
    pub(crate) fn header(v: &Verdict) -> String {
        format!("\"api\";r={};t={}", v.remaining, v.reset_secs)
    }

    /// `RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window>`.
    pub(crate) fn policy(&self) -> String {
        format!(
            "\"fixed window\";\"api\";q={};w={}",
            self.quota.quota, self.quota.window_secs
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_and_reset() {
        let l = Limiter::new(RateQuota {
            quota: 2,
            window_secs: 10,
        });
        let a = l.check_at(Duration::from_millis(100));
        let b = l.check_at(Duration::from_millis(2_500));
        let c = l.check_at(Duration::from_millis(3_000));
        assert_eq!((a.allowed, a.remaining, a.reset_secs), (true, 1, 10));
        assert_eq!((b.allowed, b.remaining, b.reset_secs), (true, 0, 8));
        assert_eq!((c.allowed, c.remaining, c.reset_secs), (false, 0, 7));
        let d = l.check_at(Duration::from_millis(10_200));
        assert_eq!((d.allowed, d.remaining), (true, 1));
    }

    #[test]
    fn headers_have_the_hub_format() {
        let l = Limiter::new(RateQuota {
            quota: 500,
            window_secs: 300,
        });
        let v = l.check_at(Duration::from_secs(1));
        assert_eq!(Limiter::header(&v), "\"api\";r=499;t=299");
        assert_eq!(l.policy(), "\"fixed window\";\"api\";q=500;w=300");
    }
}
