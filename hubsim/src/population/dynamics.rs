//! Daily counters in closed form: cumulative downloads and likes are smooth functions of a
//! model's age plus bounded, telescoping noise, so any day is computed directly in O(1) per
//! model, downloads_all_time never decreases (except at a rename), and `day(D)` equals what
//! `days()` yields for D by construction.

use crate::hash::{Draw, unit_at};
use crate::population::clock::{Clock, DAY};
use crate::population::statics::{FLAG_EVERGREEN, FLAG_SPIKE, Meta};

/// Draw purpose: daily download noise.
const PURPOSE_NOISE: u64 = 0x4e4f_4953;
/// Draw purpose: rename (counter reset) day and update schedule.
const PURPOSE_EVENTS: u64 = 0x4556_4e54;

/// Slow decline of every model's downloads (days).
const DECLINE: f64 = 900.0;
/// Likes keep trickling in at this timescale (days): slowly, so trending (likes of the last
/// week) is led by fresh releases, not by the steady popularity of old ones.
const LIKES_TAIL: f64 = 1_500.0;
/// Renames (downloads_all_time resets) per day across the whole population.
const RENAMES_PER_DAY: f64 = 4.0;
/// Renames are spread over this many days after the start date.
const RENAME_SPAN: i64 = 730;

/// The counters of one model on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counters {
    pub downloads_30d: i64,
    pub all_time: i64,
    pub likes: i64,
    pub trending: i64,
    /// Compact seconds.
    pub last_modified: i64,
}

/// Per-model dynamics parameters derived from its meta record.
struct Curve {
    rate: f64,
    /// Timescale of the slow decline (days); infinite for evergreen checkpoints.
    decline: f64,
    spike: f64,
    tau: f64,
    likes: f64,
    likes_tau: f64,
}

impl Curve {
    fn of(m: &Meta) -> Curve {
        let spiky = m.flags & FLAG_SPIKE != 0;
        Curve {
            rate: f64::from(m.rate),
            decline: if m.flags & FLAG_EVERGREEN != 0 {
                f64::INFINITY
            } else {
                DECLINE
            },
            spike: if spiky { 3.0 } else { 2.0 },
            tau: if spiky { 6.0 } else { 12.0 },
            likes: f64::from(m.likes),
            likes_tau: if spiky { 5.0 } else { 15.0 },
        }
    }

    /// Smooth cumulative downloads at an age in days, floored.
    fn trend(&self, age: f64) -> i64 {
        if age <= 0.0 {
            return 0;
        }
        let plateau = if self.decline.is_finite() {
            self.decline * (1.0 - (-age / self.decline).exp())
        } else {
            age
        };
        let launch = self.spike * self.tau * (1.0 - (-age / self.tau).exp());
        (self.rate * (plateau + launch)) as i64
    }

    /// Cumulative likes at an age in days.
    fn likes(&self, age: f64) -> i64 {
        if age <= 0.0 {
            return 0;
        }
        (self.likes * (1.0 - (-age / self.likes_tau).exp() + age / LIKES_TAIL)) as i64
    }
}

/// Everything the counters need besides the meta record.
pub(crate) struct DayCtx {
    pub seed: u64,
    pub day: i64,
    pub rename_chance: f64,
    pub start_day: i64,
}

impl DayCtx {
    /// The context of a day for a population calendar.
    pub(crate) fn new(seed: u64, clock: &Clock, day: i64) -> DayCtx {
        DayCtx {
            seed,
            day,
            rename_chance: (RENAMES_PER_DAY * RENAME_SPAN as f64 / clock.initial as f64).min(1.0),
            start_day: clock.start_day,
        }
    }

    /// Noisy cumulative downloads of model `i` at the end of day `day`.
    fn cumulative(&self, i: u32, c: &Curve, created: i64, day: i64) -> i64 {
        let age = (Clock::end_of(day) - created) as f64 / DAY as f64;
        let before = c.trend(age - 1.0);
        let now = c.trend(age);
        let after = c.trend(age + 1.0);
        // Noise at most 60% of the smaller adjacent daily increment: adding it never makes the
        // cumulative count go down (the increment of day d is at least 40% of its trend).
        let room = (now - before).min(after - now).max(0);
        let u = unit_at(
            self.seed,
            PURPOSE_NOISE,
            (u64::from(i) << 24) ^ (day as u64 & 0xff_ffff),
        );
        now + (u * 0.6 * room as f64) as i64
    }

    /// The counters of model `i` on this day.
    pub(crate) fn counters(&self, i: u32, m: &Meta) -> Counters {
        let c = Curve::of(m);
        let created = i64::from(m.created);
        let total = self.cumulative(i, &c, created, self.day);
        let month_ago = self.cumulative(i, &c, created, self.day - 30);
        let mut ev = Draw::new(self.seed, PURPOSE_EVENTS, u64::from(i));
        let u = ev.unit();
        let mut all_time = total;
        if u < self.rename_chance {
            let rename_day =
                self.start_day + 1 + (u / self.rename_chance * RENAME_SPAN as f64) as i64;
            if rename_day <= self.day && rename_day > created / DAY {
                all_time = total - self.cumulative(i, &c, created, rename_day - 1);
            }
        }
        let age = (Clock::end_of(self.day) - created) as f64 / DAY as f64;
        let likes = c.likes(age);
        let trending = likes - c.likes(age - 7.0);
        // Commits: a few updates at a fixed interval after creation.
        let updates = (ev.unit().powi(2) * 5.0) as i64;
        let interval = 3 + ev.below(120) as i64;
        let done = updates.min((age as i64) / interval);
        let jitter = ev.below(3_600) as i64 * done.min(1);
        let last_modified =
            (created + done * interval * DAY + jitter).min(Clock::end_of(self.day) - 1);
        Counters {
            downloads_30d: total - month_ago,
            all_time,
            likes,
            trending,
            last_modified,
        }
    }
}
