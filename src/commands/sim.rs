//! `sim serve` and `sim lake`: the simulated Hub over HTTP, or straight into a lake.

use std::io::Write as _;

use anyhow::Context as _;
use hubtrends_hubsim::{
    FaultConfig, FaultKind, Population, RateQuota, ServerConfig, SimConfig, SimModel,
};
use hubtrends_ingest::{
    BaseModel, ModelRecord, PartitionMeta, PartitionWriter, TrendingRecord, stored_tags,
};

use super::pipeline::lock;
use crate::cli::{GlobalArgs, PopulationArgs, SimLakeArgs, SimServeArgs};
use crate::settings::{self, DEFAULT_LAKE, TOOL_VERSION, bad_input};

/// Models written per batch by `sim lake`.
const BATCH: usize = 64 * 1024;
/// The manifest's endpoint for partitions written straight from the simulator.
const SIM_LAKE_ENDPOINT: &str = "hubsim://population";
/// Entries in each simulated day's trending list, as `snapshot` fetches by default.
const TRENDING_LIMIT: usize = 100;

fn sim_config(args: &PopulationArgs) -> anyhow::Result<SimConfig> {
    Ok(SimConfig {
        seed: args.seed,
        models: args.models,
        start_date: settings::parse_date("--start", &args.start)?,
    })
}

/// Serves the simulated Hub until interrupted; the URL is the first line of standard output.
pub fn serve(args: &SimServeArgs) -> anyhow::Result<()> {
    let sim = sim_config(&args.population)?;
    let date = match &args.date {
        Some(value) => settings::parse_date("--date", value)?,
        None => sim.start_date,
    };
    if !(0.0..=1.0).contains(&args.fault_rate) {
        return Err(bad_input(format!(
            "--fault-rate {} must be between 0.0 and 1.0",
            args.fault_rate
        )));
    }
    let kinds = FaultKind::parse_list(&args.faults)
        .map_err(|err| bad_input(format!("--faults {:?}: {err}", args.faults)))?;
    let require_token = match &args.token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|err| bad_input(format!("--token-file {}: {err}", path.display())))?
                .trim()
                .to_owned(),
        ),
        None => None,
    };
    let quota = match (args.quota, args.window) {
        (Some(quota), Some(window_secs)) if quota > 0 && window_secs > 0 => {
            Some(RateQuota { quota, window_secs })
        }
        (None, None) => None,
        _ => return Err(bad_input("--quota and --window must both be positive")),
    };
    let config = ServerConfig {
        sim,
        date,
        quota,
        faults: FaultConfig {
            rate: args.fault_rate,
            kinds,
            ..FaultConfig::default()
        },
        require_token,
    };
    super::runtime()?.block_on(async {
        let server = hubtrends_hubsim::start(config, args.port)
            .await
            .with_context(|| {
                format!(
                    "binding 127.0.0.1:{} (is the port free? --port 0 picks one)",
                    args.port
                )
            })?;
        println!("{}", server.url());
        std::io::stdout()
            .flush()
            .context("writing the URL to standard output")?;
        tracing::info!(url = %server.url(), %date, "simulated Hub serving; Ctrl-C stops it");
        tokio::signal::ctrl_c()
            .await
            .context("waiting for Ctrl-C")?;
        let stats = server.stats();
        tracing::info!(
            requests = stats.requests,
            faults = stats.faults,
            rate_limited = stats.rate_limited,
            "simulated Hub stopped"
        );
        server.shutdown().await;
        anyhow::Ok(())
    })
}

/// Writes one partition per simulated day straight from the population (no HTTP).
pub fn lake(global: &GlobalArgs, args: &SimLakeArgs) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_LAKE);
    let sim = sim_config(&args.population)?;
    settings::last_simulated_day(sim.start_date, args.days)?;
    let _lock = lock(&lake, false)?;
    let population = Population::new(sim);
    for day in population.days(sim.start_date, args.days as usize) {
        let date = day.date();
        let mut writer = PartitionWriter::create(&lake, date, args.force)
            .with_context(|| format!("starting the partition for {date} in {}", lake.display()))?;
        let mut batch = Vec::with_capacity(BATCH);
        for index in 0..day.len() {
            batch.push(model_record(&day.model(index)));
            if batch.len() == BATCH {
                writer.push_models(&batch)?;
                batch.clear();
            }
        }
        writer.push_models(&batch)?;
        let trending = day
            .trending(TRENDING_LIMIT)
            .iter()
            .zip(1..)
            .map(|(model, rank)| TrendingRecord {
                rank,
                id: model.id.clone(),
                author: model.author.clone(),
                trending_score: Some(model.trending_score),
                likes: model.likes,
                downloads_30d: model.downloads_30d,
            })
            .collect();
        writer.set_trending(trending);
        let published = writer.finish(PartitionMeta {
            tool_version: TOOL_VERSION.to_owned(),
            endpoint: SIM_LAKE_ENDPOINT.to_owned(),
            scope: "full".to_owned(),
            top: None,
            queries: vec![format!(
                "hubtrends sim lake --seed {} --models {} --start {}",
                sim.seed, sim.models, sim.start_date
            )],
            started_at: chrono::Utc::now(),
            ..PartitionMeta::default()
        })?;
        tracing::info!(%date, models = day.len(), partition = %published.path.display(), "simulated day written");
    }
    Ok(())
}

/// The ingest's record for a simulated model: the same mapping the HTTP path makes.
fn model_record(model: &SimModel) -> ModelRecord {
    let base_models: Vec<BaseModel> = model
        .base_models
        .iter()
        .map(|(relation, id)| BaseModel {
            relation: relation.as_str().to_owned(),
            id: id.clone(),
        })
        .collect();
    ModelRecord {
        id: model.id.clone(),
        author: model.author.clone(),
        downloads_30d: model.downloads_30d,
        downloads_all_time: Some(model.downloads_all_time),
        likes: model.likes,
        trending_score: Some(model.trending_score),
        created_at: Some(model.created_at.timestamp_millis()),
        last_modified: Some(model.last_modified.timestamp_millis()),
        pipeline_tag: model.pipeline_tag.map(str::to_owned),
        library_name: model.library_name.map(str::to_owned),
        license: model.license.map(str::to_owned),
        gated: Some(model.gated.as_str().to_owned()),
        num_parameters: model.num_parameters,
        tags: stored_tags(model.tags.clone(), model.license, &base_models),
        base_models,
    }
}
