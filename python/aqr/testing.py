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
        aqr_mock.push_fault({"action": "create", "response": {
            "kind": "respond", "status": 503, "body": {"type": "html"}}})
        ...

Faults are the JSON form of the mock contract's ``Fault`` (``docs/MOCK-CONTRACT.md``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

from . import _aqr

__all__ = ["MockServer"]


class MockServer:
    """The AQR mock served on ``127.0.0.1`` from a thread of this process.

    ``token`` / ``email`` default to the mock's ``mock-developer-token`` /
    ``dev@example.com``. ``failures_as_200`` answers failures with HTTP 200 (as some
    deployments of the real service do). The server starts at once and stops on
    ``close()`` or at the end of a ``with`` block.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        *,
        token: str | None = None,
        email: str | None = None,
        failures_as_200: bool = False,
    ) -> None:
        self._native = _aqr.MockServer(
            token=token, email=email, failures_as_200=failures_as_200
        )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (pass it as ``base_url``)."""
        return self._native.url

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

    def push_fault(self, fault: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> None:
        """Injects a fault (or a list of them), e.g.
        ``{"action": "create", "times": 1, "response": {"kind": "drop_after_read"}}``.

        Raises ``ValueError`` when the fault does not match the contract."""
        faults = [fault] if isinstance(fault, Mapping) else list(fault)
        for one in faults:
            self._native.push_fault_json(json.dumps(one))

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
