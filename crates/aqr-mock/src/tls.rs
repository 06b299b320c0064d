//! HTTPS: the certificate the mock serves (generated at start with its own CA, or read
//! from PEM files) and the rustls acceptor, with ring as the one crypto provider.

use crate::options::TlsCertificate;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// The names the generated leaf is valid for.
const LOOPBACK_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];
/// The only name the [`TlsCertificate::WrongHost`] leaf is valid for.
const WRONG_HOST: &str = "wrong-host.invalid";

/// What serving HTTPS needs, and the CA clients should trust.
pub(crate) struct Tls {
    pub(crate) acceptor: TlsAcceptor,
    /// The generated CA (none for certificate files).
    pub(crate) ca_pem: Option<String>,
}

impl Tls {
    /// Generates or reads the certificate.
    ///
    /// # Errors
    /// `InvalidInput` naming the file for unreadable or unusable PEM files; `Other` when
    /// generating fails.
    pub(crate) fn new(certificate: &TlsCertificate) -> io::Result<Tls> {
        let (chain, key, ca_pem) = match certificate {
            TlsCertificate::Files { cert, key } => (read_chain(cert)?, read_key(key)?, None),
            TlsCertificate::Generated => generate(&LOOPBACK_NAMES, false)?,
            TlsCertificate::Expired => generate(&LOOPBACK_NAMES, true)?,
            TlsCertificate::WrongHost => generate(&[WRONG_HOST], false)?,
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|err| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("the TLS certificate and key do not make a usable pair: {err}"),
                )
            })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            ca_pem,
        })
    }
}

type Generated = (
    Vec<CertificateDer<'static>>,
    PrivateKeyDer<'static>,
    Option<String>,
);

/// A fresh CA and a leaf for `names` signed by it (expired long ago if `expired`).
fn generate(names: &[&str], expired: bool) -> io::Result<Generated> {
    let failed =
        |err: rcgen::Error| io::Error::other(format!("cannot generate a certificate: {err}"));
    let ca_key = KeyPair::generate().map_err(failed)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "aqr-mock test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).map_err(failed)?;
    let issuer = Issuer::new(ca, ca_key);

    let leaf_key = KeyPair::generate().map_err(failed)?;
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let mut leaf = CertificateParams::new(names).map_err(failed)?;
    leaf.distinguished_name.push(DnType::CommonName, "aqr-mock");
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    if expired {
        leaf.not_before = rcgen::date_time_ymd(2000, 1, 1);
        leaf.not_after = rcgen::date_time_ymd(2001, 1, 1);
    }
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).map_err(failed)?;
    let key = PrivateKeyDer::try_from(leaf_key.serialize_der()).map_err(io::Error::other)?;
    Ok((
        vec![leaf_cert.der().clone(), ca_cert.der().clone()],
        key,
        Some(ca_cert.pem()),
    ))
}

fn unusable(path: &Path, what: &str, err: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: {what}: {err}", path.display()),
    )
}

/// The certificates of a PEM file, leaf first.
fn read_chain(path: &PathBuf) -> io::Result<Vec<CertificateDer<'static>>> {
    let chain = CertificateDer::pem_file_iter(path)
        .map_err(|err| unusable(path, "cannot read the certificate file", err))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| unusable(path, "not a PEM certificate file", err))?;
    if chain.is_empty() {
        return Err(unusable(
            path,
            "no certificate",
            "the file holds no CERTIFICATE block",
        ));
    }
    Ok(chain)
}

/// The private key of a PEM file.
fn read_key(path: &PathBuf) -> io::Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_file(path)
        .map_err(|err| unusable(path, "not a PEM private key file", err))
}

/// A PEM certificate and key pair for `names`, self-signed; for tests of
/// [`TlsCertificate::Files`].
#[cfg(test)]
pub(crate) fn self_signed_pair(names: &[&str]) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let cert = CertificateParams::new(names)
        .unwrap()
        .self_signed(&key)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_makes_an_acceptor() {
        for kind in [
            TlsCertificate::Generated,
            TlsCertificate::Expired,
            TlsCertificate::WrongHost,
        ] {
            let tls = Tls::new(&kind).unwrap();
            assert!(
                tls.ca_pem
                    .unwrap()
                    .starts_with("-----BEGIN CERTIFICATE-----")
            );
        }
    }

    #[test]
    fn bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        let missing = Tls::new(&TlsCertificate::Files {
            cert: cert.clone(),
            key: key.clone(),
        })
        .err()
        .unwrap();
        assert!(missing.to_string().contains("cert.pem"), "{missing}");
        let (cert_pem, key_pem) = self_signed_pair(&["localhost"]);
        std::fs::write(&cert, &cert_pem).unwrap();
        std::fs::write(&key, "not a key").unwrap();
        let err = Tls::new(&TlsCertificate::Files {
            cert: cert.clone(),
            key: key.clone(),
        })
        .err()
        .unwrap();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("key.pem"), "{err}");
        std::fs::write(&key, key_pem).unwrap();
        let tls = Tls::new(&TlsCertificate::Files { cert, key }).unwrap();
        assert!(tls.ca_pem.is_none());
    }
}
