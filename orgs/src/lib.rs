//! The organisation registry: which organisation, country and kind stand behind a Hugging Face
//! Hub namespace.
//!
//! The curated registry `data/orgs.csv` is compiled into the crate ([`BUILTIN_CSV`]), so the
//! binary works from any directory; a user file can add or override rows at run time
//! ([`Registry::load_overlay`]). Namespaces are matched case-insensitively, as the Hub does.
//!
//! - [`Registry`]: parse, validate, overlay, look up, version.
//! - [`OrgRecord`]: one row (namespace, org, parent, country, kind, evidence).
//! - [`Kind`], [`Region`], [`region_of`]: the closed vocabularies.
//! - [`Coverage`], [`Gap`]: how much of a weighted list of namespaces the registry attributes,
//!   and what it misses.
//! - [`OrgsError`]: every failure names the file, line and column.
#![deny(missing_docs)]

mod builtin;
mod columns;
mod countries;
mod coverage;
mod error;
mod kind;
mod parse;
mod record;
mod registry;

pub use columns::{
    COL_COUNTRY, COL_EVIDENCE, COL_KIND, COL_NAMESPACE, COL_ORG, COL_PARENT, COLUMNS,
};
pub use countries::{ISO_3166_ALPHA2, is_country_code};
pub use coverage::{Coverage, Gap};
pub use error::OrgsError;
pub use kind::{EU_MEMBER_STATES, Kind, Region, UnknownKind, region_of};
pub use record::OrgRecord;
pub use registry::Registry;

/// The shipped registry, `data/orgs.csv`, compiled in so `hubtrends` works from any directory.
pub const BUILTIN_CSV: &str = include_str!("../../data/orgs.csv");

/// Name used for the compiled-in registry in error messages and logs.
pub const BUILTIN_SOURCE: &str = "data/orgs.csv (built in)";
