//! `site` end to end against a local portal (loopback only, bounded): 56 listed articles over 6
//! list pages, a robots.txt that disallows /private/ (never requested), a slow page (timeout), a
//! 500, a redirect; then an incremental second run where everything unchanged is answered 304,
//! one page changed is updated and one page that turned bad does not overwrite its good output.
//! Also `page`: private addresses refused before any request, non-http redirects and oversized
//! responses refused.

// Test code: may index, unwrap and panic (clippy.toml allows it in #[test] functions only).
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_commune-reader-import");
const ARTICLES: usize = 52;
const PER_PAGE: usize = 10;
const LIST_MODIFIED: &str = "Mon, 01 Jan 2024 00:00:00 GMT";

#[derive(Debug, Clone)]
struct Logged {
    path: String,
    status: u16,
    conditional: bool,
    user_agent: String,
}

#[derive(Default)]
struct Portal {
    log: Mutex<Vec<Logged>>,
    /// article number → extra paragraph (changed) or "bad" (the page lost its body)
    changes: Mutex<HashMap<usize, &'static str>>,
    active: AtomicUsize,
    max_active: AtomicUsize,
}

fn title(n: usize) -> String {
    format!("Bài số {n}: hội nghị triển khai nhiệm vụ của xã Thử Nghiệm")
}

fn date(n: usize) -> (u32, u32) {
    // day of January/February 2024
    let day = n as u32; // 1..=56
    if day <= 31 {
        (day, 1)
    } else {
        (day - 31, 2)
    }
}

fn article_html(n: usize, change: Option<&str>) -> String {
    let (d, m) = date(n);
    let body = if change == Some("bad") {
        "<p>Bài viết đang được cập nhật. Nội dung chi tiết sẽ được Ban biên tập đăng tải trong thời gian sớm nhất, mong bạn đọc thông cảm.</p>".to_string()
    } else {
        let mut b = format!(
            "<p>Sáng ngày {d:02}/{m:02}/2024, UBND xã Thử Nghiệm tổ chức hội nghị số {n} triển khai nhiệm vụ trọng tâm, với sự tham dự của lãnh đạo các ban ngành, đoàn thể và trưởng các thôn trên địa bàn xã.</p>\
             <p>Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ thời gian qua, chỉ ra những tồn tại, hạn chế và đề ra giải pháp khắc phục trong thời gian tới, nhất là công tác cải cách hành chính và chuyển đổi số.</p>\
             <p>Phát biểu kết luận, Chủ tịch UBND xã đề nghị các thôn, các ngành bám sát kế hoạch, phối hợp chặt chẽ để hoàn thành các chỉ tiêu đã đề ra.</p>"
        );
        if let Some(extra) = change {
            b.push_str(&format!("<p>{extra}</p>"));
        }
        b.push_str("<p>PV</p>");
        b
    };
    format!(
        r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{t} - Cổng TTĐT xã Thử Nghiệm</title>
<meta property="og:site_name" content="Cổng TTĐT xã Thử Nghiệm"><script>var x = 1;</script></head><body>
<div class="top">Hôm nay: Thứ Hai, 01/01/2024</div><ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức - Sự kiện</a></li></ul>
<div class="news-detail"><ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức</a></li></ul>
<h1 class="title">{t}</h1><div class="meta">{d:02}/{m:02}/2024 08:{mm:02} | Lượt xem: {v}</div>
<div class="content">{body}</div>
<div class="share"><a href="javascript:window.print()">In bài</a></div>
<div class="related"><h3>Tin liên quan</h3><ul><li><a href="/tin/1">{t1}</a></li></ul></div></div>
<div class="footer">Cổng TTĐT xã Thử Nghiệm</div></body></html>"#,
        t = title(n),
        mm = n % 60,
        v = 100 + n,
        t1 = title(1)
    )
}

