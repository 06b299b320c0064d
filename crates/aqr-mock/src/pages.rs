//! `GET /res?keyword=ID` (the QR image) and `GET /f/ID` (the entry's page).

use crate::form;
use crate::reply::{Failure, HTML, PNG, Reply, TEXT};
use crate::shared::Shared;
use crate::types::Entry;
use aqr_core::Bank;
use hyper::StatusCode;
use std::fmt::Write as _;

/// Pixels per QR module in the served PNG.
const QR_SCALE: u32 = 8;

/// The PNG QR code of the entry named by the `keyword` query parameter.
pub(crate) fn qr_image(shared: &Shared, query: Option<&str>) -> Reply {
    let keyword = query
        .and_then(|q| form::parse(q.as_bytes()).ok())
        .and_then(|fields| form::last(&fields, "keyword").map(str::to_owned));
    let Some(id) = keyword.filter(|k| !k.is_empty()) else {
        return Reply::fail(
            Failure::MissingField,
            "missing query parameter: keyword",
            false,
        );
    };
    let Some(entry) = shared.store.get(&id) else {
        return Reply::fail(
            Failure::NotFound,
            "no account entry with this keyword",
            false,
        );
    };
    match aqr_qr::png(&entry.short_url, QR_SCALE) {
        Ok(png) => Reply::new(StatusCode::OK, PNG, png),
        Err(err) => Reply::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            TEXT,
            format!("cannot render the QR code: {err}"),
        ),
    }
}

/// The HTML page of entry `id`.
pub(crate) fn page(shared: &Shared, id: &str) -> Reply {
    match shared.store.get(id) {
        Some(entry) => Reply::new(StatusCode::OK, HTML, render(&entry)),
        None => Reply::new(
            StatusCode::NOT_FOUND,
            HTML,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
             <body><h1>Not found</h1><p>No account entry has this address.</p></body></html>\n",
        ),
    }
}

fn render(entry: &Entry) -> String {
    let bank = match Bank::from_id(entry.bank_id) {
        Some(bank) => format!("{} ({})", bank.korean_name(), bank.english_name()),
        None => format!("bank {}", entry.bank_id),
    };
    let title = entry.account_name.as_deref().unwrap_or("계좌 정보");
    let mut html = String::with_capacity(1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = write!(
        html,
        "<title>{} · AQR</title>\n</head>\n<body>\n<main>\n",
        escape(title)
    );
    let _ = write!(html, "<h1>{}</h1>\n<dl>\n", escape(title));
    for (label, value) in [
        ("은행 · Bank", bank.as_str()),
        ("예금주 · Owner", entry.account_owner.as_str()),
        ("계좌번호 · Account number", entry.account_number.as_str()),
    ] {
        let _ = writeln!(html, "<dt>{label}</dt><dd>{}</dd>", escape(value));
    }
    html.push_str("</dl>\n");
    let _ = writeln!(
        html,
        "<p><img src=\"/res?keyword={}\" alt=\"QR code\" width=\"296\" height=\"296\"></p>",
        escape(&entry.account_id)
    );
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<script>&"'"#), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(escape("홍길동"), "홍길동");
    }
}
