//! Group commit: a writer drains every pending registration from a channel, applies them in one
//! transaction (one fsync), and only then answers each waiting request. A request is
//! acknowledged (HTTP 200) only after its transaction committed.
//!
//! SQLite has one writer at a time anyway, so its writer is one OS thread that owns the write
//! connection and runs each batch in-process. PostgreSQL gets a few async writer tasks, so that
//! one batch's WAL flush overlaps the next batch's statements.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot, Mutex};

use crate::config::{Clock, SyncMode};
use crate::db::{self, Db, Outcome, Visit};

/// Upper bound of registrations per transaction.
pub const MAX_BATCH: usize = 2048;
/// Concurrent batches (transactions) in flight per instance on PostgreSQL.
const POSTGRES_WRITERS: usize = 3;
/// Longest wait for more registrations before starting a PostgreSQL transaction (see
/// `run_postgres`).
const GATHER: Duration = Duration::from_micros(600);
/// Attempts per batch before its requests get 503.
const ATTEMPTS: u32 = 3;

pub struct Pending {
    pub visit: Visit,
    pub reply: oneshot::Sender<Result<Outcome, ()>>,
}

#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Pending>,
}

impl Writer {
    /// Starts the writer: a thread for SQLite, `POSTGRES_WRITERS` tasks for PostgreSQL.
    pub fn spawn(db: Db, window_secs: i64, sync: SyncMode, clock: Clock) -> Result<Writer, String> {
        let (tx, rx) = mpsc::channel(16 * 1024);
        match &db {
            Db::Sqlite(pool) => {
                let path = pool.connect_options().get_filename().to_owned();
                std::thread::Builder::new()
                    .name("counter-sqlite-writer".into())
                    .spawn(move || run_sqlite(path, sync, window_secs, clock, rx))
                    .map_err(|e| format!("writer thread: {e}"))?;
            }
            Db::Postgres(_) => {
                let rx = Arc::new(Mutex::new(rx));
                for _ in 0..POSTGRES_WRITERS {
                    tokio::spawn(run_postgres(db.clone(), rx.clone(), window_secs, clock.clone()));
                }
            }
        }
        Ok(Writer { tx })
    }

    /// Queues one registration and waits for its commit. `Err` when it could not be stored.
    pub async fn register(&self, visit: Visit) -> Result<Outcome, ()> {
        let (reply, answer) = oneshot::channel();
        self.tx.send(Pending { visit, reply }).await.map_err(|_| ())?;
        answer.await.unwrap_or(Err(()))
    }
}

/// The SQLite writer thread: takes everything queued (blocking only while the queue is empty),
/// commits it as one batch, answers, repeats. Requests that arrive during a commit form the
/// next batch, so batches grow with the load. Ends when every sender is gone (shutdown).
fn run_sqlite(path: PathBuf, sync: SyncMode, window_secs: i64, clock: Clock, mut rx: mpsc::Receiver<Pending>) {
    let mut conn: Option<rusqlite::Connection> = None;
    let mut pending: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    let mut stats = BatchStats::from_env();
    while let Some(first) = rx.blocking_recv() {
        pending.push(first);
        take_queued(&mut rx, &mut pending);
        let visits: Vec<Visit> = pending.iter().map(|p| p.visit.clone()).collect();
        let started = Instant::now();
        let mut result = Err(());
        for attempt in 0..ATTEMPTS {
            if conn.is_none() {
                conn = db::open_sqlite_writer(&path, sync).map_err(|e| eprintln!("commune-counter: open {path:?}: {e}")).ok();
            }
            let now = clock.now();
            let done = match conn.as_mut() {
                Some(c) => db::register_batch_sqlite(c, &visits, now, now - window_secs).map_err(db::sqlite_error),
                None => Err(sqlx::Error::Io(std::io::Error::other("no SQLite write connection (see the error above)"))),
            };
            match done {
                Ok(outcomes) => {
                    result = Ok(outcomes);
                    break;
                }
                Err(e) => {
                    // the transaction rolled back as a whole (dropped uncommitted); start over
                    // on a fresh connection
                    conn = None;
                    eprintln!("commune-counter: batch of {} failed (attempt {}): {e}", visits.len(), attempt + 1);
                    std::thread::sleep(Duration::from_millis(20 << attempt));
                }
            }
        }
        stats.record(visits.len(), started.elapsed());
        answer(&mut pending, result);
    }
}

async fn run_postgres(db: Db, rx: Arc<Mutex<mpsc::Receiver<Pending>>>, window_secs: i64, clock: Clock) {
    let mut pending: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    let mut answered = 0usize; // size of the previous batch
    let mut stats = BatchStats::from_env();
    loop {
        {
            // only one writer gathers at a time; the others are busy committing
            let mut rx = rx.lock().await;
            if rx.recv_many(&mut pending, MAX_BATCH).await == 0 {
                return; // every sender dropped: service shutting down
            }
            // Gather: the clients answered by the previous commit are usually about to send their
            // next registration. Waiting briefly (≤ GATHER) for them lets one commit serve them
            // too, instead of splitting the load into two half-full batches that alternate.
            let target = (pending.len() + answered).min(MAX_BATCH);
            let gather_start = Instant::now();
            while pending.len() < target && gather_start.elapsed() < GATHER {
                tokio::task::yield_now().await;
                take_queued(&mut rx, &mut pending);
            }
        }
        let visits: Vec<Visit> = pending.iter().map(|p| p.visit.clone()).collect();
        let started = Instant::now();
        let mut result = Err(());
        for attempt in 0..ATTEMPTS {
            let now = clock.now();
            match db.register_batch(&visits, now, now - window_secs).await {
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
        stats.record(visits.len(), started.elapsed());
        answered = pending.len();
        answer(&mut pending, result);
    }
}

/// Moves what is already queued into the batch, up to `MAX_BATCH`, without waiting.
fn take_queued(rx: &mut mpsc::Receiver<Pending>, pending: &mut Vec<Pending>) {
    while pending.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(p) => pending.push(p),
            Err(_) => break,
        }
    }
}

/// Answers every request of the batch (and empties it).
fn answer(pending: &mut Vec<Pending>, result: Result<Vec<Outcome>, ()>) {
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

/// `COUNTER_LOG_BATCHES=1`: prints batch statistics every 5 s (a tuning aid).
struct BatchStats {
    on: bool,
    batches: u64,
    items: u64,
    busy: Duration,
    since: Instant,
}

impl BatchStats {
    fn from_env() -> Self {
        let on = std::env::var("COUNTER_LOG_BATCHES").is_ok_and(|v| v == "1");
        BatchStats { on, batches: 0, items: 0, busy: Duration::ZERO, since: Instant::now() }
    }

    fn record(&mut self, items: usize, busy: Duration) {
        if !self.on {
            return;
        }
        self.batches += 1;
        self.items += items as u64;
        self.busy += busy;
        if self.since.elapsed() >= Duration::from_secs(5) {
            eprintln!(
                "commune-counter: {} batches, {:.1} registrations/batch, {:.2} ms/batch in the database",
                self.batches,
                self.items as f64 / self.batches as f64,
                self.busy.as_secs_f64() * 1000.0 / self.batches as f64
            );
            *self = BatchStats { on: true, batches: 0, items: 0, busy: Duration::ZERO, since: Instant::now() };
        }
    }
}
