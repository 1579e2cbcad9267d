//! One snapshot day, loaded, filtered and attributed: the input of every daily mart.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use hubtrends_orgs::Registry;
use polars::prelude::*;

use crate::columns as c;
use crate::config::Filter;
use crate::error::TransformError;
use crate::exprs::{epoch_days, int, null_aware_sum, ratio, share, sorted_by};
use crate::lake::{self, Partition};
use crate::lineage::{self, Credit, LineageStats};
use crate::{attribution, downloads};

/// One day's snapshot, restricted by the filter and attributed to organisations, with its
/// `model_daily` rows; the daily marts are built from it.
pub struct Day {
    date: NaiveDate,
    day: i32,
    /// id, org, country, region, kind, attributed, downloads_30d, downloads_all_time, likes,
    /// is_new, base_models, downloads_day; sorted by id.
    models: DataFrame,
    /// rank, id, author, org, country, region, kind, attributed; sorted by rank.
    trending: DataFrame,
    model_daily: DataFrame,
    /// The download state after this day.
    next_state: DataFrame,
    /// `model_daily` rows per flag.
    flags: BTreeMap<String, u64>,
    orgs: OnceCell<DataFrame>,
    countries: OnceCell<DataFrame>,
    lineage: OnceCell<(DataFrame, LineageStats)>,
}

/// One day's snapshot read, filtered and attributed: the part of a [`Day`] that does not depend
/// on earlier days, so the next day's can be read while the current one is computed.
pub(crate) struct Snapshot {
    date: NaiveDate,
    day: i32,
    models: DataFrame,
    trending: DataFrame,
}

impl Snapshot {
    /// Reads partition `p`: Parquet decoding, the filter and the attribution.
    pub(crate) fn read(
        p: &Partition,
        registry: &Registry,
        filter: &Filter,
    ) -> Result<Snapshot, TransformError> {
        let day = epoch_days(p.date);
        let scope = p.date.to_string();
        let models_path = p.models_path();
        let mut models = lake::scan(&models_path)?;
        if let Some(pipeline) = &filter.pipeline {
            models = models.filter(col(c::PIPELINE_TAG).eq(lit(pipeline.as_str())));
        }
        if let Some(library) = &filter.library {
            models = models.filter(col(c::LIBRARY_NAME).eq(lit(library.as_str())));
        }
        let models = models.select([
            col(c::ID),
            col(c::AUTHOR),
            col(c::DOWNLOADS_30D).fill_null(lit(0i64)),
            col(c::DOWNLOADS_ALL_TIME),
            col(c::LIKES).fill_null(lit(0i64)),
            col(c::CREATED_AT)
                .dt()
                .date()
                .cast(DataType::Int32)
                .eq(lit(day))
                .fill_null(lit(false))
                .alias(c::IS_NEW),
            col(c::BASE_MODELS),
        ]);
        let models = sorted_by(lake::collect(models, &models_path)?, c::ID, &scope)?;
        let models = attribution::fill_author(models)
            .map_err(|e| TransformError::query("models", &scope, e))?;

        let trending_path = p.trending_path();
        let mut trending = lake::scan(&trending_path)?.select([
            col(c::RANK).cast(DataType::Int32),
            col(c::ID),
            col(c::AUTHOR),
        ]);
        if !filter.is_empty() {
            // The trending list has no pipeline or library: an entry counts when its model is in
            // the day's filtered listing.
            trending = trending.join(
                models.clone().lazy().select([col(c::ID)]),
                [col(c::ID)],
                [col(c::ID)],
                JoinArgs::new(JoinType::Semi),
            );
        }
        let trending = sorted_by(lake::collect(trending, &trending_path)?, c::RANK, &scope)?;
        let trending = attribution::fill_author(trending)
            .map_err(|e| TransformError::query("trending", &scope, e))?;

        let q = |e| TransformError::query("attribution", &scope, e);
        let table = attribution::table(registry, &[&models, &trending]).map_err(q)?;
        let mut models = attribution::join(models.lazy(), &table)
            .collect()
            .map_err(q)?;
        // Nothing after attribution reads the author, and a day is held twice (read ahead).
        models.drop_in_place(c::AUTHOR).map_err(q)?;
        let trending = attribution::join(trending.lazy(), &table)
            .collect()
            .map_err(q)?;
        Ok(Snapshot {
            date: p.date,
            day,
            models,
            trending,
        })
    }
}

