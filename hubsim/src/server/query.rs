//! Query strings of the list endpoints, and the opaque paging cursor.

use serde::{Deserialize, Serialize};

use crate::error::SimError;
use crate::population::SortKey;
use crate::server::fields::{
    ACCEPTED_EXPANDS, MAX_LIMIT, Q_AUTHOR, Q_CURSOR, Q_DIRECTION, Q_EXPAND, Q_EXPAND_BRACKETS,
    Q_LIMIT, Q_PIPELINE_TAG, Q_SORT, Q_TYPE, SERVED_EXPANDS, TRENDING_DEFAULT, TRENDING_MAX,
};

/// A parsed `/api/models` query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModelsQuery {
    pub sort: SortKey,
    pub limit: usize,
    /// `None`: default fields. `Some`: only `_id`, `id` and these (served ones only).
    pub expand: Option<Vec<&'static str>>,
    pub cursor: Option<Cursor>,
    pub author: Option<String>,
    pub pipeline_tag: Option<String>,
}

/// Where the next page starts: just after the model with this key and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    /// The sort order the cursor belongs to.
    #[serde(rename = "s")]
    pub sort: u8,
    /// The sort key of the last model served.
    #[serde(rename = "k")]
    pub key: i64,
    /// The index of the last model served.
    #[serde(rename = "i")]
    pub index: u32,
}

fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

fn parse_limit(value: &str, cap: usize) -> Result<usize, SimError> {
    match value.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n.min(cap)),
        _ => Err(SimError::InvalidParam {
            param: Q_LIMIT,
            found: value.to_owned(),
            expected: "a positive integer",
        }),
    }
}

impl ModelsQuery {
    /// Parses a raw (still URL-encoded) query string.
    pub(crate) fn parse(query: &str) -> Result<ModelsQuery, SimError> {
        let mut q = ModelsQuery {
            sort: SortKey::TrendingScore,
            limit: MAX_LIMIT,
            expand: None,
            cursor: None,
            author: None,
            pipeline_tag: None,
        };
        let mut cursor_text = None;
        for (key, value) in pairs(query) {
            match key.as_str() {
                Q_SORT => {
                    q.sort = SortKey::parse(&value).ok_or_else(|| SimError::InvalidParam {
                        param: Q_SORT,
                        found: value.clone(),
                        expected: "one of downloads, likes, trendingScore, createdAt, lastModified",
                    })?;
                }
                Q_LIMIT => q.limit = parse_limit(&value, MAX_LIMIT)?,
                Q_EXPAND | Q_EXPAND_BRACKETS => {
                    let list = q.expand.get_or_insert_with(Vec::new);
                    if let Some(&served) = SERVED_EXPANDS.iter().find(|e| **e == value) {
                        if !list.contains(&served) {
                            list.push(served);
                        }
                    } else if !ACCEPTED_EXPANDS.contains(&value.as_str()) {
                        return Err(SimError::UnknownExpand { found: value });
                    }
                }
                Q_DIRECTION if value != "-1" => {
                    return Err(SimError::InvalidParam {
                        param: Q_DIRECTION,
                        found: value,
                        expected: "-1 (results are always descending)",
                    });
                }
                Q_CURSOR => cursor_text = Some(value),
                Q_AUTHOR => q.author = Some(value),
                Q_PIPELINE_TAG => q.pipeline_tag = Some(value),
                // The real API ignores parameters it does not use; so do we.
                _ => {}
            }
        }
        if let Some(text) = cursor_text {
            let cursor = Cursor::decode(&text).ok_or_else(|| SimError::BadCursor {
                found: text.clone(),
            })?;
            if usize::from(cursor.sort) != q.sort.slot() {
                return Err(SimError::BadCursor { found: text });
            }
            q.cursor = Some(cursor);
        }
        Ok(q)
    }
}

