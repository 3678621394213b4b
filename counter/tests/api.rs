//! API behaviour against a real service (in-process, random port) on real SQLite and PostgreSQL.
// Tests may panic: the no-panic lints (Cargo.toml) guard the service's request handling.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;

use common::*;
use commune_counter::db::Visit;
use commune_counter::Db;
use serde_json::{json, Value};

on_both_backends!(
    parallel_distinct_visitors_all_count,
    repeat_visit_inside_window_not_counted,
    bots_not_counted,
    malformed_requests_get_json_4xx,
    batch_read,
    cors_only_for_allowed_origins,
    rate_limit_per_visitor,
    seed_sets_baseline_once,
    two_instances_share_one_database,
    rolling_window_across_salt_rotation,
    healthz,
    json_arrays_are_not_registrations,
    body_limits_fit_the_largest_valid_request,
    oversized_headers_get_431,
    scale_out_three_instances_across_salt_rotation,
);

async fn parallel_distinct_visitors_all_count(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let id = uid("parallel");
    let n = 200u32;
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (c, base, id) = (c.clone(), base.clone(), id.clone());
            tokio::spawn(async move { post_view(&c, &base, &id, &visitor_ip(i), &format!("{FIREFOX} v{i}")).await })
        })
        .collect();
    let mut numbers = BTreeSet::new();
    for t in tasks {
        let (status, body) = t.await.expect("join");
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["counted"], json!(true), "{body}");
        assert_eq!(body["id"], json!(id));
        numbers.insert(body["views"].as_i64().expect("views"));
    }
    assert_eq!(get_views(&c, &base, &id).await, i64::from(n));
    // each acknowledged view got its own number: 1..=n, no duplicates, no gaps
    assert_eq!(numbers, (1..=i64::from(n)).collect::<BTreeSet<_>>());
    server.stop().await;
}

async fn repeat_visit_inside_window_not_counted(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let (a, b) = (uid("repeat-a"), uid("repeat-b"));
    let (s, v) = post_view(&c, &base, &a, "203.0.113.7", FIREFOX).await;
    assert_eq!((s, v["views"].clone(), v["counted"].clone()), (200, json!(1), json!(true)));
    let (s, v) = post_view(&c, &base, &a, "203.0.113.7", FIREFOX).await;
    assert_eq!((s, v["views"].clone(), v["counted"].clone()), (200, json!(1), json!(false)));
    // same IP, other browser = other visitor
    let (_, v) = post_view(&c, &base, &a, "203.0.113.7", &format!("{FIREFOX} other")).await;
    assert_eq!(v["counted"], json!(true));
    // same visitor, other article = counts there
    let (_, v) = post_view(&c, &base, &b, "203.0.113.7", FIREFOX).await;
    assert_eq!((v["views"].clone(), v["counted"].clone()), (json!(1), json!(true)));
    // simultaneous repeats of one visitor (same group-commit batch) count once
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (c, base, b2) = (c.clone(), base.clone(), b.clone());
            tokio::spawn(async move { post_view(&c, &base, &b2, "198.51.100.1", FIREFOX).await })
        })
        .collect();
    let mut counted = 0;
    for t in tasks {
        let (s, v) = t.await.expect("join");
        assert_eq!(s, 200);
        if v["counted"] == json!(true) {
            counted += 1;
        }
    }
    assert_eq!(counted, 1);
    assert_eq!(get_views(&c, &base, &a).await, 2);
    assert_eq!(get_views(&c, &base, &b).await, 2);
    server.stop().await;
}

async fn bots_not_counted(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let id = uid("bots");
    let bots = [
        "",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "Wget/1.21.3",
        "python-requests/2.31.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Zalo link preview",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0 A",
        "Mozilla/5.0 (Linux; Android 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36 Chrome-Lighthouse",
    ];
    for (i, ua) in bots.iter().enumerate() {
        let (s, v) = post_view(&c, &base, &id, &visitor_ip(i as u32), ua).await;
        assert_eq!(s, 200, "{ua}: {v}");
        assert_eq!((v["views"].clone(), v["counted"].clone()), (json!(0), json!(false)), "{ua}");
    }
    let (_, v) = post_view(&c, &base, &id, "192.0.2.1", FIREFOX).await;
    assert_eq!((v["views"].clone(), v["counted"].clone()), (json!(1), json!(true)));
    // a bot still sees the current count
    let (_, v) = post_view(&c, &base, &id, "192.0.2.2", "Googlebot/2.1").await;
    assert_eq!((v["views"].clone(), v["counted"].clone()), (json!(1), json!(false)));
    server.stop().await;
}

