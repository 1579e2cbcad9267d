//! The stage: read the marts once, describe every chart, render them in parallel, write the
//! report under `.staging/`, then move it into `reports/<week>/` and swap `reports/latest`.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::charts::{CHARTS, source_line};
use crate::columns::{LATEST, REPORTS_DIR, STAGING_DIR};
use crate::config::{ReportConfig, ReportSummary};
use crate::data::ReportData;
use crate::error::ReportError;
use crate::figure::Figure;
use crate::theme::{FONT_FILES, register_fonts};
use crate::{csv, html, markdown, methods, render};

const INDEX: &str = "index.html";
const METHODS: &str = "methods.md";
/// Prefix of a run's staged report directory under `.staging/`.
const STAGED_PREFIX: &str = "report-";

/// Builds the report for `config.week` (default: the last complete week) and returns where it is.
pub fn build(config: &ReportConfig) -> Result<ReportSummary, ReportError> {
    let started = Instant::now();
    register_fonts()?;
    let data = ReportData::load(config)?;
    let figures: Vec<Figure> = CHARTS.iter().map(|c| c.figure(&data)).collect();
    let source = source_line(&data);
    let images = render_all(&figures, &source)?;

    let staging_root = config.lake.join(STAGING_DIR);
    fs::create_dir_all(&staging_root).map_err(|e| ReportError::io("create", &staging_root, e))?;
    // Removed on drop, so a failed run leaves nothing behind.
    let staging = tempfile::Builder::new()
        .prefix(STAGED_PREFIX)
        .tempdir_in(&staging_root)
        .map_err(|e| ReportError::io("create", &staging_root, e))?;
    let dir = staging.path();
    let mut files: Vec<String> = Vec::new();
    let mut put = |rel: String, bytes: &[u8]| -> Result<(), ReportError> {
        write_synced(&dir.join(&rel), bytes)?;
        files.push(rel);
        Ok(())
    };
    for (chart, (png, svg)) in CHARTS.iter().zip(&images) {
        put(format!("charts/{}.png", chart.name()), png)?;
        put(format!("charts/{}.svg", chart.name()), svg.as_bytes())?;
    }
    for (chart, fig) in CHARTS.iter().zip(&figures) {
        let rel = format!("tables/{}.csv", chart.name());
        let bytes = csv::to_bytes(&fig.table, Path::new(&rel))?;
        put(rel, &bytes)?;
        put(
            format!("tables/{}.md", chart.name()),
            markdown::render(&fig.title, &fig.table).as_bytes(),
        )?;
    }
    put(METHODS.to_string(), methods::markdown(&data).as_bytes())?;
    for (name, bytes) in FONT_FILES {
        put(format!("fonts/{name}"), bytes)?;
    }
    let entries: Vec<html::Entry<'_>> = CHARTS
        .iter()
        .zip(&figures)
        .map(|(c, f)| html::Entry {
            name: c.name(),
            doc: c.doc(),
            figure: f,
            source: &source,
        })
        .collect();
    let page = html::page(&data, &entries, &files);
    write_synced(&dir.join(INDEX), page.as_bytes())?;
    for sub in ["charts", "tables", "fonts", ""] {
        sync_dir(&dir.join(sub))?;
    }

    let week = data.week.to_string();
    let reports = config.lake.join(REPORTS_DIR);
    fs::create_dir_all(&reports).map_err(|e| ReportError::io("create", &reports, e))?;
    let dest = reports.join(&week);
    let staged = staging.keep();
    if let Err(e) = publish(&staged, &dest) {
        let _ = fs::remove_dir_all(&staged);
        return Err(e);
    }
    swap_latest(&reports, &week, &staged)?;
    sync_dir(&reports)?;
    tracing::debug!(
        week = %week,
        dir = %dest.display(),
        charts = CHARTS.len(),
        millis = started.elapsed().as_millis() as u64,
        "report written"
    );
    Ok(ReportSummary {
        week,
        index_html: dest.join(INDEX),
        dir: dest,
        charts: CHARTS.len(),
        tables: figures.len(),
        partial_week: data.partial,
    })
}

/// Renders every chart as (PNG, SVG), one thread per chart (each is independent).
fn render_all(figures: &[Figure], source: &str) -> Result<Vec<(Vec<u8>, String)>, ReportError> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = CHARTS
            .iter()
            .zip(figures)
            .map(|(chart, fig)| {
                let name = chart.name();
                scope.spawn(move || -> Result<(Vec<u8>, String), ReportError> {
                    Ok((
                        render::png(fig, name, source)?,
                        render::svg(fig, name, source)?,
                    ))
                })
            })
            .collect();
        CHARTS
            .iter()
            .zip(handles)
            .map(|(chart, h)| {
                h.join().unwrap_or_else(|_| {
                    Err(ReportError::Draw {
                        chart: chart.name(),
                        format: "png",
                        message: String::from("the renderer panicked"),
                    })
                })
            })
            .collect()
    })
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| ReportError::io("create", parent, e))?;
    }
    let mut f = File::create(path).map_err(|e| ReportError::io("create", path, e))?;
    f.write_all(bytes)
        .map_err(|e| ReportError::io("write", path, e))?;
    f.sync_all().map_err(|e| ReportError::io("sync", path, e))
}

fn sync_dir(path: &Path) -> Result<(), ReportError> {
    hubtrends_atomic::sync_dir(path).map_err(atomic)
}

/// Folds a publication error into the crate's I/O error.
fn atomic(e: hubtrends_atomic::AtomicError) -> ReportError {
    let (action, path, source) = e.into_parts();
    ReportError::io(action, path, source)
}

/// Moves `staged` to `dest` in one step, replacing an old report of the week (exchanged out,
/// then removed; see `hubtrends_atomic::publish_dir`). First removes what interrupted runs
/// left in `.staging/` (under the lake lock) and restores a report an interrupted fallback swap
/// set aside.
fn publish(staged: &Path, dest: &Path) -> Result<(), ReportError> {
    let mut aside = staged.as_os_str().to_owned();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    if let Some(staging_root) = staged.parent() {
        hubtrends_atomic::clean_staging(staging_root, STAGED_PREFIX, dest, &[staged])
            .map_err(atomic)?;
    }
    hubtrends_atomic::publish_dir(staged, dest, &aside, hubtrends_atomic::Existing::Replace)
        .map_err(atomic)
}

/// Points `reports/latest` at `week` atomically: a new symlink under a unique name, renamed
/// over the old one (without symlinks, `latest` is a file holding the week's directory name).
fn swap_latest(reports: &Path, week: &str, staged: &Path) -> Result<(), ReportError> {
    let unique = staged
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{LATEST}-");
    let tmp = reports.join(format!("{prefix}{unique}"));
    // Temporary links of runs killed before their rename (under the lake lock, none is live).
    hubtrends_atomic::clean_staging(reports, &prefix, &reports.join(LATEST), &[])
        .map_err(atomic)?;
    hubtrends_atomic::swap_symlink(&reports.join(LATEST), week, &tmp).map_err(atomic)
}
