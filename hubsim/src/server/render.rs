//! JSON shapes of the API: list items (default fields or expanded ones) and trending entries.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use crate::authors::Author;
use crate::hash::{bits_at, mix};
use crate::population::{Day, Gated, SimModel};
use crate::server::fields::{
    F_AUTHOR, F_CREATED_AT, F_DOWNLOADS, F_DOWNLOADS_ALL_TIME, F_GATED, F_ID, F_LAST_MODIFIED,
    F_LIBRARY_NAME, F_LIKES, F_MODEL_ID, F_NUM_PARAMETERS, F_OID, F_PIPELINE_TAG, F_PRIVATE,
    F_SAFETENSORS, F_SHA, F_TAGS, F_TRENDING_SCORE,
};

/// Draw purpose: object ids and commit shas.
const PURPOSE_OID: u64 = 0x4f49_4421;

/// The Hub's timestamp format: `2024-09-16T11:55:40.000Z`.
pub(crate) fn timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A Mongo-style object id: creation seconds then 8 bytes unique to the model.
pub(crate) fn object_id(seed: u64, index: u32, m: &SimModel) -> String {
    format!(
        "{:08x}{:016x}",
        m.created_at.timestamp() as u32,
        bits_at(seed, PURPOSE_OID, u64::from(index))
    )
}

/// A 40-hex commit sha that changes whenever the model is modified.
pub(crate) fn sha(seed: u64, index: u32, m: &SimModel) -> String {
    let a = bits_at(
        seed,
        PURPOSE_OID ^ 1,
        u64::from(index) ^ ((m.last_modified.timestamp() as u64) << 24),
    );
    let b = mix(a);
    let c = mix(b);
    format!("{a:016x}{b:016x}{:08x}", c as u32)
}

fn gated(g: Gated) -> Value {
    match g {
        Gated::False => Value::Bool(false),
        other => Value::String(other.as_str().to_owned()),
    }
}

