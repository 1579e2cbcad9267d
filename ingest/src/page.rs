//! One `/api/models` page -> one schema-v1 Arrow batch, plus the records it quarantined.
//!
//! Fast path: the page is deserialized straight into typed items whose strings borrow from the
//! body, checked, and appended to column builders: no `serde_json::Value` tree, no owned
//! record. The fast path is deliberately strict (a field of an unexpected type, a duplicate
//! key, a number written as `12.0`, an id or author that would be quarantined, ...): when any
//! item of a page does not pass, the whole page goes through the reference path instead
//! ([`map_model`] on a `Value`), which accepts, maps or quarantines each item exactly as
//! before. So the fast path only ever handles items on which both paths agree, and quarantine
//! keeps the raw item and its reason. Such pages are rare (a fault, an API change).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Date32Array, Int64Array, ListArray, RecordBatch, StructArray};
use chrono::{DateTime, NaiveDate, NaiveTime};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::batch::{arrow_err, date32, models_batch, offsets, timestamps};
use crate::error::IngestError;
use crate::map::{
    MAX_ID_LEN, field, is_safe_part, is_valid_id, keeps_tag, license_of, map_model, parents_of,
};
use crate::schema;

/// Why a page body could not be used.
#[derive(Debug)]
pub(crate) enum PageError {
    /// Not JSON (cut short or garbled in transit): worth fetching again.
    Unparseable(serde_json::Error),
    /// JSON, but not an array of models.
    NotArray,
    /// The mapped rows did not make a batch (a bug: rows are validated first).
    Batch(IngestError),
}

/// A mapped page.
#[derive(Debug)]
pub(crate) struct ParsedPage {
    /// The page's rows in listing order (`None` when no item mapped).
    pub batch: Option<RecordBatch>,
    /// Items set aside: the raw item and the reason.
    pub quarantined: Vec<(Value, String)>,
}

/// Parses and maps one page of `/api/models` for `date`.
pub(crate) fn parse_models_page(date: NaiveDate, body: &[u8]) -> Result<ParsedPage, PageError> {
    // One SIMD UTF-8 check of the whole body lets serde_json skip validating every string
    // (`from_str`); a body that is not UTF-8 is for the reference path to judge.
    let text = simdutf8::basic::from_utf8(body).ok();
    if let Some(items) = text.and_then(|t| serde_json::from_str::<Vec<Item<'_>>>(t).ok()) {
        let mut page = PageBuilder::with_capacity(items.len());
        if items.iter().all(|item| page.push(item)) {
            // Only Arrow errors can fail here; the reference path then reports them.
            if let Ok(batch) = page.finish(date) {
                return Ok(ParsedPage {
                    batch: (batch.num_rows() > 0).then_some(batch),
                    quarantined: Vec::new(),
                });
            }
        }
    }
    reference_path(date, body)
}

/// The `Value` path: every item mapped or quarantined by [`map_model`].
fn reference_path(date: NaiveDate, body: &[u8]) -> Result<ParsedPage, PageError> {
    let value: Value = serde_json::from_slice(body).map_err(PageError::Unparseable)?;
    let Value::Array(items) = value else {
        return Err(PageError::NotArray);
    };
    let mut records = Vec::with_capacity(items.len());
    let mut quarantined = Vec::new();
    for item in items {
        match map_model(&item) {
            Ok(r) => records.push(r),
            Err(q) => quarantined.push((item, q.reason)),
        }
    }
    let batch = if records.is_empty() {
        None
    } else {
        Some(models_batch(date, &records).map_err(PageError::Batch)?)
    };
    Ok(ParsedPage { batch, quarantined })
}

