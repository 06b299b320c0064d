//! The command line: global flags, subcommands and their arguments (clap derive).
//!
//! Doc comments here are the `--help` text.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use aqr::Dialect;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit;

/// Create and delete AQR entries (a bank account published as a QR code and a short
/// URL), list the banks, render QR codes and run a local mock of the service.
#[derive(Parser)]
#[command(
    name = "aqr",
    version,
    after_help = exit::HELP,
    propagate_version = true,
    args_override_self = true
)]
pub struct Cli {
    /// Flags every subcommand accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand accepts.
#[derive(Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Developer token (AQR-DEVELOPER-TOKEN). Prefer the environment variable: command
    /// lines are visible to other users. Never printed.
    #[arg(long, global = true, env = aqr::ENV_TOKEN, hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The e-mail address the developer signed up with.
    #[arg(long, global = true, env = aqr::ENV_EMAIL, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Base URL of the service; plain http only on loopback (the mock).
    #[arg(long, global = true, env = aqr::ENV_BASE_URL, value_name = "URL",
          default_value = aqr::DEFAULT_BASE_URL)]
    pub base_url: String,
    /// Per-attempt time limit in seconds.
    #[arg(long, global = true, value_name = "SECONDS",
          default_value_t = aqr::Timeouts::DEFAULT.attempt().as_secs_f64())]
    pub timeout: f64,
    /// Time limit for connecting, in seconds.
    #[arg(long, global = true, value_name = "SECONDS",
          default_value_t = aqr::Timeouts::DEFAULT.connect().as_secs_f64())]
    pub connect_timeout: f64,
    /// Time limit for the whole call, retries included, in seconds [default: none].
    #[arg(long, global = true, value_name = "SECONDS")]
    pub deadline: Option<f64>,
    /// Retries after a failed attempt. A create is retried only when it provably did not
    /// reach the service.
    #[arg(long, global = true, value_name = "N",
          default_value_t = i64::from(aqr::RetryPolicy::DEFAULT.max_retries()))]
    pub retries: i64,
    /// Seconds before the first retry, doubling each time; a server's Retry-After wins.
    #[arg(long, global = true, value_name = "SECONDS",
          default_value_t = aqr::RetryPolicy::DEFAULT.initial_backoff().as_secs_f64())]
    pub retry_backoff: f64,
    /// Proxy for requests to the service: http(s)://host:port, with user:password@ before
    /// the host if it needs credentials, or `none`
    /// [default: HTTPS_PROXY / ALL_PROXY unless NO_PROXY; loopback is never proxied].
    #[arg(long, global = true, value_name = "URL")]
    pub proxy: Option<String>,
    /// Also trust the CA certificates in this PEM file (e.g. a TLS-inspecting proxy's)
    /// [default: AQR_CA_BUNDLE].
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Spelling of the `action` field: reference (aqr_create/aqr_delete) or revised
    /// (create/delete).
    #[arg(long, global = true, value_enum, value_name = "DIALECT")]
    pub dialect: Option<DialectArg>,
    /// Machine-readable output: JSON on stdout, errors as JSON on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// Trace each request (method, endpoint, status, attempts) on stderr; never the token.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The token is never shown, not even in debug output.
impl fmt::Debug for GlobalArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GlobalArgs")
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("email", &self.email)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("retries", &self.retries)
            .field("retry_backoff", &self.retry_backoff)
            .field("dialect", &self.dialect)
            .field("proxy", &self.proxy.as_ref().map(|_| "[set]"))
            .field("ca_cert", &self.ca_cert)
            .field("json", &self.json)
            .field("verbose", &self.verbose)
            .finish()
    }
}

impl GlobalArgs {
    /// The client options these flags give (unset ones come from the environment and the
    /// SDK's defaults when resolved).
    #[must_use]
    pub fn client_options(&self) -> aqr::ClientOptions {
        let mut options = aqr::ClientOptions::default();
        options.token = self.token.clone();
        options.email = self.email.clone();
        options.base_url = Some(self.base_url.clone());
        options.dialect = self.dialect.map(|d| Dialect::from(d).name().to_owned());
        options.user_agent = Some(concat!("aqr-cli/", env!("CARGO_PKG_VERSION")).to_owned());
        options.timeout = Some(self.timeout);
        options.connect_timeout = Some(self.connect_timeout);
        options.deadline = self.deadline;
        options.max_retries = Some(self.retries);
        options.retry_backoff = Some(self.retry_backoff);
        options.proxy = self.proxy.clone();
        options.ca_bundle = self.ca_cert.as_ref().map(|p| p.display().to_string());
        options
    }
}

/// `--dialect` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    /// `aqr_create` / `aqr_delete`, as in the reference.
    Reference,
    /// `create` / `delete`, as in the later revision of the docs.
    Revised,
}

