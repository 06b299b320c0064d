//! Field rules applied before anything reaches the wire.
//!
//! Every rule is chosen so that it never rejects a real value (see the research notes on
//! Korean account and phone numbers): the server stays the final judge, the SDK only
//! catches what can never be right, and says which field broke which rule.

use std::fmt;
use std::time::Duration;

use crate::text::is_bidi_control;

mod url;

pub use url::is_loopback_host;
pub(crate) use url::{base_url, fetchable_url};

/// A field the SDK validates; its [`Field::name`] is the wire name of the form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `account_number`
    AccountNumber,
    /// `bank_id`
    BankId,
    /// `account_owner`
    AccountOwner,
    /// `phone_number`
    PhoneNumber,
    /// `account_name`
    AccountName,
    /// `email_address`
    EmailAddress,
    /// `account_id`
    AccountId,
    /// The developer token (the `AQR-DEVELOPER-TOKEN` header).
    DeveloperToken,
    /// The base URL of the service.
    BaseUrl,
    /// The `User-Agent` header.
    UserAgent,
    /// The URL of a QR image to download.
    QrImageUrl,
    /// The `action` spelling (`reference` or `revised`).
    Dialect,
    /// The connect timeout.
    ConnectTimeout,
    /// The per-attempt timeout.
    AttemptTimeout,
    /// The overall deadline of a call, retries included.
    Deadline,
    /// The backoff before the first retry.
    RetryBackoff,
    /// The number of retries.
    MaxRetries,
    /// The proxy URL (an explicit one, or one from the environment).
    Proxy,
    /// Extra trusted root certificates (a PEM file or PEM text).
    CaBundle,
}

impl Field {
    /// The field's wire name (`account_number`, …) or, for settings, a snake-case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Field::AccountNumber => "account_number",
            Field::BankId => "bank_id",
            Field::AccountOwner => "account_owner",
            Field::PhoneNumber => "phone_number",
            Field::AccountName => "account_name",
            Field::EmailAddress => "email_address",
            Field::AccountId => "account_id",
            Field::DeveloperToken => "developer_token",
            Field::BaseUrl => "base_url",
            Field::UserAgent => "user_agent",
            Field::QrImageUrl => "qr_image",
            Field::Dialect => "dialect",
            Field::ConnectTimeout => "connect_timeout",
            Field::AttemptTimeout => "timeout",
            Field::Deadline => "deadline",
            Field::RetryBackoff => "retry_backoff",
            Field::MaxRetries => "max_retries",
            Field::Proxy => "proxy",
            Field::CaBundle => "ca_bundle",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The rule a value broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The value is empty (after trimming) or missing.
    Required,
    /// A required setting was neither given nor found in its environment variable.
    NotSet {
        /// The environment variable that would have provided it.
        env: &'static str,
    },
    /// The value contains only invisible characters (zero-width spaces, Hangul fillers, …).
    Invisible,
    /// The value contains a bidirectional control character (U+202A–U+202E,
    /// U+2066–U+2069), which makes text display differently from what it is.
    BidiControl,
    /// The value has more than `max` characters.
    TooLong {
        /// The largest number of characters allowed.
        max: usize,
    },
    /// The value contains a control character (line breaks, NUL, …).
    ControlCharacter,
    /// An account number may only contain digits, `-` and spaces.
    InvalidCharacter,
    /// An account number needs `min`–`max` digits once separators are removed.
    DigitCount {
        /// Fewest digits allowed.
        min: usize,
        /// Most digits allowed.
        max: usize,
    },
    /// Not a Korean phone number (`0` + 8–11 digits, or an 8-digit `1xxx` number,
    /// `+82` accepted) nor an international `+` number.
    PhoneFormat,
    /// Not an e-mail address (`local@domain`, no spaces).
    EmailFormat,
    /// Only printable ASCII (`!` to `~`) is allowed.
    NotPrintableAscii,
    /// A `bank_id` outside 0–59.
    OutOfRange,
    /// No bank has this id, code or name.
    UnknownBank,
    /// Not an absolute `http(s)://host[:port][/path]` URL.
    InvalidUrl,
    /// Plain `http://` is allowed only for loopback hosts (the mock server).
    InsecureUrl,
    /// A QR image URL on a host the client does not trust for images.
    UntrustedHost,
    /// The dialect name is not `reference` or `revised`.
    UnknownDialect,
    /// A duration that is not a positive, finite number of seconds up to `max_secs`
    /// (zero is allowed where `zero_ok`).
    Duration {
        /// Whether zero is allowed (a backoff may be zero; a timeout may not).
        zero_ok: bool,
        /// The largest value allowed, in seconds.
        max_secs: u64,
    },
    /// A count above `max`.
    TooMany {
        /// The largest value allowed.
        max: u32,
    },
    /// A file that cannot be read (missing, a directory, no permission).
    UnreadableFile,
    /// Text that holds no PEM certificate (`-----BEGIN CERTIFICATE-----`), or a broken one.
    NoCertificate,
}