async fn expect_json_error(r: reqwest::Response, status: u16) {
    assert_eq!(r.status().as_u16(), status);
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(ct.starts_with("application/json"), "content-type {ct:?} for {status}");
    let v: Value = r.json().await.expect("json error body");
    assert!(v["error"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
}

async fn malformed_requests_get_json_4xx(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let post = |body: String, ct: &'static str| {
        c.post(format!("{base}/api/views")).header("content-type", ct).header("user-agent", FIREFOX).body(body).send()
    };
    for bad in ["", "a b", "có-dấu", "a?b", "a#b", "<script>", &"x".repeat(129)] {
        expect_json_error(post(json!({ "id": bad }).to_string(), "application/json").await.unwrap(), 400).await;
    }
    expect_json_error(post(json!({ "id": 5 }).to_string(), "application/json").await.unwrap(), 422).await;
    expect_json_error(post("{}".into(), "application/json").await.unwrap(), 422).await;
    expect_json_error(post("{\"id\":".into(), "application/json").await.unwrap(), 400).await;
    expect_json_error(post(json!({ "id": "ok" }).to_string(), "text/plain").await.unwrap(), 415).await;
    // 4 KiB body limit
    let big = json!({ "id": "ok", "pad": "x".repeat(5000) }).to_string();
    expect_json_error(post(big.clone(), "application/json").await.unwrap(), 413).await;
    // ... also when the length is not announced up front (chunked body)
    let raw = raw_chunked_post(&server.addr.to_string(), "/api/views", &big).await;
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    assert!(raw.to_ascii_lowercase().contains("content-type: application/json"), "{raw}");
    // reads
    expect_json_error(c.get(format!("{base}/api/views/a%20b")).send().await.unwrap(), 400).await;
    expect_json_error(c.get(format!("{base}/api/views/{}", "y".repeat(129))).send().await.unwrap(), 400).await;
    let many: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    expect_json_error(c.post(format!("{base}/api/views/batch")).json(&json!({ "ids": many })).send().await.unwrap(), 400).await;
    expect_json_error(c.post(format!("{base}/api/views/batch")).json(&json!({ "ids": ["ok", "not ok"] })).send().await.unwrap(), 400).await;
    expect_json_error(c.get(format!("{base}/nope")).send().await.unwrap(), 404).await;
    expect_json_error(c.delete(format!("{base}/api/views")).send().await.unwrap(), 405).await;
    // the service is still fine
    assert_eq!(c.get(format!("{base}/healthz")).send().await.unwrap().status().as_u16(), 200);
    server.stop().await;
}

async fn raw_chunked_post(addr: &str, path: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    );
    for chunk in body.as_bytes().chunks(1000) {
        req.push_str(&format!("{:x}\r\n{}\r\n", chunk.len(), std::str::from_utf8(chunk).unwrap()));
    }
    req.push_str("0\r\n\r\n");
    let _ = sock.write_all(req.as_bytes()).await; // the server may answer before reading it all
    let mut out = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), sock.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn batch_read(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let (a, b, unknown) = (uid("batch-a"), uid("batch-b"), uid("batch-unknown"));
    for i in 0..3 {
        post_view(&c, &base, &a, &visitor_ip(i), FIREFOX).await;
    }
    post_view(&c, &base, &b, &visitor_ip(9), FIREFOX).await;
    let r = c.post(format!("{base}/api/views/batch")).json(&json!({ "ids": [a, b, unknown, a] })).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["views"], json!({ a.clone(): 3, b.clone(): 1, unknown.clone(): 0 }));
    let r = c.post(format!("{base}/api/views/batch")).json(&json!({ "ids": [] })).send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap(), json!({ "views": {} }));
    // ids with '/' and ':' are readable by path too
    let slashy = format!("{}/tin-tuc:2024.01", uid("ns"));
    post_view(&c, &base, &slashy, &visitor_ip(1), FIREFOX).await;
    assert_eq!(get_views(&c, &base, &slashy).await, 1);
    assert_eq!(get_views(&c, &base, &unknown).await, 0);
    server.stop().await;
}

