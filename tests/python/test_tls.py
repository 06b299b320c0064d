"""HTTPS from Python (issue 11, Python parts): ``MockServer(tls=True)`` with its CA, both
clients trusting it through ``ca_bundle=`` (file or PEM text) and ``AQR_CA_BUNDLE``, and
TLS failures as ``TLSError`` — never retried, nothing sent, the token in no output — in
both clients alike."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import traceback
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer
from conftest import ACCOUNT

FLAVOURS = ["sync", "async"]
TOKEN = "tok_TLS_SECRET_4b7c1d9e"


def round_trip(flavour: str, **options: Any) -> tuple[aqr.CreatedAccount, bytes]:
    if flavour == "sync":
        with aqr.Client(**options) as client:
            created = client.create(**ACCOUNT)
            png = client.qr_image(created)
            client.delete(created.account_id)
            return created, png

    async def main() -> tuple[aqr.CreatedAccount, bytes]:
        async with aqr.AsyncClient(**options) as client:
            created = await client.create(**ACCOUNT)
            png = await client.qr_image(created)
            await client.delete(created.account_id)
            return created, png

    return asyncio.run(main())


@pytest.fixture(scope="module")
def tls_mock() -> Any:
    with MockServer(token=TOKEN, tls=True) as server:
        yield server


def test_the_tls_mock_exposes_its_ca(tls_mock: MockServer) -> None:
    assert tls_mock.url.startswith("https://127.0.0.1:")
    assert tls_mock.ca_pem is not None and tls_mock.ca_pem.startswith("-----BEGIN CERTIFICATE")
    assert tls_mock.ca_file is not None
    with open(tls_mock.ca_file, encoding="ascii") as file:
        assert file.read() == tls_mock.ca_pem
    with MockServer() as plain:
        assert plain.ca_pem is None and plain.ca_file is None and plain.url.startswith("http:")


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("trust", ["file", "pem"])
def test_round_trip_over_https(flavour: str, trust: str, tls_mock: MockServer) -> None:
    bundle = tls_mock.ca_file if trust == "file" else tls_mock.ca_pem
    created, png = round_trip(
        flavour, token=TOKEN, email=tls_mock.email, base_url=tls_mock.url, ca_bundle=bundle
    )
    assert created.short_url.startswith("https://") and png.startswith(b"\x89PNG")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_aqr_ca_bundle_environment_variable(flavour: str, tls_mock: MockServer) -> None:
    script = (
        "import asyncio, aqr, sys\n"
        "a = dict(account_number='1234567894321', bank=1, account_owner='홍길동',"
        " phone_number='01012341234')\n"
        "if sys.argv[1] == 'sync':\n"
        "    print(aqr.Client().create(**a).account_id)\n"
        "else:\n"
        "    print(asyncio.run(aqr.AsyncClient().create(**a)).account_id)\n"
    )
    env = {
        **os.environ,
        "AQR_DEVELOPER_TOKEN": TOKEN,
        "AQR_EMAIL": tls_mock.email,
        "AQR_BASE_URL": tls_mock.url,
        "AQR_CA_BUNDLE": str(tls_mock.ca_file),
    }
    result = subprocess.run(
        [sys.executable, "-c", script, flavour], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in {e["account_id"] for e in tls_mock.entries()}


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("certificate", ["untrusted", "expired", "wrong_host"])
def test_tls_failures_are_tls_errors(flavour: str, certificate: str) -> None:
    kind: Any = True if certificate == "untrusted" else certificate
    with MockServer(token=TOKEN, tls=kind) as server:
        options: dict[str, Any] = {
            "token": TOKEN,
            "email": server.email,
            "base_url": server.url,
            "max_retries": 2,
            "retry_backoff": 0.01,
        }
        if certificate != "untrusted":
            options["ca_bundle"] = server.ca_pem
        started = time.monotonic()
        with pytest.raises(aqr.TLSError) as caught:
            round_trip(flavour, **options)
        assert time.monotonic() - started < 5
        error = caught.value
        assert error.kind == "tls" and error.attempts == 1  # never retried
        assert not error.may_have_been_processed and not error.outcome_unknown
        assert server.requests() == [] and server.entries() == []
        shown = str(error) + repr(error) + "".join(traceback.format_exception(error))
        assert TOKEN not in shown
