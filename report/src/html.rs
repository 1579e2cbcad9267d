//! The report's one self-contained page: inline CSS, relative links only, every text from the
//! data escaped.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::data::ReportData;
use crate::figure::Figure;
use crate::methods;
use crate::render::{HEIGHT, WIDTH};
use crate::table::Table;
use crate::theme::{FONT_BOLD_FILE, FONT_FAMILY, FONT_REGULAR_FILE};

/// One chart as the page shows it.
pub(crate) struct Entry<'a> {
    pub name: &'static str,
    pub doc: &'static str,
    pub figure: &'a Figure,
    pub source: &'a str,
}

const CSS: &str = "\
body{margin:0;background:#fff;color:#1a1a1a;font-family:'F',Verdana,sans-serif;line-height:1.45}\
main,header,footer{max-width:1240px;margin:0 auto;padding:0 20px}\
header{padding-top:28px}h1{font-size:30px;margin:0 0 6px}h2{font-size:22px;margin:0 0 4px}\
h3{font-size:17px;margin:18px 0 6px}.dek,.sub{color:#595959;margin:0 0 10px}\
.warn{background:#fff4d6;border-left:4px solid #e69f00;padding:8px 12px}\
nav ol{columns:2;padding-left:20px;margin:10px 0 0}section{border-top:1px solid #e3e3e3;padding:26px 0}\
figure{margin:10px 0}img{display:block;max-width:100%;height:auto;border:1px solid #eee}\
.small{font-size:13px;color:#595959;margin:4px 0}.links a{margin-right:12px}\
details{margin-top:8px}summary{cursor:pointer;color:#0072b2}.tw{overflow-x:auto;max-height:480px}\
table{border-collapse:collapse;font-size:13px;margin-top:6px}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}\
th{position:sticky;top:0;background:#fafafa}td.n{text-align:right;font-variant-numeric:tabular-nums}\
a{color:#0072b2}footer{color:#595959;font-size:13px;padding-bottom:30px}";

fn table_html(table: &Table) -> String {
    let mut out = String::from("<table><thead><tr>");
    for c in &table.columns {
        out.push_str(&format!("<th scope=\"col\">{}</th>", text(c)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for c in row {
            let class = if c.numeric() { " class=\"n\"" } else { "" };
            out.push_str(&format!("<td{class}>{}</td>", text(&c.human())));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>");
    out
}

/// The page. `files` are every file of the report (relative paths) for the download list.
pub(crate) fn page(data: &ReportData, entries: &[Entry<'_>], files: &[String]) -> String {
    let week = data.week.to_string();
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>Hugging Face Hub trends, {}</title>\n",
        text(&week)
    ));
    out.push_str(&format!(
        "<style>@font-face{{font-family:'F';src:url('fonts/{FONT_REGULAR_FILE}') format('truetype');font-weight:normal}}\
         @font-face{{font-family:'F';src:url('fonts/{FONT_BOLD_FILE}') format('truetype');font-weight:bold}}{CSS}</style>\n"
    ));
    out.push_str("</head>\n<body>\n<header>\n");
    out.push_str(&format!(
        "<h1>Hugging Face Hub trends, {}</h1>\n",
        text(&week)
    ));
    out.push_str(&format!(
        "<p class=\"dek\">Which organisations and countries lead downloads and trending on the Hugging Face Hub: \
         week {} ({} to {}), from daily snapshots {} to {}.</p>\n",
        text(&week),
        data.week.monday(),
        data.week.sunday(),
        data.first_date,
        data.last_date
    ));
    if data.partial {
        out.push_str(&format!(
            "<p class=\"warn\">{} is not complete yet: it has fewer than 7 daily snapshots, and no earlier week is complete. Figures will change.</p>\n",
            text(&week)
        ));
    }
    out.push_str("<nav aria-label=\"Charts\"><ol>\n");
    for e in entries {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            attr(e.name),
            text(&e.figure.title)
        ));
    }
    out.push_str("<li><a href=\"#methods\">Methods</a></li>\n<li><a href=\"#files\">All files</a></li>\n</ol></nav>\n</header>\n<main>\n");
    for e in entries {
        let f = e.figure;
        out.push_str(&format!("<section id=\"{}\">\n", attr(e.name)));
        out.push_str(&format!(
            "<h2>{}</h2>\n<p class=\"sub\">{}</p>\n",
            text(&f.title),
            text(&f.subtitle)
        ));
        out.push_str(&format!(
            "<figure><img src=\"charts/{n}.png\" width=\"{WIDTH}\" height=\"{HEIGHT}\" alt=\"{}\"></figure>\n",
            attr(&f.alt),
            n = attr(e.name)
        ));
        for note in &f.notes {
            out.push_str(&format!("<p class=\"small\">{}</p>\n", text(note)));
        }
        out.push_str(&format!("<p class=\"small\">{}</p>\n", text(e.source)));
        out.push_str(&format!(
            "<p class=\"small\">About this chart: {}.</p>\n",
            text(e.doc)
        ));
        let n = attr(e.name);
        out.push_str(&format!(
            "<p class=\"links small\">Download: <a href=\"charts/{n}.png\">PNG</a><a href=\"charts/{n}.svg\">SVG</a>\
             <a href=\"tables/{n}.csv\">CSV</a><a href=\"tables/{n}.md\">Markdown</a></p>\n"
        ));
        out.push_str(&format!(
            "<details><summary>Data table ({} rows)</summary><div class=\"tw\">{}</div></details>\n</section>\n",
            f.table.rows.len(),
            table_html(&f.table)
        ));
    }
    out.push_str("<section id=\"methods\">\n<h2>Methods</h2>\n");
    for s in methods::sections(data) {
        out.push_str(&format!("<h3>{}</h3>\n<ul>\n", text(s.heading)));
        for item in &s.items {
            out.push_str(&format!("<li>{}</li>\n", text(item)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n<section id=\"files\">\n<h2>All files</h2>\n<ul>\n");
    for f in files {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>\n",
            attr(f),
            text(f)
        ));
    }
    out.push_str(&format!(
        "</ul>\n<p class=\"small\">Charts use the {} font, shipped in <code>fonts/</code> with its licence.</p>\n</section>\n</main>\n",
        text(FONT_FAMILY)
    ));
    out.push_str(&format!(
        "<footer><p>hubtrends v{}. Source: Hugging Face Hub API.</p></footer>\n</body>\n</html>\n",
        text(&data.tool_version)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::CHARTS;
    use crate::data::sample;

    #[test]
    fn escapes_names_from_the_data() {
        let mut data = sample();
        for r in data.org_weeks.iter_mut().filter(|r| r.org == "org-00") {
            r.org = String::from("<script>alert(1)</script>");
        }
        let figures: Vec<Figure> = CHARTS.iter().map(|c| c.figure(&data)).collect();
        let entries: Vec<Entry<'_>> = CHARTS
            .iter()
            .zip(&figures)
            .map(|(c, f)| Entry {
                name: c.name(),
                doc: c.doc(),
                figure: f,
                source: "Source: x",
            })
            .collect();
        let html = page(&data, &entries, &[String::from("charts/a\".png")]);
        assert!(!html.contains("<script>"), "unescaped script tag");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("href=\"charts/a&quot;.png\""));
        assert!(!html.contains("http://") && !html.contains("https://"));
    }
}
