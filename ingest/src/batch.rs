//! Records <-> Arrow record batches in schema v1.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, TimestampMillisecondType};
use arrow_array::{
    Array, ArrayRef, Date32Array, Int32Array, Int64Array, ListArray, RecordBatch, StringArray,
    StructArray, TimestampMillisecondArray,
};
use arrow_buffer::{OffsetBuffer, ScalarBuffer};
use chrono::{Datelike, NaiveDate};

use crate::error::IngestError;
use crate::record::{BaseModel, ModelRecord, TrendingRecord};
use crate::schema::{self, UTC};

/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
const CE_TO_UNIX_DAYS: i32 = 719_163;

/// A date as Arrow's Date32 (days since the Unix epoch).
pub(crate) fn date32(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - CE_TO_UNIX_DAYS
}

pub(crate) fn offsets(
    lengths: impl Iterator<Item = usize>,
) -> Result<OffsetBuffer<i32>, IngestError> {
    let mut out = Vec::with_capacity(lengths.size_hint().0 + 1);
    let mut total: i32 = 0;
    out.push(0);
    for len in lengths {
        let len = i32::try_from(len).map_err(|_| list_overflow())?;
        total = total.checked_add(len).ok_or_else(list_overflow)?;
        out.push(total);
    }
    Ok(OffsetBuffer::new(ScalarBuffer::from(out)))
}

fn list_overflow() -> IngestError {
    IngestError::Arrow {
        what: "list column",
        source: arrow_schema::ArrowError::ComputeError("list offsets overflow i32".into()),
    }
}

pub(crate) fn arrow_err(
    what: &'static str,
) -> impl FnOnce(arrow_schema::ArrowError) -> IngestError {
    move |source| IngestError::Arrow { what, source }
}

pub(crate) fn timestamps(values: Vec<Option<i64>>) -> ArrayRef {
    Arc::new(TimestampMillisecondArray::from(values).with_timezone(UTC))
}

/// A `models.parquet` batch for `date` from records (in the given order).
pub fn models_batch(date: NaiveDate, records: &[ModelRecord]) -> Result<RecordBatch, IngestError> {
    let n = records.len();
    let day = date32(date);
    let strs = |f: fn(&ModelRecord) -> Option<&str>| -> ArrayRef {
        Arc::new(records.iter().map(f).collect::<StringArray>())
    };
    let ints = |f: fn(&ModelRecord) -> Option<i64>| -> ArrayRef {
        Arc::new(records.iter().map(f).collect::<Int64Array>())
    };
    let base = records.iter().flat_map(|r| r.base_models.iter());
    let relation: StringArray = base.clone().map(|b| Some(b.relation.as_str())).collect();
    let base_id: StringArray = base.map(|b| Some(b.id.as_str())).collect();
    let base_struct = StructArray::try_new(
        schema::base_model_fields(),
        vec![Arc::new(relation), Arc::new(base_id)],
        None,
    )
    .map_err(arrow_err("base_models"))?;
    let base_models = ListArray::try_new(
        schema::base_models_item(),
        offsets(records.iter().map(|r| r.base_models.len()))?,
        Arc::new(base_struct),
        None,
    )
    .map_err(arrow_err("base_models"))?;
    let tag_values: StringArray = records
        .iter()
        .flat_map(|r| r.tags.iter().map(|t| Some(t.as_str())))
        .collect();
    let tags = ListArray::try_new(
        schema::tags_item(),
        offsets(records.iter().map(|r| r.tags.len()))?,
        Arc::new(tag_values),
        None,
    )
    .map_err(arrow_err("tags"))?;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Date32Array::from(vec![day; n])),
        strs(|r| Some(&r.id)),
        strs(|r| Some(&r.author)),
        ints(|r| Some(r.downloads_30d)),
        ints(|r| r.downloads_all_time),
        ints(|r| Some(r.likes)),
        ints(|r| r.trending_score),
        timestamps(records.iter().map(|r| r.created_at).collect()),
        timestamps(records.iter().map(|r| r.last_modified).collect()),
        strs(|r| r.pipeline_tag.as_deref()),
        strs(|r| r.library_name.as_deref()),
        strs(|r| r.license.as_deref()),
        strs(|r| r.gated.as_deref()),
        ints(|r| r.num_parameters),
        Arc::new(base_models),
        Arc::new(tags),
    ];
    RecordBatch::try_new(schema::models_schema(), columns).map_err(arrow_err("models"))
}

/// A `trending.parquet` batch for `date` from records (in the given order).
pub fn trending_batch(
    date: NaiveDate,
    records: &[TrendingRecord],
) -> Result<RecordBatch, IngestError> {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Date32Array::from(vec![date32(date); records.len()])),
        Arc::new(records.iter().map(|r| r.rank).collect::<Int32Array>()),
        Arc::new(StringArray::from_iter_values(records.iter().map(|r| &r.id))),
        Arc::new(StringArray::from_iter_values(
            records.iter().map(|r| &r.author),
        )),
        Arc::new(
            records
                .iter()
                .map(|r| r.trending_score)
                .collect::<Int64Array>(),
        ),
        Arc::new(records.iter().map(|r| r.likes).collect::<Int64Array>()),
        Arc::new(
            records
                .iter()
                .map(|r| r.downloads_30d)
                .collect::<Int64Array>(),
        ),
    ];
    RecordBatch::try_new(schema::trending_schema(), columns).map_err(arrow_err("trending"))
}

