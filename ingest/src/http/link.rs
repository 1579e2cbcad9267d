//! The `Link` response header (RFC 8288): where the next page is.

use url::Url;

/// The `rel="next"` target of a `Link` header, resolved against the request URL.
pub(crate) fn next_link(header: &str, base: &Url) -> Option<Url> {
    let mut rest = header;
    loop {
        let start = rest.find('<')?;
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        rest = &rest[end + 1..];
        // Parameters run to the next comma outside quotes.
        let mut in_quotes = false;
        let mut cut = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                ',' if !in_quotes => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        let params = &rest[..cut];
        rest = &rest[cut..];
        if is_next(params) {
            return base.join(target.trim()).ok();
        }
    }
}

/// Whether `; rel="next"` (or a rel list containing `next`) is among the parameters.
fn is_next(params: &str) -> bool {
    params.split(';').any(|p| {
        let Some((k, v)) = p.split_once('=') else {
            return false;
        };
        k.trim().eq_ignore_ascii_case("rel")
            && v.trim()
                .trim_matches('"')
                .split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("next"))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://huggingface.co/api/models?sort=downloads").unwrap()
    }

    #[test]
    fn finds_the_hub_next_link() {
        let h = r#"<https://huggingface.co/api/models?sort=downloads&limit=1000&expand%5B%5D=likes&cursor=eyJ2IjoxfQ%3D%3D>; rel="next""#;
        let next = next_link(h, &base()).unwrap();
        assert_eq!(next.host_str(), Some("huggingface.co"));
        assert!(next.query().unwrap().ends_with("cursor=eyJ2IjoxfQ%3D%3D"));
    }

    #[test]
    fn picks_next_among_several_and_resolves_relative() {
        let h = r#"</api/models?cursor=p>; rel="prev", </api/models?cursor=n>; rel="next""#;
        let next = next_link(h, &base()).unwrap();
        assert_eq!(next.as_str(), "https://huggingface.co/api/models?cursor=n");
        let h = r#"<x?a=1,2>; title="a, b"; rel=next"#;
        assert_eq!(
            next_link(h, &base()).unwrap().as_str(),
            "https://huggingface.co/api/x?a=1,2"
        );
        let h = r#"<y>; rel="last next""#;
        assert!(next_link(h, &base()).is_some());
    }

    #[test]
    fn no_next_means_none() {
        assert!(next_link(r#"<a>; rel="prev""#, &base()).is_none());
        assert!(next_link("", &base()).is_none());
        assert!(next_link("garbage <unclosed", &base()).is_none());
        assert!(next_link(r#"<a>; rel="nextish""#, &base()).is_none());
    }
}
