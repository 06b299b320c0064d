//! `cargo bench -p aqr-core`: build one create request and parse one success response.

use std::hint::black_box;

use aqr_core::{Bank, Config, NewAccount, Operation};
use criterion::{Criterion, criterion_group, criterion_main};

const SUCCESS: &[u8] = br#"{"result":"success","qr_image":"https://aplx.link/res?keyword=abcde","short_url":"https://aq.gy/f/abcde","account_id":"abcde"}"#;

fn build_and_parse(c: &mut Criterion) {
    let config = Config::new("bench-token", "dev@example.com").unwrap();
    let account = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "010-1234-1234")
        .account_name("월세");
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(SUCCESS.to_vec())
        .unwrap();

    c.bench_function("validate + build create request", |b| {
        b.iter(|| {
            black_box(&account)
                .validate()
                .unwrap()
                .to_http(&config)
                .unwrap()
        });
    });
    let create = account.validate().unwrap();
    c.bench_function("parse create response", |b| {
        b.iter(|| create.from_http(black_box(&response)).unwrap());
    });
    c.bench_function("build + parse (full create, no I/O)", |b| {
        b.iter(|| {
            let op = black_box(&account).validate().unwrap();
            let request = op.to_http(&config).unwrap();
            black_box(request);
            op.from_http(black_box(&response)).unwrap()
        });
    });
}

criterion_group!(benches, build_and_parse);
criterion_main!(benches);
