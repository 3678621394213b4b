//! Storage: one enum over a SQLite pool and a PostgreSQL pool. Every operation is written
//! out for both backends side by side, with the same steps, so they can be compared. The one
//! exception is the SQLite side of registering views: it runs on the writer thread's own
//! rusqlite connection (`register_batch_sqlite`), because sqlx would hand each statement to
//! its worker thread and back, and those hand-offs cost more than the statements.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Row;

use crate::config::SyncMode;

pub type DbResult<T> = Result<T, sqlx::Error>;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One view registration waiting for the writer: the visitor hash under today's salt, and the
/// hashes under the earlier salts that the rolling window still covers.
#[derive(Debug, Clone)]
pub struct Visit {
    pub article: String,
    pub current: i64,
    pub previous: Vec<i64>,
}

/// Result of one registration: the article's count after it, and whether it was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub views: i64,
    pub counted: bool,
}

impl Db {
    /// Connects with the default [`SyncMode`] (see [`Db::connect_with`]).
    pub async fn connect(url: &str) -> DbResult<Db> {
        Db::connect_with(url, SyncMode::default()).await
    }

    /// Connects (creating the SQLite file when the URL says `mode=rwc`) and runs the migrations.
    /// `sync` chooses what a committed transaction survives (both modes survive `kill -9` of
    /// this service): `Full` = power loss too (fsync per commit), `Normal` = not the last
    /// second or so before a power loss / OS crash.
    pub async fn connect_with(url: &str, sync: SyncMode) -> DbResult<Db> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?
                // on: COMMIT returns once the WAL is flushed to disk. off: once the commit record
                // is in PostgreSQL's WAL buffers (shared memory); the WAL writer flushes it within
                // 3 × wal_writer_delay (≈ 0.6 s). Never inconsistent either way.
                .options([("synchronous_commit", if sync == SyncMode::Full { "on" } else { "off" })]);
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Db::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .journal_mode(SqliteJournalMode::Wal)
                // With WAL, FULL fsyncs the WAL on every commit; NORMAL only write()s the commit
                // to the WAL (into the OS page cache, which outlives a killed process) and fsyncs
                // at checkpoints (`Db::checkpoint`, every second).
                .synchronous(if sync == SyncMode::Full { SqliteSynchronous::Full } else { SqliteSynchronous::Normal })
                .busy_timeout(Duration::from_secs(10))
                // up to 32 MiB of page cache per connection (default 2 MiB): visit hashes are
                // random, so every insert touches a random page of the visits table
                .pragma("cache_size", "-32768")
                // statement journals and temporary B-trees stay in memory, not in temp files
                .pragma("temp_store", "memory")
                .foreign_keys(true);
            if opts.get_filename() == Path::new(":memory:") || url.contains("mode=memory") {
                // the writer thread opens the file a second time (see `open_sqlite_writer`)
                return Err(sqlx::Error::Configuration("in-memory SQLite is not supported: give a file, e.g. sqlite://counter.db?mode=rwc".into()));
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            sqlx::migrate!("migrations/sqlite").run(&pool).await?;
            Db::Sqlite(pool)
        } else {
            return Err(sqlx::Error::Configuration(
                format!("unsupported database URL {url:?} (use sqlite://… or postgres://…)").into(),
            ));
        };
        Ok(db)
    }

    /// SQLite: a passive WAL checkpoint, which first fsyncs the WAL. Run every second in
    /// `COUNTER_SYNC=normal` mode it bounds what a power loss can take to about one second of
    /// commits (like Redis `appendfsync everysec`). Writers are not blocked. No-op on PostgreSQL.
    pub async fn checkpoint(&self) -> DbResult<()> {
        if let Db::Sqlite(p) = self {
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(p).await?;
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }

    /// Current counts of the given ids (missing ids are simply absent from the map).
    pub async fn views(&self, ids: &[String]) -> DbResult<HashMap<String, i64>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = match self {
            Db::Sqlite(p) => {
                sqlx::query("SELECT id, views FROM counter_views WHERE id IN (SELECT value FROM json_each(?1))")
                    .bind(json(ids))
                    .fetch_all(p)
                    .await?
                    .into_iter()
                    .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
                    .collect::<DbResult<Vec<_>>>()?
            }
            Db::Postgres(p) => sqlx::query("SELECT id, views FROM counter_views WHERE id = ANY($1)")
                .bind(ids)
                .fetch_all(p)
                .await?
                .into_iter()
                .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
                .collect::<DbResult<Vec<_>>>()?,
        };
        Ok(rows.into_iter().collect())
    }

    /// Sets a historic baseline for `id` only if it has no row yet. Returns whether it was set.
    pub async fn seed(&self, id: &str, count: i64) -> DbResult<bool> {
        let done = match self {
            Db::Sqlite(p) => sqlx::query("INSERT INTO counter_views (id, views) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING")
                .bind(id)
                .bind(count)
                .execute(p)
                .await?
                .rows_affected(),
            Db::Postgres(p) => sqlx::query("INSERT INTO counter_views (id, views) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
                .bind(id)
                .bind(count)
                .execute(p)
                .await?
                .rows_affected(),
        };
        Ok(done == 1)
    }

    /// The salt of `day`, creating it if `create` and it does not exist yet. Race-free across
    /// instances: insert-if-absent, then read back whichever row won.
    pub async fn salt(&self, day: i64, create: bool) -> DbResult<Option<Vec<u8>>> {
        if create {
            let mut fresh = [0u8; 32];
            getrandom::getrandom(&mut fresh)
                .map_err(|e| sqlx::Error::Protocol(format!("no OS randomness for the salt: {e}")))?;
            match self {
                Db::Sqlite(p) => {
                    sqlx::query("INSERT INTO counter_salts (day, salt) VALUES (?1, ?2) ON CONFLICT (day) DO NOTHING")
                        .bind(day)
                        .bind(&fresh[..])
                        .execute(p)
                        .await?;
                }
                Db::Postgres(p) => {
                    sqlx::query("INSERT INTO counter_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
                        .bind(day)
                        .bind(&fresh[..])
                        .execute(p)
                        .await?;
                }
            }
        }
        match self {
            Db::Sqlite(p) => sqlx::query_scalar("SELECT salt FROM counter_salts WHERE day = ?1").bind(day).fetch_optional(p).await,
            Db::Postgres(p) => sqlx::query_scalar("SELECT salt FROM counter_salts WHERE day = $1").bind(day).fetch_optional(p).await,
        }
    }

    /// Deletes visits that left the window and salts no longer needed to recognise any visit.
    pub async fn cleanup(&self, visits_not_after: i64, salts_before_day: i64) -> DbResult<(u64, u64)> {
        Ok(match self {
            Db::Sqlite(p) => (
                sqlx::query("DELETE FROM counter_visits WHERE seen_at <= ?1").bind(visits_not_after).execute(p).await?.rows_affected(),
                sqlx::query("DELETE FROM counter_salts WHERE day < ?1").bind(salts_before_day).execute(p).await?.rows_affected(),
            ),
            Db::Postgres(p) => (
                sqlx::query("DELETE FROM counter_visits WHERE seen_at <= $1").bind(visits_not_after).execute(p).await?.rows_affected(),
                sqlx::query("DELETE FROM counter_salts WHERE day < $1").bind(salts_before_day).execute(p).await?.rows_affected(),
            ),
        })
    }

    /// Applies a whole batch of registrations in ONE transaction (group commit): one fsync for
    /// all of them. A visit counts when none of its hashes (today's or an earlier salt's) was
    /// seen after `cutoff`, and only its first occurrence in the batch.
    pub async fn register_batch(&self, visits: &[Visit], now: i64, cutoff: i64) -> DbResult<Vec<Outcome>> {
        match self {
            Db::Sqlite(p) => {
                // the service's batches go through the writer thread; this path (tests, tools)
                // opens a writer connection of its own
                let path = p.connect_options().get_filename().to_owned();
                let visits = visits.to_vec();
                tokio::task::spawn_blocking(move || {
                    let mut conn = open_sqlite_writer(&path, SyncMode::Full)?;
                    register_batch_sqlite(&mut conn, &visits, now, cutoff)
                })
                .await
                .map_err(|e| sqlx::Error::AnyDriverError(Box::new(e)))?
                .map_err(sqlite_error)
            }
            Db::Postgres(p) => register_batch_postgres(p, visits, now, cutoff).await,
        }
    }
}

/// PostgreSQL side of [`Db::register_batch`]: the whole batch is ONE statement (so one round
/// trip, and atomic on its own): look up the earlier salts' hashes, keep each hash's first
/// visit, upsert the visits, add the counted ones per article, and return the counted visits'
/// positions and every article's count. Rows are locked in sorted order (hashes, then ids), so
/// several instances sharing one database cannot deadlock each other.
async fn register_batch_postgres(pool: &PgPool, visits: &[Visit], now: i64, cutoff: i64) -> DbResult<Vec<Outcome>> {
    let positions: Vec<i32> = (0..visits.len()).map(|i| i32::try_from(i).unwrap_or(i32::MAX)).collect();
    let hashes: Vec<i64> = visits.iter().map(|v| v.current).collect();
    let articles: Vec<&str> = visits.iter().map(|v| v.article.as_str()).collect();
    let (earlier_positions, earlier_hashes): (Vec<i32>, Vec<i64>) = visits
        .iter()
        .zip(&positions)
        .flat_map(|(v, &i)| v.previous.iter().map(move |&h| (i, h)))
        .unzip();
    let rows = sqlx::query(
        "WITH v AS (SELECT * FROM UNNEST($1::int4[], $2::int8[], $3::text[]) AS t(i, h, a)), \
         seen_earlier AS (SELECT DISTINCT e.i FROM UNNEST($4::int4[], $5::int8[]) AS e(i, h) \
             JOIN counter_visits c ON c.hash = e.h AND c.seen_at > $7), \
         candidates AS (SELECT DISTINCT ON (h) i, h, a FROM v \
             WHERE i NOT IN (SELECT i FROM seen_earlier) ORDER BY h, i), \
         recorded AS (INSERT INTO counter_visits (hash, article, seen_at) \
             SELECT h, a, $6 FROM candidates ORDER BY h \
             ON CONFLICT (hash) DO UPDATE SET seen_at = EXCLUDED.seen_at, article = EXCLUDED.article \
             WHERE counter_visits.seen_at <= $7 RETURNING hash), \
         counted AS (SELECT c.i, c.a FROM candidates c JOIN recorded r ON r.hash = c.h), \
         added AS (INSERT INTO counter_views (id, views) \
             SELECT a, count(*) FROM counted GROUP BY a ORDER BY a \
             ON CONFLICT (id) DO UPDATE SET views = counter_views.views + EXCLUDED.views \
             RETURNING id, views) \
         SELECT i, NULL::text AS id, NULL::int8 AS views FROM counted \
         UNION ALL SELECT NULL, id, views FROM added \
         UNION ALL SELECT NULL, id, views FROM counter_views \
             WHERE id = ANY($3) AND id NOT IN (SELECT id FROM added)",
    )
    .bind(&positions)
    .bind(&hashes)
    .bind(&articles)
    .bind(&earlier_positions)
    .bind(&earlier_hashes)
    .bind(now)
    .bind(cutoff)
    .fetch_all(pool)
    .await?;
    let mut counted = vec![false; visits.len()];
    let mut counts = HashMap::new();
    for row in rows {
        if let Some(i) = row.try_get::<Option<i32>, _>(0)? {
            if let Some(c) = usize::try_from(i).ok().and_then(|i| counted.get_mut(i)) {
                *c = true;
            }
        } else if let (Some(id), Some(views)) = (row.try_get::<Option<String>, _>(1)?, row.try_get::<Option<i64>, _>(2)?) {
            counts.insert(id, views);
        }
    }
    Ok(outcomes(visits, &counted, &counts))
}

/// Opens the connection the SQLite writer thread keeps for all its batches: its page cache
/// stays warm and its prepared statements are reused. Same settings as the pool's connections.
pub fn open_sqlite_writer(path: &Path, sync: SyncMode) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(if sync == SyncMode::Full {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -32768; PRAGMA temp_store = memory;"
    } else {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = memory;"
    })?;
    // Checkpoint (copy the WAL back into the database file) every 10,000 pages instead of
    // 1,000: visits land on random pages, and a page written by many commits is copied once.
    // The WAL file then stays under ≈ 40 MB.
    conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
    Ok(conn)
}

