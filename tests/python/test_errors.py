"""Errors that explain themselves (issue 13 item 5, issue 12 items 6, 7, 11; issue 10
item 2): causes, limits, argument names, bank suggestions, escaping, the token at the
body cut, one connect-timeout class in both clients, the new names and their aliases."""

from __future__ import annotations

import asyncio
import errno
import pickle
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

import aqr
from aqr.testing import (
    MockServer,
    delay,
    drop_after_read,
    json_fail,
    respond,
    slow_body,
    text,
)
from conftest import ACCOUNT

FLAVOURS = ["sync", "async"]


def call(flavour: str, method: str, *args: Any, **options: Any) -> Any:
    """One call through a fresh client of either flavour."""
    if flavour == "sync":
        with aqr.Client(**options) as client:
            return getattr(client, method)(*args)

    async def main() -> Any:
        async with aqr.AsyncClient(**options) as client:
            return await getattr(client, method)(*args)

    return asyncio.run(main())


def create(flavour: str, **options: Any) -> Any:
    if flavour == "sync":
        with aqr.Client(**options) as client:
            return client.create(**ACCOUNT)

    async def main() -> Any:
        async with aqr.AsyncClient(**options) as client:
            return await client.create(**ACCOUNT)

    return asyncio.run(main())


def options_for(mock: MockServer, **extra: Any) -> dict[str, Any]:
    return {"token": mock.token, "email": mock.email, "base_url": mock.url, **extra}


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_refused_connection_carries_its_os_error(flavour: str, closed_port: int) -> None:
    with pytest.raises(aqr.ConnectError) as caught:
        create(
            flavour,
            token="tok_0123456789",
            email="a@b.co",
            base_url=f"http://127.0.0.1:{closed_port}",
            max_retries=0,
        )
    error = caught.value
    assert isinstance(error.__cause__, ConnectionRefusedError)
    assert error.__cause__.errno == errno.ECONNREFUSED == error.errno
    assert not error.may_have_been_processed and error.attempts == 1


def test_the_same_fault_reads_the_same_in_both_clients(closed_port: int, mock: MockServer) -> None:
    def message(flavour: str, fault: Any, **options: Any) -> str:
        if fault is not None:
            mock.push_fault({"action": "create", "times": 1, "response": fault})
        with pytest.raises(aqr.TransportError) as caught:
            create(flavour, **options, max_retries=0, timeout=0.3)
        return str(caught.value)

    refused = {
        "token": "tok_0123456789",
        "email": "a@b.co",
        "base_url": f"http://127.0.0.1:{closed_port}",
    }
    for fault, options in [
        (None, refused),
        (delay(1500), options_for(mock)),
        (slow_body(1500), options_for(mock)),
        (drop_after_read(), options_for(mock)),
    ]:
        sync, async_ = (message(flavour, fault, **options) for flavour in FLAVOURS)
        assert sync == async_


