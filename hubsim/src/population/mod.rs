//! The seeded population: who uploads what, and how the counters move day by day.
//!
//! Static attributes live in a compact record per model (no strings); ids and tags are rebuilt
//! on demand. Records are materialised lazily for the prefix of indices a day needs, under a
//! lock, so asking for a far-away day simply extends the prefix.

mod clock;
mod day;
mod describe;
mod dynamics;
mod statics;
mod types;

use std::sync::{Arc, RwLock, RwLockReadGuard};

use chrono::NaiveDate;
use hubtrends_orgs::Registry;

use crate::authors::Authors;
use clock::{Clock, day_number};
use describe::Gen;
use statics::{Ctx, Statics, draw_meta};

pub use day::Day;
pub use types::{Gated, Relation, SimConfig, SimModel, SortKey};

/// The simulated Hub's models: a pure function of the configuration and the registry.
/// Cloning is cheap (shared).
#[derive(Clone)]
pub struct Population {
    inner: Arc<Inner>,
}

// The statics run to millions of records: show the configuration only.
impl std::fmt::Debug for Population {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Population")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct Inner {
    config: SimConfig,
    clock: Clock,
    authors: Authors,
    statics: RwLock<Statics>,
}

impl Population {
    /// The population drawn from the built-in organisation registry.
    pub fn new(config: SimConfig) -> Population {
        Population::with_registry(config, &Registry::builtin())
    }

    /// The population drawn from an explicit registry (its organisations release the bases).
    pub fn with_registry(config: SimConfig, registry: &Registry) -> Population {
        let clock = Clock::new(config.models, config.start_date);
        let authors = Authors::build(registry, config.seed, clock.initial);
        let population = Population {
            inner: Arc::new(Inner {
                config,
                clock,
                authors,
                statics: RwLock::new(Statics::default()),
            }),
        };
        population.ensure(clock.initial);
        tracing::debug!(
            models = clock.initial,
            seed = config.seed,
            "population built"
        );
        population
    }

    /// The configuration this population was built from.
    pub fn config(&self) -> &SimConfig {
        &self.inner.config
    }

    /// The number of models listed on a date.
    pub fn count(&self, date: NaiveDate) -> usize {
        self.inner.clock.count(day_number(date))
    }

    /// The Hub as of a date; identical whatever order days are asked in. Dates before the
    /// start date list the models created by then.
    pub fn day(&self, date: NaiveDate) -> Day {
        let n = self.count(date);
        self.ensure(n);
        Day::build(self.clone(), date, n)
    }

    /// Consecutive days from `from`; each equals `day()` of its date.
    pub fn days(&self, from: NaiveDate, count: usize) -> impl Iterator<Item = Day> + use<> {
        let population = self.clone();
        if let Some(last) = from.checked_add_days(chrono::Days::new(count.saturating_sub(1) as u64))
        {
            population.ensure(population.count(last));
        }
        from.iter_days().take(count).map(move |d| population.day(d))
    }

    /// Materialises the static records of models `0..n`.
    fn ensure(&self, n: usize) {
        let inner = &*self.inner;
        if read(&inner.statics).metas.len() >= n {
            return;
        }
        let mut st = match inner.statics.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let ctx = Ctx {
            seed: inner.config.seed,
            authors: &inner.authors,
            initial: inner.clock.initial,
            start_day: inner.clock.start_day,
        };
        while st.metas.len() < n {
            let i = st.metas.len() as u32;
            let created = inner.clock.created(i as usize).max(0) as u32;
            let meta = draw_meta(&ctx, &st, i, created);
            let readable = {
                let g = Gen {
                    seed: ctx.seed,
                    authors: ctx.authors,
                    st: &st,
                    memo: Default::default(),
                };
                format!("{}/{}", g.handle(meta.author), g.readable(i, &meta).name)
            };
            st.push(i, meta, &readable);
        }
    }

    fn statics(&self) -> RwLockReadGuard<'_, Statics> {
        read(&self.inner.statics)
    }
}

/// A read guard that survives a poisoned lock (the data is append-only and stays consistent).
fn read(lock: &RwLock<Statics>) -> RwLockReadGuard<'_, Statics> {
    match lock.read() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

#[cfg(test)]
mod tests;
