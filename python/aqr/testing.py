"""Test helpers: ``MockServer``, the AQR mock (Rust, from the extension) on a free port.

Use it in your own test suite::

    import pytest
    import aqr
    from aqr.testing import MockServer

    @pytest.fixture
    def aqr_mock():
        with MockServer() as server:
            yield server

    def test_publishes_account(aqr_mock):
        with aqr.Client(token=aqr_mock.token, email=aqr_mock.email,
                        base_url=aqr_mock.url) as client:
            created = client.create(account_number="1234567894321", bank=aqr.Bank.TOSS_BANK,
                                    account_owner="홍길동", phone_number="010-1234-1234")
        assert aqr_mock.entries()[0]["account_id"] == created.account_id

    def test_outage(aqr_mock):
        aqr_mock.fail_next(status=503, times=2)          # or push_fault(respond(503, html()))
        ...

Faults are the JSON form of the mock contract's ``Fault`` (``docs/MOCK-CONTRACT.md``),
typed here as ``FaultSpec`` and built with ``respond``, ``delay``, ``drop_before_read``,
``drop_after_read``, ``slow_body``, ``redirect`` and the bodies ``json_fail``, ``html``,
``text``, ``empty``, ``truncated_json``. The pytest plugin (``aqr.pytest_plugin``, loaded
automatically) gives the fixtures ``aqr_mock``, ``aqr_client`` and ``aqr_async_client``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, TypeAlias, TypedDict

from . import _aqr

__all__ = [
    "DelayResponse",
    "DropResponse",
    "FaultBody",
    "FaultResponse",
    "FaultSpec",
    "MockServer",
    "RedirectResponse",
    "RespondResponse",
    "SlowBodyResponse",
    "delay",
    "drop_after_read",
    "drop_before_read",
    "empty",
    "html",
    "json_fail",
    "redirect",
    "respond",
    "slow_body",
    "text",
    "truncated_json",
]

#: Which requests a fault applies to.
Action: TypeAlias = Literal["create"] | Literal["delete"] | Literal["qr_image"]


class FaultBody(TypedDict, total=False):
    """The body of a ``respond`` fault: ``{"type": "json_fail", "message": ...}``,
    ``{"type": "html"}``, ``{"type": "text", "text": ...}``, ``{"type": "empty"}``,
    ``{"type": "truncated_json"}``, ``{"type": "json", "value": ...}`` or
    ``{"type": "huge", "bytes": n}``."""

    type: str
    message: str
    key: str
    code: str
    text: str
    value: Any
    bytes: int


class RespondResponse(TypedDict, total=False):
    """Answer with ``status`` and ``body`` instead of handling the request."""

    kind: Literal["respond"]
    status: int
    body: FaultBody
    retry_after: str
    headers: list[tuple[str, str]]
    delay_ms: int


class DelayResponse(TypedDict):
    """Wait ``delay_ms``, then handle the request normally."""

    kind: Literal["delay"]
    delay_ms: int


class DropResponse(TypedDict):
    """Close the connection before reading (nothing processed) or after processing."""

    kind: Literal["drop_before_read", "drop_after_read"]


class SlowBodyResponse(TypedDict):
    """Send half the body, then stall for ``delay_ms``."""

    kind: Literal["slow_body"]
    delay_ms: int


class RedirectResponse(TypedDict):
    """Answer with a redirect (nothing processed)."""

    kind: Literal["redirect"]
    status: int
    location: str


FaultResponse: TypeAlias = (
    RespondResponse | DelayResponse | DropResponse | SlowBodyResponse | RedirectResponse
)


class FaultSpec(TypedDict, total=False):
    """A fault: its ``response``, limited to requests of ``action`` (default: any), for
    the next ``times`` matching requests (default: every one)."""

    action: Action
    times: int
    response: FaultResponse


def json_fail(message: str, *, code: str | None = None, key: str | None = None) -> FaultBody:
    """``{"result": "fail", "message": message, "code": code}`` (``key`` renames
    ``message``)."""
    body: FaultBody = {"type": "json_fail", "message": message}
    if code is not None:
        body["code"] = code
    if key is not None:
        body["key"] = key
    return body


def html() -> FaultBody:
    """A proxy's HTML error page."""
    return {"type": "html"}


def text(content: str) -> FaultBody:
    """Plain text."""
    return {"type": "text", "text": content}


def empty() -> FaultBody:
    """No body."""
    return {"type": "empty"}


def truncated_json() -> FaultBody:
    """A success body cut in the middle."""
    return {"type": "truncated_json"}