@pytest.fixture
def unanswered_port() -> Iterator[int]:
    """A loopback port whose accept queue is full: connecting to it times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.05)
    yield port
    for filler in fillers:
        filler.close()
    server.close()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_connect_timeout_is_one_class_in_both_clients(flavour: str, unanswered_port: int) -> None:
    started = time.monotonic()
    with pytest.raises(aqr.ConnectTimeoutError) as caught:
        create(
            flavour,
            token="tok_0123456789",
            email="a@b.co",
            base_url=f"http://127.0.0.1:{unanswered_port}",
            connect_timeout=0.3,
            max_retries=0,
        )
    assert time.monotonic() - started < 3
    error = caught.value
    assert isinstance(error, aqr.ConnectError) and isinstance(error, aqr.RequestTimeoutError)
    assert isinstance(error, ConnectionError) and isinstance(error, TimeoutError)
    assert (error.timeout_limit, error.timeout_seconds) == ("connect", 0.3)
    assert "the connect limit of 0.3 s" in str(error)
    assert not error.may_have_been_processed


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_messages_escape_control_characters_but_attributes_stay_raw(
    flavour: str, mock: MockServer
) -> None:
    hostile = "\x1b]0;pwned\x07\x1b[2J\r\nerror: forged\x00"
    mock.push_fault(
        {"action": "create", "response": respond(400, json_fail(hostile, code="E\x1b1"))}
    )
    with pytest.raises(aqr.ApiError) as caught:
        create(flavour, **options_for(mock, max_retries=0))
    error = caught.value
    for shown in (str(error), repr(error)):
        assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in shown), shown
    assert error.server_message == hostile and "\\u001b]0;pwned" in error.body
    assert error.code == "E\x1b1"


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("offset", [4096 - 30, 4096 - 20, 4096 - 6])
def test_a_token_straddling_the_body_cut_never_leaks(flavour: str, offset: int) -> None:
    token = "tok_STRADDLE_" + "Q" * 20 + "_end"
    with MockServer(token=token) as mock:
        body = "x" * offset + " " + token + " " + "y" * 100
        mock.push_fault({"action": "create", "response": respond(500, text(body))})
        with pytest.raises(aqr.ApiError) as caught:
            create(flavour, **options_for(mock, max_retries=0))
    error = caught.value
    pickled = pickle.dumps(error)
    for half in (token[: len(token) // 2], token[len(token) // 2 :], "tok_STRADDLE_QQQ"):
        assert half not in error.body and half.encode() not in pickled
        assert half not in str(error) and half not in repr(error)
    restored = pickle.loads(pickled)
    assert type(restored) is aqr.ApiError and restored.body == error.body


def test_type_errors_name_the_argument(client: aqr.Client) -> None:
    bad = {**ACCOUNT, "account_number": 1234567894321}
    with pytest.raises(TypeError, match=r"^account_number must be a str, not int$"):
        client.create(**bad)
    with pytest.raises(TypeError, match=r"^account_id must be a str, not int$"):
        client.delete(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^bank must be an aqr\.Bank, an int or a str, not bool$"):
        client.create(**{**ACCOUNT, "bank": True})
    with pytest.raises(TypeError, match="url_or_created_account"):
        client.qr_image(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Toss", ["Bank.TOSS_BANK (토스뱅크)", "Bank.TOSS_SECURITIES (토스증권)"]),
        ("신한", ["Bank.SHINHAN (신한은행)", "Bank.SHINHAN_SECURITIES (신한투자증권)"]),
        ("농협", ["Bank.NONGHYUP (농협은행)"]),
        ("NH", ["Bank.NONGHYUP", "Bank.NH_INVESTMENT"]),
        ("KB", ["Bank.KOOKMIN", "Bank.KB_SECURITIES"]),
        ("Kakao", ["Bank.KAKAO_BANK", "Bank.KAKAO_PAY_SECURITIES"]),
    ],
)
def test_an_unknown_bank_suggests(client: aqr.Client, query: str, expected: list[str]) -> None:
    with pytest.raises(aqr.InvalidRequestError) as caught:
        client.create(**{**ACCOUNT, "bank": query})
    message = str(caught.value)
    assert message.startswith("invalid bank:") and "aqr.Bank" in message
    assert "did you mean" in message
    for suggestion in expected:
        assert suggestion in message, message
    assert caught.value.rule == "unknown_bank"
    assert "SHINHAN" not in message or query != "NH"


def test_bank_messages_escape_the_value(client: aqr.Client) -> None:
    with pytest.raises(aqr.InvalidRequestError) as caught:
        client.create(**{**ACCOUNT, "bank": "evil\x1b[2J"})
    assert "\x1b" not in str(caught.value)


def test_an_empty_account_name_is_not_called_required(client: aqr.Client) -> None:
    with pytest.raises(aqr.InvalidRequestError) as caught:
        client.create(**{**ACCOUNT, "account_name": ""})
    assert "required" not in str(caught.value)
    assert "optional" in str(caught.value) and "account_name" in str(caught.value)


def test_exceptions_show_as_aqr_names() -> None:
    for cls in (
        aqr.AqrError,
        aqr.InvalidRequestError,
        aqr.ApiError,
        aqr.ResponseError,
        aqr.TransportError,
        aqr.ConnectError,
        aqr.RequestTimeoutError,
        aqr.ConnectTimeoutError,
        aqr.TLSError,
    ):
        assert cls.__module__ == "aqr" and getattr(aqr, cls.__name__) is cls


def test_old_names_still_work_and_warn(client: aqr.Client, mock: MockServer) -> None:
    mock.push_fault({"action": "create", "response": respond(400, json_fail("no"))})
    with pytest.raises(aqr.ApiError) as caught:
        client.create(**ACCOUNT)
    with pytest.warns(DeprecationWarning, match="may_have_been_processed"):
        assert caught.value.may_have_reached_server is False
    with pytest.warns(DeprecationWarning, match="server_message"):
        assert caught.value.message == "no" == caught.value.server_message
