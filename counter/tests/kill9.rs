//! Durability: hammer the real binary, SIGKILL it mid-load, restart it, and check that every
//! acknowledged view (HTTP 200) survived, and that the count equals the committed visit rows.
//! Run in both `COUNTER_SYNC` modes: `normal` must survive `kill -9` of the service as well.
// Tests may panic: the no-panic lints (Cargo.toml) guard the service's request handling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use commune_counter::Db;
use serde_json::json;

const CONCURRENCY: u32 = 32;

async fn visit_rows(db_url: &str, article: &str) -> i64 {
    let db = Db::connect(db_url).await.expect("connect");
    let n = match &db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT count(*) FROM counter_visits WHERE article = ?1").bind(article).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_scalar("SELECT count(*) FROM counter_visits WHERE article = $1").bind(article).fetch_one(p).await,
    }
    .expect("count rows");
    db.close().await;
    n
}

async fn kill9_keeps_every_acknowledged_view(db_url: &str, sync: &str) {
    let id = uid("kill9");
    let service = spawn_service(db_url, &[("COUNTER_SYNC", sync)]).await;
    let base = service.1.clone();
    let c = client();
    let acked = Arc::new(AtomicU64::new(0));
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (c, base, id, acked, next, stop) = (c.clone(), base.clone(), id.clone(), acked.clone(), next.clone(), stop.clone());
            tokio::spawn(async move {
                let deadline = Instant::now() + Duration::from_secs(20); // bounded even if the kill fails
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let n = next.fetch_add(1, Ordering::Relaxed) as u32;
                    let sent = c
                        .post(format!("{base}/api/views"))
                        .header("x-forwarded-for", visitor_ip(n))
                        .header("user-agent", FIREFOX)
                        .json(&json!({ "id": id }))
                        .timeout(Duration::from_secs(5))
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status().is_success() => {
                            // acknowledged only once the full 200 body arrived
                            if let Ok(v) = r.json::<serde_json::Value>().await {
                                if v["counted"] == json!(true) {
                                    acked.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                        }
                        Ok(r) => panic!("unexpected status {}", r.status()),
                        Err(_) => break, // the service is gone
                    }
                }
            })
        })
        .collect();
    // let it run under load, then SIGKILL with requests in flight
    let t0 = Instant::now();
    while acked.load(Ordering::Relaxed) < 300 && t0.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut service = service;
    service.0.kill().expect("SIGKILL"); // std's Child::kill sends SIGKILL on Unix
    let _ = service.0.wait();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.expect("worker");
    }
    let acked = acked.load(Ordering::Relaxed) as i64;
    let sent = next.load(Ordering::Relaxed) as i64;
    assert!(acked > 0, "no request was acknowledged before the kill");

    // restart on the same database and read the count back
    let restarted = spawn_service(db_url, &[("COUNTER_SYNC", sync)]).await;
    let views = get_views(&client(), &restarted.1, &id).await;
    let rows = visit_rows(db_url, &id).await;
    eprintln!("kill -9 (COUNTER_SYNC={sync}): sent {sent}, acknowledged {acked}, counted after restart {views}, committed visit rows {rows}");
    assert!(views >= acked, "lost acknowledged views: {views} < {acked}");
    assert!(views <= sent, "more views than requests: {views} > {sent}");
    assert_eq!(views, rows, "count must equal committed visit rows");
    drop(restarted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_full_kill9_keeps_every_acknowledged_view() {
    let db = sqlite_db();
    kill9_keeps_every_acknowledged_view(&db.url, "full").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_normal_kill9_keeps_every_acknowledged_view() {
    let db = sqlite_db();
    kill9_keeps_every_acknowledged_view(&db.url, "normal").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_full_kill9_keeps_every_acknowledged_view() {
    let Some(url) = pg_url() else { return };
    kill9_keeps_every_acknowledged_view(&url, "full").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_normal_kill9_keeps_every_acknowledged_view() {
    let Some(url) = pg_url() else { return };
    kill9_keeps_every_acknowledged_view(&url, "normal").await;
}
