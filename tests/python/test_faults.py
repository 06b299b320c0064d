"""The fault matrix: every injected fault maps to the right exception class, with the
right details, through both clients; plus isinstance checks against the builtins and
retries."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer
from conftest import ACCOUNT, FAST, async_client


@dataclass(frozen=True)
class Case:
    name: str
    response: dict[str, Any]
    error: type[aqr.AqrError]
    attrs: dict[str, Any] = field(default_factory=dict)
    reached: bool | None = None  # expected may_have_been_processed (None: not asserted)


def respond(status: int, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"kind": "respond", "status": status, "body": body, **extra}


CASES = [
    Case(
        "400 json fail",
        respond(400, {"type": "json_fail", "message": "bad bank", "code": "E1"}),
        aqr.ApiError,
        {"status": 400, "code": "E1", "server_message": "bad bank"},
        reached=False,
    ),
    Case(
        "500 json fail",
        respond(500, {"type": "json_fail", "message": "boom"}),
        aqr.ApiError,
        {"status": 500, "server_message": "boom"},
        reached=True,
    ),
    Case(
        "200 result fail",
        respond(200, {"type": "json_fail", "key": "msg", "message": "nope"}),
        aqr.ApiError,
        {"status": 200, "server_message": "nope", "result": "fail"},
    ),
    Case("503 html", respond(503, {"type": "html"}), aqr.ApiError, {"status": 503}, reached=False),
    Case(
        "429 retry-after",
        respond(429, {"type": "json_fail", "message": "slow down"}, retry_after="120"),
        aqr.ApiError,
        {"status": 429, "retry_after": 120.0},
        reached=False,
    ),
    Case(
        "200 html",
        respond(200, {"type": "html"}),
        aqr.ResponseError,
        {"status": 200, "kind": "not_json"},
        reached=True,
    ),
    Case(
        "200 empty",
        respond(200, {"type": "empty"}),
        aqr.ResponseError,
        {"status": 200, "kind": "empty"},
        reached=True,
    ),
    Case(
        "200 truncated",
        respond(200, {"type": "truncated_json"}),
        aqr.ResponseError,
        {"status": 200, "kind": "truncated"},
        reached=True,
    ),
    Case(
        "200 text",
        respond(200, {"type": "text", "text": "OK"}),
        aqr.ResponseError,
        {"status": 200, "kind": "not_json"},
    ),
    Case(
        "200 wrong shape",
        respond(200, {"type": "json", "value": [1, 2]}),
        aqr.ResponseError,
        {"status": 200, "kind": "wrong_shape"},
    ),
    Case(
        "200 missing id",
        respond(200, {"type": "json", "value": {"result": "success"}}),
        aqr.ResponseError,
        {"status": 200, "kind": "missing_field"},
    ),
    Case(
        "redirect",
        {"kind": "redirect", "status": 302, "location": "https://evil.example/"},
        aqr.ResponseError,
        {"status": 302, "kind": "redirect"},
        reached=True,
    ),
    Case(
        "huge body",
        respond(200, {"type": "huge", "bytes": 2 * 1024 * 1024}),
        aqr.TransportError,
        {"kind": "body_too_large"},
        reached=True,
    ),
    Case("drop before read", {"kind": "drop_before_read"}, aqr.TransportError),
    Case("drop after read", {"kind": "drop_after_read"}, aqr.TransportError, reached=True),
    Case(
        "delay past timeout",
        {"kind": "delay", "delay_ms": 1500},
        aqr.RequestTimeoutError,
        {"kind": "timeout"},
        reached=True,
    ),
    Case(
        "slow body",
        {"kind": "slow_body", "delay_ms": 1500},
        aqr.RequestTimeoutError,
        {"kind": "timeout"},
        reached=True,
    ),
]

Call = Callable[[MockServer, dict[str, Any]], Any]


def sync_create(mock: MockServer, options: dict[str, Any]) -> Any:
    with aqr.Client(
        token=mock.token, email=mock.email, base_url=mock.url, **{**FAST, **options}
    ) as client:
        return client.create(**ACCOUNT)


def async_create(mock: MockServer, options: dict[str, Any]) -> Any:
    async def main() -> Any:
        async with async_client(mock, **options) as client:
            return await client.create(**ACCOUNT)

    return asyncio.run(main())


CLIENTS = {"sync": sync_create, "async": async_create}


@pytest.mark.parametrize("flavour", CLIENTS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fault_maps_to_exception(mock: MockServer, case: Case, flavour: str) -> None:
    mock.push_fault({"action": "create", "response": case.response})
    with pytest.raises(case.error) as caught:
        CLIENTS[flavour](mock, {})
    error = caught.value
    assert type(error) is case.error or case.error is aqr.TransportError
    for name, value in case.attrs.items():
        assert getattr(error, name) == value, name
    assert error.operation == "create"
    assert error.attempts == 1
    if case.reached is not None:
        assert error.may_have_been_processed is case.reached
    # For create, "may have reached the server" is exactly "outcome unknown".
    assert error.outcome_unknown is error.may_have_been_processed
    assert str(error)  # the core's message
    if case.response["kind"] == "drop_after_read":
        assert len(mock.entries()) == 1  # the entry exists although the call failed


@pytest.mark.parametrize("flavour", CLIENTS)
def test_connect_error(flavour: str) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    class Closed:
        token, email, url = "tok", "dev@example.com", f"http://127.0.0.1:{port}"

    with pytest.raises(aqr.ConnectError) as caught:
        CLIENTS[flavour](Closed(), {})  # type: ignore[arg-type]
    error = caught.value
    assert isinstance(error, ConnectionError) and isinstance(error, aqr.TransportError)
    assert error.kind == "connect"
    assert not error.may_have_been_processed and not error.outcome_unknown


@pytest.mark.parametrize("flavour", CLIENTS)
def test_wrong_token_is_an_api_error(mock: MockServer, flavour: str) -> None:
    class Wrong:
        token, email, url = "not-the-token", mock.email, mock.url

    with pytest.raises(aqr.ApiError) as caught:
        CLIENTS[flavour](Wrong(), {})  # type: ignore[arg-type]
    assert (caught.value.status, caught.value.code) == (401, "invalid_token")


def test_exception_hierarchy_and_builtins() -> None:
    assert issubclass(aqr.InvalidRequestError, aqr.AqrError)
    assert issubclass(aqr.InvalidRequestError, ValueError)
    assert issubclass(aqr.ConnectError, aqr.TransportError)
    assert issubclass(aqr.ConnectError, ConnectionError)
    assert issubclass(aqr.RequestTimeoutError, aqr.TransportError)
    assert issubclass(aqr.RequestTimeoutError, TimeoutError)
    for cls in (aqr.ApiError, aqr.ResponseError, aqr.TransportError):
        assert issubclass(cls, aqr.AqrError)
        assert not issubclass(cls, (ValueError, ConnectionError, TimeoutError))


@pytest.mark.parametrize("flavour", CLIENTS)
def test_timeout_is_a_builtin_timeout(mock: MockServer, flavour: str) -> None:
    mock.push_fault({"action": "create", "response": {"kind": "delay", "delay_ms": 1500}})
    with pytest.raises(TimeoutError):
        CLIENTS[flavour](mock, {})


@pytest.mark.parametrize("flavour", CLIENTS)
def test_refusal_is_retried(mock: MockServer, flavour: str) -> None:
    mock.push_fault(
        {
            "action": "create",
            "times": 1,
            "response": respond(503, {"type": "html"}, retry_after="0"),
        }
    )
    created = CLIENTS[flavour](mock, {"max_retries": 1})
    assert isinstance(created, aqr.CreatedAccount)
    assert [r["status"] for r in mock.requests()] == [503, 200]


@pytest.mark.parametrize("flavour", CLIENTS)
def test_create_is_not_retried_after_a_possible_send(mock: MockServer, flavour: str) -> None:
    mock.push_fault(
        {"action": "create", "response": respond(500, {"type": "json_fail", "message": "boom"})}
    )
    with pytest.raises(aqr.ApiError) as caught:
        CLIENTS[flavour](mock, {"max_retries": 2})
    assert caught.value.outcome_unknown and caught.value.attempts == 1
    assert len(mock.requests()) == 1


def test_retries_are_counted(mock: MockServer) -> None:
    mock.push_fault(
        {"action": "create", "response": respond(503, {"type": "html"}, retry_after="0")}
    )
    with pytest.raises(aqr.ApiError) as caught:
        sync_create(mock, {"max_retries": 2})
    assert caught.value.attempts == 3 and len(mock.requests()) == 3
    assert not caught.value.outcome_unknown


def test_errors_survive_pickling(mock: MockServer) -> None:
    import pickle

    mock.push_fault(
        {
            "action": "create",
            "response": respond(
                429, {"type": "json_fail", "message": "slow down", "code": "E9"}, retry_after="7"
            ),
        }
    )
    with pytest.raises(aqr.ApiError) as caught:
        sync_create(mock, {})
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is aqr.ApiError and str(copy) == str(caught.value)
    assert vars(copy) == vars(caught.value)
    assert (copy.status, copy.code, copy.retry_after) == (429, "E9", 7.0)