/// SQLite side of [`Db::register_batch`], on the writer thread's own connection. The whole
/// batch is one `BEGIN IMMEDIATE` transaction (the write lock from the start, so nothing can
/// change between a lookup and its insert) of short prepared statements, one or two per visit:
/// run in-process on this thread, each costs a few microseconds.
pub fn register_batch_sqlite(conn: &mut rusqlite::Connection, visits: &[Visit], now: i64, cutoff: i64) -> rusqlite::Result<Vec<Outcome>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut counted = vec![false; visits.len()];
    {
        let mut seen = tx.prepare_cached("SELECT 1 FROM counter_visits WHERE hash = ?1 AND seen_at > ?2")?;
        // Inserted, or an expired row of the same hash renewed: counted. A row inside the
        // window (also an earlier visit of this batch) changes nothing: not counted.
        let mut record = tx.prepare_cached(
            "INSERT INTO counter_visits (hash, article, seen_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (hash) DO UPDATE SET seen_at = excluded.seen_at, article = excluded.article \
             WHERE counter_visits.seen_at <= ?4",
        )?;
        for (v, counts) in visits.iter().zip(counted.iter_mut()) {
            let mut seen_under_earlier_salt = false;
            for h in &v.previous {
                if seen.exists((h, cutoff))? {
                    seen_under_earlier_salt = true;
                    break;
                }
            }
            if !seen_under_earlier_salt {
                *counts = record.execute((v.current, &v.article, now, cutoff))? == 1;
            }
        }
    }
    let mut new_views: BTreeMap<&str, i64> = BTreeMap::new();
    for (v, &c) in visits.iter().zip(&counted) {
        *new_views.entry(v.article.as_str()).or_insert(0) += i64::from(c);
    }
    let mut counts = HashMap::new();
    {
        let mut add = tx.prepare_cached(
            "INSERT INTO counter_views (id, views) VALUES (?1, ?2) \
             ON CONFLICT (id) DO UPDATE SET views = counter_views.views + excluded.views RETURNING views",
        )?;
        let mut read = tx.prepare_cached("SELECT views FROM counter_views WHERE id = ?1")?;
        for (id, n) in new_views {
            let total: i64 = if n > 0 {
                add.query_row((id, n), |r| r.get(0))?
            } else {
                rusqlite::OptionalExtension::optional(read.query_row([id], |r| r.get(0)))?.unwrap_or(0)
            };
            counts.insert(id.to_string(), total);
        }
    }
    tx.commit()?;
    Ok(outcomes(visits, &counted, &counts))
}

/// rusqlite's error in the service's error type.
pub fn sqlite_error(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::AnyDriverError(Box::new(e))
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string())
}

/// Counted registrations of one article get consecutive numbers ending at the committed count;
/// the others get the committed count.
fn outcomes(visits: &[Visit], counted: &[bool], counts: &HashMap<String, i64>) -> Vec<Outcome> {
    let mut new_per_article: HashMap<&str, i64> = HashMap::new();
    for (v, &c) in visits.iter().zip(counted) {
        *new_per_article.entry(v.article.as_str()).or_insert(0) += i64::from(c);
    }
    let mut handed: HashMap<&str, i64> = HashMap::new();
    visits
        .iter()
        .zip(counted)
        .map(|(v, &counted)| {
            let total = counts.get(&v.article).copied().unwrap_or(0);
            if counted {
                let n = new_per_article.get(v.article.as_str()).copied().unwrap_or(0);
                let k = handed.entry(v.article.as_str()).or_insert(0);
                *k += 1;
                Outcome { views: total - n + *k, counted: true }
            } else {
                Outcome { views: total, counted: false }
            }
        })
        .collect()
}
