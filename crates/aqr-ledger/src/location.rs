//! Where the ledger file lives: an explicit path, else `AQR_LEDGER`, else the platform's
//! data directory.

use std::path::{Path, PathBuf};

use crate::error::LedgerError;

/// Environment variable naming the ledger file.
pub const ENV_LEDGER: &str = "AQR_LEDGER";

/// The file name inside the platform's data directory (`<data dir>/aqr/ledger.sqlite3`).
pub const DEFAULT_FILE: &str = "ledger.sqlite3";

/// The ledger file to use: `explicit` when given, else `AQR_LEDGER` when set and not
/// empty, else `<data dir>/aqr/ledger.sqlite3` (`$XDG_DATA_HOME` or `~/.local/share` on
/// Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows).
///
/// # Errors
/// [`LedgerError::NoLocation`] when nothing names a place and there is no data directory.
pub fn resolve(explicit: Option<&Path>) -> Result<PathBuf, LedgerError> {
    resolve_with(explicit, |name| std::env::var_os(name), dirs::data_dir)
}

fn resolve_with(
    explicit: Option<&Path>,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
    data_dir: impl Fn() -> Option<PathBuf>,
) -> Result<PathBuf, LedgerError> {
    if let Some(path) = explicit {
        return Ok(path.to_owned());
    }
    if let Some(path) = env(ENV_LEDGER).filter(|value| !value.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    data_dir()
        .map(|dir| dir.join("aqr").join(DEFAULT_FILE))
        .ok_or(LedgerError::NoLocation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_wins_then_the_variable_then_the_data_dir() {
        let env = |_: &str| Some("/from/env.sqlite3".into());
        let no_env = |_: &str| None;
        let data = || Some(PathBuf::from("/data"));
        let explicit = Path::new("/explicit.sqlite3");
        assert_eq!(resolve_with(Some(explicit), env, data).unwrap(), explicit);
        assert_eq!(
            resolve_with(None, env, data).unwrap(),
            Path::new("/from/env.sqlite3")
        );
        assert_eq!(
            resolve_with(None, no_env, data).unwrap(),
            Path::new("/data/aqr/ledger.sqlite3")
        );
        let empty = |_: &str| Some("".into());
        assert_eq!(
            resolve_with(None, empty, data).unwrap(),
            Path::new("/data/aqr/ledger.sqlite3")
        );
        assert!(matches!(
            resolve_with(None, no_env, || None),
            Err(LedgerError::NoLocation)
        ));
    }
}
