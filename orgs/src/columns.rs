//! Column names of the registry CSV, in file order.

/// The Hub namespace (user or organisation name), matched case-insensitively.
pub const COL_NAMESPACE: &str = "namespace";
/// The organisation the namespace belongs to; aliases of one organisation share this value.
pub const COL_ORG: &str = "org";
/// The `org` value of the parent organisation, empty when none.
pub const COL_PARENT: &str = "parent";
/// ISO 3166-1 alpha-2 country code, empty when not public.
pub const COL_COUNTRY: &str = "country";
/// One of the [`crate::Kind`] values.
pub const COL_KIND: &str = "kind";
/// A short note naming where the facts come from.
pub const COL_EVIDENCE: &str = "evidence";

/// Every column, in the order the shipped file and [`crate::Registry::to_csv`] use.
pub const COLUMNS: [&str; 6] = [
    COL_NAMESPACE,
    COL_ORG,
    COL_PARENT,
    COL_COUNTRY,
    COL_KIND,
    COL_EVIDENCE,
];
