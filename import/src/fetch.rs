//! Polite, safe HTTP: one request at a time, a delay between requests to a host, robots.txt,
//! timeouts, at most a few redirects (each hop checked), a size cap, only http(s), and no
//! request to a private or loopback address unless allowed (checked on the resolved addresses,
//! so also after redirects and for names that resolve to such addresses).

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use url::Url;

pub const DEFAULT_USER_AGENT: &str = concat!(
    "commune-reader-import/",
    env!("CARGO_PKG_VERSION"),
    " (+article importer for commune-reader; one request at a time)"
);

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub user_agent: String,
    /// Pause between two requests to the same host (robots.txt Crawl-delay wins if longer).
    pub delay: Duration,
    pub timeout: Duration,
    pub max_redirects: u32,
    pub max_bytes: u64,
    pub allow_private: bool,
    pub ignore_robots: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            user_agent: DEFAULT_USER_AGENT.into(),
            delay: Duration::from_millis(1000),
            timeout: Duration::from_secs(20),
            max_redirects: 5,
            max_bytes: 5 * 1024 * 1024,
            allow_private: false,
            ignore_robots: false,
        }
    }
}

/// Conditional-request validators from the last fetch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug)]
pub enum Fetched {
    Page { final_url: Url, body: Vec<u8>, content_type: Option<String>, validators: Validators },
    NotModified { final_url: Url },
}

#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    Scheme(String),
    Private(String),
    Robots(String),
    Status(u16),
    TooLarge(u64),
    TooManyRedirects,
    Timeout,
    Network(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Scheme(u) => write!(f, "not http(s): {u}"),
            FetchError::Private(h) => write!(f, "refused: {h} is a private or loopback address (--allow-private)"),
            FetchError::Robots(u) => write!(f, "disallowed by robots.txt: {u}"),
            FetchError::Status(s) => write!(f, "HTTP {s}"),
            FetchError::TooLarge(n) => write!(f, "response larger than {n} bytes"),
            FetchError::TooManyRedirects => write!(f, "too many redirects"),
            FetchError::Timeout => write!(f, "timeout"),
            FetchError::Network(e) => write!(f, "network: {e}"),
        }
    }
}

/// Loopback, private, link-local, CGNAT, unique-local, unspecified, multicast, documentation…
pub fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return private_v4(v4);
            }
            let seg0 = v6.segments().first().copied().unwrap_or(0);
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg0 & 0xfe00) == 0xfc00 // unique local
                || (seg0 & 0xffc0) == 0xfe80 // link local
                || (seg0 == 0x2001 && v6.segments().get(1) == Some(&0x0db8)) // documentation
                || v6 == Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 1)
        }
    }
}

fn private_v4(v4: Ipv4Addr) -> bool {
    let o = v4.octets();
    v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || v4.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // CGNAT 100.64/10
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18/15
        || o[0] >= 240
}

/// Resolves as usual, then keeps only public addresses (unless private ones are allowed).
#[derive(Debug)]
struct GuardedResolver {
    allow_private: bool,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let all = DefaultResolver::default().resolve(uri, config, timeout)?;
        if self.allow_private {
            return Ok(all);
        }
        let mut kept = self.empty();
        for a in all.iter().filter(|a| !is_private_ip(a.ip())) {
            kept.push(*a);
        }
        if kept.is_empty() {
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("PRIVATE:{}", uri.host().unwrap_or("")),
            )));
        }
        Ok(kept)
    }
}

/// One response: (status, Location, validators, Content-Type, body of a 200).
type Sent = (u16, Option<String>, Validators, Option<String>, Vec<u8>);

enum RobotsRules {
    All,
    None,
    Rules(Box<texting_robots::Robot>),
}

pub struct Fetcher {
    agent: ureq::Agent,
    pub opts: FetchOptions,
    robots: HashMap<String, RobotsRules>,
    crawl_delay: HashMap<String, Duration>,
    last_request: HashMap<String, Instant>,
    /// Every request sent, for the summary: (url, status or error).
    pub requests: u64,
}

