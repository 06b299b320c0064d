//! Load generator: creates, then deletes, over many keep-alive connections.
//!
//! ```text
//! cargo run --release -p aqr-mock --example load                 # starts a mock in-process
//! cargo run --release -p aqr-mock --example load -- --url http://127.0.0.1:8080 \
//!     --token mock-developer-token --email dev@example.com       # an already running mock
//! ```
//!
//! Prints creates/s and deletes/s. Every create's id is checked for uniqueness and every
//! delete must succeed.

use aqr_mock::{DEFAULT_EMAIL, DEFAULT_TOKEN, MockOptions, MockServer};
use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use std::collections::HashSet;
use std::time::Instant;
use tokio::net::TcpStream;

#[derive(Parser)]
struct Args {
    /// Base URL of a running mock (default: start one in this process).
    #[arg(long)]
    url: Option<String>,
    /// Developer token for --url.
    #[arg(long, default_value = DEFAULT_TOKEN)]
    token: String,
    /// E-mail address for --url.
    #[arg(long, default_value = DEFAULT_EMAIL)]
    email: String,
    /// Keep-alive connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Creates in total (then as many deletes).
    #[arg(long, default_value_t = 200_000)]
    requests: usize,
    /// Request log capacity of the in-process mock.
    #[arg(long, default_value_t = aqr_mock::DEFAULT_REQUEST_LOG_CAPACITY)]
    request_log_capacity: usize,
    /// Client worker threads.
    #[arg(long, default_value_t = 1)]
    client_threads: usize,
    /// State file of the in-process mock (every create and delete is then synced to its
    /// journal before it is answered).
    #[arg(long, value_name = "FILE")]
    state: Option<std::path::PathBuf>,
}

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let args = Args::parse();
    let (server, base, token, email) = match &args.url {
        Some(url) => (
            None,
            url.trim_end_matches('/').to_owned(),
            args.token.clone(),
            args.email.clone(),
        ),
        None => {
            let server = MockServer::start(MockOptions {
                request_log_capacity: args.request_log_capacity,
                state_file: args.state.clone(),
                ..MockOptions::default()
            })?;
            let (url, token, email) = (
                server.url(),
                server.token().to_owned(),
                server.email().to_owned(),
            );
            (Some(server), url, token, email)
        }
    };
    let authority = base
        .strip_prefix("http://")
        .ok_or("only http:// URLs")?
        .trim_end_matches('/')
        .to_owned();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads.max(1))
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let per_connection = args.requests.div_ceil(args.connections);
        let create_body = Bytes::from(format!(
            "email_address={}&account_number=1234567894321&bank_id=1&account_owner=%ED%99%8D%EA%B8%B8%EB%8F%99&phone_number=01012341234&account_name=load&action=aqr_create",
            email.replace('@', "%40")
        ));

        // Creates.
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..args.connections {
            let (authority, token, body) = (authority.clone(), token.clone(), create_body.clone());
            tasks.push(tokio::spawn(async move {
                let mut sender = connect(&authority).await?;
                let mut ids = Vec::with_capacity(per_connection);
                for _ in 0..per_connection {
                    let text = post(&mut sender, &authority, &token, body.clone()).await?;
                    ids.push(account_id(&text).ok_or_else(|| format!("not a create success: {text}"))?);
                }
                Ok::<_, Error>((sender, ids))
            }));
        }
        let mut senders = Vec::new();
        let mut all_ids = Vec::new();
        for task in tasks {
            let (sender, ids) = task.await??;
            senders.push(sender);
            all_ids.push(ids);
        }
        let create_secs = started.elapsed().as_secs_f64();
        let creates: usize = all_ids.iter().map(Vec::len).sum();
        let unique: HashSet<&String> = all_ids.iter().flatten().collect();
        if unique.len() != creates {
            return Err(format!("{} duplicate ids", creates - unique.len()).into());
        }

        // Deletes, on the same connections.
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (mut sender, ids) in senders.into_iter().zip(all_ids) {
            let (authority, token) = (authority.clone(), token.clone());
            let prefix = format!("email_address={}&action=aqr_delete&account_id=", email.replace('@', "%40"));
            tasks.push(tokio::spawn(async move {
                for id in &ids {
                    let body = Bytes::from(format!("{prefix}{id}"));
                    let text = post(&mut sender, &authority, &token, body).await?;
                    if text != r#"{"result":"success"}"# {
                        return Err(format!("delete failed: {text}").into());
                    }
                }
                Ok::<_, Error>(ids.len())
            }));
        }
        let mut deletes = 0;
        for task in tasks {
            deletes += task.await??;
        }
        let delete_secs = started.elapsed().as_secs_f64();

        println!(
            "{} connections, {} client thread(s), {} (mock in-process: {}, state file: {})",
            args.connections,
            args.client_threads,
            base,
            args.url.is_none(),
            args.state.is_some()
        );
        println!(
            "creates: {creates} in {create_secs:.2} s = {:.0} creates/s",
            creates as f64 / create_secs
        );
        println!(
            "deletes: {deletes} in {delete_secs:.2} s = {:.0} deletes/s",
            deletes as f64 / delete_secs
        );
        Ok::<(), Error>(())
    })?;
    if let Some(server) = server {
        server.shutdown();
    }
    Ok(())
}

async fn connect(authority: &str) -> Result<http1::SendRequest<Full<Bytes>>, Error> {
    let stream = TcpStream::connect(authority).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn post(
    sender: &mut http1::SendRequest<Full<Bytes>>,
    authority: &str,
    token: &str,
    body: Bytes,
) -> Result<String, Error> {
    sender.ready().await?;
    let request = Request::post("/api/")
        .header("host", authority)
        .header("aqr-developer-token", token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(body))?;
    let response = sender.send_request(request).await?;
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn account_id(text: &str) -> Option<String> {
    let start = text.find(r#""account_id":""#)? + r#""account_id":""#.len();
    let end = text[start..].find('"')? + start;
    Some(text[start..end].to_owned())
}
