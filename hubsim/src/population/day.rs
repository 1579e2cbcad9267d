//! One day of the simulated Hub: counters for every listed model, sorted views, trending.

use std::sync::OnceLock;

use chrono::NaiveDate;

use super::Population;
use super::clock::{day_number, to_utc};
use super::describe::Gen;
use super::dynamics::{Counters, DayCtx};
use super::types::{SimModel, SortKey};
use crate::authors::Author;

/// Below this many models per thread, splitting the day's work is not worth a thread.
const PARALLEL_MIN: usize = 50_000;

/// The Hub as of one date: `len()` models with that day's counters.
pub struct Day {
    population: Population,
    date: NaiveDate,
    counters: Vec<Counters>,
    sorted: [OnceLock<Vec<u32>>; 5],
}

impl std::fmt::Debug for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Day")
            .field("date", &self.date)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl Day {
    pub(super) fn build(population: Population, date: NaiveDate, n: usize) -> Day {
        let counters = {
            let st = population.statics();
            let ctx = DayCtx::new(
                population.inner.config.seed,
                &population.inner.clock,
                day_number(date),
            );
            let metas = &st.metas[..n];
            // Counters are pure functions of (model, day): chunks on all cores give the same result.
            let threads = std::thread::available_parallelism().map_or(1, usize::from);
            let chunk = n.div_ceil(threads).max(PARALLEL_MIN);
            let mut counters: Vec<Counters> = Vec::with_capacity(n);
            std::thread::scope(|scope| {
                let handles: Vec<_> = metas
                    .chunks(chunk)
                    .enumerate()
                    .map(|(c, part)| {
                        let ctx = &ctx;
                        scope.spawn(move || {
                            let offset = c * chunk;
                            part.iter()
                                .enumerate()
                                .map(|(k, m)| ctx.counters((offset + k) as u32, m))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                for handle in handles {
                    match handle.join() {
                        Ok(part) => counters.extend(part),
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                }
            });
            counters
        };
        Day {
            population,
            date,
            counters,
            sorted: Default::default(),
        }
    }

    /// The snapshot date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Number of models listed that day.
    pub fn len(&self) -> usize {
        self.counters.len()
    }

    /// Whether no model is listed (only for dates before the simulated history).
    pub fn is_empty(&self) -> bool {
        self.counters.is_empty()
    }

    /// The population this day belongs to.
    pub fn population(&self) -> &Population {
        &self.population
    }

    /// The sort key of model `i` (compact seconds for the time keys).
    pub(crate) fn key(&self, sort: SortKey, i: u32) -> i64 {
        let c = &self.counters[i as usize];
        match sort {
            SortKey::Downloads => c.downloads_30d,
            SortKey::Likes => c.likes,
            SortKey::TrendingScore => c.trending,
            SortKey::CreatedAt => self.population.inner.clock.created(i as usize),
            SortKey::LastModified => c.last_modified,
        }
    }

    /// Model indices in listing order: descending by key, ties by index (creation order).
    pub fn sorted(&self, sort: SortKey) -> &[u32] {
        self.sorted[sort.slot()].get_or_init(|| {
            let mut order: Vec<(i64, u32)> = (0..self.len() as u32)
                .map(|i| (self.key(sort, i), i))
                .collect();
            order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            order.into_iter().map(|(_, i)| i).collect()
        })
    }

    /// The position in `sorted(sort)` just after the model `(key, index)` (a cursor's seek).
    pub(crate) fn position_after(&self, sort: SortKey, key: i64, index: u32) -> usize {
        self.sorted(sort).partition_point(|&i| {
            let k = self.key(sort, i);
            k > key || (k == key && i <= index)
        })
    }

    /// Whether model `i`'s namespace is `handle` (case-insensitively).
    pub(crate) fn author_is(&self, i: u32, handle: &str) -> bool {
        let st = self.population.statics();
        let a = st.metas[i as usize].author;
        self.population.inner.authors.list[a as usize]
            .handle
            .eq_ignore_ascii_case(handle)
    }

    /// The namespace record of model `i`'s author.
    pub(crate) fn author(&self, i: u32) -> Author {
        let st = self.population.statics();
        let a = st.metas[i as usize].author;
        self.population.inner.authors.list[a as usize].clone()
    }

    /// Model `i` (in `0..len()`) as listed that day.
    pub fn model(&self, i: usize) -> SimModel {
        let inner = &*self.population.inner;
        let st = self.population.statics();
        let g = Gen {
            seed: inner.config.seed,
            authors: &inner.authors,
            st: &st,
            memo: Default::default(),
        };
        let meta = &st.metas[i];
        let c = &self.counters[i];
        let desc = g.describe(i as u32);
        let author = &inner.authors.list[meta.author as usize];
        let base_models = g.parents(i as u32);
        let mut tags = Vec::with_capacity(12);
        if let Some(lib) = desc.library {
            tags.push(lib.to_owned());
        }
        if desc.gguf {
            tags.push("gguf".to_owned());
        } else if desc.params.is_some() {
            tags.push("safetensors".to_owned());
        }
        if let Some(arch) = desc.arch {
            tags.push(arch.to_owned());
        }
        if let Some(p) = desc.pipeline {
            tags.push(p.to_owned());
        }
        if desc.chat {
            tags.push("conversational".to_owned());
        }
        if desc.pipeline.is_some_and(|p| p.starts_with("text")) {
            tags.push("en".to_owned());
        }
        if base_models.len() > 1 {
            tags.push("mergekit".to_owned());
            tags.push("merge".to_owned());
        }
        for (_, id) in &base_models {
            tags.push(format!("base_model:{id}"));
        }
        for (rel, id) in &base_models {
            tags.push(format!("base_model:{}:{id}", rel.as_str()));
        }
        if let Some(l) = desc.license {
            tags.push(format!("license:{l}"));
        }
        if desc.library == Some("transformers") {
            tags.push("endpoints_compatible".to_owned());
        }
        tags.push("region:us".to_owned());
        SimModel {
            id: format!("{}/{}", author.handle, desc.name),
            author: author.handle.clone(),
            author_is_org: author.is_org,
            downloads_30d: c.downloads_30d,
            downloads_all_time: c.all_time,
            likes: c.likes,
            trending_score: c.trending,
            created_at: to_utc(inner.clock.created(i)),
            last_modified: to_utc(c.last_modified),
            pipeline_tag: desc.pipeline,
            library_name: desc.library,
            license: desc.license,
            gated: desc.gated,
            num_parameters: desc.params,
            base_models,
            tags,
        }
    }

    /// The top `limit` models by trending score, in rank order.
    pub fn trending(&self, limit: usize) -> Vec<SimModel> {
        self.sorted(SortKey::TrendingScore)
            .iter()
            .take(limit)
            .map(|&i| self.model(i as usize))
            .collect()
    }
}