impl Rule {
    /// A stable machine-readable code for the rule (`too_long`, `phone_format`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Rule::Required | Rule::NotSet { .. } => "required",
            Rule::Invisible => "invisible",
            Rule::BidiControl => "bidi_control",
            Rule::TooLong { .. } => "too_long",
            Rule::ControlCharacter => "control_character",
            Rule::InvalidCharacter => "invalid_character",
            Rule::DigitCount { .. } => "digit_count",
            Rule::PhoneFormat => "phone_format",
            Rule::EmailFormat => "email_format",
            Rule::NotPrintableAscii => "not_printable_ascii",
            Rule::OutOfRange => "out_of_range",
            Rule::UnknownBank => "unknown_bank",
            Rule::InvalidUrl => "invalid_url",
            Rule::InsecureUrl => "insecure_url",
            Rule::UntrustedHost => "untrusted_host",
            Rule::UnknownDialect => "unknown_dialect",
            Rule::Duration { .. } => "duration",
            Rule::TooMany { .. } => "too_many",
            Rule::UnreadableFile => "unreadable_file",
            Rule::NoCertificate => "no_certificate",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Rule::Required => f.write_str("is required and must not be empty"),
            Rule::NotSet { env } => write!(f, "is required: pass it explicitly or set {env}"),
            Rule::Invisible => f.write_str("must contain visible characters"),
            Rule::BidiControl => f.write_str(
                "must not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069)",
            ),
            Rule::TooLong { max } => write!(f, "must be at most {max} characters"),
            Rule::ControlCharacter => f.write_str("must not contain control characters"),
            Rule::InvalidCharacter => f.write_str("may only contain digits, '-' and spaces"),
            Rule::DigitCount { min, max } => write!(
                f,
                "must contain {min} to {max} digits after removing '-' and spaces"
            ),
            Rule::PhoneFormat => f.write_str(
                "must be a Korean phone number (e.g. 010-1234-5678, 02-123-4567, 1588-1234, +82 10-1234-5678) or an international +number",
            ),
            Rule::EmailFormat => f.write_str("must be an e-mail address like name@example.com"),
            Rule::NotPrintableAscii => f.write_str("must contain only printable ASCII characters"),
            Rule::OutOfRange => f.write_str("must be a bank id from 0 to 59"),
            Rule::UnknownBank => {
                f.write_str("must be a bank id (0-59), a KFTC code or a bank name from the table")
            }
            Rule::InvalidUrl => f.write_str("must be an absolute http(s) URL"),
            Rule::InsecureUrl => {
                f.write_str("must use https (plain http is allowed only for 127.0.0.1/localhost)")
            }
            Rule::UntrustedHost => f.write_str(
                "must be on the service's host (the base URL's, or aplx.link); allow another with Config::with_image_host",
            ),
            Rule::UnknownDialect => f.write_str(
                "must be `reference` (aqr_create/aqr_delete) or `revised` (create/delete)",
            ),
            Rule::Duration {
                zero_ok: false,
                max_secs,
            } => write!(
                f,
                "must be a number of seconds greater than 0 and at most {max_secs}"
            ),
            Rule::Duration {
                zero_ok: true,
                max_secs,
            } => write!(f, "must be a number of seconds from 0 to {max_secs}"),
            Rule::TooMany { max } => write!(f, "must be a whole number from 0 to {max}"),
            Rule::UnreadableFile => f.write_str("must name a readable file"),
            Rule::NoCertificate => f.write_str(
                "must hold PEM certificates (-----BEGIN CERTIFICATE-----), none was found or one is broken",
            ),
        }
    }
}

