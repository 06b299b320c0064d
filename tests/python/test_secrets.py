"""The developer token never appears in any repr, str or traceback, even when the
server echoes it back."""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Iterator

import pytest

import aqr
from aqr.testing import MockServer
from conftest import ACCOUNT, FAST

TOKEN = "tok_TOPSECRET_0123456789"


@pytest.fixture
def secret_mock() -> Iterator[MockServer]:
    with MockServer(token=TOKEN) as server:
        yield server


def texts(error: BaseException) -> list[str]:
    return [
        str(error),
        repr(error),
        "".join(traceback.format_exception(error)),
        *(str(v) for v in vars(error).values()),
    ]


def test_token_absent_from_clients_and_errors(secret_mock: MockServer) -> None:
    mock = secret_mock
    client = aqr.Client(token=TOKEN, email=mock.email, base_url=mock.url, **FAST)
    async_client = aqr.AsyncClient(token=TOKEN, email=mock.email, base_url=mock.url, **FAST)
    seen: list[str] = [repr(client), str(client), repr(async_client), str(async_client), repr(mock)]
    request = aqr.build_create_request(token=TOKEN, email=mock.email, **ACCOUNT)
    seen += [repr(request), str(request)]
    assert request.headers["aqr-developer-token"] == TOKEN  # it is sent, only there

    faults = [
        # The server echoes the token in its message and body.
        {
            "kind": "respond",
            "status": 400,
            "body": {"type": "json_fail", "message": f"bad token {TOKEN}", "code": TOKEN},
        },
        {"kind": "respond", "status": 200, "body": {"type": "text", "text": f"token={TOKEN}"}},
        {"kind": "drop_after_read"},
        {"kind": "delay", "delay_ms": 1500},
    ]
    for fault in faults:
        mock.push_fault({"action": "create", "times": 2, "response": fault})
        with pytest.raises(aqr.AqrError) as sync_error:
            client.create(**ACCOUNT)
        seen += texts(sync_error.value)
        with pytest.raises(aqr.AqrError) as async_error:
            asyncio.run(async_client.create(**ACCOUNT))
        seen += texts(async_error.value)
        mock.clear_faults()

    with pytest.raises(aqr.InvalidRequestError) as invalid:
        aqr.Client(token=TOKEN + " ", email="not-an-email")
    seen += texts(invalid.value)
    with pytest.raises(aqr.InvalidRequestError) as bad_token:
        aqr.Client(token="토큰" + TOKEN, email=mock.email)
    seen += texts(bad_token.value)

    assert all(TOKEN not in text for text in seen), [t for t in seen if TOKEN in t]
    assert any("[REDACTED]" in text for text in seen)  # the echo was scrubbed, not lost
    for record in mock.requests():
        assert TOKEN not in str(record)
