//! A tiny lake in snapshot schema v1, built with Polars, with valid manifests.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hubtrends_orgs::Registry;
use polars::prelude::*;
use sha2::{Digest, Sha256};

/// The test registry: Meta has two namespaces, Anon Lab is registered without a country.
pub const REGISTRY_CSV: &str = "namespace,org,parent,country,kind,evidence\n\
    anon-lab,Anon Lab,,,community,https://example.org\n\
    facebook,Meta,,US,company,https://ai.meta.com\n\
    meta-llama,Meta,,US,company,https://ai.meta.com\n\
    qwen,Qwen,,CN,company,https://qwen.ai\n";

pub fn registry() -> Registry {
    Registry::from_csv(REGISTRY_CSV, "test registry").unwrap()
}

/// One model of a snapshot.
#[derive(Clone)]
pub struct M {
    pub id: &'static str,
    pub downloads_30d: i64,
    pub all_time: Option<i64>,
    pub likes: i64,
    pub created: Option<&'static str>,
    pub pipeline: Option<&'static str>,
    pub library: Option<&'static str>,
    pub bases: Vec<(&'static str, &'static str)>,
}

/// A model with the given id, downloads_30d and downloads_all_time; text-generation,
/// transformers, created long ago, no parents.
pub fn m(id: &'static str, downloads_30d: i64, all_time: Option<i64>) -> M {
    M {
        id,
        downloads_30d,
        all_time,
        likes: 1,
        created: Some("2025-01-01"),
        pipeline: Some("text-generation"),
        library: Some("transformers"),
        bases: vec![],
    }
}

impl M {
    pub fn base(mut self, relation: &'static str, id: &'static str) -> M {
        self.bases.push((relation, id));
        self
    }
    pub fn created(mut self, date: &'static str) -> M {
        self.created = Some(date);
        self
    }
    pub fn pipeline(mut self, p: &'static str) -> M {
        self.pipeline = Some(p);
        self
    }
    pub fn likes(mut self, n: i64) -> M {
        self.likes = n;
        self
    }
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32
}

fn author(id: &str) -> &str {
    id.split('/').next().unwrap()
}

fn date_col(name: &str, d: NaiveDate, n: usize) -> Column {
    Column::new(name.into(), vec![days(d); n])
        .cast(&DataType::Date)
        .unwrap()
}

fn ts_col(name: &str, values: Vec<Option<i64>>) -> Column {
    Column::new(name.into(), values)
        .cast(&DataType::Datetime(
            TimeUnit::Milliseconds,
            Some(TimeZone::UTC),
        ))
        .unwrap()
}

fn base_models(models: &[M]) -> Column {
    let lists: Vec<Series> = models
        .iter()
        .map(|m| {
            let rel: Vec<&str> = m.bases.iter().map(|b| b.0).collect();
            let ids: Vec<&str> = m.bases.iter().map(|b| b.1).collect();
            let fields = [
                Series::new("relation".into(), rel),
                Series::new("id".into(), ids),
            ];
            StructChunked::from_series("base_models".into(), m.bases.len(), fields.iter())
                .unwrap()
                .into_series()
        })
        .collect();
    Column::from(Series::new("base_models".into(), lists))
}

fn models_frame(d: NaiveDate, models: &[M]) -> DataFrame {
    let mut models = models.to_vec();
    models.sort_by(|a, b| a.id.cmp(b.id));
    let n = models.len();
    let created: Vec<Option<i64>> = models
        .iter()
        .map(|m| {
            m.created
                .map(|c| i64::from(days(date(c))) * 86_400_000 + 3_600_000)
        })
        .collect();
    let tags: Vec<Series> = models
        .iter()
        .map(|_| Series::new("tags".into(), ["x"]))
        .collect();
    DataFrame::new_infer_height(vec![
        date_col("snapshot_date", d, n),
        Column::new("id".into(), models.iter().map(|m| m.id).collect::<Vec<_>>()),
        Column::new(
            "author".into(),
            models.iter().map(|m| author(m.id)).collect::<Vec<_>>(),
        ),
        Column::new(
            "downloads_30d".into(),
            models.iter().map(|m| m.downloads_30d).collect::<Vec<_>>(),
        ),
        Column::new(
            "downloads_all_time".into(),
            models.iter().map(|m| m.all_time).collect::<Vec<_>>(),
        ),
        Column::new(
            "likes".into(),
            models.iter().map(|m| m.likes).collect::<Vec<_>>(),
        ),
        Column::new("trending_score".into(), vec![None::<i64>; n]),
        ts_col("created_at", created.clone()),
        ts_col("last_modified", created),
        Column::new(
            "pipeline_tag".into(),
            models.iter().map(|m| m.pipeline).collect::<Vec<_>>(),
        ),
        Column::new(
            "library_name".into(),
            models.iter().map(|m| m.library).collect::<Vec<_>>(),
        ),
        Column::new("license".into(), vec![Some("mit"); n]),
        Column::new("gated".into(), vec![Some("false"); n]),
        Column::new("num_parameters".into(), vec![Some(7_000_000_000i64); n]),
        base_models(&models),
        Column::from(Series::new("tags".into(), tags))
            .cast(&DataType::List(Box::new(DataType::String)))
            .unwrap(),
    ])
    .unwrap()
}