/// A value broke a rule; the request was not sent.
///
/// The message names the field and the rule but never echoes the value: account numbers,
/// phone numbers and tokens are personal or secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field}: {rule}")]
pub struct ValidationError {
    field: Field,
    rule: Rule,
}

impl ValidationError {
    /// A new error for `field` breaking `rule`.
    #[must_use]
    pub fn new(field: Field, rule: Rule) -> Self {
        ValidationError { field, rule }
    }

    /// The field that was rejected.
    #[must_use]
    pub fn field(&self) -> Field {
        self.field
    }

    /// The rule it broke.
    #[must_use]
    pub fn rule(&self) -> Rule {
        self.rule
    }
}

/// Server-side length limits from the AQR reference, in characters.
pub mod limits {
    /// `account_number`, raw.
    pub const ACCOUNT_NUMBER: usize = 30;
    /// `account_owner`.
    pub const ACCOUNT_OWNER: usize = 50;
    /// `phone_number`, raw.
    pub const PHONE_NUMBER: usize = 20;
    /// `account_name`.
    pub const ACCOUNT_NAME: usize = 100;
    /// `email_address`.
    pub const EMAIL_ADDRESS: usize = 100;
    /// `account_id` (opaque; a generous bound).
    pub const ACCOUNT_ID: usize = 255;
    /// Fewest digits in an account number.
    pub const ACCOUNT_DIGITS_MIN: usize = 6;
    /// Most digits in an account number.
    pub const ACCOUNT_DIGITS_MAX: usize = 20;
}

/// Characters that show nothing: whitespace, zero-width and joiner characters, the soft
/// hyphen, the Hangul fillers (often used to fake a blank Korean name) and the braille
/// blank.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

fn check_common(field: Field, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(field, Rule::Required));
    }
    // One pass over the characters (this runs for every field of every call); the rules
    // are then reported in this order.
    let (mut control, mut bidi, mut count) = (false, false, 0usize);
    if value.is_ascii() {
        // The usual case: no bidi controls exist in ASCII, one character per byte.
        control = value.bytes().any(|b| b.is_ascii_control());
        count = value.len();
    } else {
        for c in value.chars() {
            control |= c.is_control();
            bidi |= is_bidi_control(c);
            count += 1;
        }
    }
    if control {
        return Err(ValidationError::new(field, Rule::ControlCharacter));
    }
    if bidi {
        return Err(ValidationError::new(field, Rule::BidiControl));
    }
    if count > max {
        return Err(ValidationError::new(field, Rule::TooLong { max }));
    }
    Ok(())
}

/// Free text (`account_owner`, `account_name`): trimmed, non-empty, no control or bidi
/// characters, not only invisible characters, at most `max` characters. Returns the
/// trimmed text.
///
/// # Errors
/// [`Rule::Required`], [`Rule::ControlCharacter`], [`Rule::BidiControl`],
/// [`Rule::Invisible`] or [`Rule::TooLong`] for `field`.
pub fn text(field: Field, raw: &str, max: usize) -> Result<String, ValidationError> {
    let value = raw.trim();
    check_common(field, value, max)?;
    if value.chars().all(is_invisible) {
        return Err(ValidationError::new(field, Rule::Invisible));
    }
    Ok(value.to_owned())
}

/// An account number: digits, `-` and spaces; 6–20 digits; at most 30 characters raw.
/// Returns the digits only, which is what is sent.
///
/// # Errors
/// A [`ValidationError`] for [`Field::AccountNumber`].
pub fn account_number(raw: &str) -> Result<String, ValidationError> {
    let field = Field::AccountNumber;
    let value = raw.trim();
    check_common(field, value, limits::ACCOUNT_NUMBER)?;
    if !value
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
    {
        return Err(ValidationError::new(field, Rule::InvalidCharacter));
    }
    let mut digits = String::with_capacity(value.len());
    digits.extend(value.chars().filter(char::is_ascii_digit));
    if !(limits::ACCOUNT_DIGITS_MIN..=limits::ACCOUNT_DIGITS_MAX).contains(&digits.len()) {
        return Err(ValidationError::new(
            field,
            Rule::DigitCount {
                min: limits::ACCOUNT_DIGITS_MIN,
                max: limits::ACCOUNT_DIGITS_MAX,
            },
        ));
    }
    Ok(digits)
}

