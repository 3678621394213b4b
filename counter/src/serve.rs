//! The HTTP/1.1 server: axum's router on hyper's connection builder. `axum::serve` exposes none
//! of hyper's settings, and a public-facing server needs at least a cap on request headers.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpSocket};
use tower_service::Service;

/// Request line and headers together may be at most this long; beyond, hyper answers
/// `431 Request Header Fields Too Large` and closes the connection. 16 KiB like Node.js
/// (nginx: 8 KiB per header line, 32 KiB in all; Apache: 8 KiB per line). Left to itself hyper
/// takes up to its ≈ 400 KB read buffer.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Binds `addr` and listens with a queue of `backlog` connections not yet accepted (tokio's
/// `TcpListener::bind` uses 128). Like it, sets `SO_REUSEADDR` (a restart can bind at once).
pub fn listen(addr: SocketAddr, backlog: u32) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

/// The kernel's cap on any listen backlog (`net.core.somaxconn`), where it can be read.
pub fn somaxconn() -> Option<u32> {
    std::fs::read_to_string("/proc/sys/net/core/somaxconn").ok()?.trim().parse().ok()
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting and waits for the
/// open connections: requests in flight are answered, idle keep-alive connections are closed.
/// Handlers get the peer address as axum's `ConnectInfo<SocketAddr>`.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
    let mut http = http1::Builder::new();
    http.max_header_size(MAX_HEADER_BYTES);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            // a Router is always ready (no poll_ready needed); a clone is an Arc's
            app.clone().call(req)
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // errors of one connection (client gone, malformed request) concern only it
            let _ = conn.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// As hyper 0.14 and axum do: connection-level errors concern one client; anything else (e.g.
/// `EMFILE`, out of file descriptors) is logged and accepting pauses for a second.
async fn accept_error(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset) {
        return;
    }
    eprintln!("commune-counter: accept: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
