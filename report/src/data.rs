//! Everything the charts draw, read from the marts once per report.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::columns::*;
use crate::config::ReportConfig;
use crate::error::ReportError;
use crate::extract::{
    read_concentration, read_country_weeks, read_lineage, read_movers, read_org_weeks,
};
use crate::marts::{Kind, Mart, read_manifest};
use crate::week::{IsoWeek, WeekDays, choose};

/// How many weeks the time-series charts show, ending with the reported week.
pub(crate) const WINDOW_WEEKS: usize = 12;

/// One `country_weekly` row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CountryWeek {
    pub week: IsoWeek,
    pub country: Option<String>,
    pub downloads_30d: f64,
    pub downloads_30d_share: f64,
    pub trending_entries: i64,
    pub trending_share: f64,
    pub coverage_downloads_30d: f64,
    pub coverage_trending: f64,
}

/// One `org_weekly` row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OrgWeek {
    pub week: IsoWeek,
    pub org: String,
    pub country: Option<String>,
    pub attributed: bool,
    pub downloads_30d: f64,
    pub downloads_30d_share: f64,
    pub trending_entries: i64,
    pub trending_share: f64,
    pub rank: i64,
    pub rank_change: Option<i64>,
}

/// One `lineage_credit` row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lineage {
    pub date: NaiveDate,
    pub org: String,
    pub country: Option<String>,
    pub direct: i64,
    pub lineage: f64,
    pub derivative_models: i64,
}

/// One `concentration` row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Concentration {
    pub date: NaiveDate,
    pub dimension: String,
    pub measure: String,
    pub hhi: f64,
    pub top1_share: f64,
    pub top5_share: f64,
    pub top10_share: f64,
    pub gini: Option<f64>,
}

/// One `movers` row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mover {
    pub org: String,
    pub country: Option<String>,
    pub kind: String,
    pub rank: i64,
    pub previous_rank: Option<i64>,
    pub rank_change: Option<i64>,
}

/// The marts' extract for one week's report: the week, its context and the rows each chart
/// draws. Built once by [`crate::build`]; charts only read it.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub(crate) week: IsoWeek,
    pub(crate) partial: bool,
    pub(crate) available: Vec<IsoWeek>,
    /// The weeks the time series show, oldest first, ending with `week`.
    pub(crate) window: Vec<IsoWeek>,
    /// First and last snapshot dates the report draws on.
    pub(crate) first_date: NaiveDate,
    pub(crate) last_date: NaiveDate,
    pub(crate) tool_version: String,
    pub(crate) registry_version: Option<String>,
    pub(crate) filter: Vec<(String, String)>,
    pub(crate) country_weeks: Vec<CountryWeek>,
    pub(crate) org_weeks: Vec<OrgWeek>,
    pub(crate) lineage: Vec<Lineage>,
    pub(crate) concentration: Vec<Concentration>,
    pub(crate) movers: Vec<Mover>,
}

impl ReportData {
    /// Reads the marts under `config.lake` and picks the week to report.
    pub fn load(config: &ReportConfig) -> Result<Self, ReportError> {
        let lake = config.lake.as_path();
        let manifest = read_manifest(lake)?;

        // The snapshot dates: the latest decides which weeks are complete.
        let daily = Mart::open(lake, COUNTRY_DAILY, &[(DATE, Kind::Date)])?;
        let (daily_name, daily_path) = (daily.name, daily.path.clone());
        let mut dates: Vec<NaiveDate> = daily
            .collect(None)?
            .dates(DATE)?
            .into_iter()
            .flatten()
            .collect();
        dates.sort_unstable();
        dates.dedup();
        let Some(&latest) = dates.last() else {
            return Err(ReportError::NoWeeks {
                mart: daily_name,
                path: daily_path,
            });
        };

        let country_weeks = read_country_weeks(lake)?;
        let mut days: BTreeMap<IsoWeek, i64> = BTreeMap::new();
        for (week, d) in &country_weeks.1 {
            let e = days.entry(*week).or_insert(0);
            *e = (*e).max(*d);
        }
        let weeks: Vec<WeekDays> = days
            .iter()
            .map(|(&week, &days)| WeekDays { week, days })
            .collect();
        let chosen = choose(&weeks, latest, config.week.as_deref())?;
        let available: Vec<IsoWeek> = weeks.iter().map(|w| w.week).collect();
        let upto: Vec<IsoWeek> = available
            .iter()
            .copied()
            .filter(|w| *w <= chosen.week)
            .collect();
        let window: Vec<IsoWeek> = upto[upto.len().saturating_sub(WINDOW_WEEKS)..].to_vec();
        let start = window.first().copied().unwrap_or(chosen.week);
        let (from, to) = (start.monday(), chosen.week.sunday());
        let in_period: Vec<NaiveDate> = dates
            .iter()
            .copied()
            .filter(|d| *d >= from && *d <= to)
            .collect();
        let first_date = in_period.first().copied().unwrap_or(from);
        let last_date = in_period.last().copied().unwrap_or(to);

        let country_weeks = country_weeks
            .0
            .into_iter()
            .filter(|r| r.week >= start && r.week <= chosen.week)
            .collect();
        Ok(Self {
            week: chosen.week,
            partial: chosen.partial,
            available,
            window,
            first_date,
            last_date,
            tool_version: config.tool_version.clone(),
            registry_version: manifest.registry_version,
            filter: manifest.filter,
            country_weeks,
            org_weeks: read_org_weeks(lake, start, chosen.week)?,
            lineage: read_lineage(lake, chosen.week)?,
            concentration: read_concentration(lake, from, to)?,
            movers: read_movers(lake, chosen.week)?,
        })
    }

    /// The week reported.
    pub fn week(&self) -> IsoWeek {
        self.week
    }

    /// Attribution coverage of the reported week: (30-day downloads, trending entries).
    pub(crate) fn coverage(&self) -> (f64, f64) {
        self.country_weeks
            .iter()
            .find(|r| r.week == self.week)
            .map_or((0.0, 0.0), |r| {
                (r.coverage_downloads_30d, r.coverage_trending)
            })
    }
}

#[cfg(test)]
pub(crate) use crate::sample::sample;