/// A phone number: Korean national (`0` + 8–11 digits), an 8-digit `1xxx-xxxx` number,
/// `+82`/`0082` forms of those, or an international `+` number (8–15 digits).
/// Separators (spaces, `-`, `.`, parentheses) are removed; `+82 10…` becomes `010…`.
///
/// # Errors
/// A [`ValidationError`] for [`Field::PhoneNumber`].
pub fn phone_number(raw: &str) -> Result<String, ValidationError> {
    let field = Field::PhoneNumber;
    let value = raw.trim();
    check_common(field, value, limits::PHONE_NUMBER)?;
    let mut compact = String::with_capacity(value.len());
    compact.extend(
        value
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')),
    );
    let format_error = || ValidationError::new(field, Rule::PhoneFormat);
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());

    let korean_rest = compact
        .strip_prefix("+82")
        .or_else(|| compact.strip_prefix("0082"));
    let national = match korean_rest {
        Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
        None if compact.starts_with('+') => {
            let digits = &compact[1..];
            let ok =
                all_digits(digits) && !digits.starts_with('0') && (8..=15).contains(&digits.len());
            return if ok { Ok(compact) } else { Err(format_error()) };
        }
        None => compact,
    };
    if !all_digits(&national) {
        return Err(format_error());
    }
    let len = national.len();
    let trunk = national.starts_with('0') && (9..=12).contains(&len);
    let uan = national.starts_with('1') && len == 8;
    if trunk || uan {
        Ok(national)
    } else {
        Err(format_error())
    }
}

/// An e-mail address: `local@domain` with no whitespace or control characters, at most
/// 100 characters. Returns it trimmed.
///
/// # Errors
/// A [`ValidationError`] for [`Field::EmailAddress`].
pub fn email_address(raw: &str) -> Result<String, ValidationError> {
    let field = Field::EmailAddress;
    let value = raw.trim();
    check_common(field, value, limits::EMAIL_ADDRESS)?;
    let well_formed = !value.chars().any(char::is_whitespace)
        && value
            .rsplit_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if well_formed {
        Ok(value.to_owned())
    } else {
        Err(ValidationError::new(field, Rule::EmailFormat))
    }
}

/// Printable ASCII (`!`..=`~`), non-empty, at most `max` characters after trimming.
///
/// # Errors
/// [`Rule::Required`], [`Rule::TooLong`] or [`Rule::NotPrintableAscii`] for `field`.
pub fn printable_ascii(field: Field, raw: &str, max: usize) -> Result<String, ValidationError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(ValidationError::new(field, Rule::Required));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ValidationError::new(field, Rule::NotPrintableAscii));
    }
    if value.len() > max {
        return Err(ValidationError::new(field, Rule::TooLong { max }));
    }
    Ok(value.to_owned())
}

/// A duration for `field`: not zero (unless `zero_ok`) and at most `max`.
///
/// # Errors
/// [`Rule::Duration`] for `field`.
pub fn duration(
    field: Field,
    value: Duration,
    zero_ok: bool,
    max: Duration,
) -> Result<Duration, ValidationError> {
    if (value.is_zero() && !zero_ok) || value > max {
        return Err(ValidationError::new(
            field,
            Rule::Duration {
                zero_ok,
                max_secs: max.as_secs(),
            },
        ));
    }
    Ok(value)
}

/// A number of seconds given as a float (Python, the command line) as a [`Duration`]
/// checked like [`duration`]: NaN, infinities and negative numbers are rejected too.
///
/// # Errors
/// [`Rule::Duration`] for `field`.
pub fn seconds(
    field: Field,
    value: f64,
    zero_ok: bool,
    max: Duration,
) -> Result<Duration, ValidationError> {
    let out_of_range = || {
        ValidationError::new(
            field,
            Rule::Duration {
                zero_ok,
                max_secs: max.as_secs(),
            },
        )
    };
    let parsed = Duration::try_from_secs_f64(value).map_err(|_| out_of_range())?;
    duration(field, parsed, zero_ok, max)
}

