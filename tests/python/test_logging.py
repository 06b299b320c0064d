"""Logging (issue 13 item 3, issue 11 item 5): one DEBUG record per attempt and one INFO
record per retry on the ``aqr`` logger, from both clients; Rust records of every crate
forwarded to ``logging``; no record at any level carries the token or a form value;
``AQR_LOG`` turns on a stderr handler."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
import sys
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer, respond

TOKEN = "tok_LOGGING_SECRET_5d1e9a"
ACCOUNT = {
    "account_number": "1234567894321",
    "bank": aqr.Bank.TOSS_BANK,
    "account_owner": "홍길동",
    "phone_number": "010-9876-5432",
    "account_name": "월세계좌",
}
#: Every secret and form value, as sent (the account and phone number also without '-').
SECRETS = [TOKEN, "1234567894321", "홍길동", "010-9876-5432", "01098765432", "월세계좌"]


def round_trip(flavour: str, mock: MockServer) -> None:
    """A create refused once with 503 (retried), a QR download, a delete."""
    mock.push_fault({"action": "create", "times": 1, "response": respond(503)})
    options: dict[str, Any] = {
        "token": TOKEN,
        "email": mock.email,
        "base_url": mock.url,
        "retry_backoff": 0.01,
    }
    if flavour == "sync":
        with aqr.Client(**options) as client:
            created = client.create(**ACCOUNT)
            client.qr_image(created)
            client.delete(created.account_id)
        return

    async def main() -> None:
        async with aqr.AsyncClient(**options) as client:
            created = await client.create(**ACCOUNT)
            await client.qr_image(created)
            await client.delete(created.account_id)

    asyncio.run(main())


@pytest.fixture
def mock() -> Any:
    with MockServer(token=TOKEN) as server:
        yield server


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_attempts_and_retries_are_logged(
    flavour: str, mock: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="aqr")
    round_trip(flavour, mock)
    ours = [r for r in caplog.records if r.name == "aqr"]
    attempts = [r.getMessage() for r in ours if r.levelno == logging.DEBUG]
    retries = [r.getMessage() for r in ours if r.levelno == logging.INFO]
    port = mock.url.rsplit(":", 1)[1]
    assert len(attempts) == 4, attempts  # create x2, qr_image, delete
    assert re.fullmatch(
        rf"create attempt 1 of 3: POST http://127\.0\.0\.1:{port}/api/ -> HTTP 503 in [\d.]+ ms",
        attempts[0],
    ), attempts[0]
    assert attempts[1].startswith("create attempt 2 of 3: ") and "-> HTTP 200" in attempts[1]
    assert attempts[2].startswith(f"qr_image attempt 1 of 3: GET http://127.0.0.1:{port}/res ")
    assert "keyword" not in attempts[2]  # the URL's query is left out
    assert attempts[3].startswith("delete attempt 1 of 3: POST ")
    assert len(retries) == 1 and re.fullmatch(
        r"create retry 1 of 2 in [\d.]+ s \(backoff\) after HTTP 503", retries[0]
    ), retries


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_no_record_of_any_crate_at_any_level_carries_a_secret(
    flavour: str, mock: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(1)  # everything, Rust TRACE records included
    round_trip(flavour, mock)
    names = {r.name for r in caplog.records}
    assert "aqr" in names
    # Records of the HTTP library itself are forwarded too (not only the SDK's) ...
    assert any(not name.startswith("aqr") for name in names), names
    # ... except ureq's raw request dump.
    assert not any(name.startswith("ureq_proto") for name in names)
    for record in caplog.records:
        text = record.getMessage()
        for secret in SECRETS:
            assert secret not in text, (record.name, text)


def test_nothing_is_logged_above_the_configured_level(
    mock: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    round_trip("sync", mock)
    assert [r for r in caplog.records if r.name == "aqr"] == []


def test_aqr_log_environment_variable(mock: MockServer) -> None:
    script = (
        "import aqr\n"
        f"c = aqr.Client(token={mock.token!r}, email={mock.email!r}, base_url={mock.url!r})\n"
        "c.delete('unknown-id') if False else None\n"
        "try:\n    c.delete('unknown-id')\nexcept aqr.ApiError:\n    pass\n"
    )
    env = {**os.environ, "AQR_LOG": "debug"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert "DEBUG aqr: delete attempt 1 of 3: POST" in result.stderr, result.stderr
    assert mock.token not in result.stderr
    quiet = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "AQR_LOG"},
        timeout=60,
    )
    assert quiet.stderr == ""
