"""HTTPS in every client: a round trip trusting the mock's CA each supported way, and the
TLS failures a user meets (unknown issuer, wrong host name, expired certificate, a server
that never answers the handshake, a handshake alert) — each a typed error, not retried,
within its time bound, the token in no output."""

from __future__ import annotations

from pathlib import Path

import pytest

from .clients import CLIENTS, Options, run
from .conftest import assert_no_token
from .servers import AlertServer, Certificates, SilentServer, mock


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("trust", ["option", "SSL_CERT_FILE", "AQR_CA_BUNDLE"])
def test_round_trip_over_https(
    client: str, trust: str, certs: Certificates, empty_dir: Path
) -> None:
    with mock(certs.good) as server:
        assert server.url.startswith("https://")
        options = Options(base_url=server.url)
        env: dict[str, str] = {}
        if trust == "option":
            options.ca_bundle = str(certs.ca)
        elif trust == "SSL_CERT_FILE":
            env = {"SSL_CERT_FILE": str(certs.ca), "SSL_CERT_DIR": str(empty_dir)}
        else:
            env = {"AQR_CA_BUNDLE": str(certs.ca)}
        outcome = run(client, "round_trip", options, env)
        assert outcome.ok, outcome.describe()
        assert outcome.value["bytes"] > 0, outcome.describe()
        assert_no_token(outcome)


CASES = ["unknown issuer", "wrong host name", "expired certificate", "handshake alert"]


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("case", CASES)
def test_certificate_failures_are_tls_errors_never_retried(
    client: str, case: str, certs: Certificates
) -> None:
    leaf = {"wrong host name": certs.wrong_host, "expired certificate": certs.expired}
    if case == "handshake alert":
        with AlertServer() as server:
            options = Options(
                base_url=f"https://127.0.0.1:{server.port}", retries=2, ca_bundle=str(certs.ca)
            )
            outcome = run(client, "create", options)
            accepted = server.accepted
    else:
        with mock(leaf.get(case, certs.good)) as server:
            trusted = None if case == "unknown issuer" else str(certs.ca)
            options = Options(base_url=server.url, retries=2, ca_bundle=trusted)
            outcome = run(client, "create", options)
            accepted = 1
    assert not outcome.ok
    assert (outcome.error_type, outcome.kind) == ("transport", "tls"), outcome.describe()
    assert outcome.may_have_been_processed is False, outcome.describe()
    assert outcome.outcome_unknown is False, outcome.describe()
    assert outcome.attempts == 1, outcome.describe()
    assert accepted == 1
    word = {
        "unknown issuer": "trusted",
        "wrong host name": "not valid for",
        "expired certificate": "expired",
        "handshake alert": "refused",
    }[case]
    assert word in outcome.message, outcome.describe()
    assert_no_token(outcome)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_server_that_never_answers_the_handshake_is_a_connect_timeout(
    client: str, certs: Certificates
) -> None:
    with SilentServer() as server:
        options = Options(
            base_url=f"https://127.0.0.1:{server.port}",
            timeout=5.0,
            connect_timeout=0.5,
            retries=1,
            ca_bundle=str(certs.ca),
        )
        outcome = run(client, "create", options)
    assert not outcome.ok
    assert outcome.timeout and outcome.connect, outcome.describe()
    assert outcome.may_have_been_processed is False, outcome.describe()
    # Nothing was sent, so the policy retries it like any connect failure.
    assert outcome.attempts == 2, outcome.describe()
    assert "connect" in outcome.message, outcome.describe()
    # Two connect limits of 0.5 s and a short backoff, plus a process start.
    assert outcome.elapsed < 4.5, outcome.describe()
    assert_no_token(outcome)
