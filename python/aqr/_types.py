"""The option types of the clients, written once: ``ClientOptions`` (what a client takes),
``CallOptions`` (what one call, or a copy sharing the pool, may change). The defaults and
rules live in the Rust core (``aqr.Timeout.DEFAULT`` shows the time limits); an option not
given takes the default, or the environment variable named below."""

from __future__ import annotations

import os
from typing import Literal, TypeAlias, TypedDict

from ._aqr import Timeout

__all__ = ["CallOptions", "ClientOptions", "Dialect", "TimeoutArg"]

#: ``reference`` (``action=aqr_create``, the default) or ``revised`` (``action=create``).
Dialect: TypeAlias = Literal["reference"] | Literal["revised"]

#: Seconds per attempt, or an ``aqr.Timeout``; never ``None`` (the SDK always has a limit).
TimeoutArg: TypeAlias = float | Timeout


class CallOptions(TypedDict, total=False):
    """Options of one call (``client.create(..., timeout=2)``) or of a copy that shares the
    connection pool (``client.with_options(max_retries=0)``).

    - ``timeout``: seconds per attempt, or ``aqr.Timeout(attempt, total=...)`` (a connect
      limit belongs to the pool: give it to the client or to ``with_options``).
    - ``deadline``: seconds for the whole call, retries and waits included; ``None`` for
      none (the default).
    - ``max_retries``: retries after a failed attempt, made only when safe (0-100).
    - ``retry_backoff``: seconds before the first retry, doubling each time (a server's
      ``Retry-After`` wins).
    """

    timeout: TimeoutArg
    deadline: float | None
    max_retries: int
    retry_backoff: float


class ClientOptions(CallOptions, total=False):
    """Options of ``aqr.Client(...)``, ``aqr.AsyncClient(...)`` and ``with_options(...)``.

    - ``token``: the developer token (else ``AQR_DEVELOPER_TOKEN``).
    - ``email``: the developer's e-mail address (else ``AQR_EMAIL``).
    - ``base_url``: the service (else ``AQR_BASE_URL``, else ``https://aplx.link``).
    - ``dialect``: ``"reference"`` or ``"revised"`` action names.
    - ``connect_timeout``: seconds to connect (DNS, TCP, proxy, TLS).
    - ``proxy``: a proxy URL (``http://user:pass@host:port``), or ``"none"`` to ignore the
      proxy environment variables; loopback hosts are never proxied.
    - ``ca_bundle``: extra trusted roots, a PEM file path or PEM text (also
      ``AQR_CA_BUNDLE``), on top of the system's.
    - and every ``CallOptions`` key.
    """

    token: str
    email: str
    base_url: str
    dialect: Dialect
    connect_timeout: float
    proxy: str
    ca_bundle: str | os.PathLike[str]