impl Day {
    /// The day of `snapshot` given the download state after the previous day.
    pub(crate) fn new(snapshot: Snapshot, state: &DataFrame) -> Result<Day, TransformError> {
        let Snapshot {
            date,
            day,
            models,
            trending,
        } = snapshot;
        let q = |e| TransformError::query("model_daily", date, e);
        let step = downloads::step(&models, state, day).map_err(q)?;
        let mut models = models;
        models
            .with_column(
                step.model_daily
                    .column(c::DOWNLOADS_DAY)
                    .map_err(q)?
                    .clone(),
            )
            .map_err(q)?;
        Ok(Day {
            date,
            day,
            models,
            trending,
            model_daily: step.model_daily,
            next_state: step.next_state,
            flags: step.flags,
            orgs: OnceCell::new(),
            countries: OnceCell::new(),
            lineage: OnceCell::new(),
        })
    }

    /// The snapshot date.
    pub(crate) fn date(&self) -> NaiveDate {
        self.date
    }

    /// This day's `model_daily` rows.
    pub(crate) fn model_daily(&self) -> &DataFrame {
        &self.model_daily
    }

    /// The download state after this day.
    pub(crate) fn next_state(&self) -> &DataFrame {
        &self.next_state
    }

    /// This day's `model_daily` rows per flag.
    pub(crate) fn flags(&self) -> &BTreeMap<String, u64> {
        &self.flags
    }

    fn date_lit(&self) -> Expr {
        lit(self.day).cast(DataType::Date).alias(c::DATE)
    }

    fn total_downloads_30d(&self) -> Result<i64, TransformError> {
        let q = |e| TransformError::query("org_daily", self.date, e);
        Ok(self
            .models
            .column(c::DOWNLOADS_30D)
            .map_err(q)?
            .i64()
            .map_err(q)?
            .sum()
            .unwrap_or(0))
    }

    /// `org_daily` rows of this day, sorted by org (computed once).
    pub(crate) fn orgs(&self) -> Result<&DataFrame, TransformError> {
        if let Some(df) = self.orgs.get() {
            return Ok(df);
        }
        let df = self
            .compute_orgs()
            .map_err(|e| TransformError::query("org_daily", self.date, e))?;
        Ok(self.orgs.get_or_init(|| df))
    }

    fn compute_orgs(&self) -> PolarsResult<DataFrame> {
        let attrs = || {
            [
                col(c::ORG),
                col(c::COUNTRY),
                col(c::REGION),
                col(c::KIND),
                col(c::ATTRIBUTED),
            ]
        };
        let null_i64 = || lit(NULL).cast(DataType::Int64);
        let mut m: Vec<Expr> = attrs().into();
        m.extend([
            int(1).alias(c::MODELS),
            col(c::IS_NEW).cast(DataType::Int64).alias(c::NEW_MODELS),
            col(c::DOWNLOADS_30D),
            col(c::DOWNLOADS_DAY),
            col(c::LIKES),
            int(0).alias(c::TRENDING_ENTRIES),
            lit(NULL).cast(DataType::Int32).alias(c::BEST_TRENDING_RANK),
        ]);
        let mut t: Vec<Expr> = attrs().into();
        t.extend([
            int(0).alias(c::MODELS),
            int(0).alias(c::NEW_MODELS),
            int(0).alias(c::DOWNLOADS_30D),
            null_i64().alias(c::DOWNLOADS_DAY),
            int(0).alias(c::LIKES),
            int(1).alias(c::TRENDING_ENTRIES),
            col(c::RANK).alias(c::BEST_TRENDING_RANK),
        ]);
        let rows = concat(
            [
                self.models.clone().lazy().select(m),
                self.trending.clone().lazy().select(t),
            ],
            UnionArgs::default(),
        )?;
        let total = self.total_downloads_30d().unwrap_or(0);
        rows.group_by_stable([col(c::ORG)])
            .agg([
                col(c::COUNTRY).first(),
                col(c::REGION).first(),
                col(c::KIND).first(),
                col(c::ATTRIBUTED).first(),
                col(c::MODELS).sum(),
                col(c::NEW_MODELS).sum(),
                col(c::DOWNLOADS_30D).sum(),
                null_aware_sum(c::DOWNLOADS_DAY),
                col(c::LIKES).sum(),
                col(c::TRENDING_ENTRIES).sum(),
                col(c::BEST_TRENDING_RANK).min(),
            ])
            .select([
                self.date_lit(),
                col(c::ORG),
                col(c::COUNTRY),
                col(c::REGION),
                col(c::KIND),
                col(c::ATTRIBUTED),
                col(c::MODELS),
                col(c::NEW_MODELS),
                col(c::DOWNLOADS_30D),
                col(c::DOWNLOADS_DAY),
                col(c::LIKES),
                col(c::TRENDING_ENTRIES),
                col(c::BEST_TRENDING_RANK),
                share(c::DOWNLOADS_30D, total as f64).alias(c::DOWNLOADS_30D_SHARE),
            ])
            .sort(
                [c::ORG],
                SortMultipleOptions::default().with_maintain_order(true),
            )
            .collect()
    }

