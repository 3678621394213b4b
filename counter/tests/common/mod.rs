//! Shared helpers for the integration tests: real databases, real HTTP, no mocks.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use commune_counter::{Config, Server};

/// PostgreSQL URL for the tests. Unset: FAIL when `CI` is set, skip (with a notice) locally.
pub fn pg_url() -> Option<String> {
    match std::env::var("COUNTER_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!("COUNTER_TEST_POSTGRES_URL is not set but CI is: PostgreSQL tests must run (see scripts/test-counter.sh)");
            }
            eprintln!("NOTICE: COUNTER_TEST_POSTGRES_URL unset: skipping this PostgreSQL test (run scripts/test-counter.sh)");
            None
        }
    }
}

/// A fresh SQLite database file in its own temp dir (removed on drop).
pub struct SqliteDb {
    pub url: String,
    pub dir: tempfile::TempDir,
}

pub fn sqlite_db() -> SqliteDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("counter.db").display());
    SqliteDb { url, dir }
}

/// Unique article id, so tests can share one PostgreSQL database and be re-run.
pub fn uid(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}-{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

pub fn test_config(url: &str) -> Config {
    Config { database_url: url.to_string(), trust_proxy: true, ..Config::default() }
}

pub async fn start(config: Config) -> Server {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let listener = commune_counter::serve::listen(addr, config.listen_backlog).expect("bind");
    Server::start(config, listener).await.expect("server start")
}

pub const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// Distinct visitor number `n`: its own IP (10.x.y.z) and a browser UA.
pub fn visitor_ip(n: u32) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(256).build().expect("client")
}

/// POST /api/views as a given visitor; returns (status, json body).
pub async fn post_view(c: &reqwest::Client, base: &str, id: &str, ip: &str, ua: &str) -> (u16, serde_json::Value) {
    let r = c
        .post(format!("{base}/api/views"))
        .header("x-forwarded-for", ip)
        .header("user-agent", ua)
        .json(&serde_json::json!({ "id": id }))
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

pub async fn get_views(c: &reqwest::Client, base: &str, id: &str) -> i64 {
    let v: serde_json::Value = c.get(format!("{base}/api/views/{id}")).send().await.expect("get").json().await.expect("json");
    v["views"].as_i64().expect("views number")
}

/// Runs one test body against SQLite and (when available) PostgreSQL, as two test functions.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::common::sqlite_db();
                    super::$name(&db.url).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(url) = $crate::common::pg_url() else { return };
                    super::$name(&url).await
                }
            )*
        }
    };
}

/// The built binary, killed (SIGKILL) when dropped so a failing test leaves nothing running.
pub struct Service(pub Child, pub String);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Service {
    /// `host:port` it listens on.
    pub fn addr(&self) -> &str {
        self.1.trim_start_matches("http://")
    }

    /// Sends a signal (`STOP`, `CONT`, …) with kill(1).
    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill").arg(format!("-{sig}")).arg(self.0.id().to_string()).status().expect("kill(1)").success();
        assert!(ok, "kill -{sig} failed");
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// Starts the built binary on `db_url` and a free loopback port, with `COUNTER_TRUST_PROXY=1` and
/// the given extra environment, and waits until `/healthz` answers.
pub async fn spawn_service(db_url: &str, env: &[(&str, &str)]) -> Service {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_commune-counter"))
        .env("COUNTER_DATABASE_URL", db_url)
        .env("COUNTER_ADDR", format!("127.0.0.1:{port}"))
        .env("COUNTER_TRUST_PROXY", "1")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn commune-counter");
    let base = format!("http://127.0.0.1:{port}");
    let c = client();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = c.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                break;
            }
        }
        assert!(Instant::now() < deadline, "service did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Service(child, base)
}

/// A database of its own for a test that moves the clock (whose servers' cleanup would otherwise
/// delete other tests' rows). SQLite: the URL as is (every test has its own file). PostgreSQL: a
/// fresh schema, first on the connection's search_path; returns the URL and the schema to drop
/// (a failed test leaves its `t_<pid>_…` schema behind, for a look).
pub async fn isolated(url: &str) -> (String, Option<String>) {
    if !url.starts_with("postgres") {
        return (url.to_string(), None);
    }
    let schema = uid("t").replace('-', "_");
    let pool = sqlx::PgPool::connect(url).await.expect("connect");
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&pool).await.expect("create schema");
    pool.close().await;
    let sep = if url.contains('?') { '&' } else { '?' };
    (format!("{url}{sep}options[search_path]={schema}"), Some(schema))
}

pub async fn drop_isolated(url: &str, schema: Option<String>) {
    if let Some(schema) = schema {
        let pool = sqlx::PgPool::connect(url).await.expect("connect");
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&pool).await.expect("drop schema");
        pool.close().await;
    }
}
