//! Group commit: a single writer task drains every pending registration from a channel, applies
//! them in one transaction (one fsync), and only then answers each waiting request. A request
//! is acknowledged (HTTP 200) only after its transaction committed.

use std::time::Duration;

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use crate::db::{self, Db, Outcome, Visit};
use crate::now_secs;

/// Upper bound of registrations per transaction.
pub const MAX_BATCH: usize = 2048;
/// Concurrent batches (transactions) in flight per instance on PostgreSQL.
const POSTGRES_WRITERS: usize = 3;
/// Longest wait for more registrations before starting a transaction (see `run`).
const GATHER: Duration = Duration::from_micros(600);

pub struct Pending {
    pub visit: Visit,
    pub reply: oneshot::Sender<Result<Outcome, ()>>,
}

#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Pending>,
}

impl Writer {
    /// Starts the writer tasks: one for SQLite (it has a single writer anyway); a few for
    /// PostgreSQL, so that one batch's WAL flush overlaps the next batch's statements. Each
    /// batch is still one transaction, acknowledged only after its own commit.
    pub fn spawn(db: Db, window_secs: i64) -> Writer {
        let (tx, rx) = mpsc::channel(16 * 1024);
        let rx = Arc::new(Mutex::new(rx));
        let writers = match db {
            Db::Sqlite(_) => 1,
            Db::Postgres(_) => POSTGRES_WRITERS,
        };
        for _ in 0..writers {
            tokio::spawn(run(db.clone(), rx.clone(), window_secs));
        }
        Writer { tx }
    }

    /// Queues one registration and waits for its commit. `Err` when it could not be stored.
    pub async fn register(&self, visit: Visit) -> Result<Outcome, ()> {
        let (reply, answer) = oneshot::channel();
        self.tx.send(Pending { visit, reply }).await.map_err(|_| ())?;
        answer.await.unwrap_or(Err(()))
    }
}

async fn run(db: Db, rx: Arc<Mutex<mpsc::Receiver<Pending>>>, window_secs: i64) {
    let mut pending: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    let mut answered = 0usize; // size of the previous batch
    let mut conn: Option<sqlx::pool::PoolConnection<sqlx::Sqlite>> = None;
    // COUNTER_LOG_BATCHES=1: print batch statistics every 5 s (tuning aid)
    let log = std::env::var("COUNTER_LOG_BATCHES").is_ok_and(|v| v == "1");
    let (mut n_batches, mut n_items, mut busy, mut last) = (0u64, 0u64, Duration::ZERO, std::time::Instant::now());
    loop {
        {
            // only one writer gathers at a time; the others are busy committing
            let mut rx = rx.lock().await;
            let received = match &db {
                // the kept SQLite connection must go back when the pool closes (`Db::close`
                // waits for every connection), so stop waiting then
                Db::Sqlite(pool) => tokio::select! {
                    n = rx.recv_many(&mut pending, MAX_BATCH) => n,
                    _ = pool.close_event() => 0,
                },
                Db::Postgres(_) => rx.recv_many(&mut pending, MAX_BATCH).await,
            };
            if received == 0 {
                return; // every sender dropped or the pool closed: service shutting down
            }
            // Gather: the clients answered by the previous commit are usually about to send their
            // next registration. Waiting briefly (≤ GATHER) for them lets one fsync serve them too,
            // instead of splitting the load into two half-full batches that alternate.
            let target = (pending.len() + answered).min(MAX_BATCH);
            let gather_start = std::time::Instant::now();
            while pending.len() < target && gather_start.elapsed() < GATHER {
                tokio::task::yield_now().await;
                while pending.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(p) => pending.push(p),
                        Err(_) => break,
                    }
                }
            }
        }
        let visits: Vec<Visit> = pending.iter().map(|p| p.visit.clone()).collect();
        let started = std::time::Instant::now();
        let mut result = Err(());
        for attempt in 0..3 {
            let now = now_secs();
            let done = match &db {
                // SQLite: keep one connection across batches (warm page cache); a failed one
                // is dropped and replaced on the next attempt
                Db::Sqlite(pool) => {
                    if conn.is_none() {
                        conn = pool.acquire().await.map_err(|e| eprintln!("commune-counter: connection: {e}")).ok();
                    }
                    match conn.as_mut() {
                        Some(c) => db::register_batch_sqlite(c, &visits, now, now - window_secs).await,
                        None => Err(sqlx::Error::PoolTimedOut),
                    }
                }
                Db::Postgres(_) => db.register_batch(&visits, now, now - window_secs).await,
            };
            if done.is_err() {
                conn = None;
            }
            match done {
                Ok(outcomes) => {
                    result = Ok(outcomes);
                    break;
                }
                Err(e) => {
                    // e.g. a deadlock or a lost connection. A failed transaction rolled back as a
                    // whole; and if a commit did land before the error, the retry finds the same
                    // visitor hashes inside the window and counts nothing twice.
                    eprintln!("commune-counter: batch of {} failed (attempt {}): {e}", visits.len(), attempt + 1);
                    tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
                }
            }
        }
        if log {
            n_batches += 1;
            n_items += visits.len() as u64;
            busy += started.elapsed();
            if last.elapsed() >= Duration::from_secs(5) {
                eprintln!(
                    "commune-counter: {n_batches} batches, {:.1} registrations/batch, {:.2} ms/batch in the database",
                    n_items as f64 / n_batches as f64,
                    busy.as_secs_f64() * 1000.0 / n_batches as f64
                );
                (n_batches, n_items, busy, last) = (0, 0, Duration::ZERO, std::time::Instant::now());
            }
        }
        answered = pending.len();
        match result {
            Ok(outcomes) => {
                for (p, o) in pending.drain(..).zip(outcomes) {
                    let _ = p.reply.send(Ok(o));
                }
            }
            Err(()) => {
                for p in pending.drain(..) {
                    let _ = p.reply.send(Err(()));
                }
            }
        }
    }
}
