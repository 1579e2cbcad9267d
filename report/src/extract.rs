//! Reading each mart's rows for the report: pushed-down filters, typed rows.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::columns::*;
use crate::data::{Concentration, CountryWeek, Lineage, Mover, OrgWeek};
use crate::error::ReportError;
use crate::marts::{Kind, Mart, day_number};
use crate::week::IsoWeek;

/// Organisations outside this download rank are read only when they were trending.
const ORG_RANK_CUTOFF: i64 = 50;

fn required<T>(
    value: Option<T>,
    mart: &Mart,
    column: &'static str,
    found: &str,
) -> Result<T, ReportError> {
    value.ok_or_else(|| ReportError::MartSchema {
        mart: mart.name,
        path: mart.path.clone(),
        column,
        expected: String::from("no nulls"),
        found: found.to_string(),
    })
}

fn week_of(mart: &Mart, text: Option<String>) -> Result<IsoWeek, ReportError> {
    let text = required(text, mart, WEEK, "null")?;
    IsoWeek::parse(&text).ok_or_else(|| ReportError::MartSchema {
        mart: mart.name,
        path: mart.path.clone(),
        column: WEEK,
        expected: String::from("YYYY-Www"),
        found: text,
    })
}

pub(crate) type WeekRows = (Vec<CountryWeek>, Vec<(IsoWeek, i64)>);

pub(crate) fn read_country_weeks(lake: &std::path::Path) -> Result<WeekRows, ReportError> {
    let mart = Mart::open(
        lake,
        COUNTRY_WEEKLY,
        &[
            (WEEK, Kind::Str),
            (COUNTRY, Kind::Str),
            (DAYS, Kind::Int),
            (DOWNLOADS_30D, Kind::Num),
            (DOWNLOADS_30D_SHARE, Kind::Num),
            (TRENDING_ENTRIES, Kind::Int),
            (TRENDING_SHARE, Kind::Num),
            (COVERAGE_DOWNLOADS_30D, Kind::Num),
            (COVERAGE_TRENDING, Kind::Num),
        ],
    )?;
    let f = mart.collect(None)?;
    if f.is_empty() {
        return Err(ReportError::NoWeeks {
            mart: mart.name,
            path: mart.path.clone(),
        });
    }
    let (weeks, countries, days) = (f.strs(WEEK)?, f.strs(COUNTRY)?, f.ints(DAYS)?);
    let (dl, dls, te) = (
        f.nums(DOWNLOADS_30D)?,
        f.nums(DOWNLOADS_30D_SHARE)?,
        f.ints(TRENDING_ENTRIES)?,
    );
    let (ts, cd, ct) = (
        f.nums(TRENDING_SHARE)?,
        f.nums(COVERAGE_DOWNLOADS_30D)?,
        f.nums(COVERAGE_TRENDING)?,
    );
    let mut rows = Vec::with_capacity(f.len());
    let mut week_days = Vec::with_capacity(f.len());
    for i in 0..f.len() {
        let week = week_of(&mart, weeks[i].clone())?;
        week_days.push((week, days[i].unwrap_or(0)));
        rows.push(CountryWeek {
            week,
            country: countries[i].clone(),
            downloads_30d: dl[i].unwrap_or(0.0),
            downloads_30d_share: dls[i].unwrap_or(0.0),
            trending_entries: te[i].unwrap_or(0),
            trending_share: ts[i].unwrap_or(0.0),
            coverage_downloads_30d: cd[i].unwrap_or(0.0),
            coverage_trending: ct[i].unwrap_or(0.0),
        });
    }
    Ok((rows, week_days))
}

pub(crate) fn read_org_weeks(
    lake: &std::path::Path,
    start: IsoWeek,
    end: IsoWeek,
) -> Result<Vec<OrgWeek>, ReportError> {
    let cols = [
        (WEEK, Kind::Str),
        (ORG, Kind::Str),
        (COUNTRY, Kind::Str),
        (ATTRIBUTED, Kind::Bool),
        (DOWNLOADS_30D, Kind::Num),
        (DOWNLOADS_30D_SHARE, Kind::Num),
        (TRENDING_ENTRIES, Kind::Int),
        (TRENDING_SHARE, Kind::Num),
        (RANK, Kind::Int),
        (RANK_CHANGE, Kind::Int),
    ];
    let mart = Mart::open(lake, ORG_WEEKLY, &cols)?;
    // ISO week strings sort like the weeks, so a string range is a week range.
    let predicate = col(WEEK)
        .gt_eq(lit(start.to_string()))
        .and(col(WEEK).lt_eq(lit(end.to_string())))
        .and(
            col(RANK)
                .lt_eq(lit(ORG_RANK_CUTOFF))
                .or(col(TRENDING_ENTRIES).gt(lit(0))),
        );
    let f = mart.collect(Some(predicate))?;
    let (weeks, orgs, countries, attributed) = (
        f.strs(WEEK)?,
        f.strs(ORG)?,
        f.strs(COUNTRY)?,
        f.bools(ATTRIBUTED)?,
    );
    let (dl, dls, te, ts) = (
        f.nums(DOWNLOADS_30D)?,
        f.nums(DOWNLOADS_30D_SHARE)?,
        f.ints(TRENDING_ENTRIES)?,
        f.nums(TRENDING_SHARE)?,
    );
    let (rank, change) = (f.ints(RANK)?, f.ints(RANK_CHANGE)?);
    let mut rows = Vec::with_capacity(f.len());
    for i in 0..f.len() {
        rows.push(OrgWeek {
            week: week_of(&mart, weeks[i].clone())?,
            org: required(orgs[i].clone(), &mart, ORG, "null")?,
            country: countries[i].clone(),
            attributed: attributed[i].unwrap_or(false),
            downloads_30d: dl[i].unwrap_or(0.0),
            downloads_30d_share: dls[i].unwrap_or(0.0),
            trending_entries: te[i].unwrap_or(0),
            trending_share: ts[i].unwrap_or(0.0),
            rank: required(rank[i], &mart, RANK, "null")?,
            rank_change: change[i],
        });
    }
    Ok(rows)
}

