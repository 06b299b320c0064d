"""Proxies, identical in every client: HTTPS_PROXY / ALL_PROXY / NO_PROXY (either case), an
explicit proxy with credentials, loopback never proxied, and a proxy that refuses (407, 403,
or not listening) is a connect error — nothing was sent, so it is retried like one.

The mock serves HTTPS; the clients reach it as ``https://aqr.test:PORT``, a name that
resolves nowhere: only the test's CONNECT proxy (which maps it to 127.0.0.1) can get them
there, so a success proves the request went through the proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .clients import CLIENTS, Options, Outcome, run
from .conftest import assert_no_token
from .servers import PROXIED_HOST, Certificates, ConnectProxy, Mock, closed_port, mock


@pytest.fixture(scope="module")
def https_mock(certs: Certificates) -> Iterator[Mock]:
    with mock(certs.good) as server:
        yield server


def proxied_options(server: Mock, certs: Certificates, **extra: object) -> Options:
    options = Options(
        base_url=f"https://{PROXIED_HOST}:{server.port}", retries=1, ca_bundle=str(certs.ca)
    )
    for name, value in extra.items():
        setattr(options, name, value)
    return options


def assert_created(outcome: Outcome) -> None:
    assert outcome.ok, outcome.describe()
    assert_no_token(outcome)


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])
def test_proxy_from_the_environment(
    client: str, variable: str, https_mock: Mock, certs: Certificates
) -> None:
    with ConnectProxy() as proxy:
        outcome = run(client, "create", proxied_options(https_mock, certs), {variable: proxy.url})
        assert_created(outcome)
        assert proxy.requests == [f"CONNECT {PROXIED_HOST}:{https_mock.port} HTTP/1.1"]


@pytest.mark.parametrize("client", CLIENTS)
def test_explicit_proxy_with_credentials(
    client: str, https_mock: Mock, certs: Certificates
) -> None:
    with ConnectProxy(credentials="alice:pw-S3CRET") as proxy:
        # The explicit option wins over the environment's (unreachable) proxy.
        outcome = run(
            client,
            "create",
            proxied_options(https_mock, certs, proxy=proxy.url),
            {"HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}"},
        )
        assert_created(outcome)
        assert proxy.authorized == [True]
        for text in outcome.texts:
            assert "pw-S3CRET" not in text, text


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("variable", ["NO_PROXY", "no_proxy"])
def test_no_proxy_goes_direct(
    client: str, variable: str, https_mock: Mock, certs: Certificates
) -> None:
    with ConnectProxy() as proxy:
        outcome = run(
            client,
            "create",
            proxied_options(https_mock, certs),
            {"HTTPS_PROXY": proxy.url, variable: f".test,{PROXIED_HOST}"},
        )
        # Direct, the name resolves nowhere: a connect error that says so.
        assert not outcome.ok
        assert outcome.connect and outcome.kind == "connect", outcome.describe()
        assert "did not resolve" in outcome.message, outcome.describe()
        assert proxy.requests == []


@pytest.mark.parametrize("client", CLIENTS)
def test_loopback_is_never_proxied(client: str, https_mock: Mock, certs: Certificates) -> None:
    with ConnectProxy() as proxy:
        options = Options(base_url=https_mock.url, ca_bundle=str(certs.ca))
        outcome = run(client, "create", options, {"HTTPS_PROXY": proxy.url, "ALL_PROXY": proxy.url})
        options.proxy = proxy.url
        explicit = run(client, "create", options)
        assert_created(outcome)
        assert_created(explicit)
        assert proxy.requests == []


REFUSALS = ["407 without credentials", "403 refused tunnel", "proxy not listening"]


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("refusal", REFUSALS)
def test_a_refusing_proxy_is_a_connect_error_retried_like_one(
    client: str, refusal: str, https_mock: Mock, certs: Certificates
) -> None:
    proxy = ConnectProxy(
        credentials="alice:pw" if refusal.startswith("407") else None,
        refuse=refusal.startswith("403"),
    )
    url = f"http://127.0.0.1:{proxy.port}"
    if refusal == "proxy not listening":
        proxy.close()
    try:
        outcome = run(client, "create", proxied_options(https_mock, certs, proxy=url))
    finally:
        if refusal != "proxy not listening":
            proxy.close()
    assert not outcome.ok
    assert (outcome.error_type, outcome.kind) == ("transport", "connect"), outcome.describe()
    assert outcome.may_have_been_processed is False and outcome.outcome_unknown is False
    assert outcome.attempts == 2, outcome.describe()
    assert "proxy" in outcome.message, outcome.describe()
    assert_no_token(outcome)
