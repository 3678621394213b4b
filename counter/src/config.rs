//! Configuration from environment variables (see counter/README.md).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Runtime configuration of one service instance.
#[derive(Clone, Debug)]
pub struct Config {
    /// `COUNTER_DATABASE_URL`: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// `COUNTER_ADDR`: listen address.
    pub addr: SocketAddr,
    /// `COUNTER_ALLOWED_ORIGINS`: exact origins allowed by CORS.
    pub allowed_origins: Vec<String>,
    /// `COUNTER_WINDOW_HOURS`: one visitor counts once per article per this many hours.
    pub window_hours: u32,
    /// `COUNTER_TRUST_PROXY`: take the client IP from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// `COUNTER_RATE_LIMIT`: max view registrations per visitor (IP+UA) per minute.
    pub rate_limit_per_minute: u32,
    /// `COUNTER_SYNC`: when an acknowledged view is on stable storage (see [`SyncMode`]).
    pub sync: SyncMode,
    /// `COUNTER_LISTEN_BACKLOG`: length of the kernel's queue of connections not yet accepted
    /// (Linux caps it at `net.core.somaxconn`).
    pub listen_backlog: u32,
    /// The time the service goes by (not from the environment: the system clock in production).
    pub clock: Clock,
}

/// The service's clock, in seconds since the Unix epoch: the system clock plus an offset, zero
/// unless a test moves it. Clones share the offset, so a test can move the clock of running
/// servers (salt rotation at midnight, the end of the window) without waiting for it.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> i64 {
        crate::now_secs().saturating_add(self.offset.load(Ordering::Relaxed))
    }

    /// From now on, time runs on from `t` (for every clone of this clock).
    pub fn set_now(&self, t: i64) {
        self.offset.store(t.saturating_sub(crate::now_secs()), Ordering::Relaxed);
    }
}

/// `COUNTER_SYNC`: what an acknowledged (HTTP 200) view survives. Both modes answer only after
/// the view's transaction committed, so both survive `kill -9` of the service and never lose
/// a concurrent increment; they differ only on power loss / OS crash.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SyncMode {
    /// `full` (default): the commit is fsynced before the answer (SQLite `synchronous=FULL`,
    /// PostgreSQL `synchronous_commit=on`). Survives power loss too; one fsync per group commit.
    /// The default because "acknowledged means on disk" is the simplest promise to give officials
    /// who read the count as reach, and `normal` measured only 10–15 % faster here.
    #[default]
    Full,
    /// `normal`: the commit is in the OS (SQLite WAL `synchronous=NORMAL`, fsynced by a
    /// checkpoint every second) or in PostgreSQL's WAL buffers (`synchronous_commit=off`, flushed
    /// by the WAL writer within ≈ 0.6 s). Survives `kill -9` of the service; a power loss or OS
    /// crash (for PostgreSQL also a crash of the database server) can lose about the last second
    /// of views, never the database's consistency.
    Normal,
}

impl SyncMode {
    pub fn parse(s: &str) -> Result<SyncMode, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(SyncMode::Full),
            "normal" => Ok(SyncMode::Normal),
            other => Err(format!("COUNTER_SYNC={other:?}: expected full or normal")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SyncMode::Full => "full",
            SyncMode::Normal => "normal",
        }
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://counter.db?mode=rwc";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8787";
pub const DEFAULT_ORIGINS: &str = "http://127.0.0.1:8080,http://localhost:8080";
/// Rust's std and tokio (mio) listen with a backlog of 128: a burst of a few hundred new
/// connections overflows it, and each overflowing SYN is retried by the client only after 1 s.
pub const DEFAULT_LISTEN_BACKLOG: u32 = 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: DEFAULT_DATABASE_URL.to_string(),
            addr: DEFAULT_ADDR.parse().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8787))),
            allowed_origins: parse_origins(DEFAULT_ORIGINS),
            window_hours: 24,
            trust_proxy: false,
            rate_limit_per_minute: 60,
            sync: SyncMode::default(),
            listen_backlog: DEFAULT_LISTEN_BACKLOG,
            clock: Clock::default(),
        }
    }
}

fn parse_origins(s: &str) -> Vec<String> {
    s.split(',')
        .map(|o| o.trim().trim_end_matches('/').to_string())
        .filter(|o| !o.is_empty())
        .collect()
}

fn truthy(s: &str) -> bool {
    matches!(s.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

impl Config {
    /// Reads the `COUNTER_*` environment variables; invalid values are errors, not silently ignored.
    pub fn from_env() -> Result<Config, String> {
        let mut c = Config::default();
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = var("COUNTER_DATABASE_URL") {
            c.database_url = v;
        }
        if let Some(v) = var("COUNTER_ADDR") {
            c.addr = v.trim().parse().map_err(|e| format!("COUNTER_ADDR={v:?}: {e}"))?;
        }
        if let Some(v) = var("COUNTER_ALLOWED_ORIGINS") {
            c.allowed_origins = parse_origins(&v);
        }
        if let Some(v) = var("COUNTER_WINDOW_HOURS") {
            let h: u32 = v.trim().parse().map_err(|e| format!("COUNTER_WINDOW_HOURS={v:?}: {e}"))?;
            if !(1..=24 * 31).contains(&h) {
                return Err(format!("COUNTER_WINDOW_HOURS={h}: must be between 1 and 744"));
            }
            c.window_hours = h;
        }
        if let Some(v) = var("COUNTER_TRUST_PROXY") {
            c.trust_proxy = truthy(&v);
        }
        if let Some(v) = var("COUNTER_RATE_LIMIT") {
            let n: u32 = v.trim().parse().map_err(|e| format!("COUNTER_RATE_LIMIT={v:?}: {e}"))?;
            if n == 0 {
                return Err("COUNTER_RATE_LIMIT must be at least 1".into());
            }
            c.rate_limit_per_minute = n;
        }
        if let Some(v) = var("COUNTER_SYNC") {
            c.sync = SyncMode::parse(&v)?;
        }
        if let Some(v) = var("COUNTER_LISTEN_BACKLOG") {
            let n: u32 = v.trim().parse().map_err(|e| format!("COUNTER_LISTEN_BACKLOG={v:?}: {e}"))?;
            if !(1..=65_535).contains(&n) {
                return Err(format!("COUNTER_LISTEN_BACKLOG={n}: must be between 1 and 65535"));
            }
            c.listen_backlog = n;
        }
        Ok(c)
    }

    pub fn window_secs(&self) -> i64 {
        i64::from(self.window_hours) * 3600
    }
}
