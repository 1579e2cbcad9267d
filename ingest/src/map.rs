//! The record mapper: one Hub API JSON item -> one schema v1 row, or a quarantine reason.
//!
//! Pure and total: any JSON value either maps or yields a [`Quarantine`], never a panic
//! (a proptest checks it). Missing or null fields become null (or 0 / empty where the column
//! is not nullable); a field of the wrong type quarantines the record, because silently nulling
//! it would hide an API change.

use chrono::DateTime;
use serde_json::{Map, Value};

use crate::record::{BaseModel, ModelRecord, TrendingRecord};
use crate::schema::RELATION_UNKNOWN;

/// Field names of the Hub API's model items.
pub(crate) mod field {
    /// Model id.
    pub const ID: &str = "id";
    /// Author (namespace).
    pub const AUTHOR: &str = "author";
    /// 30-day downloads.
    pub const DOWNLOADS: &str = "downloads";
    /// All-time downloads.
    pub const DOWNLOADS_ALL_TIME: &str = "downloadsAllTime";
    /// Likes.
    pub const LIKES: &str = "likes";
    /// Trending score.
    pub const TRENDING_SCORE: &str = "trendingScore";
    /// Creation time.
    pub const CREATED_AT: &str = "createdAt";
    /// Last modification time.
    pub const LAST_MODIFIED: &str = "lastModified";
    /// Task.
    pub const PIPELINE_TAG: &str = "pipeline_tag";
    /// Library.
    pub const LIBRARY_NAME: &str = "library_name";
    /// Gating mode.
    pub const GATED: &str = "gated";
    /// Safetensors summary (holds `total`).
    pub const SAFETENSORS: &str = "safetensors";
    /// Parameter count inside `safetensors`.
    pub const TOTAL: &str = "total";
    /// Parameter count as the trending endpoint spells it.
    pub const NUM_PARAMETERS: &str = "numParameters";
    /// Tags.
    pub const TAGS: &str = "tags";
    /// Trending endpoint: the list.
    pub const RECENTLY_TRENDING: &str = "recentlyTrending";
    /// Trending endpoint: the model inside an entry.
    pub const REPO_DATA: &str = "repoData";
    /// Trending endpoint: the entry's type.
    pub const REPO_TYPE: &str = "repoType";
    /// The only repo type we keep.
    pub const MODEL: &str = "model";
}

/// The `expand[]` values the listing asks for: exactly the fields the mapper reads.
pub(crate) const EXPAND: &[&str] = &[
    field::AUTHOR,
    field::DOWNLOADS,
    field::DOWNLOADS_ALL_TIME,
    field::LIKES,
    field::TRENDING_SCORE,
    field::CREATED_AT,
    field::LAST_MODIFIED,
    field::PIPELINE_TAG,
    field::LIBRARY_NAME,
    field::GATED,
    field::SAFETENSORS,
    field::TAGS,
];

const LICENSE_TAG: &str = "license:";
const BASE_MODEL_TAG: &str = "base_model:";
/// Longer ids than this are not Hub ids (the Hub caps names at 96 characters).
pub(crate) const MAX_ID_LEN: usize = 256;

/// Why a record was set aside instead of written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantine {
    /// Human-readable reason, naming the field.
    pub reason: String,
}

impl std::fmt::Display for Quarantine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

fn reject(reason: impl Into<String>) -> Quarantine {
    Quarantine {
        reason: reason.into(),
    }
}

/// Maps one item of `/api/models` to a [`ModelRecord`], or says why it cannot.
pub fn map_model(value: &Value) -> Result<ModelRecord, Quarantine> {
    let obj = value
        .as_object()
        .ok_or_else(|| reject("item is not a JSON object"))?;
    let id = model_id(obj)?;
    let author = author(obj, &id)?;
    let tags = string_list(obj, field::TAGS)?;
    let num_parameters = match get(obj, field::SAFETENSORS) {
        Some(Value::Object(st)) => opt_i64(st, field::TOTAL)?,
        Some(_) => return Err(reject("safetensors is not an object")),
        None => opt_i64(obj, field::NUM_PARAMETERS)?,
    };
    let license = license(&tags);
    let base_models = base_models(&tags);
    let tags = stored_tags(tags, license.as_deref(), &base_models);
    Ok(ModelRecord {
        downloads_30d: count(obj, field::DOWNLOADS)?.unwrap_or(0),
        downloads_all_time: count(obj, field::DOWNLOADS_ALL_TIME)?,
        likes: count(obj, field::LIKES)?.unwrap_or(0),
        trending_score: opt_i64(obj, field::TRENDING_SCORE)?,
        created_at: timestamp(obj, field::CREATED_AT)?,
        last_modified: timestamp(obj, field::LAST_MODIFIED)?,
        pipeline_tag: opt_string(obj, field::PIPELINE_TAG)?,
        library_name: opt_string(obj, field::LIBRARY_NAME)?,
        license,
        gated: gated(obj)?,
        num_parameters,
        base_models,
        tags,
        id,
        author,
    })
}

