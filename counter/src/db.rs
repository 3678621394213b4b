//! Storage: one enum over a SQLite pool and a PostgreSQL pool. Every operation is written
//! out for both backends side by side, with the same steps, so they can be compared.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Row;

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
    pub current: String,
    pub previous: Vec<String>,
}

/// Result of one registration: the article's count after it, and whether it was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub views: i64,
    pub counted: bool,
}

impl Db {
    /// Connects (creating the SQLite file when the URL says `mode=rwc`) and runs the migrations.
    pub async fn connect(url: &str) -> DbResult<Db> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?
                // Durability: a COMMIT returns only once the WAL is flushed (the default, made explicit).
                .options([("synchronous_commit", "on")]);
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
                // Durability: with WAL, FULL fsyncs the WAL on every commit.
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
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
    /// seen after `cutoff`. Locks are taken in sorted order (hashes, then ids) so that several
    /// instances sharing one PostgreSQL cannot deadlock each other.
    pub async fn register_batch(&self, visits: &[Visit], now: i64, cutoff: i64) -> DbResult<Vec<Outcome>> {
        // 1. hashes from earlier salts still inside the window
        let previous: Vec<String> = {
            let set: HashSet<&String> = visits.iter().flat_map(|v| v.previous.iter()).collect();
            set.into_iter().cloned().collect()
        };
        let mut articles: Vec<String> = visits.iter().map(|v| v.article.clone()).collect();
        articles.sort();
        articles.dedup();

        match self {
            Db::Sqlite(p) => {
                let mut tx = p.begin().await?;
                let seen_before: HashSet<String> = if previous.is_empty() {
                    HashSet::new()
                } else {
                    sqlx::query_scalar("SELECT hash FROM counter_visits WHERE seen_at > ?1 AND hash IN (SELECT value FROM json_each(?2))")
                        .bind(cutoff)
                        .bind(json(&previous))
                        .fetch_all(&mut *tx)
                        .await?
                        .into_iter()
                        .collect()
                };
                let candidates = candidates(visits, &seen_before);
                let inserted: HashSet<String> = if candidates.is_empty() {
                    HashSet::new()
                } else {
                    let pairs: Vec<(&str, &str)> = candidates.iter().map(|(_, v)| (v.current.as_str(), v.article.as_str())).collect();
                    sqlx::query_scalar(
                        "INSERT INTO counter_visits (hash, article, seen_at) \
                         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?1 FROM json_each(?2) WHERE true \
                         ON CONFLICT (hash) DO UPDATE SET seen_at = excluded.seen_at, article = excluded.article \
                         WHERE counter_visits.seen_at <= ?3 RETURNING hash",
                    )
                    .bind(now)
                    .bind(json(&pairs))
                    .bind(cutoff)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect()
                };
                let increments = increments(&candidates, &inserted);
                if !increments.is_empty() {
                    let pairs: Vec<(&String, i64)> = increments.iter().map(|(k, v)| (*k, *v)).collect();
                    sqlx::query(
                        "INSERT INTO counter_views (id, views) \
                         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1) WHERE true \
                         ON CONFLICT (id) DO UPDATE SET views = counter_views.views + excluded.views",
                    )
                    .bind(json(&pairs))
                    .execute(&mut *tx)
                    .await?;
                }
                let counts: HashMap<String, i64> =
                    sqlx::query("SELECT id, views FROM counter_views WHERE id IN (SELECT value FROM json_each(?1))")
                        .bind(json(&articles))
                        .fetch_all(&mut *tx)
                        .await?
                        .into_iter()
                        .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
                        .collect::<DbResult<_>>()?;
                tx.commit().await?;
                Ok(outcomes(visits, &candidates, &inserted, &counts))
            }
            Db::Postgres(p) => {
                let mut tx = p.begin().await?;
                let seen_before: HashSet<String> = if previous.is_empty() {
                    HashSet::new()
                } else {
                    sqlx::query_scalar("SELECT hash FROM counter_visits WHERE seen_at > $1 AND hash = ANY($2)")
                        .bind(cutoff)
                        .bind(&previous)
                        .fetch_all(&mut *tx)
                        .await?
                        .into_iter()
                        .collect()
                };
                let candidates = candidates(visits, &seen_before);
                let inserted: HashSet<String> = if candidates.is_empty() {
                    HashSet::new()
                } else {
                    let hashes: Vec<&str> = candidates.iter().map(|(_, v)| v.current.as_str()).collect();
                    let arts: Vec<&str> = candidates.iter().map(|(_, v)| v.article.as_str()).collect();
                    sqlx::query_scalar(
                        "INSERT INTO counter_visits (hash, article, seen_at) \
                         SELECT h, a, $3 FROM UNNEST($1::text[], $2::text[]) AS t(h, a) \
                         ON CONFLICT (hash) DO UPDATE SET seen_at = EXCLUDED.seen_at, article = EXCLUDED.article \
                         WHERE counter_visits.seen_at <= $4 RETURNING hash",
                    )
                    .bind(&hashes)
                    .bind(&arts)
                    .bind(now)
                    .bind(cutoff)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect()
                };
                let increments = increments(&candidates, &inserted);
                if !increments.is_empty() {
                    let ids: Vec<&str> = increments.keys().map(|k| k.as_str()).collect();
                    let adds: Vec<i64> = increments.values().copied().collect();
                    sqlx::query(
                        "INSERT INTO counter_views (id, views) SELECT * FROM UNNEST($1::text[], $2::int8[]) \
                         ON CONFLICT (id) DO UPDATE SET views = counter_views.views + EXCLUDED.views",
                    )
                    .bind(&ids)
                    .bind(&adds)
                    .execute(&mut *tx)
                    .await?;
                }
                let counts: HashMap<String, i64> = sqlx::query("SELECT id, views FROM counter_views WHERE id = ANY($1)")
                    .bind(&articles)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
                    .collect::<DbResult<_>>()?;
                tx.commit().await?;
                Ok(outcomes(visits, &candidates, &inserted, &counts))
            }
        }
    }
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_string())
}

