"""``aqr.AsyncClient``: the asyncio client, whose methods are real coroutines."""

from __future__ import annotations

import asyncio
from types import TracebackType
from weakref import WeakKeyDictionary

from . import _aqr
from ._aqr import CreatedAccount
from ._bank import Bank

__all__ = ["AsyncClient"]

#: One queue of finished results per event loop (see ``crates/aqr-python/src/bridge.rs``).
_queues: WeakKeyDictionary[asyncio.AbstractEventLoop, _aqr.LoopQueue] = WeakKeyDictionary()


def _queue() -> _aqr.LoopQueue:
    loop = asyncio.get_running_loop()
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = _aqr.LoopQueue(loop)
    return queue


class AsyncClient:
    """The asyncio AQR client (reqwest on a shared tokio runtime).

    Arguments default to ``AQR_DEVELOPER_TOKEN``, ``AQR_EMAIL`` and ``AQR_BASE_URL``.
    ``timeout`` limits each attempt and ``connect_timeout`` each connection, in seconds;
    ``max_retries`` retries are made only when safe (see the README), the first after
    about ``retry_backoff`` seconds, doubling each time (a ``Retry-After`` from the server
    wins); ``dialect`` is
    ``"reference"`` (``aqr_create``) or ``"revised"`` (``create``).

    One client can serve many tasks at once and several ``asyncio.run`` calls.
    Cancelling a task (``asyncio.wait_for``, ``TaskGroup``) cancels its request. Do not
    use a client in a process forked after it made a request: that raises
    ``RuntimeError``.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        *,
        token: str | None = None,
        email: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        max_retries: int = 2,
        retry_backoff: float = 0.5,
        dialect: str = "reference",
    ) -> None:
        self._native = _aqr.AsyncClient(
            token=token,
            email=email,
            base_url=base_url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            retry_backoff=retry_backoff,
            dialect=dialect,
        )

    async def create(
        self,
        *,
        account_number: str,
        bank: Bank | int | str,
        account_owner: str,
        phone_number: str,
        account_name: str | None = None,
    ) -> CreatedAccount:
        """Creates an entry and returns it.

        ``bank`` is an ``aqr.Bank``, a ``bank_id`` or a str (id, KFTC code or name).
        Raises ``InvalidRequestError`` before any I/O; see ``aqr.AqrError`` for the rest.
        When the error's ``outcome_unknown`` is true the entry may exist.
        """
        return await self._native.create(
            _queue(),
            account_number=account_number,
            bank=bank,
            account_owner=account_owner,
            phone_number=phone_number,
            account_name=account_name,
        )

    async def delete(self, account_id: str) -> None:
        """Deletes an entry (``ApiError`` with status 404 for an unknown id)."""
        await self._native.delete(_queue(), account_id)

    async def qr_image(self, url_or_created_account: CreatedAccount | str) -> bytes:
        """Downloads the PNG QR image of an entry (the token is not sent)."""
        return await self._native.qr_image(_queue(), url_or_created_account)

    async def aclose(self) -> None:
        """Releases the connection pool; later calls raise ``RuntimeError``."""
        self._native.close()

    def close(self) -> None:
        """Like ``aclose`` (for ``contextlib.closing`` and synchronous clean-up)."""
        self._native.close()

    @property
    def email(self) -> str:
        """The developer's e-mail address."""
        return self._native.email

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._native.base_url

    @property
    def closed(self) -> bool:
        """Whether the client was closed."""
        return self._native.closed

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"aqr.AsyncClient(email={self.email!r}, base_url={self.base_url!r})"