/// Maps one entry of `/api/trending` (`{"repoType": "model", "repoData": {...}}`) at `rank`.
///
/// `Ok(None)` for an entry that is not a model.
pub fn map_trending(value: &Value, rank: i32) -> Result<Option<TrendingRecord>, Quarantine> {
    let entry = value
        .as_object()
        .ok_or_else(|| reject("trending entry is not a JSON object"))?;
    match get(entry, field::REPO_TYPE) {
        None => {}
        Some(Value::String(t)) if t == field::MODEL => {}
        Some(_) => return Ok(None),
    }
    let data = match get(entry, field::REPO_DATA) {
        Some(Value::Object(data)) => data,
        _ => return Err(reject("trending entry has no repoData object")),
    };
    let id = model_id(data)?;
    Ok(Some(TrendingRecord {
        rank,
        author: author(data, &id)?,
        trending_score: opt_i64(data, field::TRENDING_SCORE)?,
        likes: count(data, field::LIKES)?.unwrap_or(0),
        downloads_30d: count(data, field::DOWNLOADS)?.unwrap_or(0),
        id,
    }))
}

/// A field, with JSON `null` treated as absent.
fn get<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

fn model_id(obj: &Map<String, Value>) -> Result<String, Quarantine> {
    match get(obj, field::ID) {
        None => Err(reject("missing id")),
        Some(Value::String(id)) => {
            if is_valid_id(id) {
                Ok(id.clone())
            } else {
                Err(reject(format!("invalid id {:?}", truncate(id, 80))))
            }
        }
        Some(_) => Err(reject("id is not a string")),
    }
}

/// A Hub repo id: `namespace/name`, or a legacy bare `name`, each part made of ASCII letters,
/// digits, `-`, `_` and `.`, without `..` (the Hub's own rule). Ids are data and never become
/// paths, but an id like `../x`, `a/b/c` or one with HTML or control characters is not a Hub id:
/// it is quarantined rather than carried into the marts and the report.
pub(crate) fn is_valid_id(id: &str) -> bool {
    id.len() <= MAX_ID_LEN
        && !id.contains("..")
        && id.bytes().filter(|&b| b == b'/').count() <= 1
        && id.split('/').all(is_safe_part)
}

/// A non-empty run of `[A-Za-z0-9._-]`.
pub(crate) fn is_safe_part(part: &str) -> bool {
    !part.is_empty()
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// `author`, else the namespace of `id`; a legacy id without namespace is its own author.
fn author(obj: &Map<String, Value>, id: &str) -> Result<String, Quarantine> {
    match get(obj, field::AUTHOR) {
        Some(Value::String(a)) if !a.is_empty() => {
            if a.len() <= MAX_ID_LEN && is_safe_part(a) {
                Ok(a.clone())
            } else {
                Err(reject(format!("invalid author {:?}", truncate(a, 80))))
            }
        }
        Some(Value::String(_)) | None => Ok(id.split_once('/').map_or(id, |(ns, _)| ns).to_owned()),
        Some(_) => Err(reject("author is not a string")),
    }
}

/// An optional integer; integral floats are accepted (some JSON encoders write `12.0`).
fn opt_i64(obj: &Map<String, Value>, key: &str) -> Result<Option<i64>, Quarantine> {
    let Some(v) = get(obj, key) else {
        return Ok(None);
    };
    if let Some(i) = v.as_i64() {
        return Ok(Some(i));
    }
    match v.as_f64() {
        // The range check keeps the cast exact; larger magnitudes are not plausible counts.
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
        Some(_) => Err(reject(format!("{key} is not an integer"))),
        None => Err(reject(format!("{key} is not a number"))),
    }
}

/// An optional non-negative integer.
fn count(obj: &Map<String, Value>, key: &str) -> Result<Option<i64>, Quarantine> {
    match opt_i64(obj, key)? {
        Some(n) if n < 0 => Err(reject(format!("{key} is negative ({n})"))),
        other => Ok(other),
    }
}

fn opt_string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, Quarantine> {
    match get(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(reject(format!("{key} is not a string"))),
    }
}

/// An RFC 3339 time as milliseconds since the epoch.
fn timestamp(obj: &Map<String, Value>, key: &str) -> Result<Option<i64>, Quarantine> {
    match get(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.timestamp_millis()))
            .map_err(|_| {
                reject(format!(
                    "{key} is not an RFC 3339 time: {:?}",
                    truncate(s, 40)
                ))
            }),
        Some(_) => Err(reject(format!("{key} is not a string"))),
    }
}