async fn cors_only_for_allowed_origins(url: &str) {
    let mut cfg = test_config(url);
    cfg.allowed_origins = vec!["https://ducpho.quangngai.gov.vn".into(), "http://localhost:8080".into()];
    let server = start(cfg).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    for (origin, allowed) in [("https://ducpho.quangngai.gov.vn", true), ("http://localhost:8080", true), ("https://evil.example", false)] {
        let r = c
            .request(reqwest::Method::OPTIONS, format!("{base}/api/views"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
            .await
            .unwrap();
        let acao = r.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap_or("").to_string());
        assert_eq!(acao, allowed.then(|| origin.to_string()), "preflight from {origin}");
        let r = c.get(format!("{base}/api/views/some-id")).header("origin", origin).send().await.unwrap();
        let acao = r.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap_or("").to_string());
        assert_eq!(acao, allowed.then(|| origin.to_string()), "GET from {origin}");
        assert!(r.headers().get("set-cookie").is_none());
    }
    server.stop().await;
}

async fn rate_limit_per_visitor(url: &str) {
    let mut cfg = test_config(url);
    cfg.rate_limit_per_minute = 60;
    let server = start(cfg).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    // fixed one-minute windows: retry with a fresh visitor if the minute rolled over mid-run
    let mut checked = false;
    for attempt in 0..3 {
        let minute = commune_counter::now_secs() / 60;
        let ip = format!("192.0.2.{}", 70 + attempt);
        let mut statuses = Vec::new();
        for i in 0..61 {
            // across different articles: the limit is per visitor, not per article
            let (s, _) = post_view(&c, &base, &uid(&format!("rl{i}")), &ip, FIREFOX).await;
            statuses.push(s);
        }
        if commune_counter::now_secs() / 60 != minute {
            continue;
        }
        assert!(statuses[..60].iter().all(|&s| s == 200), "{statuses:?}");
        assert_eq!(statuses[60], 429);
        // 429 is a JSON error too
        let r = c
            .post(format!("{base}/api/views"))
            .header("x-forwarded-for", ip.as_str())
            .header("user-agent", FIREFOX)
            .json(&json!({ "id": "x" }))
            .send()
            .await
            .unwrap();
        if commune_counter::now_secs() / 60 == minute {
            expect_json_error(r, 429).await;
        }
        checked = true;
        break;
    }
    assert!(checked, "minute rolled over on every attempt");
    // another visitor is not affected
    let (s, _) = post_view(&c, &base, &uid("rl-other"), "192.0.2.99", FIREFOX).await;
    assert_eq!(s, 200);
    server.stop().await;
}

async fn seed_sets_baseline_once(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let id = uid("ducpho-2023-12-27-truc-bao-mttq");
    assert!(server.db.seed(&id, 98).await.unwrap());
    assert_eq!(get_views(&c, &base, &id).await, 98);
    let (_, v) = post_view(&c, &base, &id, "192.0.2.10", FIREFOX).await;
    assert_eq!((v["views"].clone(), v["counted"].clone()), (json!(99), json!(true)));
    assert!(!server.db.seed(&id, 5).await.unwrap(), "seed must not overwrite an existing count");
    assert_eq!(get_views(&c, &base, &id).await, 99);
    server.stop().await;
}

async fn two_instances_share_one_database(url: &str) {
    let (s1, s2) = (start(test_config(url)).await, start(test_config(url)).await);
    let bases = [format!("http://{}", s1.addr), format!("http://{}", s2.addr)];
    let c = client();
    let id = uid("shared");
    let tasks: Vec<_> = (0..200u32)
        .map(|i| {
            let (c, base, id) = (c.clone(), bases[(i % 2) as usize].clone(), id.clone());
            tokio::spawn(async move { post_view(&c, &base, &id, &visitor_ip(1000 + i), FIREFOX).await })
        })
        .collect();
    for t in tasks {
        let (s, v) = t.await.unwrap();
        assert_eq!((s, v["counted"].clone()), (200, json!(true)), "{v}");
    }
    // the same visitor on the other instance is recognised (shared daily salt)
    let (_, v) = post_view(&c, &bases[1], &id, &visitor_ip(1000), FIREFOX).await;
    assert_eq!(v["counted"], json!(false));
    assert_eq!(get_views(&c, &bases[0], &id).await, 200);
    assert_eq!(get_views(&c, &bases[1], &id).await, 200);
    s1.stop().await;
    s2.stop().await;
}

