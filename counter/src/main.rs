//! `commune-counter` — serve the view counter, or seed a historic count.
//!
//! Usage:
//!   commune-counter [serve]          run the HTTP service (config from COUNTER_* env vars)
//!   commune-counter seed <id> <n>    set a baseline of <n> views for <id> if it has no row yet

use commune_counter::{serve, visitor::valid_id, Config, Db, Server, SyncMode};

const USAGE: &str = "usage: commune-counter [serve] | commune-counter seed <article-id> <count>\n\
env: COUNTER_DATABASE_URL COUNTER_ADDR COUNTER_ALLOWED_ORIGINS COUNTER_WINDOW_HOURS COUNTER_TRUST_PROXY COUNTER_RATE_LIMIT COUNTER_SYNC\n     COUNTER_LISTEN_BACKLOG";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match run(&args).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("commune-counter: {e}");
            1
        }
    };
    std::process::exit(code);
}

async fn run(args: &[String]) -> Result<(), String> {
    let config = Config::from_env()?;
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => serve(config).await,
        ["seed", id, count] => {
            if !valid_id(id) {
                return Err(format!("invalid id {id:?}: expected 1-128 characters of A-Z a-z 0-9 . _ : / -"));
            }
            let count: i64 = count.parse().ok().filter(|n| *n >= 0).ok_or_else(|| format!("invalid count {count:?}"))?;
            // a one-off operator command: always fsync (cost irrelevant)
            let db = Db::connect_with(&config.database_url, SyncMode::Full).await.map_err(|e| format!("database: {e}"))?;
            let set = db.seed(id, count).await.map_err(|e| format!("seed: {e}"))?;
            let now = db.views(&[id.to_string()]).await.map_err(|e| format!("read: {e}"))?;
            let views = now.get(*id).copied().unwrap_or(0);
            if set {
                println!("seeded {id} = {count}");
            } else {
                println!("{id} already has a count ({views}); left unchanged");
            }
            db.close().await;
            Ok(())
        }
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let listener = serve::listen(config.addr, config.listen_backlog).map_err(|e| format!("bind {}: {e}", config.addr))?;
    let backlog = match serve::somaxconn() {
        Some(max) if max < config.listen_backlog => {
            eprintln!(
                "commune-counter: COUNTER_LISTEN_BACKLOG={} is capped by net.core.somaxconn={max}; raise it with sysctl",
                config.listen_backlog
            );
            max
        }
        _ => config.listen_backlog,
    };
    let backend = if config.database_url.starts_with("postgres") { "postgres" } else { "sqlite" };
    let server = Server::start(config.clone(), listener).await?;
    println!(
        "commune-counter listening on http://{} ({backend}, sync {}, window {} h, origins {:?}, trust proxy {}, backlog {backlog})",
        server.addr,
        config.sync.name(),
        config.window_hours, config.allowed_origins, config.trust_proxy
    );
    let addr = server.addr;
    tokio::select! {
        r = server.wait() => r.map_err(|e| format!("server {addr}: {e}")),
        _ = shutdown_signal() => { eprintln!("commune-counter: shutting down"); Ok(()) }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
            return;
        }
    }
    let _ = ctrl_c.await;
}