impl From<DialectArg> for Dialect {
    fn from(dialect: DialectArg) -> Dialect {
        match dialect {
            DialectArg::Reference => Dialect::Reference,
            DialectArg::Revised => Dialect::Revised,
        }
    }
}

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Run the whole flow (create → QR → download → delete) against an embedded mock
    /// server: no account, no network.
    #[command(after_help = "Example:\n  aqr demo --out /tmp/qr.png")]
    Demo(DemoArgs),
    /// Create an entry and print its id, short URL and QR image URL.
    #[command(
        after_help = "Example:\n  aqr create --account-number 1234567894321 --bank 토스뱅크 \
        --owner 홍길동 --phone 010-1234-1234 --name 월세 --qr terminal"
    )]
    Create(CreateArgs),
    /// Delete an entry by its account id, or many: the ids of a file or every entry the
    /// ledger has created.
    #[command(after_help = "Examples:\n  aqr delete abcde\n  aqr delete --from \
        tenants.results.csv --jobs 8\n  aqr delete --all-created")]
    Delete(DeleteArgs),
    /// Create an entry for every row of a CSV or JSON Lines file, recording each in the
    /// ledger; rerunning the same import resumes it.
    #[command(after_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// List the entries the ledger records.
    #[command(
        after_help = "Examples:\n  aqr entries --status unknown\n  aqr entries --file \
        tenants.csv --json"
    )]
    Entries(EntriesArgs),
    /// List the banks: id, KFTC code, Korean and English name.
    #[command(after_help = "Example:\n  aqr banks --json")]
    Banks,
    /// Render a QR code locally: in the terminal (default), as PNG or as SVG.
    #[command(after_help = "Example:\n  aqr qr https://aq.gy/f/abcde --svg qr.svg")]
    Qr(QrArgs),
    /// Run the mock AQR server on 127.0.0.1 until interrupted (Ctrl-C).
    #[command(
        after_help = "The mock's credential is set with --token and --email given on \
        the command line (both or neither); AQR_DEVELOPER_TOKEN and AQR_EMAIL are ignored \
        here so that a real token is never copied into a mock. Without --port it listens on \
        a free port and prints its URL.\n\nExample:\n  aqr mock --state mock-state.json"
    )]
    Mock(MockArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  aqr completions bash > ~/.local/share/bash-completion/completions/aqr"
    )]
    Completions(CompletionsArgs),
}

/// `aqr demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Where to save the downloaded QR image.
    #[arg(long, value_name = "PATH", default_value = "aqr-demo.png")]
    pub out: PathBuf,
}

/// `aqr create`.
#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Bank account number (digits, '-' and spaces).
    #[arg(long, value_name = "NUMBER")]
    pub account_number: String,
    /// Bank: id (0-59), Korean or English name, or 3-digit KFTC code (see `aqr banks`).
    #[arg(long, value_name = "BANK")]
    pub bank: String,
    /// Account holder's name (예금주).
    #[arg(long, value_name = "NAME")]
    pub owner: String,
    /// Account holder's phone number (e.g. 010-1234-5678).
    #[arg(long, value_name = "PHONE")]
    pub phone: String,
    /// A label for the entry (account_name).
    #[arg(long, value_name = "LABEL")]
    pub name: Option<String>,
    /// Also render the short URL's QR code locally: terminal, png:FILE or svg:FILE.
    #[arg(long, value_name = "TARGET")]
    pub qr: Option<QrOutput>,
    /// Where the entry is recorded.
    #[command(flatten)]
    pub ledger: LedgerArgs,
}

/// `aqr delete`.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["account_id", "from", "all_created"])))]
pub struct DeleteArgs {
    /// The entry's id (the account_id printed by `aqr create`).
    pub account_id: Option<String>,
    /// Delete every id of FILE: a results file of `aqr import` (its account_id column) or
    /// one id per line.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Delete every entry the ledger records as created for this e-mail address and base
    /// URL.
    #[arg(long)]
    pub all_created: bool,
    /// How the many deletes of --from / --all-created run.
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// Where deletions are recorded.
    #[command(flatten)]
    pub ledger: LedgerArgs,
}

/// The ledger file, for commands that record in it.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Ledger")]
pub struct LedgerArgs {
    /// The ledger file [default: $AQR_LEDGER, else the platform's data directory, e.g.
    /// ~/.local/share/aqr/ledger.sqlite3].
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
    /// Do not record in the ledger (a lost account_id can then never be deleted through
    /// the API).
    #[arg(long, conflicts_with = "ledger")]
    pub no_ledger: bool,
}

/// How a bulk run sends and reports.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Bulk runs")]
pub struct BulkArgs {
    /// Requests in flight at once.
    #[arg(long, short, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// The results file, one line per input row: CSV, or JSON Lines when it ends in
    /// .jsonl [default: beside the input, NAME.results.csv].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// No progress on stderr (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `aqr import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A CSV file with a header row (account_number, bank, owner, phone, name) or a JSON
    /// Lines file with the same keys.
    pub file: PathBuf,
    /// Save each created entry's QR image in DIR (as LINE-ACCOUNT_ID.png).
    #[arg(long, value_name = "DIR")]
    pub qr_dir: Option<PathBuf>,
    /// Send the valid rows even when some rows are invalid (those are reported and
    /// skipped).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Send again the rows whose earlier create has an unknown outcome. Check the AQR
    /// management site first: if such an entry exists, this creates a duplicate.
    #[arg(long)]
    pub resend_unknown: bool,
    /// How the creates run.
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// Where the entries are recorded.
    #[command(flatten)]
    pub ledger: LedgerArgs,
}