/// An `account_id` returned by create: opaque printable ASCII, at most 255 characters.
///
/// # Errors
/// A [`ValidationError`] for [`Field::AccountId`].
pub fn account_id(raw: &str) -> Result<String, ValidationError> {
    printable_ascii(Field::AccountId, raw, limits::ACCOUNT_ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_numbers_keep_digits_only() {
        assert_eq!(account_number(" 123-456-789012 ").unwrap(), "123456789012");
        assert_eq!(account_number("1234567").unwrap(), "1234567");
        assert_eq!(
            account_number("12345").unwrap_err().rule(),
            Rule::DigitCount { min: 6, max: 20 }
        );
        assert_eq!(
            account_number("12345a789").unwrap_err().rule(),
            Rule::InvalidCharacter
        );
        assert_eq!(
            account_number(&"1".repeat(31)).unwrap_err().rule(),
            Rule::TooLong { max: 30 }
        );
    }

    #[test]
    fn phone_numbers_accept_every_korean_shape() {
        for (raw, sent) in [
            ("01012341234", "01012341234"),
            ("010-1234-1234", "01012341234"),
            ("+82 10-1234-1234", "01012341234"),
            ("+82 010 1234 1234", "01012341234"),
            ("0082-10-1234-1234", "01012341234"),
            ("02-123-4567", "021234567"),
            ("(031) 1234-5678", "03112345678"),
            ("1588-1234", "15881234"),
            ("0505-123-4567", "05051234567"),
            ("+1 415 555 0100", "+14155550100"),
        ] {
            assert_eq!(phone_number(raw).unwrap(), sent, "{raw}");
        }
        for raw in ["12345", "010-1234", "+0 123", "phone", "2012341234", "+82"] {
            assert_eq!(
                phone_number(raw).unwrap_err().rule(),
                Rule::PhoneFormat,
                "{raw}"
            );
        }
    }

    #[test]
    fn text_counts_characters_not_bytes() {
        assert!(text(Field::AccountOwner, &"홍".repeat(50), 50).is_ok());
        assert_eq!(
            text(Field::AccountOwner, &"홍".repeat(51), 50)
                .unwrap_err()
                .rule(),
            Rule::TooLong { max: 50 }
        );
        assert_eq!(
            text(Field::AccountOwner, "a\nb", 50).unwrap_err().rule(),
            Rule::ControlCharacter
        );
        assert_eq!(
            text(Field::AccountOwner, "   ", 50).unwrap_err().rule(),
            Rule::Required
        );
    }

    #[test]
    fn invisible_and_bidi_text_is_rejected() {
        for blank in [
            "\u{200B}",
            "\u{3164}\u{3164}",
            " \u{FEFF} ",
            "\u{115F}\u{1160}",
        ] {
            assert_eq!(
                text(Field::AccountOwner, blank, 50).unwrap_err().rule(),
                Rule::Invisible,
                "{blank:?}"
            );
        }
        for bidi in ["홍\u{202E}길동", "a\u{2066}b", "\u{202A}x"] {
            assert_eq!(
                text(Field::AccountName, bidi, 100).unwrap_err().rule(),
                Rule::BidiControl,
                "{bidi:?}"
            );
        }
        // Visible text around a zero-width joiner is fine (emoji sequences use it).
        assert!(text(Field::AccountName, "가\u{200D}나", 100).is_ok());
    }

    #[test]
    fn email_needs_both_sides_of_the_at() {
        assert!(email_address("dev@example.com").is_ok());
        assert!(email_address("a@b@c").is_ok());
        for bad in ["dev", "@example.com", "dev@", "de v@example.com"] {
            assert_eq!(email_address(bad).unwrap_err().rule(), Rule::EmailFormat);
        }
    }

    #[test]
    fn messages_name_field_and_rule_without_the_value() {
        let err = account_number("secret-123").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("account_number"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
