//! Load generator for commune-counter (loopback only, bounded in time).
//!
//!   cargo run --release -p commune-counter --example counter-bench -- \
//!       --url http://127.0.0.1:8787 --concurrency 64 --seconds 10 [--articles 100] [--threads 1]
//!
//! Opens `concurrency` keep-alive HTTP/1.1 connections; each sends `POST /api/views` back to back,
//! every request with a new `X-Forwarded-For` (so every request is a new visitor that counts;
//! the service must run with COUNTER_TRUST_PROXY=1). Prints one line of `key=value` figures:
//! acknowledged (200, counted) views per second and latency percentiles.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::io::Write as _;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Args {
    host: String,
    concurrency: usize,
    seconds: u64,
    articles: u32,
    threads: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args { host: "127.0.0.1:8787".into(), concurrency: 64, seconds: 10, articles: 100, threads: 1 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let val = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = || val.parse::<u64>().map_err(|e| format!("{flag} {val}: {e}"));
        match flag.as_str() {
            "--url" => a.host = val.trim_start_matches("http://").trim_end_matches('/').to_string(),
            "--concurrency" => a.concurrency = num()?.clamp(1, 1024) as usize,
            "--seconds" => a.seconds = num()?.clamp(1, 120),
            "--articles" => a.articles = num()?.clamp(1, 1_000_000) as u32,
            "--threads" => a.threads = num()?.clamp(1, 64) as usize,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    let ip: std::net::SocketAddr = a.host.parse().map_err(|e| format!("--url must be http://IP:PORT: {e}"))?;
    if !ip.ip().is_loopback() {
        return Err("refusing to load a non-loopback address".into());
    }
    Ok(a)
}

#[derive(Default)]
struct Stats {
    acked: u64,
    not_counted: u64,
    errors: u64,
    latencies_us: Vec<u32>,
}

/// One keep-alive connection sending registrations back to back. HTTP/1.1 is written and read
/// by hand on purpose: the generator shares the machine's cores with the service, so it must
/// cost as little per request as redis-benchmark does for Redis (a full HTTP client spent
/// about a fifth of the machine here).
async fn worker(host: String, articles: u32, next: Arc<AtomicU32>, stop: Arc<AtomicBool>, deadline: Instant) -> Stats {
    let mut st = Stats::default();
    let Ok(mut stream) = tokio::net::TcpStream::connect(&host).await else {
        st.errors += 1;
        return st;
    };
    let _ = stream.set_nodelay(true);
    let mut req: Vec<u8> = Vec::with_capacity(512);
    let mut buf: Vec<u8> = vec![0; 4096];
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        let n = next.fetch_add(1, Ordering::Relaxed);
        let body = format!("{{\"id\":\"bench-article-{}\"}}", n % articles);
        req.clear();
        let _ = write!(
            req,
            "POST /api/views HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n\
             user-agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n\
             x-forwarded-for: 10.{}.{}.{}\r\ncontent-length: {}\r\n\r\n{body}",
            (n >> 16) & 255,
            (n >> 8) & 255,
            n & 255,
            body.len()
        );
        let t = Instant::now();
        if stream.write_all(&req).await.is_err() {
            st.errors += 1;
            break;
        }
        let Some((status, body)) = read_response(&mut stream, &mut buf).await else {
            st.errors += 1;
            break;
        };
        st.latencies_us.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
        let counted = buf.get(body).is_some_and(|b| b.windows(14).any(|w| w == b"\"counted\":true"));
        match (status, counted) {
            (200, true) => st.acked += 1,
            (200, false) => st.not_counted += 1,
            _ => st.errors += 1,
        }
    }
    st
}

/// Reads one response with a `content-length` body into `buf`: its status and the body's range.
async fn read_response(stream: &mut tokio::net::TcpStream, buf: &mut [u8]) -> Option<(u16, std::ops::Range<usize>)> {
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            return None; // a counter response is a few hundred bytes
        }
        let got = stream.read(buf.get_mut(filled..)?).await.ok()?;
        if got == 0 {
            return None;
        }
        filled += got;
        let head = buf.get(..filled)?;
        let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let text = std::str::from_utf8(head.get(..end)?).ok()?;
        let status: u16 = text.get(9..12)?.parse().ok()?;
        let length: usize = text
            .lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
            .and_then(|(_, v)| v.trim().parse().ok())?;
        let body = end + 4..end + 4 + length;
        if filled >= body.end {
            return Some((status, body));
        }
    }
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("counter-bench: {e}");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(args.threads).enable_all().build();
    let Ok(rt) = rt else {
        eprintln!("counter-bench: no runtime");
        std::process::exit(2);
    };
    // unique visitor numbers per run, so reruns against one database still count
    let seed = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as u32)
        .wrapping_mul(2_654_435_761);
    let next = Arc::new(AtomicU32::new(seed));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(args.seconds);
    let all = rt.block_on(async {
        let handles: Vec<_> = (0..args.concurrency)
            .map(|_| tokio::spawn(worker(args.host.clone(), args.articles, next.clone(), stop.clone(), deadline)))
            .collect();
        let mut out = Vec::new();
        for h in handles {
            if let Ok(s) = h.await {
                out.push(s);
            }
        }
        out
    });
    let elapsed = start.elapsed().as_secs_f64();
    let mut lat: Vec<u32> = all.iter().flat_map(|s| s.latencies_us.iter().copied()).collect();
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 - 1.0) * p).round() as usize;
        lat.get(i.min(lat.len() - 1)).map_or(0.0, |&us| f64::from(us) / 1000.0)
    };
    let acked: u64 = all.iter().map(|s| s.acked).sum();
    let not_counted: u64 = all.iter().map(|s| s.not_counted).sum();
    let errors: u64 = all.iter().map(|s| s.errors).sum();
    println!(
        "acked_views={acked} not_counted={not_counted} errors={errors} seconds={elapsed:.2} views_per_sec={:.0} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} concurrency={}",
        acked as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        pct(1.0),
        args.concurrency
    );
}
