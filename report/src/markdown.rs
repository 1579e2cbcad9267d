//! Tables as Markdown (GitHub pipe tables), for people.

use crate::table::Table;

/// Escapes what would break a pipe-table cell or be read as markup.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

/// The table as Markdown with a `# title` heading.
pub(crate) fn render(title: &str, table: &Table) -> String {
    let mut out = format!("# {}\n\n", cell(title));
    out.push_str(&format!("| {} |\n", table.columns.join(" | ")));
    let numeric: Vec<bool> = (0..table.columns.len())
        .map(|i| {
            table
                .rows
                .first()
                .and_then(|r| r.get(i))
                .is_some_and(|c| c.numeric())
        })
        .collect();
    let rule: Vec<&str> = numeric
        .iter()
        .map(|n| if *n { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(&c.human())).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Cell;

    #[test]
    fn escapes_pipes_and_markup() {
        let t = Table {
            columns: vec!["org", "share"],
            rows: vec![vec![Cell::Text("a|b <script>".into()), Cell::Share(0.5)]],
        };
        let md = render("Top", &t);
        assert!(md.contains("| org | share |\n| --- | ---: |\n"), "{md}");
        assert!(md.contains("a\\|b \\<script\\>"), "{md}");
        assert!(md.contains("50.0%"), "{md}");
    }
}
