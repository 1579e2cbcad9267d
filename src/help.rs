//! Help text built from the stages' registries, so `--help` lists every mart and chart there is.

/// `transform --help`: every mart, in build order, with its one-line doc.
pub fn marts() -> String {
    let mut text = String::from(
        "Examples:\n  hubtrends transform\n  hubtrends transform --pipeline text-generation\n\nMarts (lake/marts/<name>.parquet):\n",
    );
    for mart in hubtrends_transform::MARTS {
        text.push_str(&format!("  {:<16}{}\n", mart.name(), mart.doc()));
    }
    text
}

/// `report --help`: every chart, in page order, with the mart it reads.
pub fn charts() -> String {
    let mut text = String::from(
        "Examples:\n  hubtrends report                 the last complete ISO week\n  hubtrends report --week 2026-W47\n\nCharts (charts/<name>.png|svg, tables/<name>.csv|md):\n",
    );
    for chart in hubtrends_report::CHARTS {
        text.push_str(&format!(
            "  {:<22}{} (from {})\n",
            chart.name(),
            chart.doc(),
            chart.mart()
        ));
    }
    text
}
