//! A static HTTP/1.1 responder, plain or over TLS: every request gets the AQR create
//! success JSON. Under [`NEW_CONNECTION_PATH`] it answers with `Connection: close`, so
//! that each call of a client whose base URL ends there opens a new connection (and over
//! TLS makes a full handshake): the cost of a call that cannot reuse a connection.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// The body of every answer.
pub const CREATE_SUCCESS: &str = r#"{"result":"success","qr_image":"https://aplx.link/res?keyword=abcde","short_url":"https://aq.gy/f/abcde","account_id":"abcde"}"#;

/// Base-URL path under which every answer closes its connection.
pub const NEW_CONNECTION_PATH: &str = "/new-connection";

/// Binds `127.0.0.1:port` (0 = any free port) and serves forever on a new thread with its
/// own single-threaded runtime, over TLS with `tls`; returns the bound address.
pub fn spawn(port: u16, tls: Option<Arc<ServerConfig>>) -> std::io::Result<SocketAddr> {
    let listener = bind(port)?;
    let address = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    thread::Builder::new()
        .name("responder".to_owned())
        .spawn(move || runtime.block_on(serve(listener, tls)))?;
    Ok(address)
}

/// Serves on the current thread until the process ends, over TLS with `tls`; prints
/// `responder listening on URL` first.
pub fn run(port: u16, tls: Option<Arc<ServerConfig>>) -> std::io::Result<()> {
    let listener = bind(port)?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!(
        "responder listening on {scheme}://{}",
        listener.local_addr()?
    );
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(serve(listener, tls))
}

fn bind(port: u16) -> std::io::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

async fn serve(
    listener: std::net::TcpListener,
    tls: Option<Arc<ServerConfig>>,
) -> std::io::Result<()> {
    let listener = TcpListener::from_std(listener)?;
    let acceptor = tls.map(TlsAcceptor::from);
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        // A client going away, or failing its handshake, is not the responder's problem.
        tokio::spawn(async move {
            match acceptor {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        connection(stream).await;
                    }
                }
                None => connection(stream).await,
            }
        });
    }
}

async fn connection(stream: impl AsyncRead + AsyncWrite + Unpin + Send + 'static) {
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service_fn(answer))
        .await;
}

async fn answer(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let close = request.uri().path().starts_with(NEW_CONNECTION_PATH);
    // Read the whole request body, as a real server would.
    let _ = request.into_body().collect().await;
    let mut response = Response::new(Full::new(Bytes::from_static(CREATE_SUCCESS.as_bytes())));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if close {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::{Connection, Server, account};
    use crate::{raw, tls};

    fn https_server() -> Server {
        let identity = tls::generate().unwrap();
        let address = spawn(0, Some(identity.server)).unwrap();
        Server {
            base_url: format!("https://{address}"),
            ca_pem: Some(identity.ca_pem),
        }
    }

    #[test]
    fn every_client_trusts_the_https_responder_through_its_ca_only() {
        let server = https_server();
        let target = server.target(Connection::Reused).unwrap();
        let agent = server.raw_ureq(true).unwrap();
        assert_eq!(raw::ureq_create(&agent, &target).unwrap(), "abcde");
        let created = server
            .sdk_blocking(Connection::Reused)
            .unwrap()
            .create(&account())
            .unwrap();
        assert_eq!(created.account_id, "abcde");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = server.raw_reqwest().unwrap();
        let id = runtime
            .block_on(raw::reqwest_create(&client, &target))
            .unwrap();
        assert_eq!(id, "abcde");

        let untrusting = Server {
            ca_pem: None,
            ..server
        };
        let err = raw::ureq_create(&untrusting.raw_ureq(true).unwrap(), &target).unwrap_err();
        assert!(err.to_lowercase().contains("certificate"), "{err}");
    }

    #[test]
    fn answers_under_the_new_connection_path_close_their_connection() {
        let address = spawn(0, None).unwrap();
        let agent = ureq::Agent::new_with_defaults();
        let connection_header = |path: &str| {
            agent
                .get(format!("http://{address}{path}/api/"))
                .call()
                .unwrap()
                .headers()
                .get(CONNECTION)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(connection_header(""), None);
        assert_eq!(
            connection_header(NEW_CONNECTION_PATH).as_deref(),
            Some("close")
        );
    }
}
