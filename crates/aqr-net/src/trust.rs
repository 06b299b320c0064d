//! Which servers the clients trust: one policy for every client and TLS library.
//!
//! The roots are the operating system's (read with `rustls-native-certs`, which honours
//! `SSL_CERT_FILE` and `SSL_CERT_DIR`); where that store is empty — a minimal container
//! without a CA bundle — the Mozilla roots compiled into the SDK (`webpki-root-certs`) are
//! used instead, so that the real service still verifies. Roots the user adds
//! ([`TrustedRoots::add_bundle`]: `ca_bundle=`, `--ca-cert`, `AQR_CA_BUNDLE`) are trusted
//! in addition. Verification cannot be turned off.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use aqr_core::{Field, Rule, ValidationError};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

/// The environment variable naming a PEM file of extra trusted roots, honoured by every
/// client.
pub const ENV_CA_BUNDLE: &str = "AQR_CA_BUNDLE";

/// Where the roots came from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RootSource {
    /// The operating system's store (or `SSL_CERT_FILE` / `SSL_CERT_DIR`).
    System,
    /// The Mozilla roots compiled into the SDK (the system store was empty).
    BuiltIn,
}

/// The trusted roots of a client: the system's (or the built-in ones) and any added.
#[derive(Clone, Debug, Default)]
pub struct TrustedRoots {
    extra: Vec<CertificateDer<'static>>,
}

impl TrustedRoots {
    /// Trusts the certificates of a PEM bundle too.
    ///
    /// # Errors
    /// [`Rule::NoCertificate`] for `ca_bundle` when the text holds no certificate or a
    /// broken one.
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<(), ValidationError> {
        let invalid = || ValidationError::new(Field::CaBundle, Rule::NoCertificate);
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| invalid())?;
        if certs.is_empty() {
            return Err(invalid());
        }
        self.extra.extend(certs);
        Ok(())
    }

    /// Trusts the certificates of a PEM file too.
    ///
    /// # Errors
    /// [`Rule::UnreadableFile`] or [`Rule::NoCertificate`] for `ca_bundle`.
    pub fn add_pem_file(&mut self, path: &Path) -> Result<(), ValidationError> {
        let pem = std::fs::read(path)
            .map_err(|_| ValidationError::new(Field::CaBundle, Rule::UnreadableFile))?;
        self.add_pem(&pem)
    }

    /// Trusts a bundle given as a front end receives it: PEM text (it contains
    /// `-----BEGIN`) or the path of a PEM file.
    ///
    /// # Errors
    /// As [`TrustedRoots::add_pem`] and [`TrustedRoots::add_pem_file`].
    pub fn add_bundle(&mut self, path_or_pem: &str) -> Result<(), ValidationError> {
        if path_or_pem.contains("-----BEGIN") {
            self.add_pem(path_or_pem.as_bytes())
        } else {
            self.add_pem_file(Path::new(path_or_pem.trim()))
        }
    }

    /// The certificates added on top of the system's.
    #[must_use]
    pub fn added(&self) -> &[CertificateDer<'static>] {
        &self.extra
    }

    /// Every trusted root: the system's (or the built-in ones when the system has none)
    /// followed by the added ones, and where the base set came from.
    #[must_use]
    pub fn all(&self) -> (Vec<CertificateDer<'static>>, RootSource) {
        let (base, source) = base_roots();
        let mut all = Vec::with_capacity(base.len() + self.extra.len());
        all.extend(base.iter().cloned());
        all.extend(self.extra.iter().cloned());
        (all, source)
    }
}

type RootSet = (Arc<[CertificateDer<'static>]>, RootSource);

/// The values of `SSL_CERT_FILE` and `SSL_CERT_DIR` a root set was read with.
type StoreKey = (Option<String>, Option<String>);

/// The system's roots, read once per value of `SSL_CERT_FILE`/`SSL_CERT_DIR` (reading
/// the store costs milliseconds; clients are built often).
fn base_roots() -> RootSet {
    static CACHE: OnceLock<Mutex<HashMap<StoreKey, RootSet>>> = OnceLock::new();
    let key = (
        std::env::var("SSL_CERT_FILE").ok(),
        std::env::var("SSL_CERT_DIR").ok(),
    );
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let system = rustls_native_certs::load_native_certs().certs;
    let set: RootSet = if system.is_empty() {
        (
            webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .map(|c| c.clone().into_owned())
                .collect(),
            RootSource::BuiltIn,
        )
    } else {
        (system.into(), RootSource::System)
    };
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, set.clone());
    }
    set
}

/// A rustls client configuration that trusts `roots`, with the ring provider and
/// HTTP/1.1 (the only crypto provider in the SDK; see the crate docs).
///
/// # Errors
/// A message when rustls rejects the configuration (not expected with ring's defaults).
#[cfg(feature = "rustls")]
pub fn rustls_config(roots: &TrustedRoots) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut store = rustls::RootCertStore::empty();
    let (all, _) = roots.all();
    store.add_parsable_certificates(all);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(store)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOT_PEM: &str = "hello";

    #[test]
    fn bundles_need_certificates() {
        let mut roots = TrustedRoots::default();
        let err = roots.add_pem(NOT_PEM.as_bytes()).unwrap_err();
        assert_eq!(
            (err.field(), err.rule()),
            (Field::CaBundle, Rule::NoCertificate)
        );
        let err = roots
            .add_bundle("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")
            .unwrap_err();
        assert_eq!(err.rule(), Rule::NoCertificate);
        let err = roots.add_bundle("/no/such/file.pem").unwrap_err();
        assert_eq!(err.rule(), Rule::UnreadableFile);
        assert!(roots.added().is_empty());
    }

    #[test]
    fn the_base_set_is_never_empty() {
        let (all, _) = TrustedRoots::default().all();
        assert!(!all.is_empty());
    }

    /// Run by `an_empty_system_store_falls_back_to_the_built_in_roots` in a child process
    /// whose environment points the system store at nothing.
    #[test]
    fn child_reports_where_the_roots_came_from() {
        let Ok(expected) = std::env::var("AQR_TEST_EXPECT_ROOTS") else {
            return;
        };
        let (all, source) = TrustedRoots::default().all();
        assert_eq!(format!("{source:?}"), expected);
        assert!(all.len() > 100, "{}", all.len());
    }

    #[test]
    fn an_empty_system_store_falls_back_to_the_built_in_roots() {
        let dir = std::env::temp_dir().join(format!("aqr-net-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty_file = dir.join("none.pem");
        std::fs::write(&empty_file, "").unwrap();
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "trust::tests::child_reports_where_the_roots_came_from",
            ])
            .env("SSL_CERT_FILE", &empty_file)
            .env("SSL_CERT_DIR", &dir)
            .env("AQR_TEST_EXPECT_ROOTS", "BuiltIn")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert!(status.success());
    }
}