fn origin(u: &Url) -> String {
    u.origin().ascii_serialization()
}

impl Fetcher {
    pub fn new(opts: FetchOptions) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(opts.timeout))
            .timeout_connect(Some(opts.timeout.min(Duration::from_secs(10))))
            .user_agent(opts.user_agent.as_str())
            .proxy(None)
            .build();
        let agent = ureq::Agent::with_parts(config, DefaultConnector::new(), GuardedResolver { allow_private: opts.allow_private });
        Fetcher { agent, opts, robots: HashMap::new(), crawl_delay: HashMap::new(), last_request: HashMap::new(), requests: 0 }
    }

    fn check_target(&self, u: &Url) -> Result<(), FetchError> {
        if !matches!(u.scheme(), "http" | "https") {
            return Err(FetchError::Scheme(u.to_string()));
        }
        if !self.opts.allow_private {
            let literal = match u.host() {
                Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
                Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
                Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost") => {
                    return Err(FetchError::Private(d.to_string()));
                }
                _ => None,
            };
            if let Some(ip) = literal.filter(|ip| is_private_ip(*ip)) {
                return Err(FetchError::Private(ip.to_string()));
            }
        }
        Ok(())
    }

    /// Waits so that requests to one host are at least `delay` apart.
    fn pace(&mut self, u: &Url) {
        let host = u.host_str().unwrap_or("").to_string();
        let delay = self.crawl_delay.get(&origin(u)).copied().unwrap_or_default().max(self.opts.delay);
        if let Some(last) = self.last_request.get(&host) {
            let since = last.elapsed();
            if since < delay {
                std::thread::sleep(delay - since);
            }
        }
        self.last_request.insert(host, Instant::now());
    }

    /// One request, no redirect following.
    fn send(&mut self, u: &Url, cond: Option<&Validators>) -> Result<Sent, FetchError> {
        self.check_target(u)?;
        self.pace(u);
        self.requests += 1;
        let mut req = self.agent.get(u.as_str()).header("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/xml;q=0.9,*/*;q=0.8");
        if let Some(v) = cond {
            if let Some(e) = &v.etag {
                req = req.header("If-None-Match", e.as_str());
            }
            if let Some(l) = &v.last_modified {
                req = req.header("If-Modified-Since", l.as_str());
            }
        }
        let resp = req.call().map_err(|e| map_err(&e))?;
        let status = resp.status().as_u16();
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let location = header("location");
        let content_type = header("content-type");
        let validators = Validators { etag: header("etag"), last_modified: header("last-modified") };
        if let Some(len) = header("content-length").and_then(|l| l.trim().parse::<u64>().ok()) {
            if len > self.opts.max_bytes {
                return Err(FetchError::TooLarge(self.opts.max_bytes));
            }
        }
        let mut body = Vec::new();
        if status == 200 {
            let limit = self.opts.max_bytes;
            let mut reader = resp.into_body().into_reader().take(limit + 1);
            reader.read_to_end(&mut body).map_err(|e| {
                if e.kind() == std::io::ErrorKind::TimedOut || e.to_string().to_lowercase().contains("timeout") {
                    FetchError::Timeout
                } else {
                    FetchError::Network(e.to_string())
                }
            })?;
            if body.len() as u64 > limit {
                return Err(FetchError::TooLarge(limit));
            }
        }
        Ok((status, location, validators, content_type, body))
    }

    /// robots.txt of the URL's origin, fetched once per run (404 → everything allowed; 5xx or
    /// unreachable → nothing allowed, as RFC 9309 says).
    fn robots_allows(&mut self, u: &Url) -> Result<bool, FetchError> {
        if self.opts.ignore_robots {
            return Ok(true);
        }
        let o = origin(u);
        if !self.robots.contains_key(&o) {
            let rules = self.fetch_robots(u);
            self.robots.insert(o.clone(), rules);
        }
        Ok(match self.robots.get(&o) {
            Some(RobotsRules::All) | None => true,
            Some(RobotsRules::None) => false,
            Some(RobotsRules::Rules(r)) => r.allowed(u.as_str()),
        })
    }

    fn fetch_robots(&mut self, u: &Url) -> RobotsRules {
        let Ok(robots_url) = u.join("/robots.txt") else { return RobotsRules::All };
        let mut url = robots_url;
        for _ in 0..=self.opts.max_redirects {
            match self.send(&url, None) {
                Ok((200, _, _, _, body)) => {
                    return match texting_robots::Robot::new(&self.opts.user_agent, &body) {
                        Ok(r) => {
                            if let Some(d) = r.delay.filter(|d| d.is_finite() && *d > 0.0) {
                                self.crawl_delay.insert(origin(u), Duration::from_secs_f32(d.min(60.0)));
                            }
                            RobotsRules::Rules(Box::new(r))
                        }
                        Err(_) => RobotsRules::All,
                    };
                }
                Ok((s, Some(loc), ..)) if (300..400).contains(&s) => match url.join(&loc) {
                    Ok(next) => url = next,
                    Err(_) => return RobotsRules::All,
                },
                Ok((s, ..)) if (400..500).contains(&s) => return RobotsRules::All,
                Ok(_) => return RobotsRules::None,
                Err(FetchError::Private(_)) | Err(FetchError::Scheme(_)) => return RobotsRules::None,
                Err(_) => return RobotsRules::None,
            }
        }
        RobotsRules::All
    }

    /// Whether robots.txt lets us fetch this URL (fetching robots.txt if needed).
    pub fn allowed(&mut self, u: &Url) -> Result<bool, FetchError> {
        self.check_target(u)?;
        self.robots_allows(u)
    }

    /// GET with redirects followed by hand (each hop: scheme, address and robots.txt checked).
    pub fn get(&mut self, start: &Url, cond: Option<&Validators>) -> Result<Fetched, FetchError> {
        let mut url = start.clone();
        for _ in 0..=self.opts.max_redirects {
            self.check_target(&url)?;
            if !self.robots_allows(&url)? {
                return Err(FetchError::Robots(url.to_string()));
            }
            let (status, location, validators, content_type, body) = self.send(&url, cond)?;
            match status {
                200 => return Ok(Fetched::Page { final_url: url, body, content_type, validators }),
                304 => return Ok(Fetched::NotModified { final_url: url }),
                301 | 302 | 303 | 307 | 308 => {
                    let Some(loc) = location else { return Err(FetchError::Status(status)) };
                    url = url.join(&loc).map_err(|_| FetchError::Scheme(loc.clone()))?;
                }
                s => return Err(FetchError::Status(s)),
            }
        }
        Err(FetchError::TooManyRedirects)
    }
}

