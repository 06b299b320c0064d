//! `GET /res?keyword=ID` and `GET /f/ID`.

mod common;

use aqr_mock::{MockAction, MockServer};
use common::{CREATE, api, create, delete_form, get};

#[test]
fn qr_image_is_a_png_of_the_short_url() {
    let server = MockServer::start_default().unwrap();
    let created = create(&server, "aqr_create");
    let answer = get(created["qr_image"].as_str().unwrap());
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("image/png"));
    assert!(answer.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(
        aqr_qr::decode_png(&answer.body).as_deref(),
        created["short_url"].as_str()
    );
    assert_eq!(server.request_count(Some(MockAction::QrImage)), 1);
}

#[test]
fn unknown_ids_are_404() {
    let server = MockServer::start_default().unwrap();
    get(&format!("{}/res?keyword=nosuch", server.url())).assert_fail(404, "not_found");
    get(&format!("{}/res", server.url())).assert_fail(400, "missing_field");
    let page = get(&format!("{}/f/nosuch", server.url()));
    assert_eq!(page.status, 404);
    // After a delete, both are gone.
    let created = create(&server, "create");
    let id = created["account_id"].as_str().unwrap();
    assert_eq!(api(&server, &delete_form(id, "delete")).status, 200);
    assert_eq!(get(created["qr_image"].as_str().unwrap()).status, 404);
    assert_eq!(get(created["short_url"].as_str().unwrap()).status, 404);
}

#[test]
fn page_shows_the_entry_with_its_fields_escaped() {
    let server = MockServer::start_default().unwrap();
    // owner <script>&"' and a name with markup, percent-encoded.
    let form = CREATE
        .replace(
            "account_owner=%ED%99%8D%EA%B8%B8%EB%8F%99",
            "account_owner=%3Cscript%3E%26%22%27",
        )
        .replace(
            "account_name=%EC%9B%94%EC%84%B8",
            "account_name=%3Cb%3Erent%3C%2Fb%3E",
        );
    let answer = api(&server, &form);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let page = get(answer.json()["short_url"].as_str().unwrap());
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("&lt;script&gt;&amp;&quot;&#39;"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;b&gt;rent&lt;/b&gt;"));
    assert!(!html.contains("<b>"));
    assert!(html.contains("1234567894321"));
    assert!(html.contains("토스뱅크"));
    assert_eq!(server.request_count(Some(MockAction::Page)), 1);
}