/// The listed links: 52 articles, a redirected old address, a robots-disallowed page, a 500 and a
/// slow page.
fn listed() -> Vec<(String, String)> {
    let mut l: Vec<(String, String)> = (1..=ARTICLES).map(|n| (format!("/tin/{n}"), title(n))).collect();
    l.insert(10, ("/tin/cu-53".into(), title(53)));
    l.insert(20, ("/private/bi-mat".into(), "Tài liệu nội bộ không được công bố trên cổng".into()));
    l.insert(30, ("/tin/loi".into(), "Bài viết có lỗi máy chủ khi mở ra xem".into()));
    l.insert(40, ("/tin/cham".into(), "Bài viết mở rất chậm vì máy chủ quá tải".into()));
    l
}

fn list_html(page: usize) -> String {
    let all = listed();
    let pages = all.len().div_ceil(PER_PAGE);
    let items: String = all
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|(h, t)| format!(r#"<div class="item"><h3><a href="{h}">{t}</a></h3><span class="date">01/01/2024</span></div>"#))
        .collect();
    let pager: String = (1..=pages).map(|p| format!(r#"<a href="/tin-tuc?page={p}">{p}</a> "#)).collect();
    format!(
        r#"<html><head><title>Tin tức - Sự kiện - Cổng TTĐT xã Thử Nghiệm</title></head><body>
<ul class="menu"><li><a href="/gioi-thieu">Giới thiệu chung về xã Thử Nghiệm anh hùng</a></li></ul>
<div class="list-news">{items}</div><div class="pager">{pager}</div>
<div class="footer"><a href="/lien-he">Liên hệ với Ban biên tập cổng thông tin xã</a></div></body></html>"#
    )
}

fn respond(stream: &mut TcpStream, status: u16, headers: &[(&str, String)], body: &[u8], portal: &Portal) {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        _ => "Internal Server Error",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    // the request is over for the client once it can read this: count it as finished first
    portal.active.fetch_sub(1, Ordering::SeqCst);
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn etag_of(body: &str) -> String {
    let mut h: u64 = 1469598103934665603;
    for b in body.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(1099511628211);
    }
    format!("\"{h:x}\"")
}

fn handle(mut stream: TcpStream, portal: &Portal) {
    let now = portal.active.fetch_add(1, Ordering::SeqCst) + 1;
    portal.max_active.fetch_max(now, Ordering::SeqCst);
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        portal.active.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let inm = headers.get("if-none-match").cloned();
    let ims = headers.get("if-modified-since").cloned();
    let conditional = inm.is_some() || ims.is_some();
    let ua = headers.get("user-agent").cloned().unwrap_or_default();
    let html = |s: String| (vec![("Content-Type", "text/html; charset=utf-8".to_string())], s);
    let (status, hdrs, body): (u16, Vec<(&str, String)>, String) = if path == "/robots.txt" {
        (200, vec![("Content-Type", "text/plain".into())], "User-agent: *\nDisallow: /private/\n".into())
    } else if path == "/tin-tuc" || path.starts_with("/tin-tuc?page=") {
        let page: usize = path.rsplit('=').next().and_then(|p| p.parse().ok()).unwrap_or(1);
        if ims.as_deref() == Some(LIST_MODIFIED) {
            (304, vec![], String::new())
        } else {
            let (mut h, b) = html(list_html(page));
            h.push(("Last-Modified", LIST_MODIFIED.into()));
            (200, h, b)
        }
    } else if path == "/tin/cu-53" {
        (301, vec![("Location", "/tin/53".into())], String::new())
    } else if path == "/tin/loi" {
        (500, vec![], "lỗi".into())
    } else if path == "/tin/cham" {
        // the client gives up after its timeout and goes on: this connection no longer counts
        portal.active.fetch_sub(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(2500));
        portal.active.fetch_add(1, Ordering::SeqCst);
        let (h, b) = html(article_html(54, None));
        (200, h, b)
    } else if path == "/tin/ftp" {
        (302, vec![("Location", "ftp://example.com/tin".into())], String::new())
    } else if path == "/tin/lon" {
        let (h, _) = html(String::new());
        (200, h, format!("<html><body>{}</body></html>", "<p>chữ</p>".repeat(40_000)))
    } else if let Some(n) = path.strip_prefix("/tin/").and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=53).contains(n)) {
        let change = portal.changes.lock().unwrap().get(&n).copied();
        let body = article_html(n, change);
        let etag = etag_of(&body);
        if inm.as_deref() == Some(etag.as_str()) {
            (304, vec![("ETag", etag)], String::new())
        } else {
            let (mut h, b) = html(body);
            h.push(("ETag", etag));
            (200, h, b)
        }
    } else {
        (404, vec![], "không có".into())
    };
    portal.log.lock().unwrap().push(Logged { path, status, conditional, user_agent: ua });
    respond(&mut stream, status, &hdrs, body.as_bytes(), portal);
}

/// A portal on 127.0.0.1 (one thread per connection, stops with the test process).
fn serve() -> (String, Arc<Portal>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let portal = Arc::new(Portal::default());
    let p = portal.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(2000).flatten() {
            let p = p.clone();
            std::thread::spawn(move || handle(stream, &p));
        }
    });
    (addr, portal)
}

