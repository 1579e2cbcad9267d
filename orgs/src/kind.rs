//! The closed vocabularies: organisation kinds and the regions countries roll up to.

use std::fmt;
use std::str::FromStr;

/// What sort of publisher a namespace is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A company (including a company's research lab).
    Company,
    /// A university or academic research group.
    Academic,
    /// A non-profit organisation or foundation.
    Nonprofit,
    /// A government body or public institution.
    Government,
    /// An open community or collective without a legal entity behind it.
    Community,
    /// One person publishing under their own account.
    Individual,
}

impl Kind {
    /// Every kind, in the order listed in `data/README.md`.
    pub const ALL: [Kind; 6] = [
        Kind::Company,
        Kind::Academic,
        Kind::Nonprofit,
        Kind::Government,
        Kind::Community,
        Kind::Individual,
    ];

    /// The lower-case spelling used in the CSV and in the marts.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Company => "company",
            Kind::Academic => "academic",
            Kind::Nonprofit => "nonprofit",
            Kind::Government => "government",
            Kind::Community => "community",
            Kind::Individual => "individual",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown kind; its message lists the accepted values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown kind `{found}` (expected one of: company, academic, nonprofit, government, community, individual)"
)]
pub struct UnknownKind {
    /// The value that was found.
    pub found: String,
}

impl FromStr for Kind {
    type Err = UnknownKind;

    /// Parses the exact lower-case spelling; anything else is an error, so typos surface.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind {
                found: s.to_owned(),
            })
    }
}

/// The four regions the country shares roll up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    /// The United States (`US`).
    Us,
    /// Mainland China and Hong Kong (`CN`, `HK`); Taiwan and Macao are `Other`.
    China,
    /// The 27 member states of the European Union ([`EU_MEMBER_STATES`]).
    Eu,
    /// Every other country, the UK included.
    Other,
}

impl Region {
    /// Every region, in report order.
    pub const ALL: [Region; 4] = [Region::Us, Region::China, Region::Eu, Region::Other];

    /// The spelling used in the marts: `us`, `china`, `eu`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::China => "china",
            Region::Eu => "eu",
            Region::Other => "other",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ISO 3166-1 alpha-2 codes of the 27 EU member states (Greece is `GR`, as in ISO, not `EL`).
pub const EU_MEMBER_STATES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The region of an ISO 3166-1 alpha-2 code (either case): `US` -> `Us`, `CN`/`HK` -> `China`,
/// an EU member state -> `Eu`, anything else (including an unknown code) -> `Other`.
pub fn region_of(country: &str) -> Region {
    let code = country.trim().to_ascii_uppercase();
    match code.as_str() {
        "US" => Region::Us,
        "CN" | "HK" => Region::China,
        c if EU_MEMBER_STATES.contains(&c) => Region::Eu,
        _ => Region::Other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kind_round_trips_through_its_spelling() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
            assert_eq!(kind.to_string(), kind.as_str());
        }
    }

    #[test]
    fn unknown_kind_is_rejected_with_the_accepted_list() {
        let err = "Company".parse::<Kind>().unwrap_err();
        assert_eq!(err.found, "Company");
        assert!(err.to_string().contains("individual"));
        assert!("lab".parse::<Kind>().is_err());
    }

    #[test]
    fn regions_follow_the_documented_rules() {
        assert_eq!(region_of("US"), Region::Us);
        assert_eq!(region_of("us"), Region::Us);
        assert_eq!(region_of("CN"), Region::China);
        assert_eq!(region_of("HK"), Region::China);
        assert_eq!(region_of("TW"), Region::Other);
        assert_eq!(region_of("MO"), Region::Other);
        assert_eq!(region_of("FR"), Region::Eu);
        assert_eq!(region_of("GR"), Region::Eu);
        assert_eq!(region_of("GB"), Region::Other);
        assert_eq!(region_of("CH"), Region::Other);
        assert_eq!(region_of("XX"), Region::Other);
        for c in EU_MEMBER_STATES {
            assert_eq!(region_of(c), Region::Eu, "{c}");
            assert!(crate::is_country_code(c), "{c}");
        }
        let names: Vec<_> = Region::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(names, ["us", "china", "eu", "other"]);
    }
}
