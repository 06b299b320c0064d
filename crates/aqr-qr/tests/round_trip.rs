//! Everything rendered decodes back to the text it was given.

use aqr_qr::{QUIET_ZONE, QrError, decode_png, png, svg, terminal, terminal_plain};

const URL: &str = "http://127.0.0.1:41234/f/3xYz9AbC";

/// Decodes a module grid (`true` = dark) with rqrr, upscaled 4× for the detector.
fn decode_grid(grid: &[Vec<bool>]) -> Option<String> {
    let size = grid.len();
    let scale = 4;
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
            if grid[y / scale][x / scale] { 0 } else { 255 }
        });
    img.detect_grids()
        .into_iter()
        .find_map(|g| g.decode().ok().map(|(_, text)| text))
}

#[test]
fn png_decodes_back_to_the_text() {
    for scale in [1, 3, 8] {
        let bytes = png(URL, scale).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        if scale >= 3 {
            assert_eq!(decode_png(&bytes).as_deref(), Some(URL), "scale {scale}");
        }
    }
    let hangul = "홍길동 1234567894321";
    assert_eq!(
        decode_png(&png(hangul, 6).unwrap()).as_deref(),
        Some(hangul)
    );
}

#[test]
fn png_has_the_quiet_zone_and_scale() {
    let bytes = png(URL, 5).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    assert_eq!(info.width, info.height);
    assert_eq!(info.width % 5, 0);
    // Version 3 for this URL: 29 modules + 2 × 4 quiet zone = 37 modules.
    let modules = info.width / 5;
    assert!(modules >= 21 + 2 * QUIET_ZONE as u32, "{modules}");
}

#[test]
fn png_rejects_a_bad_scale_and_too_much_text() {
    assert!(matches!(
        png(URL, 0),
        Err(QrError::InvalidScale { scale: 0, .. })
    ));
    assert!(matches!(png(URL, 65), Err(QrError::InvalidScale { .. })));
    let long = "x".repeat(5000);
    assert!(matches!(png(&long, 4), Err(QrError::TooLong)));
    assert!(matches!(svg(&long), Err(QrError::TooLong)));
    assert!(matches!(terminal(&long), Err(QrError::TooLong)));
    assert!(!QrError::TooLong.to_string().is_empty());
}

#[test]
fn decode_png_rejects_garbage() {
    assert_eq!(decode_png(b""), None);
    assert_eq!(decode_png(b"not a png at all"), None);
    let mut truncated = png(URL, 4).unwrap();
    truncated.truncate(truncated.len() / 2);
    assert_eq!(decode_png(&truncated), None);
}

/// Parses the `M{x} {y}h{w}v1h-{w}z` runs back into a grid.
fn svg_grid(svg: &str) -> Vec<Vec<bool>> {
    let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let size: usize = view.split(' ').next().unwrap().parse().unwrap();
    let mut grid = vec![vec![false; size]; size];
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    for run in d.split('M').filter(|r| !r.is_empty()) {
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let w: usize = rest.split('v').next().unwrap().parse().unwrap();
        for cell in &mut grid[y][x..x + w] {
            *cell = true;
        }
    }
    grid
}

#[test]
fn svg_decodes_back_to_the_text() {
    let out = svg(URL).unwrap();
    assert!(out.contains("<svg") && out.trim_end().ends_with("</svg>"));
    let grid = svg_grid(&out);
    // The quiet zone is light.
    assert!(grid[..QUIET_ZONE].iter().all(|row| row.iter().all(|d| !d)));
    assert!(grid.iter().all(|row| row[..QUIET_ZONE].iter().all(|d| !d)));
    assert_eq!(decode_grid(&grid).as_deref(), Some(URL));
}

/// Turns half-block lines back into module rows; `blocks_are_dark` says what a block means.
fn terminal_grid(text: &str, blocks_are_dark: bool) -> Vec<Vec<bool>> {
    let mut grid = Vec::new();
    for line in text.lines() {
        let line = line.replace("\x1b[30;47m", "").replace("\x1b[0m", "");
        let (mut top, mut bottom) = (Vec::new(), Vec::new());
        for c in line.chars() {
            let (t, b) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                ' ' => (false, false),
                other => panic!("unexpected character {other:?}"),
            };
            top.push(t == blocks_are_dark);
            bottom.push(b == blocks_are_dark);
        }
        grid.push(top);
        grid.push(bottom);
    }
    let width = grid[0].len();
    grid.truncate(width);
    grid
}

#[test]
fn terminal_decodes_back_to_the_text() {
    let out = terminal(URL).unwrap();
    assert!(
        out.lines()
            .all(|l| l.starts_with("\x1b[30;47m") && l.ends_with("\x1b[0m"))
    );
    let grid = terminal_grid(&out, true);
    assert_eq!(grid.len(), grid[0].len());
    assert!(grid[0].iter().all(|d| !d), "quiet zone on top");
    assert_eq!(decode_grid(&grid).as_deref(), Some(URL));
}

#[test]
fn terminal_plain_has_no_escapes_and_decodes_inverted() {
    let out = terminal_plain(URL).unwrap();
    assert!(!out.contains('\x1b'));
    // The quiet zone is drawn (light modules are blocks).
    assert!(out.lines().next().unwrap().chars().all(|c| c == '█'));
    let grid = terminal_grid(&out, false);
    assert_eq!(decode_grid(&grid).as_deref(), Some(URL));
}
