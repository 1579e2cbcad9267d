//! `/api/models` items written straight to bytes: exactly the JSON that serde_json makes of
//! [`render::model_item`](super::render::model_item)'s `Value`, without building the tree.
//!
//! A page of 1,000 expanded items is ~600 KB of JSON; building a `Value` per item (a `BTreeMap`
//! of boxed strings), serialising and dropping it was most of the simulator's CPU (~70% of a
//! 300k-model listing in `perf`), which both benchmarked clients wait for. `Value` objects keep
//! their keys in byte order (serde_json is built without `preserve_order`), so the writer emits
//! the same keys in that order; a test checks the bytes against the `Value` path.

use chrono::{DateTime, Utc};

use crate::population::{Gated, SimModel};
use crate::server::fields::{
    F_AUTHOR, F_CREATED_AT, F_DOWNLOADS, F_DOWNLOADS_ALL_TIME, F_GATED, F_ID, F_LAST_MODIFIED,
    F_LIBRARY_NAME, F_LIKES, F_MODEL_ID, F_OID, F_PIPELINE_TAG, F_PRIVATE, F_SAFETENSORS, F_SHA,
    F_TAGS, F_TRENDING_SCORE, SERVED_EXPANDS,
};
use crate::server::render;

/// Fields of a default (not expanded) item, as `render::model_item` inserts them.
const DEFAULT_FIELDS: &[&str] = &[
    F_OID,
    F_ID,
    F_LIKES,
    F_TRENDING_SCORE,
    F_PRIVATE,
    F_DOWNLOADS,
    F_TAGS,
    F_PIPELINE_TAG,
    F_LIBRARY_NAME,
    F_CREATED_AT,
    F_MODEL_ID,
];

/// The keys one request's items carry, in the order serde_json writes them (byte order).
#[derive(Debug, Clone)]
pub(crate) struct ItemFields {
    keys: Vec<&'static str>,
}

impl ItemFields {
    /// The keys for `expand` (`None`: the default fields).
    pub(crate) fn new(expand: Option<&[&'static str]>) -> ItemFields {
        let mut keys: Vec<&'static str> = match expand {
            None => DEFAULT_FIELDS.to_vec(),
            Some(fields) => [F_OID, F_ID]
                .into_iter()
                .chain(
                    fields
                        .iter()
                        .copied()
                        .filter(|f| SERVED_EXPANDS.contains(f)),
                )
                .collect(),
        };
        keys.sort_unstable();
        keys.dedup();
        ItemFields { keys }
    }
}

/// Appends one item of model `index` to `buf`.
pub(crate) fn model_item(
    buf: &mut Vec<u8>,
    fields: &ItemFields,
    seed: u64,
    index: u32,
    m: &SimModel,
) {
    buf.push(b'{');
    let mut first = true;
    for &key in &fields.keys {
        // Optional fields are left out, not written as null (as in `render::model_item`).
        let present = match key {
            F_PIPELINE_TAG => m.pipeline_tag.is_some(),
            F_LIBRARY_NAME => m.library_name.is_some(),
            F_SAFETENSORS => m.num_parameters.is_some(),
            _ => true,
        };
        if !present {
            continue;
        }
        if !first {
            buf.push(b',');
        }
        first = false;
        buf.push(b'"');
        buf.extend_from_slice(key.as_bytes());
        buf.extend_from_slice(b"\":");
        match key {
            F_OID => string(buf, &render::object_id(seed, index, m)),
            F_ID | F_MODEL_ID => string(buf, &m.id),
            F_AUTHOR => string(buf, &m.author),
            F_DOWNLOADS => int(buf, m.downloads_30d),
            F_DOWNLOADS_ALL_TIME => int(buf, m.downloads_all_time),
            F_LIKES => int(buf, m.likes),
            F_TRENDING_SCORE => int(buf, m.trending_score),
            F_CREATED_AT => timestamp(buf, &m.created_at),
            F_LAST_MODIFIED => timestamp(buf, &m.last_modified),
            F_PIPELINE_TAG => string(buf, m.pipeline_tag.unwrap_or_default()),
            F_LIBRARY_NAME => string(buf, m.library_name.unwrap_or_default()),
            F_TAGS => {
                buf.push(b'[');
                for (k, tag) in m.tags.iter().enumerate() {
                    if k > 0 {
                        buf.push(b',');
                    }
                    string(buf, tag);
                }
                buf.push(b']');
            }
            F_GATED => match m.gated {
                Gated::False => buf.extend_from_slice(b"false"),
                other => string(buf, other.as_str()),
            },
            F_SAFETENSORS => {
                let n = m.num_parameters.unwrap_or_default();
                // `{"parameters": {"BF16": n}, "total": n}` in key order.
                buf.extend_from_slice(b"{\"parameters\":{\"BF16\":");
                int(buf, n);
                buf.extend_from_slice(b"},\"total\":");
                int(buf, n);
                buf.push(b'}');
            }
            F_PRIVATE => buf.extend_from_slice(b"false"),
            F_SHA => string(buf, &render::sha(seed, index, m)),
            // `ItemFields` holds no other key.
            _ => buf.extend_from_slice(b"null"),
        }
    }
    buf.push(b'}');
}