/// The lineage credit of the week's last snapshot date that has any.
pub(crate) fn read_lineage(
    lake: &std::path::Path,
    week: IsoWeek,
) -> Result<Vec<Lineage>, ReportError> {
    let cols = [
        (DATE, Kind::Date),
        (ORG, Kind::Str),
        (COUNTRY, Kind::Str),
        (DIRECT_DOWNLOADS_30D, Kind::Int),
        (LINEAGE_DOWNLOADS_30D, Kind::Num),
        (DERIVATIVE_MODELS, Kind::Int),
    ];
    let mart = Mart::open(lake, LINEAGE_CREDIT, &cols)?;
    let day = col(DATE).cast(DataType::Int32);
    let predicate = day
        .clone()
        .gt_eq(lit(day_number(week.monday())))
        .and(day.lt_eq(lit(day_number(week.sunday()))));
    let f = mart.collect(Some(predicate))?;
    let dates = f.dates(DATE)?;
    let Some(last) = dates.iter().flatten().max().copied() else {
        return Ok(Vec::new());
    };
    let (orgs, countries, direct, lineage, derivs) = (
        f.strs(ORG)?,
        f.strs(COUNTRY)?,
        f.ints(DIRECT_DOWNLOADS_30D)?,
        f.nums(LINEAGE_DOWNLOADS_30D)?,
        f.ints(DERIVATIVE_MODELS)?,
    );
    let mut rows = Vec::new();
    for i in (0..f.len()).filter(|&i| dates[i] == Some(last)) {
        rows.push(Lineage {
            date: last,
            org: required(orgs[i].clone(), &mart, ORG, "null")?,
            country: countries[i].clone(),
            direct: direct[i].unwrap_or(0),
            lineage: lineage[i].unwrap_or(0.0),
            derivative_models: derivs[i].unwrap_or(0),
        });
    }
    Ok(rows)
}

pub(crate) fn read_concentration(
    lake: &std::path::Path,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Concentration>, ReportError> {
    let cols = [
        (DATE, Kind::Date),
        (DIMENSION, Kind::Str),
        (MEASURE, Kind::Str),
        (HHI, Kind::Num),
        (TOP1_SHARE, Kind::Num),
        (TOP5_SHARE, Kind::Num),
        (TOP10_SHARE, Kind::Num),
        (GINI, Kind::Num),
    ];
    let mart = Mart::open(lake, CONCENTRATION, &cols)?;
    let day = col(DATE).cast(DataType::Int32);
    let predicate = day
        .clone()
        .gt_eq(lit(day_number(from)))
        .and(day.lt_eq(lit(day_number(to))));
    let f = mart.collect(Some(predicate))?;
    let (dates, dims, measures) = (f.dates(DATE)?, f.strs(DIMENSION)?, f.strs(MEASURE)?);
    let (hhi, t1, t5, t10, gini) = (
        f.nums(HHI)?,
        f.nums(TOP1_SHARE)?,
        f.nums(TOP5_SHARE)?,
        f.nums(TOP10_SHARE)?,
        f.nums(GINI)?,
    );
    let mut rows = Vec::with_capacity(f.len());
    for i in 0..f.len() {
        rows.push(Concentration {
            date: required(dates[i], &mart, DATE, "null")?,
            dimension: required(dims[i].clone(), &mart, DIMENSION, "null")?,
            measure: required(measures[i].clone(), &mart, MEASURE, "null")?,
            hhi: hhi[i].unwrap_or(0.0),
            top1_share: t1[i].unwrap_or(0.0),
            top5_share: t5[i].unwrap_or(0.0),
            top10_share: t10[i].unwrap_or(0.0),
            gini: gini[i],
        });
    }
    Ok(rows)
}

pub(crate) fn read_movers(
    lake: &std::path::Path,
    week: IsoWeek,
) -> Result<Vec<Mover>, ReportError> {
    let cols = [
        (WEEK, Kind::Str),
        (ORG, Kind::Str),
        (COUNTRY, Kind::Str),
        (KIND, Kind::Str),
        (RANK, Kind::Int),
        (PREVIOUS_RANK, Kind::Int),
        (RANK_CHANGE, Kind::Int),
    ];
    let mart = Mart::open(lake, MOVERS, &cols)?;
    let f = mart.collect(Some(col(WEEK).eq(lit(week.to_string()))))?;
    let (orgs, countries, kinds) = (f.strs(ORG)?, f.strs(COUNTRY)?, f.strs(KIND)?);
    let (rank, prev, change) = (f.ints(RANK)?, f.ints(PREVIOUS_RANK)?, f.ints(RANK_CHANGE)?);
    let mut rows = Vec::with_capacity(f.len());
    for i in 0..f.len() {
        rows.push(Mover {
            org: required(orgs[i].clone(), &mart, ORG, "null")?,
            country: countries[i].clone(),
            kind: required(kinds[i].clone(), &mart, KIND, "null")?,
            rank: required(rank[i], &mart, RANK, "null")?,
            previous_rank: prev[i],
            rank_change: change[i],
        });
    }
    Ok(rows)
}