/// The storage rule behind the rolling window, driven with explicit times: a visit recorded
/// under yesterday's salt still blocks a repeat today while inside the window, not after.
async fn rolling_window_across_salt_rotation(url: &str) {
    let db = Db::connect(url).await.unwrap();
    let id = uid("window");
    let hash = |tag: &str| commune_counter::visitor::visit_hash(b"test salt", &uid(tag), "", "");
    let (h_yesterday, h_today) = (hash("hy"), hash("ht"));
    // Recent times, not a fixed date: the PostgreSQL database is shared with the other tests,
    // whose servers delete visits older than their own window when they start.
    let t0 = commune_counter::now_secs() - 12 * 3600;
    let v = |current: i64, previous: Vec<i64>| Visit { article: id.clone(), current, previous };
    let day = 86_400;
    let o = db.register_batch(&[v(h_yesterday, vec![])], t0, t0 - day).await.unwrap();
    assert_eq!((o[0].views, o[0].counted), (1, true));
    // 10 h later, after the salt rotated: today's hash is new but yesterday's was seen in the window
    let t1 = t0 + 10 * 3600;
    let o = db.register_batch(&[v(h_today, vec![h_yesterday])], t1, t1 - day).await.unwrap();
    assert_eq!((o[0].views, o[0].counted), (1, false));
    // 25 h later: outside the window, counts again
    let t2 = t0 + 25 * 3600;
    let o = db.register_batch(&[v(h_today, vec![h_yesterday])], t2, t2 - day).await.unwrap();
    assert_eq!((o[0].views, o[0].counted), (2, true));
    // and again inside the new window: not counted
    let o = db.register_batch(&[v(h_today, vec![])], t2 + 60, t2 + 60 - day).await.unwrap();
    assert_eq!((o[0].views, o[0].counted), (2, false));
    // an expired row of the same hash (not yet cleaned up) counts again
    let t3 = t2 + 2 * day;
    let o = db.register_batch(&[v(h_today, vec![])], t3, t3 - day).await.unwrap();
    assert_eq!((o[0].views, o[0].counted), (3, true));
    // cleanup removes what left the window: yesterday's row, seen at t0 (a cutoff that cannot
    // touch the other tests' rows, which are all newer)
    db.cleanup(t0, 0).await.unwrap();
    let left: i64 = match &db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT count(*) FROM counter_visits WHERE article = ?1").bind(&id).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_scalar("SELECT count(*) FROM counter_visits WHERE article = $1").bind(&id).fetch_one(p).await,
    }
    .unwrap();
    assert_eq!(left, 1, "only today's visit (seen at t3) is left");
    db.close().await;
}

async fn healthz(url: &str) {
    let server = start(test_config(url)).await;
    let r = client().get(format!("http://{}/healthz", server.addr)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    server.stop().await;
}

/// A body must be a JSON object: serde's derived struct deserializer would also take the
/// sequence form (`["id"]` for `{"id":"id"}`, `[["a","b"]]` for `{"ids":["a","b"]}`).
async fn json_arrays_are_not_registrations(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let (id, other) = (uid("array"), uid("array-other"));
    let post = |path: &'static str, body: String| {
        c.post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .header("user-agent", FIREFOX)
            .header("x-forwarded-for", "192.0.2.50")
            .body(body)
            .send()
    };
    expect_json_error(post("/api/views", json!([id]).to_string()).await.unwrap(), 422).await;
    expect_json_error(post("/api/views", json!([[id]]).to_string()).await.unwrap(), 422).await;
    expect_json_error(post("/api/views/batch", json!([[id, other]]).to_string()).await.unwrap(), 422).await;
    expect_json_error(post("/api/views/batch", json!([[]]).to_string()).await.unwrap(), 422).await;
    // nothing was counted, and the visitor is not spent: its first real registration counts
    assert_eq!(get_views(&c, &base, &id).await, 0);
    let (s, v) = post_view(&c, &base, &id, "192.0.2.50", FIREFOX).await;
    assert_eq!((s, v["views"].clone(), v["counted"].clone()), (200, json!(1), json!(true)), "{v}");
    // the object forms still work, with their fields in any order and unknown fields ignored
    let r = post("/api/views/batch", format!("{{\"x\":1,\"ids\":[\"{id}\",\"{other}\"]}}")).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({ "views": { id.clone(): 1, other.clone(): 0 } }));
    server.stop().await;
}

