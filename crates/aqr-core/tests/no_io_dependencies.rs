//! aqr-core must stay sans-I/O: no runtime, socket, TLS or HTTP-client crate may enter its
//! normal dependency tree.

use std::process::Command;

const FORBIDDEN: &[&str] = &[
    "tokio",
    "mio",
    "socket2",
    "hyper",
    "h2",
    "reqwest",
    "ureq",
    "rustls",
    "native-tls",
    "openssl",
    "async-std",
    "smol",
    "futures-io",
    "libc",
    "getrandom",
    "rand",
];

#[test]
fn dependency_tree_has_no_io_crates() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "aqr-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8(output.stdout).unwrap();
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"http"), "unexpected tree: {tree}");
    for name in FORBIDDEN {
        assert!(
            !crates.contains(name),
            "aqr-core depends on {name}:\n{tree}"
        );
    }
}
