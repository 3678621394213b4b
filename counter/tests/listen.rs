//! The listen backlog: a burst of new connections (a list page opening, a reverse proxy opening
//! its pool) must not overflow the kernel's accept queue. An overflowing SYN is dropped and the
//! client retries it only after 1 s. Loopback only, bounded in time.

// Tests may panic: the no-panic lints (Cargo.toml) guard the service's request handling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BURST: usize = 500;
/// Well under the 1 s after which a dropped SYN is sent again.
const PROMPT: Duration = Duration::from_millis(700);

/// Opens `BURST` connections at once; returns the connected ones and every connect's latency
/// (`PROMPT` and over: not connected in time).
async fn burst(addr: &str) -> (Vec<TcpStream>, Vec<Duration>) {
    let tasks: Vec<_> = (0..BURST)
        .map(|_| {
            let addr = addr.to_string();
            tokio::spawn(async move {
                let t = Instant::now();
                let s = tokio::time::timeout(PROMPT, TcpStream::connect(addr)).await.ok().and_then(Result::ok);
                (s, t.elapsed())
            })
        })
        .collect();
    let mut streams = Vec::new();
    let mut latencies = Vec::new();
    for t in tasks {
        let (s, d) = t.await.unwrap();
        streams.extend(s);
        latencies.push(d);
    }
    latencies.sort();
    (streams, latencies)
}

fn figures(l: &[Duration]) -> String {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    format!("p50 {}, p99 {}, max {}", ms(l[l.len() / 2]), ms(l[l.len() * 99 / 100]), ms(l[l.len() - 1]))
}

async fn healthz_on(mut s: TcpStream) -> bool {
    let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await;
    out.starts_with(b"HTTP/1.1 200")
}

/// With the default backlog (1024), 500 connections opened at once all connect promptly, even
/// while the service accepts nothing at all (stopped with SIGSTOP: they wait in the kernel's
/// accept queue), and are all served once it runs again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_500_connections_connects_promptly() {
    let somaxconn = commune_counter::serve::somaxconn().unwrap_or(u32::MAX);
    assert!(somaxconn as usize > BURST, "net.core.somaxconn={somaxconn} caps every listen backlog: sysctl -w net.core.somaxconn=4096");
    let db = sqlite_db();
    let service = spawn_service(&db.url, &[]).await;
    // the service running: the realistic case
    let (streams, latencies) = burst(service.addr()).await;
    eprintln!("{BURST} connects at once, service running: {} connected promptly; {}", streams.len(), figures(&latencies));
    assert_eq!(streams.len(), BURST, "{}", figures(&latencies));
    drop(streams);
    // the service stopped: only the accept queue holds them
    service.signal("STOP");
    let (streams, latencies) = burst(service.addr()).await;
    service.signal("CONT");
    eprintln!("{BURST} connects at once, service stopped: {} connected promptly; {}", streams.len(), figures(&latencies));
    assert_eq!(streams.len(), BURST, "the accept queue overflowed: {}", figures(&latencies));
    let served = futures_join(streams.into_iter().map(healthz_on)).await;
    assert!(served.iter().all(|&ok| ok), "{} of {BURST} queued connections served", served.iter().filter(|&&ok| ok).count());
}

/// `COUNTER_LISTEN_BACKLOG` reaches the socket: with 100, a stopped service's accept queue
/// takes about 100 connections of the burst, not 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_backlog_is_configurable() {
    let db = sqlite_db();
    let service = spawn_service(&db.url, &[("COUNTER_LISTEN_BACKLOG", "100")]).await;
    service.signal("STOP");
    let (streams, latencies) = burst(service.addr()).await;
    service.signal("CONT");
    eprintln!("COUNTER_LISTEN_BACKLOG=100, {BURST} connects at once, service stopped: {} connected promptly; {}", streams.len(), figures(&latencies));
    // Linux queues backlog + 1 (the default 1024 would take all 500, tokio's 128 takes 129);
    // allow a few more whose handshake completed as the queue filled
    assert!((101..=110).contains(&streams.len()), "{} connected", streams.len());
}

/// Runs the futures concurrently, results in order.
async fn futures_join<F: std::future::Future<Output = bool> + Send + 'static>(fs: impl Iterator<Item = F>) -> Vec<bool> {
    let tasks: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap_or(false));
    }
    out
}