/// `aqr entries`.
#[derive(Args, Debug)]
pub struct EntriesArgs {
    /// Only entries with this status: pending, created, failed, unknown or deleted.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<aqr_ledger::Status>,
    /// Only entries sent to this service (base URL).
    #[arg(long, value_name = "URL")]
    pub service: Option<String>,
    /// Only entries imported from FILE.
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The ledger file [default: $AQR_LEDGER, else the platform's data directory].
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
}

const IMPORT_HELP: &str = "\
Every row is validated before anything is sent; invalid rows are listed with their line,
column and rule (--skip-invalid sends the others). Each create is recorded in the ledger
before it is sent and its outcome after. Rerunning the same import resumes it: rows already
created are reported with their ids and not sent, failed or unsent rows are sent, and rows
whose outcome is unknown are held until --resend-unknown. Ctrl-C stops sending, lets the
requests in flight finish, writes the results and exits with 130.

Example:
  aqr import tenants.csv --jobs 8 --qr-dir qr/";

/// `aqr qr`.
#[derive(Args, Debug)]
pub struct QrArgs {
    /// The text to encode, usually an entry's short URL.
    pub url: String,
    /// Write a PNG image to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "svg")]
    pub png: Option<PathBuf>,
    /// Write an SVG image to FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Pixels per module of the PNG image.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=i64::from(aqr_qr::MAX_SCALE)))]
    pub scale: u32,
}

impl QrArgs {
    /// Where the QR code goes.
    #[must_use]
    pub fn target(&self) -> QrOutput {
        match (&self.png, &self.svg) {
            (Some(path), _) => QrOutput::Png(path.clone()),
            (None, Some(path)) => QrOutput::Svg(path.clone()),
            (None, None) => QrOutput::Terminal,
        }
    }
}

/// `aqr mock`.
#[derive(Args, Debug)]
pub struct MockArgs {
    /// Port on 127.0.0.1 (0 = a free port, printed on start).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,
    /// Answer failures with HTTP 200 (same JSON body), like some deployments do.
    #[arg(long)]
    pub failures_as_200: bool,
    /// Keep entries in this JSON file (loaded on start; every change is journaled
    /// before it is answered).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Serve HTTPS with a CA and certificate generated at start (the CA file to trust is
    /// printed after the first line).
    #[arg(long, conflicts_with = "cert")]
    pub tls: bool,
    /// Serve HTTPS with this PEM certificate chain (with --key).
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// The PEM private key of --cert.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Also accept this host name in Host and Origin (repeatable), e.g. a name a test
    /// proxy maps to 127.0.0.1; other names are refused (DNS rebinding).
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

/// `aqr completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Where a QR code is rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QrOutput {
    /// Unicode blocks on stdout.
    Terminal,
    /// A PNG file.
    Png(PathBuf),
    /// An SVG file.
    Svg(PathBuf),
}

impl FromStr for QrOutput {
    type Err = String;

    /// `terminal`, `png:FILE` or `svg:FILE`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let file = |path: &str| {
            if path.is_empty() {
                Err(format!("`{s}` needs a file name, e.g. `{s}qr-code`"))
            } else {
                Ok(PathBuf::from(path))
            }
        };
        if s == "terminal" {
            Ok(QrOutput::Terminal)
        } else if let Some(path) = s.strip_prefix("png:") {
            file(path).map(QrOutput::Png)
        } else if let Some(path) = s.strip_prefix("svg:") {
            file(path).map(QrOutput::Svg)
        } else {
            Err("expected `terminal`, `png:FILE` or `svg:FILE`".to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn qr_targets_parse() {
        assert_eq!("terminal".parse(), Ok(QrOutput::Terminal));
        assert_eq!("png:a.png".parse(), Ok(QrOutput::Png("a.png".into())));
        assert_eq!(
            "svg:dir/a.svg".parse(),
            Ok(QrOutput::Svg("dir/a.svg".into()))
        );
        assert!("png:".parse::<QrOutput>().is_err());
        assert!("jpeg:a".parse::<QrOutput>().is_err());
    }

    #[test]
    fn time_limits_are_checked_by_the_sdk_rule() {
        for bad in ["0", "-1", "NaN", "inf", "1e9"] {
            let flag = format!("--timeout={bad}");
            let cli = Cli::try_parse_from(["aqr", flag.as_str(), "banks"]).unwrap();
            let mut options = cli.global.client_options();
            options.token = Some("t".into());
            options.email = Some("a@b".into());
            let err = options.resolve(|_| None).unwrap_err();
            assert_eq!(err.field().name(), "timeout", "{bad}");
        }
    }

    #[test]
    fn debug_hides_the_token() {
        let cli = Cli::try_parse_from(["aqr", "--token", "tok_SECRET", "banks"]).unwrap();
        assert!(!format!("{:?}", cli.global).contains("tok_SECRET"));
    }
}
