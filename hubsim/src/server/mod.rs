//! The HTTP server: the Hub API's surface over hyper 1, on 127.0.0.1.
//!
//! hyper is used directly (no framework) so a fault can drop a connection (the service returns
//! an error and hyper closes it) or cut a body short of its `Content-Length`.

mod faults;
mod fields;
mod handler;
mod query;
mod ratelimit;
mod render;
mod write;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Mutex, watch};
use tokio::task::JoinSet;

use crate::error::SimError;
use crate::population::{Day, Population, SimConfig};

pub use faults::{FaultConfig, FaultKind};
pub use ratelimit::RateQuota;

/// Everything `hubtrends sim serve` can set.
#[derive(Clone, Default)]
pub struct ServerConfig {
    /// The population.
    pub sim: SimConfig,
    /// The date served until [`SimServer::set_date`] changes it; the default value
    /// (`NaiveDate::default()`) means the population's start date.
    pub date: NaiveDate,
    /// Fixed-window quota; `None` (the default) disables rate limiting and its headers.
    pub quota: Option<RateQuota>,
    /// Fault injection (off by default).
    pub faults: FaultConfig,
    /// When set, requests must carry `Authorization: Bearer <token>` (401 otherwise).
    pub require_token: Option<String>,
}

// The token is a secret: Debug shows only whether one is set.
impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("sim", &self.sim)
            .field("date", &self.date)
            .field("quota", &self.quota)
            .field("faults", &self.faults)
            .field(
                "require_token",
                &self.require_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Request counters of a running server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// Requests received (every one, including refused ones).
    pub requests: u64,
    /// Requests that got an injected fault.
    pub faults: u64,
    /// Of those, how many of each kind, in the order of [`FaultKind::ALL`].
    pub faults_by_kind: [u64; FaultKind::ALL.len()],
    /// Requests refused with 429 because the quota was exhausted (not injected 429s).
    pub rate_limited: u64,
}

impl ServerStats {
    /// Requests that got an injected fault of `kind`.
    pub fn faults_of(&self, kind: FaultKind) -> u64 {
        self.faults_by_kind[kind.index()]
    }
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    faults: AtomicU64,
    faults_by_kind: [AtomicU64; FaultKind::ALL.len()],
    rate_limited: AtomicU64,
}

/// State shared by every connection.
struct Shared {
    population: Population,
    date: RwLock<NaiveDate>,
    day: Mutex<Option<Arc<Day>>>,
    config: ServerConfig,
    limiter: Option<ratelimit::Limiter>,
    base_url: String,
    counters: Counters,
}

impl Shared {
    fn date(&self) -> NaiveDate {
        match self.date.read() {
            Ok(d) => *d,
            Err(p) => *p.into_inner(),
        }
    }

    /// The current day, built once per date off the async threads.
    async fn day(&self) -> Arc<Day> {
        let date = self.date();
        let mut cache = self.day.lock().await;
        if let Some(day) = cache.as_ref().filter(|d| d.date() == date) {
            return Arc::clone(day);
        }
        let population = self.population.clone();
        let built = match tokio::task::spawn_blocking(move || population.day(date)).await {
            Ok(day) => Arc::new(day),
            // Only a panic inside `day` gets here; build inline so the error surfaces.
            Err(_) => Arc::new(self.population.day(date)),
        };
        *cache = Some(Arc::clone(&built));
        built
    }
}

/// A running simulated Hub.
pub struct SimServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for SimServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Builds the population and serves it on `127.0.0.1:port` (0 = an ephemeral port).
pub async fn start(config: ServerConfig, port: u16) -> Result<SimServer, SimError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| SimError::Bind { addr, source })?;
    let sim = config.sim;
    let population = tokio::task::spawn_blocking(move || Population::new(sim))
        .await
        .map_err(|e| SimError::Build {
            reason: e.to_string(),
        })?;
    let date = if config.date == NaiveDate::default() {
        config.sim.start_date
    } else {
        config.date
    };
    let shared = Arc::new(Shared {
        population,
        date: RwLock::new(date),
        day: Mutex::new(None),
        limiter: config.quota.map(ratelimit::Limiter::new),
        config,
        base_url: format!("http://{addr}"),
        counters: Counters::default(),
    });
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
    tracing::info!(url = %shared.base_url, %date, "simulated Hub listening");
    Ok(SimServer {
        shared,
        addr,
        stop,
        task,
    })
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        continue;
                    }
                };
                let shared = Arc::clone(&shared);
                connections.spawn(async move {
                    let service = service_fn(move |req| handler::handle(Arc::clone(&shared), req));
                    if let Err(e) = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
}

impl SimServer {
    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves another date from the next request on.
    pub fn set_date(&self, date: NaiveDate) {
        match self.shared.date.write() {
            Ok(mut d) => *d = date,
            Err(p) => *p.into_inner() = date,
        }
    }

    /// The date being served.
    pub fn date(&self) -> NaiveDate {
        self.shared.date()
    }

    /// The population being served.
    pub fn population(&self) -> &Population {
        &self.shared.population
    }

    /// Request counters so far.
    pub fn stats(&self) -> ServerStats {
        let c = &self.shared.counters;
        ServerStats {
            requests: c.requests.load(Ordering::Relaxed),
            faults: c.faults.load(Ordering::Relaxed),
            faults_by_kind: std::array::from_fn(|k| c.faults_by_kind[k].load(Ordering::Relaxed)),
            rate_limited: c.rate_limited.load(Ordering::Relaxed),
        }
    }

    /// Stops accepting, closes open connections and waits for the accept loop to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