fn trending_frame(d: NaiveDate, trending: &[&str]) -> DataFrame {
    let n = trending.len();
    DataFrame::new_infer_height(vec![
        date_col("snapshot_date", d, n),
        Column::new("rank".into(), (1..=n as i32).collect::<Vec<_>>()),
        Column::new("id".into(), trending.to_vec()),
        Column::new(
            "author".into(),
            trending.iter().map(|id| author(id)).collect::<Vec<_>>(),
        ),
        Column::new("trending_score".into(), vec![None::<i64>; n]),
        Column::new("likes".into(), vec![1i64; n]),
        Column::new("downloads_30d".into(), vec![1i64; n]),
    ])
    .unwrap()
}

pub fn sha256(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// Writes `snapshots/date=D/` with models, trending (model ids, rank order) and a manifest.
pub fn write_day(lake: &Path, day: &str, models: &[M], trending: &[&str]) -> PathBuf {
    let d = date(day);
    let dir = lake.join("snapshots").join(format!("date={day}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut mf = models_frame(d, models);
    ParquetWriter::new(File::create(dir.join("models.parquet")).unwrap())
        .finish(&mut mf)
        .unwrap();
    let mut tf = trending_frame(d, trending);
    ParquetWriter::new(File::create(dir.join("trending.parquet")).unwrap())
        .finish(&mut tf)
        .unwrap();
    let manifest = serde_json::json!({
        "schema_version": 1, "tool_version": "0.1.0", "snapshot_date": day,
        "endpoint": "http://127.0.0.1:1", "scope": "full", "top": null, "queries": [],
        "started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:00:01Z",
        "files": {
            "models.parquet": {"rows": mf.height(), "bytes": 1, "sha256": sha256(&dir.join("models.parquet"))},
            "trending.parquet": {"rows": tf.height(), "bytes": 1, "sha256": sha256(&dir.join("trending.parquet"))}
        },
        "quarantined": 0, "requests": 0, "retries": 0, "rate_limited": 0, "warnings": []
    });
    std::fs::write(
        dir.join("_manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    dir
}

/// Reads a mart of `{lake}/marts`.
pub fn mart(lake: &Path, name: &str) -> DataFrame {
    ParquetReader::new(File::open(lake.join("marts").join(format!("{name}.parquet"))).unwrap())
        .finish()
        .unwrap()
}

/// The basic lake: five days over two ISO weeks (2026-W45: Mon, Tue, Fri; 2026-W46: Mon, Tue).
///
/// Meta (meta-llama/L1, facebook/F1, US), Qwen (qwen/Q1, CN), Anon Lab (registered, no
/// country), unregistered alice, bob and (from day 4) newco. F1's all-time count drops on day 2,
/// A1 never has one, the Tue -> Fri and Fri -> Mon steps are 3-day gaps, day 2 has no trending.
pub fn basic_days() -> Vec<(&'static str, Vec<M>, Vec<&'static str>)> {
    let l1 = |dl, at| m("meta-llama/L1", dl, Some(at)).likes(10);
    let f1 = |at| {
        m("facebook/F1", 50, Some(at))
            .pipeline("feature-extraction")
            .created("2026-11-02")
            .likes(5)
    };
    let q1 = |at| m("qwen/Q1", 200, Some(at)).likes(20);
    let a1 = || m("alice/A1", 30, None).base("finetune", "qwen/Q1");
    let b1 = |at| {
        m("bob/B1", 20, Some(at))
            .base("merge", "meta-llama/L1")
            .base("merge", "qwen/Q1")
    };
    let x1 = || m("anon-lab/X1", 0, Some(0)).base("quantized", "gone/Missing");
    let a2 = |at| {
        m("alice/A2", 5, Some(at))
            .base("finetune", "alice/A1")
            .created("2026-11-03")
    };
    let n1 = |at| m("newco/N1", 40, Some(at)).created("2026-11-09");
    vec![
        (
            "2026-11-02",
            vec![l1(100, 1000), f1(500), q1(2000), a1(), b1(100), x1()],
            vec!["qwen/Q1", "alice/A1", "meta-llama/L1"],
        ),
        (
            "2026-11-03",
            vec![l1(110, 1010), f1(490), q1(2300), a1(), b1(130), x1(), a2(5)],
            vec![],
        ),
        (
            "2026-11-06",
            vec![l1(120, 1040), f1(495), q1(2600), a1(), b1(160), x1(), a2(8)],
            vec!["meta-llama/L1", "qwen/Q1"],
        ),
        (
            "2026-11-09",
            vec![
                l1(300, 1100),
                f1(500),
                q1(2700),
                a1(),
                b1(190),
                x1(),
                a2(11),
                n1(40),
            ],
            vec!["newco/N1", "meta-llama/L1"],
        ),
        (
            "2026-11-10",
            vec![
                l1(300, 1150),
                f1(505),
                q1(2800),
                a1(),
                b1(220),
                x1(),
                a2(14),
                n1(80),
            ],
            vec!["meta-llama/L1"],
        ),
    ]
}

/// Writes the first `n` days of [`basic_days`] into `lake`.
pub fn basic_lake(lake: &Path, n: usize) {
    for (day, models, trending) in basic_days().into_iter().take(n) {
        write_day(lake, day, &models, &trending);
    }
}
