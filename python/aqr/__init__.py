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
"""

from __future__ import annotations

from ._aqr import (
    Client,
    CreatedAccount,
    PreparedRequest,
    __version__,
    build_create_request,
    build_delete_request,
    parse_create_response,
    parse_delete_response,
    parse_qr_image_response,
)
from ._async import AsyncClient
from ._bank import Bank
from ._errors import (
    AqrError,
    ApiError,
    ConnectError,
    InvalidRequestError,
    RequestTimeoutError,
    ResponseError,
    TransportError,
)

__all__ = [
    "AqrError",
    "ApiError",
    "AsyncClient",
    "Bank",
    "Client",
    "ConnectError",
    "CreatedAccount",
    "InvalidRequestError",
    "PreparedRequest",
    "RequestTimeoutError",
    "ResponseError",
    "TransportError",
    "__version__",
    "build_create_request",
    "build_delete_request",
    "parse_create_response",
    "parse_delete_response",
    "parse_qr_image_response",
]
