//! The baseline: the same create call written directly against each HTTP library, the way
//! a careful user would without the SDK (encode the form, POST with the token header, read
//! the body, parse the JSON, check the result).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Where and as whom to send.
#[derive(Clone, Debug)]
pub struct Target {
    /// `http(s)://127.0.0.1:PORT/api/`.
    pub endpoint: String,
    /// The developer token.
    pub token: String,
    /// The developer's e-mail address.
    pub email: String,
}

#[derive(Serialize)]
struct CreateForm<'a> {
    email_address: &'a str,
    account_number: &'a str,
    bank_id: u8,
    account_owner: &'a str,
    phone_number: &'a str,
    account_name: &'a str,
    action: &'a str,
}

#[derive(Deserialize)]
struct Created {
    result: String,
    account_id: Option<String>,
    qr_image: Option<String>,
    short_url: Option<String>,
}

fn encode(target: &Target) -> Result<String, String> {
    serde_urlencoded::to_string(CreateForm {
        email_address: &target.email,
        account_number: "1234567894321",
        bank_id: 1,
        account_owner: "홍길동",
        phone_number: "01012341234",
        account_name: "월세",
        action: "aqr_create",
    })
    .map_err(|e| e.to_string())
}

fn check(status: u16, body: &[u8]) -> Result<String, String> {
    let created: Created = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    match created {
        Created {
            result,
            account_id: Some(id),
            qr_image: Some(_),
            short_url: Some(_),
        } if status == 200 && result == "success" => Ok(id),
        _ => Err(format!("unexpected answer: HTTP {status}")),
    }
}

/// A ureq agent configured like the SDK's (no redirects, statuses are not errors), with
/// the given timeouts (`None`: ureq's default, none) and TLS.
pub fn ureq_agent(
    connect: Option<Duration>,
    attempt: Option<Duration>,
    tls: ureq::tls::TlsConfig,
) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(connect)
        .timeout_global(attempt)
        .http_status_as_error(false)
        .max_redirects(0)
        .tls_config(tls)
        .build()
        .new_agent()
}

/// One create with raw ureq.
pub fn ureq_create(agent: &ureq::Agent, target: &Target) -> Result<String, String> {
    let body = encode(target)?;
    let mut response = agent
        .post(&target.endpoint)
        .header("AQR-DEVELOPER-TOKEN", &target.token)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .send(body)
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_vec()
        .map_err(|e| e.to_string())?;
    check(status, &bytes)
}

/// A reqwest client configured like the SDK's (no redirects, timeouts), with this rustls
/// configuration.
pub fn reqwest_client(
    connect: Duration,
    attempt: Duration,
    tls: rustls::ClientConfig,
) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(connect)
        .timeout(attempt)
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(tls)
        .build()
        .map_err(|e| e.to_string())
}

/// One create with raw reqwest.
pub async fn reqwest_create(client: &reqwest::Client, target: &Target) -> Result<String, String> {
    let body = encode(target)?;
    let response = client
        .post(&target.endpoint)
        .header("AQR-DEVELOPER-TOKEN", &target.token)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    check(status, &bytes)
}
