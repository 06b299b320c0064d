"""Type stubs of the native module ``aqr._aqr`` (checked against it by stubtest)."""

import asyncio
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import final

__all__ = [
    "AsyncClient",
    "Client",
    "CreatedAccount",
    "LoopQueue",
    "MockServer",
    "PreparedRequest",
    "__version__",
    "bank_table",
    "build_create_request",
    "build_delete_request",
    "lookup_bank",
    "parse_create_response",
    "parse_delete_response",
    "parse_qr_image_response",
]

__version__: str

@final
class CreatedAccount:
    """An entry the service created."""

    def __new__(cls, account_id: str, qr_image: str, short_url: str) -> CreatedAccount: ...
    @property
    def account_id(self) -> str: ...
    @property
    def qr_image(self) -> str: ...
    @property
    def short_url(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[type[CreatedAccount], tuple[str, str, str]]: ...

@final
class PreparedRequest:
    """An HTTP request ready to send."""

    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> bytes: ...

@final
class Client:
    """The blocking AQR client."""

    def __new__(
        cls,
        *,
        token: str | None = None,
        email: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        max_retries: int = 2,
        retry_backoff: float = 0.5,
        dialect: str = "reference",
    ) -> Client: ...
    def create(
        self,
        *,
        account_number: str,
        bank: int | str,
        account_owner: str,
        phone_number: str,
        account_name: str | None = None,
    ) -> CreatedAccount: ...
    def delete(self, account_id: str) -> None: ...
    def qr_image(self, url_or_created_account: CreatedAccount | str) -> bytes: ...
    def close(self) -> None: ...
    def __enter__(self) -> Client: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
        /,
    ) -> None: ...
    @property
    def email(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def closed(self) -> bool: ...

@final
class AsyncClient:
    """The native asyncio client (use ``aqr.AsyncClient``)."""

    def __new__(
        cls,
        *,
        token: str | None = None,
        email: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        max_retries: int = 2,
        retry_backoff: float = 0.5,
        dialect: str = "reference",
    ) -> AsyncClient: ...
    def create(
        self,
        queue: LoopQueue,
        *,
        account_number: str,
        bank: int | str,
        account_owner: str,
        phone_number: str,
        account_name: str | None = None,
    ) -> asyncio.Future[CreatedAccount]: ...
    def delete(self, queue: LoopQueue, account_id: str) -> asyncio.Future[None]: ...
    def qr_image(
        self, queue: LoopQueue, url_or_created_account: CreatedAccount | str
    ) -> asyncio.Future[bytes]: ...
    def close(self) -> None: ...
    @property
    def email(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def closed(self) -> bool: ...

@final
class LoopQueue:
    """Results of finished async calls waiting for one event loop."""

    def __new__(cls, event_loop: asyncio.AbstractEventLoop) -> LoopQueue: ...

@final
class MockServer:
    """The native mock server (use ``aqr.testing.MockServer``)."""

    def __new__(
        cls, *, token: str | None = None, email: str | None = None, failures_as_200: bool = False
    ) -> MockServer: ...
    @property
    def url(self) -> str: ...
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

def bank_table() -> list[tuple[str, int, str, str, str]]: ...
def lookup_bank(value: int | str) -> int: ...
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
    dialect: str = "reference",
) -> PreparedRequest: ...
def build_delete_request(
    account_id: str,
    *,
    token: str | None = None,
    email: str | None = None,
    base_url: str | None = None,
    dialect: str = "reference",
) -> PreparedRequest: ...
def parse_create_response(
    status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes
) -> CreatedAccount: ...
def parse_delete_response(
    status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes
) -> None: ...
def parse_qr_image_response(
    status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes
) -> bytes: ...