/// One `/api/models` item: the default fields, or `_id`, `id` and the expanded ones.
pub(crate) fn model_item(
    seed: u64,
    index: u32,
    m: &SimModel,
    expand: Option<&[&'static str]>,
) -> Value {
    let mut o = Map::new();
    o.insert(F_OID.into(), json!(object_id(seed, index, m)));
    o.insert(F_ID.into(), json!(m.id));
    let Some(fields) = expand else {
        o.insert(F_LIKES.into(), json!(m.likes));
        o.insert(F_TRENDING_SCORE.into(), json!(m.trending_score));
        o.insert(F_PRIVATE.into(), json!(false));
        o.insert(F_DOWNLOADS.into(), json!(m.downloads_30d));
        o.insert(F_TAGS.into(), json!(m.tags));
        if let Some(p) = m.pipeline_tag {
            o.insert(F_PIPELINE_TAG.into(), json!(p));
        }
        if let Some(l) = m.library_name {
            o.insert(F_LIBRARY_NAME.into(), json!(l));
        }
        o.insert(F_CREATED_AT.into(), json!(timestamp(&m.created_at)));
        o.insert(F_MODEL_ID.into(), json!(m.id));
        return Value::Object(o);
    };
    for &field in fields {
        let value = match field {
            F_AUTHOR => json!(m.author),
            F_DOWNLOADS => json!(m.downloads_30d),
            F_DOWNLOADS_ALL_TIME => json!(m.downloads_all_time),
            F_LIKES => json!(m.likes),
            F_TRENDING_SCORE => json!(m.trending_score),
            F_CREATED_AT => json!(timestamp(&m.created_at)),
            F_LAST_MODIFIED => json!(timestamp(&m.last_modified)),
            F_PIPELINE_TAG => match m.pipeline_tag {
                Some(p) => json!(p),
                None => continue,
            },
            F_LIBRARY_NAME => match m.library_name {
                Some(l) => json!(l),
                None => continue,
            },
            F_TAGS => json!(m.tags),
            F_GATED => gated(m.gated),
            F_SAFETENSORS => match m.num_parameters {
                Some(n) => json!({"parameters": {"BF16": n}, "total": n}),
                None => continue,
            },
            F_PRIVATE => json!(false),
            F_SHA => json!(sha(seed, index, m)),
            _ => continue,
        };
        o.insert(field.into(), value);
    }
    Value::Object(o)
}

/// One `recentlyTrending` entry, in the recorded fixtures' shape.
pub(crate) fn trending_entry(seed: u64, index: u32, m: &SimModel, author: &Author) -> Value {
    let h = bits_at(seed, PURPOSE_OID ^ 2, u64::from(index));
    let a = mix(author
        .handle
        .bytes()
        .fold(seed, |acc, b| mix(acc ^ u64::from(b))));
    let mut author_data = json!({
        "_id": format!("{:08x}{a:016x}", 0x6000_0000u32 | ((a >> 40) as u32 & 0x0fff_ffff)),
        "avatarUrl": format!("https://cdn-avatars.huggingface.co/v1/production/uploads/{:024x}/{:x}.png", u128::from(a) << 32, h),
        "fullname": author.fullname,
        "name": author.handle,
        "type": if author.is_org { "org" } else { "user" },
        "isHf": false,
        "isHfAdmin": false,
        "isMod": false,
        "followerCount": author.followers,
        "isUserFollowing": false,
    });
    if let Some(o) = author_data.as_object_mut() {
        if author.is_org {
            o.insert(
                "plan".into(),
                json!(if author.followers > 5_000 {
                    "team"
                } else {
                    "enterprise"
                }),
            );
        } else {
            o.insert("isPro".into(), json!(a.is_multiple_of(3)));
        }
    }
    let mut data = Map::new();
    data.insert(F_AUTHOR.into(), json!(m.author));
    data.insert("authorData".into(), author_data);
    data.insert(F_DOWNLOADS.into(), json!(m.downloads_30d));
    data.insert(F_GATED.into(), gated(m.gated));
    data.insert(F_ID.into(), json!(m.id));
    data.insert("availableInferenceProviders".into(), json!([]));
    data.insert("isLikedByUser".into(), json!(false));
    data.insert(F_LAST_MODIFIED.into(), json!(timestamp(&m.last_modified)));
    data.insert(F_LIKES.into(), json!(m.likes));
    if let Some(p) = m.pipeline_tag {
        data.insert(F_PIPELINE_TAG.into(), json!(p));
    }
    data.insert(F_PRIVATE.into(), json!(false));
    data.insert("repoType".into(), json!("model"));
    data.insert("widgetOutputUrls".into(), json!([]));
    if let Some(n) = m.num_parameters {
        data.insert(F_NUM_PARAMETERS.into(), json!(n));
    }
    json!({"repoType": "model", "repoData": Value::Object(data)})
}

/// The trending response for a day.
pub(crate) fn trending(seed: u64, day: &Day, limit: usize) -> Value {
    let entries: Vec<Value> = day
        .sorted(crate::population::SortKey::TrendingScore)
        .iter()
        .take(limit)
        .map(|&i| trending_entry(seed, i, &day.model(i as usize), &day.author(i)))
        .collect();
    json!({"recentlyTrending": entries})
}

/// Gives one record a wrong-typed field (a fault): a count becomes a string, or a string a number.
pub(crate) fn corrupt(record: &mut Value) {
    let target = match record.get_mut("repoData") {
        Some(inner) => inner,
        None => record,
    };
    let Some(o) = target.as_object_mut() else {
        return;
    };
    for field in [F_DOWNLOADS, F_LIKES, F_TRENDING_SCORE, F_DOWNLOADS_ALL_TIME] {
        if let Some(v) = o.get_mut(field) {
            *v = json!(format!("{}k", v.as_i64().unwrap_or(0) / 1000));
            return;
        }
    }
    for field in [F_CREATED_AT, F_LAST_MODIFIED, F_AUTHOR, F_ID] {
        if let Some(v) = o.get_mut(field) {
            *v = json!(12345);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_have_the_hub_format() {
        let t = Utc
            .with_ymd_and_hms(2024, 9, 16, 11, 55, 40)
            .single()
            .unwrap_or_default();
        assert_eq!(timestamp(&t), "2024-09-16T11:55:40.000Z");
    }

    #[test]
    fn corrupt_changes_a_field_type() {
        let mut v = json!({"_id": "x", "id": "a/b", "likes": 5});
        corrupt(&mut v);
        assert!(v["likes"].is_string());
        let mut t = json!({"repoType": "model", "repoData": {"id": "a/b", "downloads": 7}});
        corrupt(&mut t);
        assert!(t["repoData"]["downloads"].is_string());
    }
}