struct Run {
    code: i32,
    stderr: String,
    stdout: String,
    secs: f64,
}

fn run(args: &[&str]) -> Run {
    let t = Instant::now();
    let out = Command::new(BIN).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        secs: t.elapsed().as_secs_f64(),
    }
}

fn items(dir: &Path) -> HashMap<String, String> {
    std::fs::read_dir(dir.join("items"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("commune-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn site_end_to_end_and_incremental() {
    let (base, portal) = serve();
    let out = tempdir("site");
    let start = format!("{base}/tin-tuc");
    let args = [
        "site", &start, "--out", out.to_str().unwrap(), "--allow-private", "--delay-ms", "5", "--timeout", "1",
        "--max-pages", "10", "--feed-items", "100", "--quiet",
    ];

    // First run.
    let r1 = run(&args);
    println!("first run: {:.2} s, exit {}\n{}", r1.secs, r1.code, r1.stderr);
    assert_eq!(r1.code, 1, "a failed page makes the exit code non-zero");
    assert!(r1.stderr.contains("56 articles from 6 list pages"), "{}", r1.stderr);
    assert!(r1.stderr.contains("new 53, updated 0, unchanged 0, skipped 1, failed 2"), "{}", r1.stderr);
    assert!(r1.stderr.contains("/tin/loi: HTTP 500"), "{}", r1.stderr);
    assert!(r1.stderr.contains("/tin/cham: timeout"), "{}", r1.stderr);
    assert!(r1.stderr.contains("/private/bi-mat: disallowed by robots.txt"), "{}", r1.stderr);
    let log1 = portal.log.lock().unwrap().clone();
    assert!(log1.iter().all(|l| !l.path.starts_with("/private/")), "robots.txt disallowed path was requested");
    assert_eq!(log1.iter().filter(|l| l.path == "/robots.txt").count(), 1);
    assert!(log1.iter().all(|l| l.user_agent.starts_with("commune-reader-import/")));
    assert_eq!(portal.max_active.load(Ordering::SeqCst), 1, "one request at a time");
    assert_eq!(log1.iter().filter(|l| l.path.starts_with("/tin-tuc")).count(), 6, "6 list pages");

    let first = items(&out);
    assert_eq!(first.len(), 53);
    let seven: serde_json::Value = serde_json::from_str(&first[&format!("{}_tin_7.json", &base[7..].replace(':', "_"))]).unwrap();
    assert_eq!(seven["title"], title(7));
    assert_eq!(seven["date_published"], "2024-01-07T08:07:00+07:00");
    assert_eq!(seven["_reader"]["views"], 107);
    assert_eq!(seven["_reader"]["source"], "Cổng TTĐT xã Thử Nghiệm");
    assert_eq!(seven["authors"][0]["name"], "PV");
    let body = seven["content_html"].as_str().unwrap();
    assert!(body.starts_with("<p>Sáng ngày 07/01/2024") && body.ends_with("đã đề ra.</p>"), "{body}");
    // the redirected address is imported under its final URL
    let redirected: serde_json::Value =
        serde_json::from_str(&first[&format!("{}_tin_53.json", &base[7..].replace(':', "_"))]).unwrap();
    assert_eq!(redirected["url"], format!("{base}/tin/53"));

    let feed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("feed.json")).unwrap()).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    let dates: Vec<&str> = feed["items"].as_array().unwrap().iter().map(|i| i["date_published"].as_str().unwrap()).collect();
    assert_eq!(dates.len(), 53);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert_eq!(feed["items"][0]["title"], title(53));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("last-run.json")).unwrap()).unwrap();
    assert_eq!(report["new"], 53);

    // Second run: article 6 changed, article 5 lost its body, the rest is as it was.
    portal.changes.lock().unwrap().insert(6, "Hội nghị cũng thống nhất lịch họp giao ban hằng tháng vào ngày 25.");
    portal.changes.lock().unwrap().insert(5, "bad");
    portal.log.lock().unwrap().clear();
    let r2 = run(&args);
    println!("second run: {:.2} s, exit {}\n{}", r2.secs, r2.code, r2.stderr);
    assert_eq!(r2.code, 1);
    assert!(r2.stderr.contains("new 0, updated 1, unchanged 51, skipped 1, failed 3"), "{}", r2.stderr);
    assert!(r2.stderr.contains("/tin/5: body much shorter than last time"), "{}", r2.stderr);
    let log2 = portal.log.lock().unwrap().clone();
    let full: Vec<&Logged> = log2.iter().filter(|l| l.status == 200 && l.path != "/robots.txt").collect();
    let full_paths: Vec<&str> = full.iter().map(|l| l.path.as_str()).collect();
    assert!(full_paths.contains(&"/tin/5") && full_paths.contains(&"/tin/6"), "{full_paths:?}");
    assert!(full_paths.iter().all(|p| ["/tin/5", "/tin/6", "/tin/cham"].contains(p)), "refetched unchanged pages: {full_paths:?}");
    assert_eq!(log2.iter().filter(|l| l.status == 304).count(), 6 + 51, "lists and unchanged articles answered 304");
    assert!(log2.iter().filter(|l| l.path.starts_with("/tin/") && l.path != "/tin/loi" && l.path != "/tin/cham").all(|l| l.conditional));
    let second = items(&out);
    let key = |n: usize| format!("{}_tin_{n}.json", &base[7..].replace(':', "_"));
    assert_eq!(second[&key(5)], first[&key(5)], "a bad page never overwrites good output");
    assert_ne!(second[&key(6)], first[&key(6)]);
    assert!(second[&key(6)].contains("giao ban hằng tháng"));
    for n in (1..=53).filter(|n| *n != 6) {
        assert_eq!(second[&key(n)], first[&key(n)]);
    }
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn page_command_safety() {
    let (base, portal) = serve();
    // private address refused without --allow-private, before any request
    let r = run(&["page", &format!("{base}/tin/1")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("private or loopback"), "{}", r.stderr);
    assert!(portal.log.lock().unwrap().is_empty());
    // a redirect to another scheme is refused
    let r = run(&["page", &format!("{base}/tin/ftp"), "--allow-private", "--delay-ms", "0"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not http(s)"), "{}", r.stderr);
    // the size cap
    let r = run(&["page", &format!("{base}/tin/lon"), "--allow-private", "--delay-ms", "0", "--max-bytes", "100000"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("larger than 100000 bytes"), "{}", r.stderr);
    // and a good page, on stdout
    let r = run(&["page", &format!("{base}/tin/3"), "--allow-private", "--delay-ms", "0"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let item: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(item["title"], title(3));
    assert_eq!(item["_reader"]["views"], 103);
    // only http(s) or files
    let r = run(&["page", "ftp://example.com/x"]);
    assert_eq!(r.code, 2);
}
