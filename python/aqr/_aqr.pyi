"""Type stubs of the native module ``aqr._aqr`` (checked against it by stubtest).

The public classes defined here (``CreatedAccount``, ``Timeout``, ``Ledger``,
``LedgerEntry``, ``PreparedRequest``) carry their documentation; ``Client``,
``AsyncClient``, ``LoopQueue`` and ``MockServer`` are the native halves of the classes in
``aqr`` and ``aqr.testing`` (documented there)."""

import asyncio
import os
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal, final

from ._errors import AqrError

__all__ = [
    "AsyncClient",
    "Client",
    "CreatedAccount",
    "Ledger",
    "LedgerEntry",
    "LoopQueue",
    "MockServer",
    "PreparedRequest",
    "Timeout",
    "__version__",
    "bank_table",
    "build_create_request",
    "build_delete_request",
    "lookup_bank",
    "parse_create_response",
    "parse_delete_response",
    "parse_qr_image_response",
    "refresh_logging",
    "run_cli",
]

__version__: str

@final
class CreatedAccount:
    """An entry the service created: ``account_id`` (to delete it), ``qr_image`` (where
    its QR image is) and ``short_url`` (what the QR code encodes). Frozen, hashable,
    picklable; ``repr`` is evaluable."""

    def __new__(cls, account_id: str, qr_image: str, short_url: str) -> CreatedAccount: ...
    @property
    def account_id(self) -> str:
        """The entry's id, needed to delete it."""
    @property
    def qr_image(self) -> str:
        """Where the QR image can be downloaded (``client.qr_image(created)``)."""
    @property
    def short_url(self) -> str:
        """The entry's public short URL (what the QR code encodes)."""
    def to_dict(self) -> dict[str, str]:
        """The three fields as a dict (``json.dumps(created.to_dict())``)."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[CreatedAccount], tuple[str, str, str]]: ...

@final
class Timeout:
    """Time limits in seconds: ``attempt`` (one attempt, the answer's body included),
    ``connect`` (DNS, TCP, proxy, TLS) and ``total`` (the whole call, retries and waits
    included). Each is checked when the object is made (``InvalidRequestError``); one left
    ``None`` keeps the client's value. ``Timeout.DEFAULT`` holds the SDK's defaults."""

    DEFAULT: ClassVar[Timeout]
    def __new__(
        cls,
        attempt: float | None = None,
        *,
        connect: float | None = None,
        total: float | None = None,
    ) -> Timeout: ...
    @property
    def attempt(self) -> float | None:
        """Seconds for one attempt."""
    @property
    def connect(self) -> float | None:
        """Seconds to connect."""
    @property
    def total(self) -> float | None:
        """Seconds for the whole call (``None``: no overall deadline)."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class PreparedRequest:
    """An HTTP request ready to send with any HTTP library (``repr`` shows the method and
    URL only: the headers carry the developer token)."""

    @property
    def method(self) -> str:
        """``"POST"`` (or ``"GET"``)."""
    @property
    def url(self) -> str:
        """The endpoint URL."""
    @property
    def headers(self) -> dict[str, str]:
        """The headers to send (a new dict on each access)."""
    @property
    def body(self) -> bytes:
        """The form-urlencoded body."""

@final
class Ledger:
    """The local ledger (SQLite, mode 0600) that ``create_many(..., ledger=...)`` records
    every create in — before it is sent, and its outcome after — so that a rerun resumes
    without duplicates. Without ``path``: ``AQR_LEDGER``, else the platform's data
    directory (the ``aqr`` command's ledger). Stores no token; account and phone numbers
    masked but for their last four digits."""

    def __new__(cls, path: str | os.PathLike[str] | None = None) -> Ledger: ...
    @property
    def path(self) -> str:
        """The ledger file."""
    def entries(
        self,
        *,
        status: str | None = None,
        base_url: str | None = None,
        email: str | None = None,
    ) -> list[LedgerEntry]:
        """The entries, oldest first; each filter given must match (``status``:
        ``pending``, ``created``, ``failed``, ``unknown`` or ``deleted``)."""

@final
class LedgerEntry:
    """One create recorded in a ledger, and what became of it."""

    @property
    def id(self) -> int:
        """The ledger's id for the entry (not the service's)."""
    @property
    def status(self) -> str:
        """``pending``, ``created``, ``failed``, ``unknown`` or ``deleted``."""
    @property
    def account_id(self) -> str | None:
        """The service's id for the entry, once created."""
    @property
    def short_url(self) -> str | None:
        """The entry's public short URL, once created."""
    @property
    def qr_image(self) -> str | None:
        """Where the entry's QR image can be downloaded, once created."""
    @property
    def bank_id(self) -> int:
        """The ``bank_id`` (``aqr.Bank(entry.bank_id)``)."""
    @property
    def account_number(self) -> str:
        """The account number, masked but for its last four digits."""
    @property
    def account_owner(self) -> str:
        """The account holder's name."""
    @property
    def phone_number(self) -> str:
        """The phone number, masked but for its last four digits."""
    @property
    def account_name(self) -> str | None:
        """The entry's label, if any."""
    @property
    def error(self) -> str | None:
        """Why the entry is ``failed`` or ``unknown``."""
    @property
    def email(self) -> str:
        """The developer's e-mail address the entry was created with."""
    @property
    def base_url(self) -> str:
        """The service the entry was sent to."""
    @property
    def recorded_at(self) -> int:
        """When the entry was first recorded (seconds since the Unix epoch)."""
    @property
    def updated_at(self) -> int:
        """When the entry last changed (seconds since the Unix epoch)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict."""

@final
class Client:
    """The native blocking client (use ``aqr.Client``)."""

    def __new__(cls, **options: Any) -> Client: ...
    def with_options(self, **options: Any) -> Client: ...
    def create(
        self,
        account_number: str,
        bank: int | str,
        account_owner: str,
        phone_number: str,
        account_name: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> CreatedAccount: ...
    def delete(self, account_id: str, options: Mapping[str, Any] | None = None) -> None: ...
    def qr_image(
        self, url_or_created_account: CreatedAccount | str, options: Mapping[str, Any] | None = None
    ) -> bytes: ...
    def create_many(
        self,
        rows: Iterable[Any],
        concurrency: int | None,
        ledger: Ledger | str | os.PathLike[str] | None,
        resend_unknown: bool,
        options: Mapping[str, Any] | None = None,
    ) -> list[CreatedAccount | AqrError]: ...
    def close(self) -> None: ...
    @property
    def settings(self) -> _ClientSettings: ...
    @property
    def closed(self) -> bool: ...

@final
class AsyncClient:
    """The native asyncio client (use ``aqr.AsyncClient``)."""

    def __new__(cls, **options: Any) -> AsyncClient: ...
    def with_options(self, **options: Any) -> AsyncClient: ...
    def create(
        self,
        queue: LoopQueue,
        account_number: str,
        bank: int | str,
        account_owner: str,
        phone_number: str,
        account_name: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> asyncio.Future[CreatedAccount]: ...
    def delete(
        self, queue: LoopQueue, account_id: str, options: Mapping[str, Any] | None = None
    ) -> asyncio.Future[None]: ...
    def qr_image(
        self,
        queue: LoopQueue,
        url_or_created_account: CreatedAccount | str,
        options: Mapping[str, Any] | None = None,
    ) -> asyncio.Future[bytes]: ...
    def create_many(
        self,
        queue: LoopQueue,
        rows: Iterable[Any],
        concurrency: int | None,
        ledger: Ledger | str | os.PathLike[str] | None,
        resend_unknown: bool,
        options: Mapping[str, Any] | None = None,
    ) -> asyncio.Future[list[CreatedAccount | AqrError]]: ...
    def close(self) -> None: ...
    @property
    def settings(self) -> _ClientSettings: ...
    @property
    def closed(self) -> bool: ...

@final
class _ClientSettings:
    """A client's settings as the public properties of both clients read them."""

    @property
    def email(self) -> str:
        """The developer's e-mail address."""
    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
    @property
    def timeout(self) -> Timeout:
        """The time limits of each call."""
    @property
    def max_retries(self) -> int:
        """Retries after a failed attempt (when safe)."""
    @property
    def retry_backoff(self) -> float:
        """Seconds before the first retry."""

@final
class LoopQueue:
    """Results of finished async calls waiting for one event loop."""

    def __new__(cls, event_loop: asyncio.AbstractEventLoop) -> LoopQueue: ...

@final
class MockServer:
    """The native mock server (use ``aqr.testing.MockServer``)."""

    def __new__(
        cls,
        *,
        token: str | None = None,
        email: str | None = None,
        failures_as_200: bool = False,
        tls: bool | str | None = None,
    ) -> MockServer: ...
    @property
    def url(self) -> str: ...
    @property
    def ca_pem(self) -> str | None: ...
    @property
    def ca_file(self) -> str | None: ...
    @property
    def port(self) -> int: ...
    @property
    def token(self) -> str: ...
    @property
    def email(self) -> str: ...
    def requests_json(self) -> str: ...
    def clear_requests(self) -> None: ...
    def push_fault_json(self, fault: str) -> None: ...
    def clear_faults(self) -> None: ...
    def entries_json(self) -> str: ...
    def close(self) -> None: ...

def refresh_logging() -> None:
    """Forwards Rust log records to ``logging`` and re-reads the levels (clients call it)."""

def bank_table() -> list[tuple[str, int, str, str, str]]:
    """``(ident, bank_id, korean_name, english_name, kftc_code)`` for every bank."""

def lookup_bank(value: int | str) -> int:
    """The ``bank_id`` of a bank given as an id, a KFTC code or a name."""

def build_create_request(
    *,
    account_number: str,
    bank: int | str,
    account_owner: str,
    phone_number: str,
    account_name: str | None = None,
    token: str | None = None,
    email: str | None = None,
    base_url: str | None = None,
    dialect: Literal["reference", "revised"] | None = None,
) -> PreparedRequest:
    """Builds the request that creates an entry (``InvalidRequestError`` naming the
    argument, before anything is built)."""

def build_delete_request(
    account_id: str,
    *,
    token: str | None = None,
    email: str | None = None,
    base_url: str | None = None,
    dialect: Literal["reference", "revised"] | None = None,
) -> PreparedRequest:
    """Builds the request that deletes an entry."""

def parse_create_response(
    status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes
) -> CreatedAccount:
    """Interprets the response to a create request (``ApiError``, ``ResponseError``)."""

def parse_delete_response(
    status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes
) -> None:
    """Interprets the response to a delete request."""

def parse_qr_image_response(
    status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes
) -> bytes:
    """Interprets the response to a QR image download; returns the image bytes."""

def run_cli(args: list[str]) -> int:
    """Runs the ``aqr`` command line (``args[0]`` is the program name); returns its exit
    code. Used by ``python -m aqr`` and the ``aqr`` console script."""