/// Column builders for one page, in schema v1's order.
struct PageBuilder {
    id: StringBuilder,
    author: StringBuilder,
    downloads_30d: Vec<i64>,
    downloads_all_time: Vec<Option<i64>>,
    likes: Vec<i64>,
    trending_score: Vec<Option<i64>>,
    created_at: Vec<Option<i64>>,
    last_modified: Vec<Option<i64>>,
    pipeline_tag: StringBuilder,
    library_name: StringBuilder,
    license: StringBuilder,
    gated: StringBuilder,
    num_parameters: Vec<Option<i64>>,
    base_lengths: Vec<usize>,
    relation: StringBuilder,
    base_id: StringBuilder,
    tag_lengths: Vec<usize>,
    tags: StringBuilder,
}

impl PageBuilder {
    fn with_capacity(n: usize) -> PageBuilder {
        let strings = |bytes_each: usize| StringBuilder::with_capacity(n, n * bytes_each);
        PageBuilder {
            id: strings(40),
            author: strings(16),
            downloads_30d: Vec::with_capacity(n),
            downloads_all_time: Vec::with_capacity(n),
            likes: Vec::with_capacity(n),
            trending_score: Vec::with_capacity(n),
            created_at: Vec::with_capacity(n),
            last_modified: Vec::with_capacity(n),
            pipeline_tag: strings(16),
            library_name: strings(12),
            license: strings(10),
            gated: strings(5),
            num_parameters: Vec::with_capacity(n),
            base_lengths: Vec::with_capacity(n),
            relation: strings(8),
            base_id: strings(40),
            tag_lengths: Vec::with_capacity(n),
            tags: strings(64),
        }
    }

    /// Appends `item` if the fast path can take it (else leaves a partial row: the caller then
    /// discards the whole builder).
    fn push(&mut self, item: &Item<'_>) -> bool {
        let Some(id) = item.id.as_deref().filter(|id| is_valid_id(id)) else {
            return false;
        };
        let author = match item.author.as_deref() {
            Some(a) if !a.is_empty() => {
                if a.len() > MAX_ID_LEN || !is_safe_part(a) {
                    return false;
                }
                a
            }
            _ => id.split_once('/').map_or(id, |(ns, _)| ns),
        };
        let count = |v: Option<i64>| match v {
            Some(n) if n < 0 => Err(()),
            other => Ok(other),
        };
        let (Ok(downloads), Ok(all_time), Ok(likes)) = (
            count(item.downloads),
            count(item.downloads_all_time),
            count(item.likes),
        ) else {
            return false;
        };
        let (Ok(created_at), Ok(last_modified)) = (
            item.created_at.as_deref().map(timestamp_ms).transpose(),
            item.last_modified.as_deref().map(timestamp_ms).transpose(),
        ) else {
            return false;
        };
        let tags: &[Str<'_>] = item.tags.as_deref().unwrap_or_default();
        let license = license_of(tags);
        let parents = parents_of(tags);
        self.id.append_value(id);
        self.author.append_value(author);
        self.downloads_30d.push(downloads.unwrap_or(0));
        self.downloads_all_time.push(all_time);
        self.likes.push(likes.unwrap_or(0));
        self.trending_score.push(item.trending_score);
        self.created_at.push(created_at);
        self.last_modified.push(last_modified);
        self.pipeline_tag
            .append_option(item.pipeline_tag.as_deref());
        self.library_name
            .append_option(item.library_name.as_deref());
        self.license.append_option(license);
        self.gated.append_option(item.gated.as_deref());
        self.num_parameters.push(match &item.safetensors {
            Some(st) => st.total,
            None => item.num_parameters,
        });
        self.base_lengths.push(parents.len());
        for (relation, parent) in &parents {
            self.relation.append_value(relation);
            self.base_id.append_value(parent);
        }
        let mut kept = 0;
        for tag in tags.iter().filter(|t| keeps_tag(t, license, &parents)) {
            self.tags.append_value(tag.as_ref());
            kept += 1;
        }
        self.tag_lengths.push(kept);
        true
    }

    /// The batch, exactly as [`models_batch`] builds it from the same records.
    fn finish(mut self, date: NaiveDate) -> Result<RecordBatch, IngestError> {
        let n = self.downloads_30d.len();
        let base_struct = StructArray::try_new(
            schema::base_model_fields(),
            vec![
                Arc::new(self.relation.finish()),
                Arc::new(self.base_id.finish()),
            ],
            None,
        )
        .map_err(arrow_err("base_models"))?;
        let base_models = ListArray::try_new(
            schema::base_models_item(),
            offsets(self.base_lengths.into_iter())?,
            Arc::new(base_struct),
            None,
        )
        .map_err(arrow_err("base_models"))?;
        let tags = ListArray::try_new(
            schema::tags_item(),
            offsets(self.tag_lengths.into_iter())?,
            Arc::new(self.tags.finish()),
            None,
        )
        .map_err(arrow_err("tags"))?;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Date32Array::from(vec![date32(date); n])),
            Arc::new(self.id.finish()),
            Arc::new(self.author.finish()),
            Arc::new(Int64Array::from(self.downloads_30d)),
            Arc::new(Int64Array::from(self.downloads_all_time)),
            Arc::new(Int64Array::from(self.likes)),
            Arc::new(Int64Array::from(self.trending_score)),
            timestamps(self.created_at),
            timestamps(self.last_modified),
            Arc::new(self.pipeline_tag.finish()),
            Arc::new(self.library_name.finish()),
            Arc::new(self.license.finish()),
            Arc::new(self.gated.finish()),
            Arc::new(Int64Array::from(self.num_parameters)),
            Arc::new(base_models),
            Arc::new(tags),
        ];
        RecordBatch::try_new(schema::models_schema(), columns).map_err(arrow_err("models"))
    }
}