fn map_err(e: &ureq::Error) -> FetchError {
    match e {
        ureq::Error::Io(io) if io.to_string().starts_with("PRIVATE:") => {
            FetchError::Private(io.to_string().trim_start_matches("PRIVATE:").to_string())
        }
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => FetchError::Timeout,
        other => FetchError::Network(other.to_string()),
    }
}

/// Page bytes as text: UTF-8 (what Vietnamese portals serve), invalid bytes replaced.
pub fn decode(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses() {
        for a in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.1.1", "100.64.0.1", "0.0.0.0", "::1", "fc00::1", "fe80::1", "::ffff:127.0.0.1"] {
            assert!(is_private_ip(a.parse().unwrap()), "{a}");
        }
        for a in ["203.113.131.1", "8.8.8.8", "2001:ee0::1"] {
            assert!(!is_private_ip(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn refuses_before_sending() {
        let mut f = Fetcher::new(FetchOptions::default());
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(matches!(f.get(&u("http://127.0.0.1:9/"), None), Err(FetchError::Private(_))));
        assert!(matches!(f.get(&u("http://localhost:9/"), None), Err(FetchError::Private(_))));
        assert!(matches!(f.get(&u("ftp://example.vn/x"), None), Err(FetchError::Scheme(_))));
        assert_eq!(f.requests, 0);
    }
}
