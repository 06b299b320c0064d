"""The Python SDK of the AQR Open API, backed by Rust.

::

    import aqr

    with aqr.Client() as client:  # AQR_DEVELOPER_TOKEN, AQR_EMAIL (or token=, email=)
        created = client.create(account_number="1234567894321", bank=aqr.Bank.TOSS_BANK,
                                account_owner="홍길동", phone_number="010-1234-1234",
                                account_name="월세")
        png = client.qr_image(created)
        client.delete(created.account_id)

    async with aqr.AsyncClient() as client:
        created = await client.create(...)

``build_create_request`` / ``parse_create_response`` (and the delete pair) let you move
the bytes with any HTTP library; ``aqr.testing.MockServer`` serves a local mock.
``aqr.AsyncClient`` (and with it asyncio) is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._aqr import (
    CreatedAccount,
    Ledger,
    LedgerEntry,
    PreparedRequest,
    Timeout,
    __version__,
    build_create_request,
    build_delete_request,
    parse_create_response,
    parse_delete_response,
    parse_qr_image_response,
)
from ._bank import Bank
from ._client import Client, Row, RowResult
from ._errors import (
    ApiError,
    AqrError,
    ConnectError,
    ConnectTimeoutError,
    InvalidRequestError,
    RequestTimeoutError,
    ResponseError,
    TLSError,
    TransportError,
)
from ._logging import configure_from_environment as _configure_logging
from ._types import CallOptions, ClientOptions, Dialect

if TYPE_CHECKING:
    from ._async import AsyncClient

__all__ = [
    "ApiError",
    "AqrError",
    "AsyncClient",
    "Bank",
    "CallOptions",
    "Client",
    "ClientOptions",
    "ConnectError",
    "ConnectTimeoutError",
    "CreatedAccount",
    "Dialect",
    "InvalidRequestError",
    "Ledger",
    "LedgerEntry",
    "PreparedRequest",
    "RequestTimeoutError",
    "ResponseError",
    "Row",
    "RowResult",
    "TLSError",
    "Timeout",
    "TransportError",
    "__version__",
    "build_create_request",
    "build_delete_request",
    "parse_create_response",
    "parse_delete_response",
    "parse_qr_image_response",
]

_configure_logging()


def __getattr__(name: str) -> Any:
    # AsyncClient imports asyncio, which most of `import aqr`'s time would be: load it on
    # first use only.
    if name == "AsyncClient":
        from ._async import AsyncClient

        globals()["AsyncClient"] = AsyncClient
        return AsyncClient
    raise AttributeError(f"module 'aqr' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"AsyncClient"})