/// `{"id":…}` with a `pad` field of spaces, exactly `len` bytes long.
fn padded(mut body: Value, len: usize) -> String {
    body["pad"] = json!("");
    let bare = body.to_string().len();
    body["pad"] = json!(" ".repeat(len - bare));
    let s = body.to_string();
    assert_eq!(s.len(), len);
    s
}

/// The batch endpoint takes the largest valid batch — 100 ids of 128 characters — even with every
/// `/` escaped as `\/` and pretty-printed (32 KiB limit); a registration stays at 4 KiB.
async fn body_limits_fit_the_largest_valid_request(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let post = |path: &'static str, body: String| {
        c.post(format!("{base}{path}")).header("content-type", "application/json").header("user-agent", FIREFOX).body(body).send()
    };
    // 100 distinct ids of 128 characters, 110 of them '/' (a short tail unique to this run)
    let run = uid("b").bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let ids: Vec<String> = (0..100)
        .map(|i| {
            let tail = format!("{run:016x}{i:02}");
            format!("{}{tail}", "/".repeat(128 - tail.len()))
        })
        .collect();
    assert!(ids.iter().all(|id| id.len() == 128 && commune_counter::visitor::valid_id(id)));
    post_view(&c, &base, &ids[7], "192.0.2.60", FIREFOX).await;
    // compact: 13,109 bytes (over the old 4 KiB limit); escaped and pretty-printed: ≈ 24.6 KB
    let compact = json!({ "ids": ids }).to_string();
    let worst = serde_json::to_string_pretty(&json!({ "ids": ids })).unwrap().replace('/', "\\/");
    assert!(compact.len() > 13_000 && worst.len() > 24_000, "{} {}", compact.len(), worst.len());
    for body in [compact, worst] {
        let r = post("/api/views/batch", body).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = r.json().await.unwrap();
        let views = v["views"].as_object().unwrap();
        assert_eq!(views.len(), 100);
        assert_eq!(views[&ids[7]], json!(1));
        assert_eq!(views[&ids[8]], json!(0));
    }
    // the limits, to the byte: 32 KiB for a batch, 4 KiB for a registration
    let few = json!({ "ids": [ids[7]] });
    let r = post("/api/views/batch", padded(few.clone(), 32 * 1024)).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    expect_json_error(post("/api/views/batch", padded(few.clone(), 32 * 1024 + 1)).await.unwrap(), 413).await;
    let raw = raw_chunked_post(&server.addr.to_string(), "/api/views/batch", &padded(few, 32 * 1024 + 1)).await;
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    let one = json!({ "id": ids[9] });
    let r = post("/api/views", padded(one.clone(), 4 * 1024)).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    expect_json_error(post("/api/views", padded(one.clone(), 4 * 1024 + 1)).await.unwrap(), 413).await;
    let raw = raw_chunked_post(&server.addr.to_string(), "/api/views", &padded(one, 4 * 1024 + 1)).await;
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    server.stop().await;
}

/// Request headers are capped at 16 KiB in all (like Node.js; nginx allows 8 KiB per line):
/// beyond, `431 Request Header Fields Too Large` and nothing counted.
async fn oversized_headers_get_431(url: &str) {
    let server = start(test_config(url)).await;
    let base = format!("http://{}", server.addr);
    let c = client();
    let id = uid("headers");
    let post = |ip: &'static str, pad: usize| {
        c.post(format!("{base}/api/views"))
            .header("user-agent", FIREFOX)
            .header("x-forwarded-for", ip)
            .header("cookie", format!("portal_session={}", "c".repeat(pad)))
            .json(&json!({ "id": id }))
            .send()
    };
    // a big portal cookie (8 KB) is fine
    let r = post("192.0.2.80", 8 * 1024).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    for pad in [17 * 1024, 100 * 1024, 1024 * 1024] {
        match post("192.0.2.81", pad).await {
            Ok(r) => assert_eq!(r.status().as_u16(), 431, "a {pad}-byte header"),
            // a client still sending when the server closes may see the reset instead (1 MB;
            // 100 KB too where socket buffers are small): refused all the same
            Err(e) => assert!(pad >= 100 * 1024, "a {pad}-byte header: {e}"),
        }
    }
    assert_eq!(get_views(&c, &base, &id).await, 1);
    // the same visitor with ordinary headers counts
    let r = post("192.0.2.81", 10).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(get_views(&c, &base, &id).await, 2);
    server.stop().await;
}

