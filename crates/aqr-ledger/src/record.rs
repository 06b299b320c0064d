//! What the ledger keeps about a create request: a fingerprint of the request exactly as
//! it is sent, and the personal numbers masked.

use aqr_core::{Bank, CreateRequest};
use sha2::{Digest, Sha256};

/// How many trailing characters of an account or phone number the ledger keeps.
pub const VISIBLE_DIGITS: usize = 4;

/// Version tag hashed into every fingerprint, so that a change of encoding can never make
/// two different requests collide with old fingerprints.
const FINGERPRINT_TAG: &[u8] = b"aqr-ledger fingerprint v1";

/// A create request as the ledger records it: who sends it where, a fingerprint of the
/// normalised request, and the fields with account and phone numbers masked. It never
/// holds the developer token nor a full account or phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateRecord {
    pub(crate) fingerprint: String,
    pub(crate) email: String,
    pub(crate) base_url: String,
    pub(crate) bank: Bank,
    pub(crate) account_number: String,
    pub(crate) account_owner: String,
    pub(crate) phone_number: String,
    pub(crate) account_name: Option<String>,
    pub(crate) import_file: Option<String>,
    pub(crate) import_line: Option<u64>,
}

impl CreateRecord {
    /// The record of `request` sent by `email` to `base_url` (use the client
    /// configuration's `email()` and `base_url()`, which are already normalised).
    #[must_use]
    pub fn new(email: &str, base_url: &str, request: &CreateRequest) -> Self {
        CreateRecord {
            fingerprint: fingerprint(email, base_url, request),
            email: email.to_owned(),
            base_url: base_url.to_owned(),
            bank: request.bank(),
            account_number: mask(request.account_number()),
            account_owner: request.account_owner().to_owned(),
            phone_number: mask(request.phone_number()),
            account_name: request.account_name().map(str::to_owned),
            import_file: None,
            import_line: None,
        }
    }

    /// Notes that the request comes from line `line` of the import file `file` (an
    /// absolute path, so that entries from one file can be listed together).
    #[must_use]
    pub fn from_import(mut self, file: &str, line: u64) -> Self {
        self.import_file = Some(file.to_owned());
        self.import_line = Some(line);
        self
    }

    /// The fingerprint: SHA-256 (hex) of the e-mail address, the base URL and the form
    /// fields exactly as they are sent (the `action` spelling aside). Two requests with
    /// the same fingerprint would create the same entry.
    #[must_use]
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The developer's e-mail address.
    #[must_use]
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The base URL of the service.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// SHA-256 over each (name, value) pair, length-prefixed so that no two different field
/// lists encode alike.
fn fingerprint(email: &str, base_url: &str, request: &CreateRequest) -> String {
    let bank_id = request.bank().id().to_string();
    let fields: [(&str, Option<&str>); 7] = [
        ("base_url", Some(base_url)),
        ("email_address", Some(email)),
        ("account_number", Some(request.account_number())),
        ("bank_id", Some(&bank_id)),
        ("account_owner", Some(request.account_owner())),
        ("phone_number", Some(request.phone_number())),
        ("account_name", request.account_name()),
    ];
    let mut hasher = Sha256::new();
    hasher.update(FINGERPRINT_TAG);
    for (name, value) in fields {
        hasher.update((name.len() as u64).to_be_bytes());
        hasher.update(name.as_bytes());
        match value {
            Some(value) => {
                hasher.update([1]);
                hasher.update((value.len() as u64).to_be_bytes());
                hasher.update(value.as_bytes());
            }
            None => hasher.update([0]),
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `*********4321`: every character but the last [`VISIBLE_DIGITS`] replaced by `*`.
#[must_use]
pub fn mask(value: &str) -> String {
    let keep_from = value.chars().count().saturating_sub(VISIBLE_DIGITS);
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i < keep_from { '*' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aqr_core::NewAccount;

    fn request(number: &str, name: Option<&str>) -> CreateRequest {
        let mut account = NewAccount::new(number, Bank::TossBank, " 홍길동 ", "010-1234-5678");
        if let Some(name) = name {
            account = account.account_name(name);
        }
        account.validate().unwrap()
    }

    #[test]
    fn the_fingerprint_is_of_the_normalised_request() {
        let a = CreateRecord::new(
            "a@b.c",
            "http://127.0.0.1:1",
            &request("1234-567-894321", None),
        );
        let b = CreateRecord::new(
            "a@b.c",
            "http://127.0.0.1:1",
            &request("1234567894321", None),
        );
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 64);
        assert!(a.fingerprint().bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn every_field_changes_the_fingerprint() {
        let base = CreateRecord::new(
            "a@b.c",
            "http://127.0.0.1:1",
            &request("1234567894321", None),
        );
        let others = [
            CreateRecord::new(
                "x@b.c",
                "http://127.0.0.1:1",
                &request("1234567894321", None),
            ),
            CreateRecord::new(
                "a@b.c",
                "http://127.0.0.1:2",
                &request("1234567894321", None),
            ),
            CreateRecord::new(
                "a@b.c",
                "http://127.0.0.1:1",
                &request("1234567894322", None),
            ),
            CreateRecord::new(
                "a@b.c",
                "http://127.0.0.1:1",
                &request("1234567894321", Some("x")),
            ),
        ];
        for other in others {
            assert_ne!(base.fingerprint(), other.fingerprint(), "{other:?}");
        }
    }

    #[test]
    fn numbers_are_masked() {
        let record = CreateRecord::new(
            "a@b.c",
            "https://aplx.link",
            &request("1234567894321", None),
        );
        assert_eq!(record.account_number, "*********4321");
        assert_eq!(record.phone_number, "*******5678");
        assert_eq!(record.account_owner, "홍길동");
        assert_eq!(mask("12"), "12");
        assert_eq!(mask(""), "");
    }
}