/// Parses `/api/trending`'s query: `type` (model, or empty) and `limit` (default 10, cap 100).
/// Returns `None` for another repository type (the list is then empty).
pub(crate) fn parse_trending(query: &str) -> Result<Option<usize>, SimError> {
    let mut limit = TRENDING_DEFAULT;
    let mut model = true;
    for (key, value) in pairs(query) {
        match key.as_str() {
            Q_LIMIT => limit = parse_limit(&value, TRENDING_MAX)?,
            Q_TYPE => match value.as_str() {
                "model" | "all" => model = true,
                "dataset" | "space" => model = false,
                _ => {
                    return Err(SimError::InvalidParam {
                        param: Q_TYPE,
                        found: value,
                        expected: "one of model, dataset, space",
                    });
                }
            },
            _ => {}
        }
    }
    Ok(model.then_some(limit))
}

/// The query string without its cursor, to which the next page's cursor is appended.
pub(crate) fn without_cursor(query: &str) -> String {
    query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("cursor="))
        .collect::<Vec<_>>()
        .join("&")
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (k, b)| acc | (u32::from(*b) << (16 - 8 * k)));
        for k in 0..=chunk.len() {
            out.push(char::from(B64[((n >> (18 - 6 * k)) & 63) as usize]));
        }
    }
    out
}

fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

impl Cursor {
    /// The opaque form: URL-safe base64 of a small JSON object, like the Hub's cursors.
    pub(crate) fn encode(&self) -> String {
        b64_encode(serde_json::to_string(self).unwrap_or_default().as_bytes())
    }

    /// Parses the opaque form; `None` when it is not one of ours.
    pub(crate) fn decode(text: &str) -> Option<Cursor> {
        serde_json::from_slice(&b64_decode(text)?).ok()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor {
            sort: 0,
            key: 1_234_567_890_123,
            index: 42,
        };
        let text = c.encode();
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{text}"
        );
        assert_eq!(Cursor::decode(&text), Some(c));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode("AAAA"), None);
        for n in 0..7 {
            let bytes: Vec<u8> = (0..n).map(|k| (k * 37 + 5) as u8).collect();
            assert_eq!(b64_decode(&b64_encode(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn parses_sort_limit_and_every_expand_spelling() {
        let q = ModelsQuery::parse("sort=downloads&limit=5000&expand%5B%5D=likes&expand[]=downloads&expand=likes&expand[]=siblings&direction=-1").unwrap();
        assert_eq!(q.sort, SortKey::Downloads);
        assert_eq!(q.limit, 1000);
        assert_eq!(q.expand, Some(vec!["likes", "downloads"]));
        let d = ModelsQuery::parse("").unwrap();
        assert_eq!((d.limit, d.expand, d.cursor), (1000, None, None));
    }

    #[test]
    fn refuses_bad_values() {
        assert!(
            matches!(ModelsQuery::parse("expand[]=bogus"), Err(SimError::UnknownExpand { found }) if found == "bogus")
        );
        assert!(matches!(
            ModelsQuery::parse("sort=name"),
            Err(SimError::InvalidParam { param: "sort", .. })
        ));
        assert!(matches!(
            ModelsQuery::parse("limit=0"),
            Err(SimError::InvalidParam { param: "limit", .. })
        ));
        assert!(matches!(
            ModelsQuery::parse("limit=ten"),
            Err(SimError::InvalidParam { .. })
        ));
        assert!(matches!(
            ModelsQuery::parse("direction=1"),
            Err(SimError::InvalidParam {
                param: "direction",
                ..
            })
        ));
        let likes_cursor = Cursor {
            sort: SortKey::Likes.slot() as u8,
            key: 1,
            index: 1,
        }
        .encode();
        assert!(matches!(
            ModelsQuery::parse(&format!("sort=downloads&cursor={likes_cursor}")),
            Err(SimError::BadCursor { .. })
        ));
        assert!(
            ModelsQuery::parse(&format!("sort=likes&cursor={likes_cursor}"))
                .unwrap()
                .cursor
                .is_some()
        );
    }

    #[test]
    fn trending_query_and_cursor_stripping() {
        assert_eq!(parse_trending("type=model&limit=500").unwrap(), Some(100));
        assert_eq!(parse_trending("").unwrap(), Some(10));
        assert_eq!(parse_trending("type=dataset").unwrap(), None);
        assert!(parse_trending("type=banana").is_err());
        assert_eq!(
            without_cursor("sort=likes&cursor=abc&limit=3"),
            "sort=likes&limit=3"
        );
    }
}
