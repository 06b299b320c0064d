"""``aqr.AsyncClient``: the asyncio client, whose methods are real coroutines (imported on
first use of ``aqr.AsyncClient``, so that ``import aqr`` does not import asyncio)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from . import _aqr
from ._aqr import CreatedAccount
from ._client import Row, RowResult, _ClientBase

if TYPE_CHECKING:
    from ._aqr import Ledger
    from ._bank import Bank
    from ._types import CallOptions, ClientOptions

    if sys.version_info >= (3, 11):
        from typing import Self, Unpack
    else:
        from typing_extensions import Self, Unpack

__all__ = ["AsyncClient"]

#: One queue of finished results per event loop (see ``crates/aqr-python/src/bridge.rs``).
_queues: WeakKeyDictionary[asyncio.AbstractEventLoop, _aqr.LoopQueue] = WeakKeyDictionary()

_NO_LOOP = (
    "aqr.AsyncClient needs a running asyncio event loop (asyncio, or anyio on its asyncio "
    "backend); trio is not supported. Under trio, run the blocking client in a thread: "
    "await trio.to_thread.run_sync(functools.partial(client.create, ...)) with an aqr.Client"
)


def _queue() -> _aqr.LoopQueue:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(_NO_LOOP) from None
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = _aqr.LoopQueue(loop)
    return queue


class AsyncClient(_ClientBase):
    """The asyncio AQR client (reqwest on a shared tokio runtime).

    Takes the same options as ``aqr.Client`` (see ``aqr.ClientOptions``). One client can
    serve many tasks at once and several ``asyncio.run`` calls. Cancelling a task
    (``asyncio.wait_for``, ``TaskGroup``) cancels its request. Do not use a client in a
    process forked after it made a request: that raises ``RuntimeError``.
    """

    __slots__ = ()
    _public_name = "aqr.AsyncClient"

    def __init__(self, **options: Unpack[ClientOptions]) -> None:
        _aqr.refresh_logging()
        self._native = _aqr.AsyncClient(**options)

    async def create(
        self,
        *,
        account_number: str,
        bank: Bank | int | str,
        account_owner: str,
        phone_number: str,
        account_name: str | None = None,
        **options: Unpack[CallOptions],
    ) -> CreatedAccount:
        """Creates an entry and returns it (see ``aqr.Client.create``)."""
        native: _aqr.AsyncClient = self._native
        return await native.create(
            _queue(), account_number, bank, account_owner, phone_number, account_name, options
        )

    async def delete(self, account_id: str, **options: Unpack[CallOptions]) -> None:
        """Deletes an entry (``ApiError`` with status 404 for an unknown id)."""
        native: _aqr.AsyncClient = self._native
        await native.delete(_queue(), account_id, options)

    async def qr_image(
        self, url_or_created_account: CreatedAccount | str, **options: Unpack[CallOptions]
    ) -> bytes:
        """Downloads the PNG QR image of an entry (the token is not sent)."""
        native: _aqr.AsyncClient = self._native
        return await native.qr_image(_queue(), url_or_created_account, options)

    async def create_many(
        self,
        rows: Iterable[Row],
        *,
        concurrency: int | None = None,
        ledger: Ledger | str | None = None,
        resend_unknown: bool = False,
        **options: Unpack[CallOptions],
    ) -> list[RowResult]:
        """Creates one entry per row, ``concurrency`` at a time; one result per row in
        input order (see ``aqr.Client.create_many``). Cancelling the task stops
        dispatching; the ledger keeps every outcome."""
        native: _aqr.AsyncClient = self._native
        return await native.create_many(
            _queue(), rows, concurrency, ledger, resend_unknown, options
        )

    async def aclose(self) -> None:
        """Releases the connection pool; later calls raise ``RuntimeError``."""
        self._native.close()

    def close(self) -> None:
        """Like ``aclose`` (for ``contextlib.closing`` and synchronous clean-up)."""
        self._native.close()

    async def __aenter__(self) -> Self:
        self._check_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
