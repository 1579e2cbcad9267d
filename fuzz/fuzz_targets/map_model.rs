//! Any JSON value through the record mapper: maps or quarantines, never panics, and an accepted
//! record keeps the invariants the writer relies on.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(r) = hubtrends_ingest::map_model(&value) {
        assert!(!r.id.is_empty() && !r.id.contains("..") && r.id.matches('/').count() <= 1);
        assert!(
            r.id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
        );
        assert!(r.downloads_30d >= 0 && r.likes >= 0);
    }
    let _ = hubtrends_ingest::map_trending(&value, 1);
});
