"""Client options (issue 13 item 2, issue 12 item 8): one options type for both clients,
``aqr.Timeout``, per-call options, ``with_options`` sharing the pool, the deadline, and
every value checked at construction with an error that names it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer, delay, respond
from conftest import ACCOUNT

CLIENTS = [aqr.Client, aqr.AsyncClient]
BASE = {"token": "tok_options_0123456789", "email": "dev@example.com"}


def run(client: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """Calls a method of either client."""
    result = getattr(client, method)(*args, **kwargs)
    if asyncio.iscoroutine(result):
        return asyncio.run(result)
    return result


def mock_options(mock: MockServer) -> dict[str, Any]:
    return {"token": mock.token, "email": mock.email, "base_url": mock.url}


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("name", ["timeout", "connect_timeout", "deadline", "retry_backoff"])
@pytest.mark.parametrize("value", [1e19, float("inf"), float("nan"), -1.0])
def test_every_duration_is_checked_at_construction(cls: Any, name: str, value: float) -> None:
    with pytest.raises(aqr.InvalidRequestError, match=name) as caught:
        cls(**BASE, **{name: value})
    assert (caught.value.field, caught.value.rule) == (name, "duration")


@pytest.mark.parametrize("cls", CLIENTS)
def test_timeout_none_is_a_clear_error(cls: Any) -> None:
    for name in ("timeout", "connect_timeout"):
        with pytest.raises(aqr.InvalidRequestError, match="never runs without a time limit"):
            cls(**BASE, **{name: None})


@pytest.mark.parametrize("cls", CLIENTS)
def test_wrong_types_name_the_argument(cls: Any) -> None:
    with pytest.raises(TypeError, match="timeout must be a number of seconds, not str"):
        cls(**BASE, timeout="30")
    with pytest.raises(TypeError, match="max_retries must be an int, not float"):
        cls(**BASE, max_retries=2.0)
    with pytest.raises(TypeError, match="token must be a str, not int"):
        cls(token=123, email="dev@example.com")
    with pytest.raises(TypeError, match="unexpected keyword argument 'timeuot'"):
        cls(**BASE, timeuot=3)


def test_timeout_object() -> None:
    t = aqr.Timeout(10, connect=2, total=60)
    assert (t.attempt, t.connect, t.total) == (10.0, 2.0, 60.0)
    assert repr(t) == "aqr.Timeout(10.0, connect=2.0, total=60.0)"
    assert eval(repr(t), {"aqr": aqr}) == t and hash(t) == hash(
        aqr.Timeout(10, connect=2, total=60)
    )
    assert aqr.Timeout(30, connect=5, total=None) == aqr.Timeout.DEFAULT
    with pytest.raises(aqr.InvalidRequestError) as caught:
        aqr.Timeout(connect=0)
    assert caught.value.field == "connect_timeout"


@pytest.mark.parametrize("cls", CLIENTS)
def test_options_show_on_the_client(cls: Any) -> None:
    client = cls(**BASE)
    assert client.timeout == aqr.Timeout.DEFAULT
    assert (client.max_retries, client.retry_backoff) == (2, 0.5)
    custom = cls(**BASE, timeout=aqr.Timeout(7, connect=1, total=20), max_retries=0)
    assert custom.timeout == aqr.Timeout(7, connect=1, total=20)
    assert cls(**BASE, timeout=4, deadline=9).timeout == aqr.Timeout(4, connect=5, total=9)
    assert custom.max_retries == 0


@pytest.mark.parametrize("cls", CLIENTS)
def test_with_options_shares_the_pool_for_call_options(cls: Any, mock: MockServer) -> None:
    client = cls(**mock_options(mock))
    quick = client.with_options(timeout=0.3, max_retries=0)
    assert type(quick) is cls and quick.timeout.attempt == 0.3 and quick.max_retries == 0
    assert client.timeout.attempt == 30.0  # the original is unchanged
    run(quick, "create", **ACCOUNT)
    quick.close()
    assert client.closed  # one pool: closing either closes both


@pytest.mark.parametrize("cls", CLIENTS)
def test_with_options_makes_a_new_pool_for_connection_options(cls: Any, mock: MockServer) -> None:
    client = cls(**mock_options(mock))
    other = client.with_options(connect_timeout=1.5)
    assert other.timeout.connect == 1.5 and other.email == client.email
    other.close()
    assert not client.closed
    run(client, "create", **ACCOUNT)
    with pytest.raises(aqr.InvalidRequestError) as caught:
        client.with_options(timeout=0)
    assert caught.value.field == "timeout"


@pytest.mark.parametrize("cls", CLIENTS)
def test_per_call_timeout(cls: Any, mock: MockServer) -> None:
    client = cls(**mock_options(mock), max_retries=0)
    mock.push_fault({"action": "create", "response": delay(1500)})
    started = time.monotonic()
    with pytest.raises(aqr.RequestTimeoutError) as caught:
        run(client, "create", **ACCOUNT, timeout=0.3)
    assert time.monotonic() - started < 1.4  # the call's limit, not the client's 30 s
    assert (caught.value.timeout_limit, caught.value.timeout_seconds) == ("attempt", 0.3)
    assert "the attempt limit of 0.3 s" in str(caught.value)
    assert "global" not in str(caught.value)  # not ureq's name for the limit
    assert isinstance(caught.value.__cause__, TimeoutError)  # the library's own words


@pytest.mark.parametrize("cls", CLIENTS)
def test_per_call_deadline_bounds_retries(cls: Any, mock: MockServer) -> None:
    client = cls(**mock_options(mock), max_retries=5, retry_backoff=0.3)
    mock.push_fault({"action": "delete", "response": respond(500)})
    started = time.monotonic()
    with pytest.raises(aqr.AqrError):
        run(client, "delete", "no-such-id", deadline=0.5)
    assert time.monotonic() - started < 1.5
    assert len(mock.requests()) < 6


@pytest.mark.parametrize("cls", CLIENTS)
def test_per_call_max_retries(cls: Any, mock: MockServer) -> None:
    client = cls(**mock_options(mock), retry_backoff=0.01)
    mock.push_fault({"action": "create", "times": 5, "response": respond(503)})
    with pytest.raises(aqr.ApiError) as caught:
        run(client, "create", **ACCOUNT, max_retries=1)
    assert caught.value.attempts == 2 and len(mock.requests()) == 2


@pytest.mark.parametrize("cls", CLIENTS)
def test_connect_limit_cannot_change_per_call(cls: Any, mock: MockServer) -> None:
    client = cls(**mock_options(mock))
    for options in ({"connect_timeout": 1.0}, {"timeout": aqr.Timeout(connect=1.0)}):
        with pytest.raises(aqr.InvalidRequestError, match="with_options") as caught:
            run(client, "create", **ACCOUNT, **options)
        assert caught.value.field == "connect_timeout"
    with pytest.raises(aqr.InvalidRequestError, match="cannot change for one call"):
        run(client, "delete", "x", proxy="http://127.0.0.1:9")
    assert mock.requests() == []


@pytest.mark.parametrize("cls", CLIENTS)
def test_proxy_and_ca_bundle_are_accepted_and_checked(cls: Any, tmp_path: Any) -> None:
    assert cls(**BASE, proxy="http://user:pw@127.0.0.1:3128").email == BASE["email"]
    assert not cls(**BASE, proxy="none").closed
    with pytest.raises(aqr.InvalidRequestError) as proxy:
        cls(**BASE, proxy="socks9://x")
    assert proxy.value.field == "proxy"
    with pytest.raises(aqr.InvalidRequestError) as missing:
        cls(**BASE, ca_bundle=tmp_path / "missing.pem")
    assert (missing.value.field, missing.value.rule) == ("ca_bundle", "unreadable_file")
    with pytest.raises(aqr.InvalidRequestError) as empty:
        cls(**BASE, ca_bundle="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    assert empty.value.rule == "no_certificate"


def test_deadline_none_removes_the_deadline() -> None:
    client = aqr.Client(**BASE, deadline=5)
    assert client.with_options(deadline=None).timeout.total is None
    assert client.with_options(max_retries=1).timeout.total == 5.0
