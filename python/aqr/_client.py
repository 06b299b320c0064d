"""``aqr.Client``: the blocking client; and what it shares with ``aqr.AsyncClient``."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from . import _aqr
from ._aqr import CreatedAccount, Timeout
from ._errors import AqrError

if TYPE_CHECKING:
    from ._aqr import Ledger
    from ._bank import Bank
    from ._types import CallOptions, ClientOptions

    if sys.version_info >= (3, 11):
        from typing import Self, Unpack
    else:
        from typing_extensions import Self, Unpack

__all__ = ["Client", "Row", "RowResult"]

#: One row of ``create_many``: a mapping with the keyword arguments of ``create``, or a
#: tuple ``(account_number, bank, account_owner, phone_number[, account_name])``.
Row: TypeAlias = Mapping[str, Any] | Sequence[Any]

#: What ``create_many`` returns for one row: the entry, or the error that row met.
RowResult: TypeAlias = CreatedAccount | AqrError


class _ClientBase:
    """What both clients share: options, properties, ``with_options``, ``repr``."""

    __slots__ = ("__weakref__", "_native")
    _native: Any
    _public_name: ClassVar[str]

    @property
    def email(self) -> str:
        """The developer's e-mail address."""
        email: str = self._native.settings.email
        return email

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        base_url: str = self._native.settings.base_url
        return base_url

    @property
    def closed(self) -> bool:
        """Whether the client (or a copy sharing its pool) was closed."""
        closed: bool = self._native.closed
        return closed

    @property
    def timeout(self) -> Timeout:
        """The time limits of each call (``attempt``, ``connect``, ``total``)."""
        timeout: Timeout = self._native.settings.timeout
        return timeout

    @property
    def max_retries(self) -> int:
        """Retries after a failed attempt (made only when safe)."""
        retries: int = self._native.settings.max_retries
        return retries

    @property
    def retry_backoff(self) -> float:
        """Seconds before the first retry (doubling each time)."""
        backoff: float = self._native.settings.retry_backoff
        return backoff

    def with_options(self, **options: Unpack[ClientOptions]) -> Self:
        """A copy with other options. With call options only (``timeout`` without a
        connect limit, ``deadline``, ``max_retries``, ``retry_backoff``) it shares this
        client's connection pool (closing either closes both); with a connection option
        (credentials, ``base_url``, ``dialect``, ``connect_timeout``, ``proxy``,
        ``ca_bundle``) it gets a pool of its own.

        Raises ``InvalidRequestError`` naming a bad option; nothing is sent.
        """
        copy = object.__new__(type(self))
        if hasattr(self, "__dict__"):
            copy.__dict__.update(self.__dict__)
        copy._native = self._native.with_options(**options)
        return copy

    def _check_open(self) -> None:
        if self._native.closed:
            raise RuntimeError(
                f"{self._public_name} is closed: a client cannot be reopened; make a new one"
            )

    def __repr__(self) -> str:
        return f"{self._public_name}(email={self.email!r}, base_url={self.base_url!r})"


class Client(_ClientBase):
    """The blocking AQR client (ureq, called with the GIL released).

    Options (all keyword arguments, see ``aqr.ClientOptions``) default to the SDK's
    defaults and to ``AQR_DEVELOPER_TOKEN``, ``AQR_EMAIL``, ``AQR_BASE_URL`` and
    ``AQR_CA_BUNDLE``; each is checked here, and a bad one raises ``InvalidRequestError``
    naming it. One client can be shared by many threads. On the main thread, Ctrl-C
    interrupts a call within about 0.05 s (``KeyboardInterrupt`` with a note saying
    whether the request was sent).

    ::

        with aqr.Client() as client:
            created = client.create(account_number="1234567894321", bank=aqr.Bank.TOSS_BANK,
                                    account_owner="홍길동", phone_number="010-1234-1234")
    """

    __slots__ = ()
    _public_name = "aqr.Client"

    def __init__(self, **options: Unpack[ClientOptions]) -> None:
        _aqr.refresh_logging()
        self._native = _aqr.Client(**options)

    def create(
        self,
        *,
        account_number: str,
        bank: Bank | int | str,
        account_owner: str,
        phone_number: str,
        account_name: str | None = None,
        **options: Unpack[CallOptions],
    ) -> CreatedAccount:
        """Creates an entry and returns it.

        ``bank`` is an ``aqr.Bank``, a ``bank_id`` or a str (id, KFTC code or name).
        ``options`` override the client's ``timeout``, ``deadline``, ``max_retries`` and
        ``retry_backoff`` for this call. Raises ``InvalidRequestError`` before any I/O;
        see ``aqr.AqrError`` for the rest. When the error's ``outcome_unknown`` is true
        the entry may exist: check before creating it again.
        """
        native: _aqr.Client = self._native
        return native.create(
            account_number, bank, account_owner, phone_number, account_name, options
        )

    def delete(self, account_id: str, **options: Unpack[CallOptions]) -> None:
        """Deletes an entry (``ApiError`` with status 404 for an unknown id)."""
        native: _aqr.Client = self._native
        native.delete(account_id, options)

    def qr_image(
        self, url_or_created_account: CreatedAccount | str, **options: Unpack[CallOptions]
    ) -> bytes:
        """Downloads the PNG QR image of an entry (the token is not sent; only the
        service's hosts are fetched from)."""
        native: _aqr.Client = self._native
        return native.qr_image(url_or_created_account, options)

    def create_many(
        self,
        rows: Iterable[Row],
        *,
        concurrency: int | None = None,
        ledger: Ledger | str | None = None,
        resend_unknown: bool = False,
        **options: Unpack[CallOptions],
    ) -> list[RowResult]:
        """Creates one entry per row, ``concurrency`` at a time (default 8, at most 256),
        and returns one result per row in input order: the ``CreatedAccount``, or the
        exception that row met (never raised: the other rows' results are kept).

        With a ``ledger`` (an ``aqr.Ledger`` or a path), every create is recorded before
        it is sent and its outcome after, and a rerun resumes: rows the ledger has as
        created are returned without being sent again, and rows whose outcome is unknown
        are not resent (their result is an ``AqrError`` with ``outcome_unknown``) unless
        ``resend_unknown`` — after checking the AQR site. Ctrl-C stops dispatching, lets
        the calls in flight finish and raises ``KeyboardInterrupt``; the ledger keeps
        every outcome.
        """
        native: _aqr.Client = self._native
        return native.create_many(rows, concurrency, ledger, resend_unknown, options)

    def close(self) -> None:
        """Releases the connection pool; later calls raise ``RuntimeError``."""
        self._native.close()

    def __enter__(self) -> Self:
        self._check_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