fn int(buf: &mut Vec<u8>, n: i64) {
    buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A JSON string; the simulator's strings almost never need escaping, so that case goes
/// through serde_json itself (same escapes as the `Value` path).
fn string(buf: &mut Vec<u8>, s: &str) {
    // A fold without early exit compiles to a vectorised scan (`any` does not).
    let needs_escape = s.bytes().fold(false, |acc, b| {
        acc | (b == b'"') | (b == b'\\') | (b < 0x20)
    });
    if needs_escape {
        // Writing a `&str` into a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *buf, s);
        return;
    }
    buf.push(b'"');
    buf.extend_from_slice(s.as_bytes());
    buf.push(b'"');
}

/// `render::timestamp` (`2024-09-16T11:55:40.000Z`) without the formatter, for years 1970
/// to 9999 (chrono's calendar accessors were ~5% of the simulator's CPU).
fn timestamp(buf: &mut Vec<u8>, t: &DateTime<Utc>) {
    let secs = t.timestamp();
    let nanos = t.timestamp_subsec_nanos();
    // Other years and leap seconds take chrono's own path.
    if !(0..253_402_300_800).contains(&secs) || nanos >= 1_000_000_000 {
        string(buf, &render::timestamp(t));
        return;
    }
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm), March-based years.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let digits = |buf: &mut Vec<u8>, v: i64, width: u32| {
        for p in (0..width).rev() {
            buf.push(b'0' + (v / 10i64.pow(p) % 10) as u8);
        }
    };
    buf.push(b'"');
    digits(buf, year, 4);
    buf.push(b'-');
    digits(buf, month, 2);
    buf.push(b'-');
    digits(buf, day, 2);
    buf.push(b'T');
    digits(buf, rem / 3600, 2);
    buf.push(b':');
    digits(buf, rem / 60 % 60, 2);
    buf.push(b':');
    digits(buf, rem % 60, 2);
    buf.push(b'.');
    digits(buf, i64::from(nanos / 1_000_000), 3);
    buf.extend_from_slice(b"Z\"");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::{Population, SimConfig};
    use chrono::TimeZone;

    fn same_bytes(expand: Option<&[&'static str]>, day: &crate::population::Day) {
        let fields = ItemFields::new(expand);
        for i in 0..day.len() as u32 {
            let m = day.model(i as usize);
            let want =
                serde_json::to_vec(&render::model_item(7, i, &m, expand)).unwrap_or_default();
            let mut got = Vec::new();
            model_item(&mut got, &fields, 7, i, &m);
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "model {i}, expand {expand:?}"
            );
        }
    }

    #[test]
    fn items_are_the_value_paths_bytes() {
        let population = Population::new(SimConfig {
            models: 4_000,
            ..SimConfig::default()
        });
        let day = population.day(population.config().start_date);
        same_bytes(None, &day);
        same_bytes(Some(SERVED_EXPANDS), &day);
        same_bytes(Some(&[F_TAGS, F_SHA, F_LIKES, F_TAGS, "siblings"]), &day);
        same_bytes(Some(&[]), &day);
    }

    #[test]
    fn odd_strings_and_times_match_serde_json() {
        for s in ["plain", "q\"uote", "back\\slash", "ctl\u{1}\n", "ünï"] {
            let mut got = Vec::new();
            string(&mut got, s);
            assert_eq!(got, serde_json::to_vec(s).unwrap_or_default());
        }
        for t in [
            Utc.with_ymd_and_hms(2024, 9, 16, 11, 55, 40).single(),
            Utc.with_ymd_and_hms(1999, 1, 2, 3, 4, 5).single(),
            Utc.with_ymd_and_hms(12_000, 1, 1, 0, 0, 0).single(),
            Utc.timestamp_millis_opt(1_700_000_000_123).single(),
            Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).single(),
            Utc.with_ymd_and_hms(2000, 2, 29, 0, 0, 0).single(),
            Utc.with_ymd_and_hms(2100, 3, 1, 12, 0, 0).single(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).single(),
        ]
        .into_iter()
        .flatten()
        {
            let mut got = Vec::new();
            timestamp(&mut got, &t);
            assert_eq!(
                got,
                serde_json::to_vec(&render::timestamp(&t)).unwrap_or_default()
            );
        }
    }
}