    /// `country_daily` rows of this day, sorted by country, the null (unattributed) row last
    /// (computed once: `country_daily` and `concentration` both read it).
    pub(crate) fn countries(&self) -> Result<&DataFrame, TransformError> {
        if let Some(df) = self.countries.get() {
            return Ok(df);
        }
        let df = self.compute_countries()?;
        Ok(self.countries.get_or_init(|| df))
    }

    fn compute_countries(&self) -> Result<DataFrame, TransformError> {
        let q = |e| TransformError::query("country_daily", self.date, e);
        let orgs = self.orgs()?;
        let total = self.total_downloads_30d()? as f64;
        let listed = self.trending.height() as f64;
        let covered = orgs
            .clone()
            .lazy()
            .filter(col(c::COUNTRY).is_not_null())
            .select([col(c::DOWNLOADS_30D).sum(), col(c::TRENDING_ENTRIES).sum()])
            .collect()
            .map_err(q)?;
        let covered_dl = covered
            .column(c::DOWNLOADS_30D)
            .map_err(q)?
            .i64()
            .map_err(q)?
            .get(0)
            .unwrap_or(0);
        let covered_tr = covered
            .column(c::TRENDING_ENTRIES)
            .map_err(q)?
            .i64()
            .map_err(q)?
            .get(0)
            .unwrap_or(0);
        orgs.clone()
            .lazy()
            .group_by_stable([col(c::COUNTRY)])
            .agg([
                col(c::REGION).first(),
                col(c::MODELS).sum(),
                col(c::DOWNLOADS_30D).sum(),
                col(c::LIKES).sum(),
                col(c::TRENDING_ENTRIES).sum(),
            ])
            .select([
                self.date_lit(),
                col(c::COUNTRY),
                col(c::REGION),
                col(c::MODELS),
                col(c::DOWNLOADS_30D),
                share(c::DOWNLOADS_30D, total).alias(c::DOWNLOADS_30D_SHARE),
                col(c::LIKES),
                col(c::TRENDING_ENTRIES),
                share(c::TRENDING_ENTRIES, listed).alias(c::TRENDING_SHARE),
                ratio(covered_dl as f64, total).alias(c::COVERAGE_DOWNLOADS_30D),
                ratio(covered_tr as f64, listed).alias(c::COVERAGE_TRENDING),
            ])
            .sort(
                [c::COUNTRY],
                SortMultipleOptions::default()
                    .with_nulls_last(true)
                    .with_maintain_order(true),
            )
            .collect()
            .map_err(q)
    }

    /// `lineage_credit` rows of this day (sorted by org) and the day's lineage counts.
    pub(crate) fn lineage(&self) -> Result<&(DataFrame, LineageStats), TransformError> {
        if let Some(v) = self.lineage.get() {
            return Ok(v);
        }
        let credit = lineage::credit(&self.models)
            .map_err(|e| TransformError::query("lineage_credit", self.date, e))?;
        self.set_lineage(credit)
    }

    /// Runs `work` (the day's Polars work and piece writing) on this thread while the lineage
    /// walk, plain single-threaded Rust, runs on a second one; the walk's result is kept for
    /// [`Day::lineage`]. `work`'s error comes first.
    pub(crate) fn with_lineage_walk(
        &self,
        work: impl FnOnce() -> Result<(), TransformError>,
    ) -> Result<(), TransformError> {
        let models = &self.models;
        let (credit, done) = std::thread::scope(|s| {
            let credit = s.spawn(move || lineage::credit(models));
            let done = work();
            let credit = credit
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (credit, done)
        });
        done?;
        let credit = credit.map_err(|e| TransformError::query("lineage_credit", self.date, e))?;
        self.set_lineage(credit)?;
        Ok(())
    }

    fn set_lineage(
        &self,
        (credits, stats): (BTreeMap<String, Credit>, LineageStats),
    ) -> Result<&(DataFrame, LineageStats), TransformError> {
        let q = |e| TransformError::query("lineage_credit", self.date, e);
        let n = credits.len();
        let (mut orgs, mut countries) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let (mut direct, mut via, mut derivs) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (org, credit) in credits {
            orgs.push(org);
            countries.push(credit.country);
            direct.push(credit.direct);
            via.push(credit.lineage);
            derivs.push(credit.derivatives);
        }
        let dates = Column::new(c::DATE.into(), vec![self.day; n])
            .cast(&DataType::Date)
            .map_err(q)?;
        let df = DataFrame::new_infer_height(vec![
            dates,
            Column::new(c::ORG.into(), orgs),
            Column::new(c::COUNTRY.into(), countries),
            Column::new(c::DIRECT_DOWNLOADS_30D.into(), direct),
            Column::new(c::LINEAGE_DOWNLOADS_30D.into(), via),
            Column::new(c::DERIVATIVE_MODELS.into(), derivs),
        ])
        .map_err(q)?;
        Ok(self.lineage.get_or_init(|| (df, stats)))
    }
}