def respond(
    status: int,
    body: FaultBody | None = None,
    *,
    retry_after: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    delay_ms: int = 0,
) -> RespondResponse:
    """Answer with ``status`` and ``body`` (default: a JSON failure) instead of handling
    the request."""
    response: RespondResponse = {
        "kind": "respond",
        "status": status,
        "body": body if body is not None else json_fail(f"mock fault {status}"),
    }
    if retry_after is not None:
        response["retry_after"] = retry_after
    if headers:
        response["headers"] = list(headers)
    if delay_ms:
        response["delay_ms"] = delay_ms
    return response


def delay(delay_ms: int) -> DelayResponse:
    """Wait ``delay_ms``, then handle the request normally."""
    return {"kind": "delay", "delay_ms": delay_ms}


def drop_before_read() -> DropResponse:
    """Close the connection without reading the request (nothing is processed)."""
    return {"kind": "drop_before_read"}


def drop_after_read() -> DropResponse:
    """Process the request (a create creates), then close without answering."""
    return {"kind": "drop_after_read"}


def slow_body(delay_ms: int) -> SlowBodyResponse:
    """Handle the request, send half the body, then stall ``delay_ms``."""
    return {"kind": "slow_body", "delay_ms": delay_ms}


def redirect(location: str, status: int = 302) -> RedirectResponse:
    """Answer with a redirect to ``location`` (nothing is processed)."""
    return {"kind": "redirect", "status": status, "location": location}


class MockServer:
    """The AQR mock served on ``127.0.0.1`` from a thread of this process.

    ``token`` / ``email`` default to the mock's ``mock-developer-token`` /
    ``dev@example.com``. ``failures_as_200`` answers failures with HTTP 200 (as some
    deployments of the real service do). ``tls=True`` serves HTTPS with a certificate for
    ``localhost``/``127.0.0.1``/``::1`` signed by a CA generated at start: pass
    ``ca_bundle=server.ca_file`` (or ``ca_pem``) to a client. ``tls="expired"`` or
    ``"wrong_host"`` serve a certificate no client may accept. The server starts at once
    and stops on ``close()`` or at the end of a ``with`` block.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        *,
        token: str | None = None,
        email: str | None = None,
        failures_as_200: bool = False,
        tls: bool | Literal["expired", "wrong_host"] = False,
    ) -> None:
        self._native = _aqr.MockServer(
            token=token, email=email, failures_as_200=failures_as_200, tls=tls
        )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (``https://`` with ``tls``; pass it as
        ``base_url``)."""
        return self._native.url

    @property
    def ca_pem(self) -> str | None:
        """The generated CA certificate to trust (PEM), with ``tls=True``."""
        return self._native.ca_pem

    @property
    def ca_file(self) -> str | None:
        """A file holding ``ca_pem`` (removed when the server stops)."""
        return self._native.ca_file

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return self._native.port

    @property
    def token(self) -> str:
        """The developer token the server accepts."""
        return self._native.token

    @property
    def email(self) -> str:
        """The e-mail address the server accepts."""
        return self._native.email

    def requests(self) -> list[dict[str, Any]]:
        """The recorded requests, oldest first (the token's value is redacted)."""
        records: list[dict[str, Any]] = json.loads(self._native.requests_json())
        return records

    def clear_requests(self) -> None:
        """Forgets the recorded requests."""
        self._native.clear_requests()

    def push_fault(
        self, fault: FaultSpec | Mapping[str, Any] | Sequence[FaultSpec | Mapping[str, Any]]
    ) -> None:
        """Injects a fault (or a list of them), e.g.
        ``{"action": "create", "times": 1, "response": drop_after_read()}``.

        Raises ``ValueError`` when the fault does not match the contract."""
        faults = [fault] if isinstance(fault, Mapping) else list(fault)
        for one in faults:
            self._native.push_fault_json(json.dumps(one))

    def fail_next(
        self,
        response: FaultResponse | None = None,
        *,
        status: int | None = None,
        times: int = 1,
        action: Action | None = None,
        retry_after: str | None = None,
    ) -> None:
        """Makes the next ``times`` requests (of ``action``, default any) fail: with
        ``response`` (a builder's result), or with ``status`` and a JSON failure body.

        ``aqr_mock.fail_next(status=503, times=2, action="create")``."""
        if response is None:
            if status is None:
                raise TypeError("fail_next needs a response or a status")
            response = respond(status, retry_after=retry_after)
        fault: FaultSpec = {"times": times, "response": response}
        if action is not None:
            fault["action"] = action
        self.push_fault(fault)

    def clear_faults(self) -> None:
        """Removes every injected fault."""
        self._native.clear_faults()

    def entries(self) -> list[dict[str, Any]]:
        """The entries that exist now."""
        entries: list[dict[str, Any]] = json.loads(self._native.entries_json())
        return entries

    def close(self) -> None:
        """Stops the server (idempotent)."""
        self._native.close()

    def __enter__(self) -> MockServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"aqr.testing.MockServer(url={self.url!r}, email={self.email!r})"
