//! commune-counter: a cookie-less, privacy-preserving view counter for commune portal articles.
//!
//! A *view* ("lượt xem") is one visitor reading one article, counted at most once per rolling
//! window (24 h by default). A visitor is a keyed hash of (daily secret salt, article id, IP,
//! User-Agent); IP and User-Agent are never stored. Bots are answered but not counted.

pub mod config;
pub mod db;
pub mod http;
pub mod ratelimit;
pub mod serve;
pub mod visitor;
pub mod writer;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::Mutex;

pub use config::{Clock, Config, SyncMode};
pub use db::Db;

pub const SECS_PER_DAY: i64 = 86_400;

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Daily salts, cached in memory. A day's salt never changes once created (insert-if-absent in
/// the database), so every instance sharing the database derives the same visitor hashes.
pub struct Salts {
    db: Db,
    cache: Mutex<BTreeMap<i64, Option<Arc<Vec<u8>>>>>,
    /// Hot path: the answer for the last `(first_day, today)`, read without awaiting.
    last: std::sync::RwLock<Option<WindowSalts>>,
}

/// `(first_day, today, today's salt, the earlier salts)`.
type WindowSalts = (i64, i64, Arc<Vec<u8>>, Vec<Arc<Vec<u8>>>);

impl Salts {
    fn new(db: Db) -> Self {
        Salts { db, cache: Mutex::new(BTreeMap::new()), last: std::sync::RwLock::new(None) }
    }

    /// Salts for the days `first_day..=today`: today's (created if needed) first, then the
    /// earlier ones that exist, newest first.
    pub async fn for_window(&self, first_day: i64, today: i64) -> Result<(Arc<Vec<u8>>, Vec<Arc<Vec<u8>>>), sqlx::Error> {
        if let Ok(last) = self.last.read() {
            if let Some((f, t, current, earlier)) = last.as_ref() {
                if (*f, *t) == (first_day, today) {
                    return Ok((current.clone(), earlier.clone()));
                }
            }
        }
        let mut cache = self.cache.lock().await;
        cache.retain(|&d, _| d >= first_day); // forget salts that left the window
        let mut out = Vec::new();
        for day in (first_day..=today).rev() {
            let salt = match cache.get(&day) {
                Some(s) => s.clone(),
                None => {
                    let s = self.db.salt(day, day == today).await?.map(Arc::new);
                    cache.insert(day, s.clone());
                    s
                }
            };
            out.extend(salt);
        }
        if out.is_empty() {
            return Err(sqlx::Error::RowNotFound);
        }
        let current = out.remove(0);
        if let Ok(mut last) = self.last.write() {
            *last = Some((first_day, today, current.clone(), out.clone()));
        }
        Ok((current, out))
    }
}

pub struct AppState {
    pub config: Config,
    pub db: Db,
    pub salts: Salts,
    pub writer: writer::Writer,
    pub limiter: ratelimit::RateLimiter,
}

/// A running service (used by `main` and by the integration tests).
pub struct Server {
    pub addr: SocketAddr,
    pub db: Db,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Connects to the database (migrating it), binds `listener` and serves in the background.
    pub async fn start(config: Config, listener: TcpListener) -> Result<Server, String> {
        let db = Db::connect_with(&config.database_url, config.sync).await.map_err(|e| format!("database: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let writer = writer::Writer::spawn(db.clone(), config.window_secs(), config.sync, config.clock.clone())?;
        let state = Arc::new(AppState {
            writer,
            salts: Salts::new(db.clone()),
            limiter: ratelimit::RateLimiter::new(config.rate_limit_per_minute),
            db: db.clone(),
            config,
        });
        spawn_cleanup(state.clone());
        if state.config.sync == SyncMode::Normal && matches!(state.db, Db::Sqlite(_)) {
            spawn_checkpoints(state.db.clone());
        }
        let app = http::router(state);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve::serve(listener, app, async move {
            let _ = rx.await;
        }));
        Ok(Server { addr, db, shutdown: Some(tx), task })
    }

    /// Runs until the server task ends (it ends on `stop`, or on an I/O error).
    pub async fn wait(self) -> std::io::Result<()> {
        let _keep = self.shutdown;
        self.task.await.map_err(std::io::Error::other)?
    }

    /// Graceful stop: stops accepting, lets in-flight requests finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = self.task.await;
        self.db.close().await;
    }
}

/// `COUNTER_SYNC=normal` on SQLite: fsync the WAL (via a passive checkpoint) every second.
fn spawn_checkpoints(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if matches!(&db, Db::Sqlite(p) if p.is_closed()) {
                return; // `Db::close`: shutting down
            }
            if let Err(e) = db.checkpoint().await {
                eprintln!("commune-counter: checkpoint failed: {e}");
            }
        }
    });
}

/// Periodically deletes visits that left the window and salts that are no longer needed.
fn spawn_cleanup(state: Arc<AppState>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            let now = state.config.clock.now();
            let cutoff = now - state.config.window_secs();
            if let Err(e) = state.db.cleanup(cutoff, cutoff.div_euclid(SECS_PER_DAY)).await {
                eprintln!("commune-counter: cleanup failed: {e}");
            }
        }
    });
}
