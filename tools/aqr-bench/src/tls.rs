//! HTTPS for the benchmark: a CA and a leaf for `127.0.0.1` generated at start (rcgen,
//! ring), the responder's rustls configuration, and the raw clients' trust in that CA —
//! everything with ring, the tree's one crypto provider.
//!
//! The responder keeps no TLS sessions and sends no tickets, so every new connection is a
//! full handshake for every client: one that resumes sessions (curl, rustls) gains nothing
//! over one that does not (Python's `ssl` without a session object).

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::NoServerSessionStorage;
use rustls::{ClientConfig, RootCertStore, ServerConfig};

/// The only protocol the responder and the raw clients offer (as the SDK does).
const HTTP_1_1: &[u8] = b"http/1.1";

/// The names the leaf is valid for.
const LEAF_NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

/// What the HTTPS responder serves, and the CA its clients trust.
pub struct Identity {
    /// The responder's rustls configuration.
    pub server: Arc<ServerConfig>,
    /// The generated CA, PEM.
    pub ca_pem: String,
}

fn ring() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A fresh CA and a leaf for `127.0.0.1` and `localhost` signed by it.
///
/// # Errors
/// A message when generating or configuring fails.
pub fn generate() -> Result<Identity, String> {
    let failed = |err: rcgen::Error| format!("cannot generate a certificate: {err}");
    let ca_key = KeyPair::generate().map_err(failed)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "aqr-bench CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).map_err(failed)?;
    let issuer = Issuer::new(ca, ca_key);

    let leaf_key = KeyPair::generate().map_err(failed)?;
    let mut leaf =
        CertificateParams::new(LEAF_NAMES.map(str::to_owned).to_vec()).map_err(failed)?;
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).map_err(failed)?;
    let key = PrivateKeyDer::try_from(leaf_key.serialize_der())?;

    let mut server = ServerConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![leaf_cert.der().clone(), ca_cert.der().clone()], key)
        .map_err(|e| e.to_string())?;
    server.alpn_protocols = vec![HTTP_1_1.to_vec()];
    // Every new connection is a full handshake (see the module docs).
    server.session_storage = Arc::new(NoServerSessionStorage {});
    server.send_tls13_tickets = 0;
    Ok(Identity {
        server: Arc::new(server),
        ca_pem: ca_cert.pem(),
    })
}

/// The certificates of a PEM text.
fn certificates(pem: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("the CA is not PEM: {e}"))?;
    if certs.is_empty() {
        return Err("the CA file holds no certificate".to_owned());
    }
    Ok(certs)
}

/// A rustls client configuration for raw reqwest: ring, HTTP/1.1, trusting only `ca_pem`
/// (nothing for plain HTTP).
///
/// # Errors
/// A message when `ca_pem` holds no certificate.
pub fn raw_reqwest_config(ca_pem: Option<&str>) -> Result<ClientConfig, String> {
    let mut roots = RootCertStore::empty();
    if let Some(pem) = ca_pem {
        roots.add_parsable_certificates(certificates(pem)?);
    }
    let mut config = ClientConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![HTTP_1_1.to_vec()];
    Ok(config)
}

/// The TLS configuration of a raw ureq agent: rustls with ring, trusting only `ca_pem`
/// (nothing for plain HTTP).
///
/// # Errors
/// A message when `ca_pem` holds no certificate.
pub fn raw_ureq_config(ca_pem: Option<&str>) -> Result<ureq::tls::TlsConfig, String> {
    let roots: Vec<ureq::tls::Certificate<'static>> = match ca_pem {
        Some(pem) => certificates(pem)?
            .iter()
            .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
            .collect(),
        None => Vec::new(),
    };
    Ok(ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
        .unversioned_rustls_crypto_provider(ring())
        .build())
}