fn opt_str(a: &StringArray, i: usize) -> Option<String> {
    a.is_valid(i).then(|| a.value(i).to_owned())
}

fn opt_i64(a: &Int64Array, i: usize) -> Option<i64> {
    a.is_valid(i).then(|| a.value(i))
}

fn opt_ts(a: &TimestampMillisecondArray, i: usize) -> Option<i64> {
    a.is_valid(i).then(|| a.value(i))
}

/// Records back from a `models.parquet` batch (used by the run merge and by tests).
///
/// The batch must have exactly schema v1's fields, else this is an integrity error.
pub fn models_from_batch(batch: &RecordBatch) -> Result<Vec<ModelRecord>, IngestError> {
    let expected = schema::models_schema();
    if batch.schema().fields() != expected.fields() {
        return Err(IngestError::Arrow {
            what: "models (read back)",
            source: arrow_schema::ArrowError::SchemaError(format!(
                "expected {:?}, found {:?}",
                expected.fields(),
                batch.schema().fields()
            )),
        });
    }
    // The schema check above makes every cast below infallible.
    let c = |i: usize| batch.column(i);
    let id = c(1).as_string::<i32>();
    let author = c(2).as_string::<i32>();
    let d30 = c(3).as_primitive::<Int64Type>();
    let dall = c(4).as_primitive::<Int64Type>();
    let likes = c(5).as_primitive::<Int64Type>();
    let score = c(6).as_primitive::<Int64Type>();
    let created = c(7).as_primitive::<TimestampMillisecondType>();
    let modified = c(8).as_primitive::<TimestampMillisecondType>();
    let pipeline = c(9).as_string::<i32>();
    let library = c(10).as_string::<i32>();
    let license = c(11).as_string::<i32>();
    let gated = c(12).as_string::<i32>();
    let params = c(13).as_primitive::<Int64Type>();
    let base = c(14).as_list::<i32>();
    let base_struct = base.values().as_struct();
    let base_rel = base_struct.column(0).as_string::<i32>();
    let base_id = base_struct.column(1).as_string::<i32>();
    let tags = c(15).as_list::<i32>();
    let tag_values = tags.values().as_string::<i32>();
    let base_off = base.value_offsets();
    let tag_off = tags.value_offsets();
    let mut out = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        let range = |o: &[i32]| (o[i] as usize)..(o[i + 1] as usize);
        out.push(ModelRecord {
            id: id.value(i).to_owned(),
            author: author.value(i).to_owned(),
            downloads_30d: d30.value(i),
            downloads_all_time: opt_i64(dall, i),
            likes: likes.value(i),
            trending_score: opt_i64(score, i),
            created_at: opt_ts(created, i),
            last_modified: opt_ts(modified, i),
            pipeline_tag: opt_str(pipeline, i),
            library_name: opt_str(library, i),
            license: opt_str(license, i),
            gated: opt_str(gated, i),
            num_parameters: opt_i64(params, i),
            base_models: range(base_off)
                .map(|j| BaseModel {
                    relation: base_rel.value(j).to_owned(),
                    id: base_id.value(j).to_owned(),
                })
                .collect(),
            tags: range(tag_off)
                .map(|j| tag_values.value(j).to_owned())
                .collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample(id: &str) -> ModelRecord {
        ModelRecord {
            id: id.into(),
            author: id.split('/').next().unwrap().into(),
            downloads_30d: 5,
            downloads_all_time: Some(50),
            likes: 2,
            trending_score: None,
            created_at: Some(1_700_000_000_000),
            last_modified: None,
            pipeline_tag: Some("text-generation".into()),
            library_name: None,
            license: Some("mit".into()),
            gated: Some("false".into()),
            num_parameters: Some(7),
            base_models: vec![BaseModel {
                relation: "merge".into(),
                id: "x/y".into(),
            }],
            tags: vec!["a".into(), "license:mit".into()],
        }
    }

    #[test]
    fn date32_is_days_since_epoch() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(date32(d(1970, 1, 1)), 0);
        assert_eq!(date32(d(1970, 1, 2)), 1);
        assert_eq!(date32(d(2026, 11, 22)), 20_779);
    }

    #[test]
    fn models_round_trip_through_a_batch() {
        let mut b = sample("b/two");
        b.base_models.clear();
        b.tags.clear();
        b.created_at = None;
        let records = vec![sample("a/one"), b, sample("c/three")];
        let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let batch = models_batch(date, &records).unwrap();
        assert_eq!(batch.schema(), schema::models_schema());
        assert_eq!(batch.num_rows(), 3);
        assert_eq!(models_from_batch(&batch).unwrap(), records);
    }

    #[test]
    fn trending_batch_has_schema_v1() {
        let t = TrendingRecord {
            rank: 1,
            id: "a/b".into(),
            author: "a".into(),
            trending_score: Some(3),
            likes: 1,
            downloads_30d: 2,
        };
        let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let batch = trending_batch(date, &[t]).unwrap();
        assert_eq!(batch.schema(), schema::trending_schema());
    }
}