/// `n` registrations at once, `(visitor, instance)` pairs; returns (status, body) in order.
async fn post_all(c: &reqwest::Client, bases: &[String], id: &str, calls: Vec<(u32, usize)>) -> Vec<(u16, Value)> {
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|(visitor, instance)| {
            let (c, base, id) = (c.clone(), bases[instance % bases.len()].clone(), id.to_string());
            tokio::spawn(async move { post_view(&c, &base, &id, &visitor_ip(visitor), FIREFOX).await })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        let (s, v) = t.await.unwrap();
        assert_eq!(s, 200, "{v}");
        out.push((s, v));
    }
    out
}

fn counted(answers: &[(u16, Value)]) -> usize {
    answers.iter().filter(|(_, v)| v["counted"] == json!(true)).count()
}

/// Scale-out: three instances on one database at once, on a simulated clock shared by all three,
/// across a salt rotation (midnight UTC) and the end of the window. The same visitor sent to all
/// three at once counts once; distinct visitors spread over them count exactly; the salts of the
/// old and the new day — each created by whichever instance came first, in a fresh database —
/// are the same on every instance.
async fn scale_out_three_instances_across_salt_rotation(url: &str) {
    let (url, schema) = isolated(url).await;
    let cfg = test_config(&url);
    let clock = cfg.clock.clone();
    let now = commune_counter::now_secs();
    let midnight = now - now.rem_euclid(86_400) + 86_400; // the next one
    clock.set_now(midnight - 120); // 23:58 of day D
    let servers = [start(cfg.clone()).await, start(cfg.clone()).await, start(cfg.clone()).await];
    let bases: Vec<String> = servers.iter().map(|s| format!("http://{}", s.addr)).collect();
    let c = client();
    let (a, b, w_article) = (uid("scale-a"), uid("scale-b"), uid("scale-w"));
    let v = 1; // one visitor…
    let everywhere = |visitor: u32| (0..9).map(move |i| (visitor, i)).collect::<Vec<_>>();

    // day D (no salt yet: the three instances create it at once): the same visitor on all three
    let r = post_all(&c, &bases, &a, everywhere(v)).await;
    assert_eq!(counted(&r), 1, "one visitor, nine requests over three instances");
    assert_eq!(get_views(&c, &bases[2], &a).await, 1);
    // 300 distinct visitors spread over the three: exactly 300, numbered 1…300
    let r = post_all(&c, &bases, &b, (0..300).map(|i| (1000 + i, i as usize)).collect()).await;
    assert_eq!(counted(&r), 300);
    let numbers: BTreeSet<i64> = r.iter().map(|(_, v)| v["views"].as_i64().unwrap()).collect();
    assert_eq!(numbers, (1..=300).collect::<BTreeSet<_>>());
    for base in &bases {
        assert_eq!(get_views(&c, base, &b).await, 300);
    }

    // midnight: day D+1, a new salt (created by the three at once), yesterday's still checked
    clock.set_now(midnight + 30);
    let r = post_all(&c, &bases, &a, everywhere(v)).await;
    assert_eq!(counted(&r), 0, "seen 2.5 minutes ago under yesterday's salt, on any instance");
    // the 300 again, each on another instance than the first time: none counts
    let r = post_all(&c, &bases, &b, (0..300).map(|i| (1000 + i, i as usize + 1)).collect()).await;
    assert_eq!(counted(&r), 0, "yesterday's salt differs between instances");
    // a new visitor on all three at once: once (today's salt is the same on all three)
    let r = post_all(&c, &bases, &w_article, everywhere(2)).await;
    assert_eq!(counted(&r), 1, "today's salt differs between instances");
    let r = post_all(&c, &bases, &w_article, everywhere(2)).await;
    assert_eq!(counted(&r), 0);

    // past the end of the window (24 h after the first visit), day D+2: counts again, once
    clock.set_now(midnight + 30 + 86_400 + 60);
    let r = post_all(&c, &bases, &a, everywhere(v)).await;
    assert_eq!(counted(&r), 1, "the window ended: one new view");
    let r = post_all(&c, &bases, &b, (0..300).map(|i| (1000 + i, i as usize + 2)).collect()).await;
    assert_eq!(counted(&r), 300);
    for base in &bases {
        assert_eq!(get_views(&c, base, &a).await, 2);
        assert_eq!(get_views(&c, base, &b).await, 600);
        assert_eq!(get_views(&c, base, &w_article).await, 1);
    }
    for s in servers {
        s.stop().await;
    }
    drop_isolated(&url, schema).await;
}
