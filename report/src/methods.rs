//! The methods note: what is measured, coverage, known biases, versions. Written as Markdown
//! (`methods.md`) and shown on the page.

use crate::data::ReportData;
use crate::format::percent;

/// A section of the note: a heading and paragraphs or bullet points.
pub(crate) struct Section {
    pub heading: &'static str,
    pub items: Vec<String>,
}

/// The note's sections for this report.
pub(crate) fn sections(data: &ReportData) -> Vec<Section> {
    let (cov_dl, cov_tr) = data.coverage();
    let registry = data
        .registry_version
        .as_deref()
        .unwrap_or("unknown (no marts manifest)");
    let filter = if data.filter.is_empty() {
        String::from("none: every model listed")
    } else {
        data.filter
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut this = vec![
        format!(
            "Week reported: {} ({} to {}).",
            data.week,
            data.week.monday(),
            data.week.sunday()
        ),
        format!("Snapshots used: {} to {}.", data.first_date, data.last_date),
        format!(
            "Weeks in the marts: {} to {} ({} weeks); charts over time show the last {} up to the reported week.",
            data.available
                .first()
                .map_or_else(String::new, ToString::to_string),
            data.available
                .last()
                .map_or_else(String::new, ToString::to_string),
            data.available.len(),
            data.window.len()
        ),
        format!("Organisation registry version: {registry}."),
        format!("Snapshot filter: {filter}."),
        format!(
            "Produced by hubtrends v{} from the marts written by `hubtrends transform`.",
            data.tool_version
        ),
    ];
    if data.partial {
        this.push(format!(
            "{} is not complete yet (fewer than 7 daily snapshots); its figures will change.",
            data.week
        ));
    }
    vec![
        Section {
            heading: "What is measured",
            items: vec![
                String::from(
                    "Daily snapshots of the Hugging Face Hub's public model listing and trending list, taken through the Hub API.",
                ),
                String::from(
                    "30-day downloads: the Hub's rolling 30-day download count of each model on the snapshot day. An organisation's weekly figure is the mean over the week's daily snapshots; shares are fractions of the whole listing.",
                ),
                String::from(
                    "Trending entries: appearances of an organisation's models in the day's trending list, summed over the week's snapshots.",
                ),
                String::from(
                    "Attribution: each model's namespace is looked up in the organisation registry (organisation, country, kind). A namespace absent from the registry, and a registered individual or organisation that publishes no location, has no country: it is shown as \"No known country\", never guessed.",
                ),
                String::from(
                    "Lineage credit: a model's base-model tags are followed to the root model; its downloads are credited to the uploader (direct) and to the root model's organisation (lineage). A merge splits its credit evenly between its parents.",
                ),
                String::from(
                    "Concentration: the top-5 share and the Herfindahl-Hirschman index (sum of squared shares, 0 to 1) of downloads and of trending entries, by organisation and by country.",
                ),
                String::from(
                    "Ranks are by 30-day downloads; movers compare the reported week's rank with the week before. A new entrant is in the top 20 for the first time in the snapshots.",
                ),
            ],
        },
        Section {
            heading: "Coverage",
            items: vec![format!(
                "In {}, models whose namespace has a known country account for {} of 30-day downloads and {} of trending entries. Every country figure shows the rest as \"No known country\" instead of dropping it.",
                data.week,
                percent(cov_dl, 1),
                percent(cov_tr, 1)
            )],
        },
        Section {
            heading: "Known biases",
            items: vec![
                String::from(
                    "Downloads count file fetches, not people or deployments: one user pulling a model repeatedly, or a library fetching several files, counts many times.",
                ),
                String::from(
                    "Quantised copies and re-uploads (GGUF, AWQ, MLX and similar conversions) spread one model's downloads over many namespaces; lineage credit returns part of it to the original organisation.",
                ),
                String::from(
                    "Automated traffic (CI pipelines, test suites, mirrors) inflates the downloads of small models used in tests.",
                ),
                String::from(
                    "Trending is the Hub's own ranking; its formula is not published and may change without notice.",
                ),
                String::from(
                    "Only public models are visible; attribution coverage depends on the registry version, so shares by country can shift when the registry grows.",
                ),
            ],
        },
        Section {
            heading: "This report",
            items: this,
        },
    ]
}

/// The note as Markdown.
pub(crate) fn markdown(data: &ReportData) -> String {
    let mut out = format!("# Methods: hubtrends weekly report {}\n", data.week);
    for s in sections(data) {
        out.push_str(&format!("\n## {}\n\n", s.heading));
        for item in s.items {
            out.push_str(&format!("- {item}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::sample;

    #[test]
    fn states_coverage_biases_and_registry_version() {
        let md = markdown(&sample());
        assert!(md.contains("85.0% of 30-day downloads"), "{md}");
        assert!(
            md.contains("file fetches") && md.contains("Quantised") && md.contains("CI pipelines")
        );
        assert!(md.contains("registry version: 2026.11.1"), "{md}");
    }
}
