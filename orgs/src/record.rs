//! One row of the registry.

use crate::kind::{Kind, Region, region_of};

/// One registry row: who publishes under a Hub namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgRecord {
    /// The Hub namespace as written in the file (matched case-insensitively).
    pub namespace: String,
    /// The organisation's name; alias namespaces of one organisation share it.
    pub org: String,
    /// The `org` value of the parent organisation (`Qwen` -> `Alibaba`), if any.
    pub parent: Option<String>,
    /// ISO 3166-1 alpha-2 country code (upper case); `None` when not public.
    pub country: Option<String>,
    /// What sort of publisher this is.
    pub kind: Kind,
    /// Where the facts come from (the organisation's site, a company register, a paper).
    pub evidence: String,
}

impl OrgRecord {
    /// The region of the record's country; `None` when the country is not known.
    pub fn region(&self) -> Option<Region> {
        self.country.as_deref().map(region_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(country: Option<&str>) -> OrgRecord {
        OrgRecord {
            namespace: "Qwen".into(),
            org: "Qwen".into(),
            parent: Some("Alibaba".into()),
            country: country.map(str::to_owned),
            kind: Kind::Company,
            evidence: "hf.co/Qwen".into(),
        }
    }

    #[test]
    fn region_comes_from_the_country_and_is_none_without_one() {
        assert_eq!(record(Some("CN")).region(), Some(Region::China));
        assert_eq!(record(Some("DE")).region(), Some(Region::Eu));
        assert_eq!(record(None).region(), None);
    }
}