/// An RFC 3339 time as milliseconds since the epoch: the Hub's `2024-09-16T11:55:40.000Z`
/// directly, anything else through chrono (as the reference path does).
fn timestamp_ms(s: &str) -> Result<i64, ()> {
    if let Some(ms) = hub_timestamp_ms(s) {
        return Ok(ms);
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp_millis())
        .map_err(|_| ())
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` with every field in range, else `None`.
fn hub_timestamp_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 24
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[23] != b'Z'
    {
        return None;
    }
    // At most four digits: fits a u32.
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    // chrono checks the calendar (second 60, a leap second, is refused here and left to its
    // RFC 3339 parser); only its string parsing is what the fast path avoids.
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 7)?, num(8, 10)?)?;
    let time =
        NaiveTime::from_hms_milli_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?, num(20, 23)?)?;
    Some(date.and_time(time).and_utc().timestamp_millis())
}

/// A JSON string, borrowed from the body unless it had escapes.
#[derive(Debug)]
struct Str<'a>(Cow<'a, str>);

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Str<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor { bools: false })
    }
}

/// Visits a string; with `bools`, also `true`/`false` as their text (the `gated` field).
struct StrVisitor {
    bools: bool,
}

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Str<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        if self.bools {
            // As the reference path: `false` -> "false", `true` -> "true".
            Ok(Str(Cow::Borrowed(if v { "true" } else { "false" })))
        } else {
            Err(E::invalid_type(de::Unexpected::Bool(v), &self))
        }
    }
}

/// `gated`: a string, or a boolean kept as its text.
#[derive(Debug)]
struct GatedText<'a>(Str<'a>);

impl<'de> Deserialize<'de> for GatedText<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrVisitor { bools: true }).map(GatedText)
    }
}

/// `safetensors`: only `total` is read.
#[derive(Debug)]
struct Safetensors {
    total: Option<i64>,
}

impl<'de> Deserialize<'de> for Safetensors {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Safetensors;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a safetensors object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Safetensors, A::Error> {
                let mut total: Option<Option<i64>> = None;
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    if &*key == field::TOTAL {
                        if total.is_some() {
                            return Err(de::Error::duplicate_field(field::TOTAL));
                        }
                        total = Some(map.next_value()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Safetensors {
                    total: total.flatten(),
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// The fields of a model item the mapper reads, as typed as the fast path accepts them.
#[derive(Debug, Default)]
struct Item<'a> {
    id: Option<Str<'a>>,
    author: Option<Str<'a>>,
    downloads: Option<i64>,
    downloads_all_time: Option<i64>,
    likes: Option<i64>,
    trending_score: Option<i64>,
    created_at: Option<Str<'a>>,
    last_modified: Option<Str<'a>>,
    pipeline_tag: Option<Str<'a>>,
    library_name: Option<Str<'a>>,
    gated: Option<Str<'a>>,
    safetensors: Option<Safetensors>,
    num_parameters: Option<i64>,
    tags: Option<Vec<Str<'a>>>,
}

/// Reads one field's value into `slot`; a repeated key is an error (the reference path keeps
/// the last one: the page takes that path).
fn fill<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    seen: &mut bool,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if std::mem::replace(seen, true) {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = map.next_value::<Option<T>>()?;
    Ok(())
}

impl<'de> Deserialize<'de> for Item<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a model object")
            }
            // Only `visit_map`: an item that is an array is not an object (the reference path
            // quarantines it), whereas a derived `Deserialize` would read it positionally.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item<'de>, A::Error> {
                let mut item = Item::default();
                let mut seen = [false; 14];
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    match &*key {
                        field::ID => fill(&mut map, &mut item.id, &mut seen[0], field::ID)?,
                        field::AUTHOR => {
                            fill(&mut map, &mut item.author, &mut seen[1], field::AUTHOR)?
                        }
                        field::DOWNLOADS => fill(
                            &mut map,
                            &mut item.downloads,
                            &mut seen[2],
                            field::DOWNLOADS,
                        )?,
                        field::DOWNLOADS_ALL_TIME => fill(
                            &mut map,
                            &mut item.downloads_all_time,
                            &mut seen[3],
                            field::DOWNLOADS_ALL_TIME,
                        )?,
                        field::LIKES => {
                            fill(&mut map, &mut item.likes, &mut seen[4], field::LIKES)?
                        }
                        field::TRENDING_SCORE => fill(
                            &mut map,
                            &mut item.trending_score,
                            &mut seen[5],
                            field::TRENDING_SCORE,
                        )?,
                        field::CREATED_AT => fill(
                            &mut map,
                            &mut item.created_at,
                            &mut seen[6],
                            field::CREATED_AT,
                        )?,
                        field::LAST_MODIFIED => fill(
                            &mut map,
                            &mut item.last_modified,
                            &mut seen[7],
                            field::LAST_MODIFIED,
                        )?,
                        field::PIPELINE_TAG => fill(
                            &mut map,
                            &mut item.pipeline_tag,
                            &mut seen[8],
                            field::PIPELINE_TAG,
                        )?,
                        field::LIBRARY_NAME => fill(
                            &mut map,
                            &mut item.library_name,
                            &mut seen[9],
                            field::LIBRARY_NAME,
                        )?,
                        field::GATED => {
                            let mut gated: Option<GatedText<'de>> = None;
                            fill(&mut map, &mut gated, &mut seen[10], field::GATED)?;
                            item.gated = gated.map(|g| g.0);
                        }
                        field::SAFETENSORS => fill(
                            &mut map,
                            &mut item.safetensors,
                            &mut seen[11],
                            field::SAFETENSORS,
                        )?,
                        field::NUM_PARAMETERS => fill(
                            &mut map,
                            &mut item.num_parameters,
                            &mut seen[12],
                            field::NUM_PARAMETERS,
                        )?,
                        field::TAGS => fill(&mut map, &mut item.tags, &mut seen[13], field::TAGS)?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(item)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "page_tests.rs"]
mod tests;
