//! Helpers shared by the integration tests: a small HTTP client over ureq and raw TCP.
#![allow(dead_code)]

use aqr_mock::MockServer;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The reference's create form (curl example), with the mock's default e-mail address.
pub(crate) const CREATE: &str = "email_address=dev@example.com&account_number=1234567894321&bank_id=1&account_owner=%ED%99%8D%EA%B8%B8%EB%8F%99&phone_number=01012341234&account_name=%EC%9B%94%EC%84%B8&action=aqr_create";

/// A response reduced to what the tests look at.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts a `{"result":"fail","code":…}` answer with this status and code.
    pub(crate) fn assert_fail(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        let json = self.json();
        assert_eq!(json["result"], "fail", "{json}");
        assert_eq!(json["code"], code, "{json}");
        assert!(
            json["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{json}"
        );
    }
}

pub(crate) fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

fn collect(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

/// Sends a request; `Err` is a transport error (dropped connection, timeout).
pub(crate) fn try_send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Answer, ureq::Error> {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = match body {
        Some(body) => agent.run(request.body(body.to_vec()).unwrap())?,
        None => agent.run(request.body(()).unwrap())?,
    };
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let mut response = response;
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()?;
    Ok(Answer {
        status,
        headers,
        body,
    })
}

pub(crate) fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Answer {
    try_send(&agent(Duration::from_secs(10)), method, url, headers, body).unwrap()
}

pub(crate) fn get(url: &str) -> Answer {
    collect(agent(Duration::from_secs(10)).get(url).call().unwrap())
}

/// `POST /api/` with the server's token and the form content type.
pub(crate) fn api(server: &MockServer, form: &str) -> Answer {
    send(
        "POST",
        &format!("{}/api/", server.url()),
        &[
            ("AQR-DEVELOPER-TOKEN", server.token()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(form.as_bytes()),
    )
}

/// A create with the reference's fields, in the given spelling; returns the JSON.
pub(crate) fn create(server: &MockServer, action: &str) -> Value {
    let form = CREATE.replace("action=aqr_create", &format!("action={action}"));
    let answer = api(server, &form);
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()
}

pub(crate) fn delete_form(id: &str, action: &str) -> String {
    format!("email_address=dev%40example.com&account_id={id}&action={action}")
}

/// Writes raw bytes and reads everything until the server closes (or 5 s pass).
pub(crate) fn raw(server: &MockServer, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port()))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(request)?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out)?;
    Ok(out)
}

/// A raw `POST /api/` create with `Connection: close`.
pub(crate) fn raw_create(server: &MockServer) -> Vec<u8> {
    format!(
        "POST /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAQR-DEVELOPER-TOKEN: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{CREATE}",
        server.token(),
        CREATE.len()
    )
    .into_bytes()
}

/// A fresh directory in the temporary directory, removed on drop.
pub(crate) struct TempDir(pub(crate) std::path::PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("aqr-mock-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// The names of the files in it, sorted.
    pub(crate) fn names(&self) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
