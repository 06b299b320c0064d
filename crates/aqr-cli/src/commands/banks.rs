//! `aqr banks`: the bank table, as aligned text or JSON.

use aqr::Bank;
use serde::Serialize;

use crate::output::Output;

/// One bank as `--json` prints it.
#[derive(Serialize)]
struct BankRow {
    id: u8,
    kftc_code: &'static str,
    korean_name: &'static str,
    english_name: &'static str,
    ident: &'static str,
}

/// Prints every bank the API knows.
pub(super) fn run(out: &Output) {
    let rows: Vec<BankRow> = Bank::ALL
        .iter()
        .map(|bank| BankRow {
            id: bank.id(),
            kftc_code: bank.kftc_code(),
            korean_name: bank.korean_name(),
            english_name: bank.english_name(),
            ident: bank.ident(),
        })
        .collect();
    out.json(&rows);
    if !out.is_json() {
        out.text(&table(&rows));
    }
}

fn table(rows: &[BankRow]) -> String {
    let korean_width = rows
        .iter()
        .map(|r| display_width(r.korean_name))
        .chain([display_width("KOREAN")])
        .max()
        .unwrap_or_default();
    let line = |id: &str, kftc: &str, korean: &str, english: &str| {
        let pad = " ".repeat(korean_width - display_width(korean));
        format!("{id:>2}  {kftc:<4}  {korean}{pad}  {english}")
    };
    let mut lines = vec![line("ID", "KFTC", "KOREAN", "ENGLISH")];
    lines.extend(rows.iter().map(|r| {
        line(
            &r.id.to_string(),
            r.kftc_code,
            r.korean_name,
            r.english_name,
        )
    }));
    lines.join("\n")
}

/// Columns a string takes in a terminal: Hangul and other East Asian wide characters
/// take two.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_is_two_columns_wide() {
        assert_eq!(display_width("토스뱅크"), 8);
        assert_eq!(display_width("SC제일은행"), 10);
        assert_eq!(display_width("KOREAN"), 6);
    }
}
