//! The `commune-reader-import` command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};
use commune_reader_import::config::Config;
use commune_reader_import::extract::extract;
use commune_reader_import::fetch::{decode, FetchOptions, Fetched, Fetcher, DEFAULT_USER_AGENT};
use commune_reader_import::item::{file_name, Item};
use commune_reader_import::site::{write_atomic, Site, SiteOptions};
use url::Url;

/// Turn the article pages of commune portals that have no API and no feed into the JSON that
/// commune-reader reads (a JSON Feed 1.1 item with `_reader.views` and `_reader.source`).
///
/// Exit status: 0 when everything was imported (or unchanged), 1 when a page failed (the
/// summary says which and why; good output from earlier runs is never overwritten by a bad
/// page), 2 on a usage or configuration error.
#[derive(Parser, Debug)]
#[command(name = "commune-reader-import", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Import one article page (a URL, or a saved HTML file) and print its JSON Feed item.
    ///
    /// Example: commune-reader-import page https://ducpho.quangngai.gov.vn/tin-tuc/-/view/123
    Page {
        /// http(s) URL of the article page, or the path of a saved page.
        source: String,
        /// The page's address when SOURCE is a file (for the item's `url` and `id` and to make
        /// relative links absolute).
        #[arg(long, value_name = "URL")]
        url: Option<Url>,
        /// Write `<id>.json` into this folder instead of printing the item.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Import every article of a portal's news list or feed into a folder, incrementally.
    ///
    /// Reads a list page ("Tin tức – Sự kiện", followed over its pages) or an RSS/Atom feed and
    /// writes into DIR: `items/<id>.json` per article, `feed.json` (JSON Feed 1.1,
    /// newest first), `.import-state.json` (for incremental runs) and `last-run.json` (the
    /// summary). Run it again: only new or changed pages are downloaded again (conditional
    /// requests with ETag/Last-Modified, else a content hash).
    ///
    /// Example: commune-reader-import site https://tinhha.quangngai.gov.vn/tin-tuc --out /srv/cdn/tinhha
    Site {
        /// The list page (first page) or the RSS/Atom feed URL.
        start: Url,
        /// Output folder (created if missing; ready for any static host or CDN).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Follow the list's pagination for at most this many pages.
        #[arg(long, default_value_t = 20, value_name = "N")]
        max_pages: usize,
        /// Import at most this many articles (the first ones listed).
        #[arg(long, default_value_t = 500, value_name = "N")]
        max_articles: usize,
        /// Items in feed.json (newest first). The reader refuses responses over 4 MiB.
        #[arg(long, default_value_t = 50, value_name = "N")]
        feed_items: usize,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Args, Debug)]
struct Common {
    /// Per-site CSS selectors (TOML) overriding the heuristics; see the README.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The publishing agency for `_reader.source` when the byline names none (else the
    /// config's `name`, else the page's og:site_name).
    #[arg(long, value_name = "NAME")]
    site_name: Option<String>,
    /// Pause between two requests to the same host, in milliseconds (robots.txt Crawl-delay
    /// wins when longer). Requests are never made in parallel.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    delay_ms: u64,
    /// Timeout of each request (connecting, sending, reading), in seconds.
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    timeout: u64,
    /// Redirects followed at most (each hop is checked like the first request).
    #[arg(long, default_value_t = 5, value_name = "N")]
    max_redirects: u32,
    /// Largest response accepted, in bytes.
    #[arg(long, default_value_t = 5 * 1024 * 1024, value_name = "BYTES")]
    max_bytes: u64,
    /// The User-Agent sent (robots.txt rules for it are honoured).
    #[arg(long, default_value = DEFAULT_USER_AGENT, value_name = "UA")]
    user_agent: String,
    /// Allow requests to private, loopback and link-local addresses (refused by default, also
    /// when a name resolves to one or a redirect leads to one). For tests and intranets.
    #[arg(long)]
    allow_private: bool,
    /// No progress bar (it is shown only on a terminal anyway).
    #[arg(long, short)]
    quiet: bool,
}

impl Common {
    fn fetch_options(&self) -> FetchOptions {
        FetchOptions {
            user_agent: self.user_agent.clone(),
            delay: Duration::from_millis(self.delay_ms),
            timeout: Duration::from_secs(self.timeout.max(1)),
            max_redirects: self.max_redirects,
            max_bytes: self.max_bytes,
            allow_private: self.allow_private,
            ignore_robots: false,
        }
    }

    fn config(&self) -> Result<Config, String> {
        match &self.config {
            Some(p) => Config::load(p),
            None => Ok(Config::default()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Ok(true): all good; Ok(false): something failed (reported).
fn run(cli: Cli) -> Result<bool, String> {
    match cli.command {
        Command::Page { source, url, out, common } => page(&source, url, out.as_deref(), &common),
        Command::Site { start, out, max_pages, max_articles, feed_items, common } => {
            let config = common.config()?;
            let started = Instant::now();
            let mut site = Site {
                fetcher: Fetcher::new(common.fetch_options()),
                config: &config,
                opts: SiteOptions {
                    max_pages: max_pages.max(1),
                    max_articles,
                    feed_items,
                    progress: !common.quiet,
                    site_name: common.site_name.clone(),
                },
                out,
            };
            let sum = site.run(&start)?;
            eprint!("{}", sum.print());
            eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
            Ok(sum.failed.is_empty())
        }
    }
}

fn page(source: &str, url: Option<Url>, out: Option<&Path>, common: &Common) -> Result<bool, String> {
    let config = common.config()?;
    let (html, page_url) = match Url::parse(source) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {
            let mut f = Fetcher::new(common.fetch_options());
            match f.get(&u, None) {
                Ok(Fetched::Page { final_url, body, .. }) => (decode(&body), Some(final_url)),
                Ok(Fetched::NotModified { .. }) => return Err("unexpected 304 Not Modified".into()),
                Err(e) => {
                    eprintln!("FAILED {u}: {e}");
                    return Ok(false);
                }
            }
        }
        Ok(u) if u.scheme().len() > 1 => return Err(format!("only http(s) URLs or files: {u}")),
        _ => {
            let bytes = std::fs::read(source).map_err(|e| format!("{source}: {e}"))?;
            (decode(&bytes), url)
        }
    };
    let mut rules = config.rules_for(page_url.as_ref());
    if common.site_name.is_some() {
        rules.name = common.site_name.clone();
    }
    let ex = extract(&html, page_url.as_ref(), &rules);
    if let Some(problem) = ex.problem(None) {
        eprintln!("FAILED {source}: {problem}");
        return Ok(false);
    }
    let stem = Path::new(source).file_stem().and_then(|s| s.to_str()).unwrap_or("article").to_string();
    let item = Item::from_extracted(&ex, page_url.as_ref(), &stem);
    match out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let path = dir.join(file_name(&item.id));
            write_atomic(&path, item.to_json().as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{}", item.to_json()),
    }
    Ok(true)
}
