//! A whole response body as the snapshot reads it: a models page (array of items) or a trending
//! page (`{"recentlyTrending": [...]}`), arbitrary bytes included (non-UTF-8, deep nesting).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Value::Array(items) = &body {
        for item in items {
            let _ = hubtrends_ingest::map_model(item);
        }
    }
    if let Some(Value::Array(entries)) = body.get("recentlyTrending") {
        for (i, entry) in entries.iter().enumerate() {
            let _ = hubtrends_ingest::map_trending(entry, i32::try_from(i + 1).unwrap_or(i32::MAX));
        }
    }
});
