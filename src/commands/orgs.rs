//! `orgs list|unattributed|coverage`: the registry and how much of the lake it explains.

use anyhow::Context as _;

use crate::cli::GlobalArgs;
use crate::settings::{self, DEFAULT_LAKE};

/// Prints the registry (built-in plus overlay) as CSV on standard output.
pub fn list(global: &GlobalArgs) -> anyhow::Result<()> {
    let registry = settings::registry(global)?;
    println!("namespace,org,parent,country,kind,evidence");
    for row in registry.records() {
        println!(
            "{},{},{},{},{},{}",
            csv_field(&row.namespace),
            csv_field(&row.org),
            csv_field(row.parent.as_deref().unwrap_or("")),
            csv_field(row.country.as_deref().unwrap_or("")),
            row.kind.as_str(),
            csv_field(&row.evidence)
        );
    }
    Ok(())
}

/// Lists the latest snapshot's namespaces that have no registry row, biggest first.
pub fn unattributed(global: &GlobalArgs, top: usize) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_LAKE);
    let registry = settings::registry(global)?;
    let rows = hubtrends_transform::unattributed(&lake, &registry, top)
        .with_context(|| format!("reading the latest snapshot in {}", lake.display()))?;
    println!("namespace,models,downloads_30d,downloads_30d_share,trending_entries,trending_share");
    for row in rows {
        println!(
            "{},{},{},{:.6},{},{:.6}",
            csv_field(&row.namespace),
            row.models,
            row.downloads_30d,
            row.downloads_share,
            row.trending_entries,
            row.trending_share
        );
    }
    Ok(())
}

/// Prints the attributed shares of the latest snapshot.
pub fn coverage(global: &GlobalArgs) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_LAKE);
    let registry = settings::registry(global)?;
    let coverage = hubtrends_transform::coverage(&lake, &registry)
        .with_context(|| format!("reading the latest snapshot in {}", lake.display()))?;
    println!("snapshot_date,models_share,downloads_30d_share,trending_share");
    println!(
        "{},{:.6},{:.6},{:.6}",
        coverage.date, coverage.models_share, coverage.downloads_30d_share, coverage.trending_share
    );
    Ok(())
}

/// Quotes a CSV field when it needs it.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}