/// `gated` is `false` or a mode string; `true` (older API responses) is kept as `true`.
fn gated(obj: &Map<String, Value>) -> Result<Option<String>, Quarantine> {
    match get(obj, field::GATED) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(reject("gated is neither a boolean nor a string")),
    }
}

fn string_list(obj: &Map<String, Value>, key: &str) -> Result<Vec<String>, Quarantine> {
    match get(obj, key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| match t {
                Value::String(s) => Ok(s.clone()),
                _ => Err(reject(format!("{key} has a non-string element"))),
            })
            .collect(),
        Some(_) => Err(reject(format!("{key} is not an array"))),
    }
}

/// The tags kept in the `tags` column: all but the `license:X` and `base_model:...` tags whose
/// content the `license` and `base_models` columns already hold.
///
/// Those tags are a third of a snapshot's bytes when stored twice; they can be rebuilt from
/// the two columns (`license:<license>`, `base_model:<id>` and `base_model:<relation>:<id>`).
pub fn stored_tags(
    tags: Vec<String>,
    license: Option<&str>,
    base_models: &[BaseModel],
) -> Vec<String> {
    let parents: Vec<(&str, &str)> = base_models
        .iter()
        .map(|b| (b.relation.as_str(), b.id.as_str()))
        .collect();
    tags.into_iter()
        .filter(|tag| keeps_tag(tag, license, &parents))
        .collect()
}

/// Whether `tag` stays in the `tags` column, given the row's licence and (relation, id) parents.
pub(crate) fn keeps_tag(tag: &str, license: Option<&str>, parents: &[(&str, &str)]) -> bool {
    if let Some(value) = tag.strip_prefix(LICENSE_TAG) {
        return license != Some(value);
    }
    let Some(rest) = tag.strip_prefix(BASE_MODEL_TAG) else {
        return true;
    };
    !parents.iter().any(|&(relation, id)| {
        rest == id
            || rest
                .strip_prefix(relation)
                .and_then(|r| r.strip_prefix(':'))
                == Some(id)
    })
}

/// The first `license:X` tag.
fn license(tags: &[String]) -> Option<String> {
    license_of(tags).map(str::to_owned)
}

/// The first non-empty `license:X` tag's value (borrowed).
pub(crate) fn license_of<S: AsRef<str>>(tags: &[S]) -> Option<&str> {
    tags.iter()
        .filter_map(|t| t.as_ref().strip_prefix(LICENSE_TAG))
        .find(|l| !l.is_empty())
}

/// Parents from `base_model:<relation>:<id>` and bare `base_model:<id>` tags.
pub(crate) fn base_models(tags: &[String]) -> Vec<BaseModel> {
    parents_of(tags)
        .into_iter()
        .map(|(relation, id)| BaseModel {
            relation: relation.to_owned(),
            id: id.to_owned(),
        })
        .collect()
}

/// Parents as borrowed (relation, id) pairs, in tag order, without duplicates.
///
/// The Hub tags a fine-tune with both `base_model:X` and `base_model:finetune:X`; the bare tag
/// only counts (as `unknown`) when no qualified tag names the same parent, so lineage credit is
/// not split over a phantom second parent.
pub(crate) fn parents_of<S: AsRef<str>>(tags: &[S]) -> Vec<(&str, &str)> {
    let mut qualified: Vec<(&str, &str)> = Vec::new();
    let mut bare: Vec<&str> = Vec::new();
    let mut order: Vec<(bool, usize)> = Vec::new();
    for tag in tags {
        let Some(rest) = tag.as_ref().strip_prefix(BASE_MODEL_TAG) else {
            continue;
        };
        match rest.split_once(':') {
            // Model ids never contain ':', and a relation never contains '/'.
            Some((relation, id)) if !relation.is_empty() && !relation.contains('/') => {
                if id.is_empty() {
                    continue;
                }
                if !qualified.contains(&(relation, id)) {
                    qualified.push((relation, id));
                    order.push((true, qualified.len() - 1));
                }
            }
            _ if !rest.is_empty() && !bare.contains(&rest) => {
                bare.push(rest);
                order.push((false, bare.len() - 1));
            }
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for (is_qualified, i) in order {
        if is_qualified {
            out.push(qualified[i]);
        } else if !qualified.iter().any(|q| q.1 == bare[i]) {
            out.push((RELATION_UNKNOWN, bare[i]));
        }
    }
    out
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
