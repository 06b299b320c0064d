//! Concurrent creates: no lost and no duplicate ids.

mod common;

use aqr_mock::{MockAction, MockServer};
use common::create;
use std::collections::HashSet;

#[test]
fn sixteen_threads_creating_at_once() {
    const THREADS: usize = 16;
    const PER_THREAD: usize = 25;
    let server = MockServer::start_default().unwrap();
    let ids: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|i| {
                let server = &server;
                scope.spawn(move || {
                    (0..PER_THREAD)
                        .map(|_| {
                            let action = if i % 2 == 0 { "aqr_create" } else { "create" };
                            create(server, action)["account_id"]
                                .as_str()
                                .unwrap()
                                .to_owned()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert_eq!(ids.len(), THREADS * PER_THREAD);
    let unique: HashSet<_> = ids.iter().cloned().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    let stored: HashSet<_> = server.entries().into_iter().map(|e| e.account_id).collect();
    assert_eq!(stored, unique, "lost entries");
    assert_eq!(server.request_count(Some(MockAction::Create)), ids.len());
}
