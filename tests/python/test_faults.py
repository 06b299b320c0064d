"""Every fault of the shared table (tests/vectors/faults.json) maps to the right exception
class, with the right details, through both clients; plus isinstance checks against the
builtins and retries."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from typing import Any

import pytest

import aqr
from aqr import testing as faults
from aqr.testing import MockServer
from conftest import ACCOUNT, FAST, VECTORS, async_client

#: The shared fault table (also read by the Rust end-to-end suite and the five-client
#: matrix in tests/crossclient): each fault and, per operation, what a client makes of it.
TABLE: dict[str, Any] = json.loads((VECTORS / "faults.json").read_text("utf-8"))
CASES = [f for f in TABLE["faults"] if f["fault"] is not None and "ok" not in f["expect"]["create"]]
#: Python exception classes by the name the table gives.
CLASSES: dict[str, type[aqr.AqrError]] = {
    "ApiError": aqr.ApiError,
    "ResponseError": aqr.ResponseError,
    "TransportError": aqr.TransportError,
    "ConnectError": aqr.ConnectError,
    "RequestTimeoutError": aqr.RequestTimeoutError,
}


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
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fault_maps_to_exception(case: dict[str, Any], flavour: str) -> None:
    expect = case["expect"]["create"]
    with MockServer(token=TABLE["token"]) as mock:
        mock.push_fault({"action": "create", "response": case["fault"]})
        options = {"timeout": TABLE["timeout"], "connect_timeout": TABLE["timeout"]}
        with pytest.raises(CLASSES[expect["python"]]) as caught:
            CLIENTS[flavour](mock, options)
        entries = mock.entries()
    error = caught.value
    if expect["type"] == "transport":
        assert error.kind == expect["kind"]
    elif expect["type"] == "response":
        assert (type(error), error.kind) == (aqr.ResponseError, expect["kind"])
    else:
        assert type(error) is aqr.ApiError
    if expect["status"] is not None:
        assert error.status == expect["status"]
    for name, value in expect.get("attrs", {}).items():
        assert getattr(error, name) == value, name
    assert error.operation == "create"
    assert error.attempts == 1
    assert error.may_have_been_processed is expect["may_have_been_processed"]
    # For create, "may have been processed" is exactly "outcome unknown".
    assert error.outcome_unknown is expect["outcome_unknown"]
    assert str(error)  # the core's message
    assert TABLE["token"] not in str(error) + repr(error) + str(getattr(error, "body", ""))
    if case["fault"]["kind"] == "drop_after_read":
        assert len(entries) == 1  # the entry exists although the call failed


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
            "response": faults.respond(503, faults.html(), retry_after="0"),
        }
    )
    created = CLIENTS[flavour](mock, {"max_retries": 1})
    assert isinstance(created, aqr.CreatedAccount)
    assert [r["status"] for r in mock.requests()] == [503, 200]


@pytest.mark.parametrize("flavour", CLIENTS)
def test_create_is_not_retried_after_a_possible_send(mock: MockServer, flavour: str) -> None:
    mock.push_fault({"action": "create", "response": faults.respond(500, faults.json_fail("boom"))})
    with pytest.raises(aqr.ApiError) as caught:
        CLIENTS[flavour](mock, {"max_retries": 2})
    assert caught.value.outcome_unknown and caught.value.attempts == 1
    assert len(mock.requests()) == 1


def test_retries_are_counted(mock: MockServer) -> None:
    mock.push_fault(
        {"action": "create", "response": faults.respond(503, faults.html(), retry_after="0")}
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
            "response": faults.respond(
                429, faults.json_fail("slow down", code="E9"), retry_after="7"
            ),
        }
    )
    with pytest.raises(aqr.ApiError) as caught:
        sync_create(mock, {})
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is aqr.ApiError and str(copy) == str(caught.value)
    assert vars(copy) == vars(caught.value)
    assert (copy.status, copy.code, copy.retry_after) == (429, "E9", 7.0)