/// Visits that may count, each with its position in the batch: not seen under an earlier
/// salt, and the first occurrence of their hash in this batch. Sorted by hash (lock order).
fn candidates<'a>(visits: &'a [Visit], seen_before: &HashSet<String>) -> Vec<(usize, &'a Visit)> {
    let mut first: HashMap<&str, (usize, &'a Visit)> = HashMap::new();
    for (i, v) in visits.iter().enumerate() {
        if v.previous.iter().any(|h| seen_before.contains(h)) {
            continue;
        }
        first.entry(v.current.as_str()).or_insert((i, v));
    }
    let mut found: Vec<(usize, &'a Visit)> = first.into_values().collect();
    found.sort_by(|(_, a), (_, b)| a.current.cmp(&b.current));
    found
}

/// Per-article number of new views in this batch, sorted by id (lock order).
fn increments<'a>(candidates: &[(usize, &'a Visit)], inserted: &HashSet<String>) -> BTreeMap<&'a String, i64> {
    let mut inc = BTreeMap::new();
    for (_, v) in candidates {
        if inserted.contains(&v.current) {
            *inc.entry(&v.article).or_insert(0) += 1;
        }
    }
    inc
}

/// Counted registrations of one article get consecutive numbers ending at the committed count;
/// the others get the committed count.
fn outcomes(visits: &[Visit], candidates: &[(usize, &Visit)], inserted: &HashSet<String>, counts: &HashMap<String, i64>) -> Vec<Outcome> {
    let counted: HashSet<usize> =
        candidates.iter().filter(|(_, v)| inserted.contains(&v.current)).map(|&(i, _)| i).collect();
    let mut new_per_article: HashMap<&str, i64> = HashMap::new();
    for (_, v) in candidates.iter().filter(|(_, v)| inserted.contains(&v.current)) {
        *new_per_article.entry(v.article.as_str()).or_insert(0) += 1;
    }
    let mut handed: HashMap<&str, i64> = HashMap::new();
    visits
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let total = counts.get(&v.article).copied().unwrap_or(0);
            if counted.contains(&i) {
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
