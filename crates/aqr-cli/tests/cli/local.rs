//! Commands that need no server: `banks`, `qr`, `completions`, `--version`.

use crate::common::*;

#[test]
fn banks_json_has_all_60_banks() {
    let output = aqr().args(["banks", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let value = json_stdout(&output);
    let banks = value.as_array().unwrap();
    assert_eq!(banks.len(), 60);
    for (i, bank) in banks.iter().enumerate() {
        assert_eq!(bank["id"], i);
    }
    assert_eq!(banks[1]["korean_name"], "토스뱅크");
    assert_eq!(banks[1]["english_name"], "Toss Bank");
    assert_eq!(banks[1]["kftc_code"], "092");
    assert_eq!(banks[3]["ident"], "KOOKMIN");
}

#[test]
fn banks_table_aligns_hangul() {
    let output = aqr().arg("banks").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 61, "a header and 60 rows");
    assert!(lines[0].contains("KOREAN") && lines[0].contains("ENGLISH"));
    assert!(lines[2].contains("토스뱅크") && lines[2].contains("Toss Bank"));
    // The English column starts at the same terminal column on every row.
    let column = |line: &str, english: &str| {
        let prefix = &line[..line.find(english).unwrap()];
        prefix
            .chars()
            .map(|c| if c >= '\u{AC00}' { 2 } else { 1 })
            .sum::<usize>()
    };
    assert_eq!(column(lines[0], "ENGLISH"), column(lines[2], "Toss Bank"));
    assert_eq!(
        column(lines[15], "Standard"),
        column(lines[60], "IBK Securities")
    );
}

#[test]
fn qr_svg_is_valid_svg() {
    let dir = temp_dir("qr-svg");
    let path = dir.join("code.svg");
    let output = aqr()
        .args(["qr", "https://aq.gy/f/abcde", "--svg"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("</svg>"));
    assert!(stdout(&output).contains("code.svg"));
}

#[test]
fn qr_png_decodes_to_the_url() {
    let dir = temp_dir("qr-png");
    let path = dir.join("code.png");
    let output = aqr()
        .args([
            "--json",
            "qr",
            "https://aq.gy/f/abcde",
            "--scale",
            "4",
            "--png",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = json_stdout(&output);
    assert_eq!(value["format"], "png");
    let png = std::fs::read(&path).unwrap();
    assert_eq!(value["bytes"], png.len());
    assert_eq!(
        aqr_qr::decode_png(&png).as_deref(),
        Some("https://aq.gy/f/abcde")
    );
}

#[test]
fn qr_in_the_terminal() {
    let output = aqr()
        .args(["qr", "https://aq.gy/f/abcde"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.lines().count() > 10, "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no escape codes when not a terminal"
    );

    let output = aqr()
        .args(["qr", "https://aq.gy/f/abcde", "--json"])
        .output()
        .unwrap();
    assert_eq!(json_stdout(&output)["format"], "terminal");
}

#[test]
fn qr_rejects_bad_input() {
    let output = aqr()
        .args(["qr", "x", "--png", "a.png", "--svg", "b.svg"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "--png and --svg conflict");
    let output = aqr().args(["qr", ""]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let too_long = "x".repeat(8000);
    let output = aqr().args(["qr", &too_long]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("too long"), "{}", stderr(&output));
    let output = aqr().args(["qr", "x", "--scale", "0"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = aqr().args(["completions", shell]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains("aqr"), "{shell}");
        for word in ["demo", "create", "banks"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let output = aqr().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn version_and_subcommand_help() {
    let output = aqr().arg("--version").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("aqr "));
    for sub in [
        "demo",
        "create",
        "delete",
        "banks",
        "qr",
        "mock",
        "completions",
    ] {
        let output = aqr().args([sub, "--help"]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{sub}");
        assert!(
            stdout(&output).contains("Example"),
            "{sub} --help has an example"
        );
    }
}
