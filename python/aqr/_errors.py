"""The exception hierarchy of the AQR SDK.

The classes are defined here, in Python, so that they can also derive from the builtin
exceptions (``ValueError``, ``ConnectionError``, ``TimeoutError``); the native module
raises them with the details below as keyword arguments. ``str(error)`` is the Rust
core's message, which never contains the developer token.

::

    AqrError
    ├── InvalidRequestError (also ValueError)   nothing was sent
    ├── ApiError                                the server reported a failure
    ├── ResponseError                           the answer could not be interpreted
    └── TransportError                          no complete answer was received
        ├── ConnectError (also ConnectionError) no connection: nothing was sent
        │   └── ConnectTimeoutError             ... because connecting timed out
        ├── RequestTimeoutError (also TimeoutError)
        │   └── ConnectTimeoutError             (both: a connect timeout is a timeout)
        └── TLSError                            the TLS handshake or certificate failed

Configuration problems (a missing token or e-mail, a bad ``base_url`` or ``dialect``) are
``InvalidRequestError`` too, with ``field`` naming the setting (``developer_token``,
``email_address``, ``base_url``, ``dialect``).

Every class shows as ``aqr.<Name>`` (``__module__ == "aqr"``) and pickles with its details.
A transport failure caused by an OS error carries it as ``__cause__`` (a
``ConnectionRefusedError``, …) and its ``errno``.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__ = [
    "ApiError",
    "AqrError",
    "ConnectError",
    "ConnectTimeoutError",
    "InvalidRequestError",
    "RequestTimeoutError",
    "ResponseError",
    "TLSError",
    "TransportError",
]


class AqrError(Exception):
    """Base class of every error the SDK raises.

    Attributes:
        may_have_been_processed: ``False`` when the server certainly did not act on the
            request (validation, configuration, connect failures, definite refusals such
            as a 4xx, 429 or 503).
        outcome_unknown: ``True`` for a failed ``create`` whose entry may nevertheless
            exist (it was not retried; check before creating again).
        attempts: how many attempts were made (0 when nothing was sent).
        operation: ``"create"``, ``"delete"``, ``"qr_image"`` or ``None`` before any I/O.
    """

    __module__ = "aqr"

    may_have_been_processed: bool
    outcome_unknown: bool
    attempts: int
    operation: str | None

    def __init__(
        self,
        message: str,
        *,
        may_have_been_processed: bool = False,
        outcome_unknown: bool = False,
        attempts: int = 0,
        operation: str | None = None,
    ) -> None:
        super().__init__(message)
        self.may_have_been_processed = may_have_been_processed
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts
        self.operation = operation

    @property
    def may_have_reached_server(self) -> bool:
        """Deprecated: use ``may_have_been_processed`` (the same value)."""
        warnings.warn(
            "may_have_reached_server is deprecated; use may_have_been_processed",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.may_have_been_processed

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses take keyword-only details, which the default pickling of
        # exceptions (``cls(*args)``) would lose; rebuild from message and attributes.
        state = dict(vars(self))
        if isinstance(self, OSError):
            state["errno"], state["strerror"] = self.errno, self.strerror
        return (_rebuild, (type(self), str(self), state))


def _rebuild(cls: type[AqrError], message: str, state: dict[str, Any]) -> AqrError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    for name, value in state.items():
        setattr(error, name, value)
    return error


class InvalidRequestError(AqrError, ValueError):
    """An argument or setting broke a rule; nothing was sent. The message names the
    argument (``bank``, ``token``, ``timeout``, …).

    Attributes:
        field: the wire name of the field (``account_number``, ``bank_id``, …) or the
            setting (``developer_token``, ``email_address``, ``base_url``, ``dialect``).
        rule: a stable code for the rule (``required``, ``too_long``, ``phone_format``, …).
    """

    __module__ = "aqr"

    field: str
    rule: str

    def __init__(self, message: str, *, field: str, rule: str, **details: Any) -> None:
        super().__init__(message, **details)
        self.field = field
        self.rule = rule


class ApiError(AqrError):
    """The server (or a proxy in front of it) reported a failure.

    Attributes:
        status: the HTTP status.
        code: the ``code`` of the JSON failure body, if any.
        server_message: the server's message, if any (raw; ``str(error)`` shows it with
            control characters escaped).
        result: the ``result`` field of the body, if any.
        body: the first 4 KiB of the body (raw text; the token is never in it).
        retry_after: the ``Retry-After`` the server asked for, in seconds, if any.
        after_ambiguous_attempt: an earlier attempt of this call may have been processed
            (a ``404`` on a retried delete then most likely means it is already deleted).
    """

    __module__ = "aqr"

    status: int
    code: str | None
    server_message: str | None
    result: str | None
    body: str
    retry_after: float | None
    after_ambiguous_attempt: bool

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        server_message: str | None = None,
        result: str | None = None,
        body: str = "",
        retry_after: float | None = None,
        after_ambiguous_attempt: bool = False,
        **details: Any,
    ) -> None:
        super().__init__(message, **details)
        self.after_ambiguous_attempt = after_ambiguous_attempt
        self.status = status
        self.code = code
        self.server_message = server_message
        self.result = result
        self.body = body
        self.retry_after = retry_after

    @property
    def message(self) -> str | None:
        """Deprecated: use ``server_message`` (the same value)."""
        warnings.warn(
            "ApiError.message is deprecated; use server_message", DeprecationWarning, stacklevel=2
        )
        return self.server_message


class ResponseError(AqrError):
    """The server answered with something the SDK cannot interpret.

    Attributes:
        status: the HTTP status.
        kind: ``empty``, ``truncated``, ``not_json``, ``wrong_shape``, ``missing_field``,
            ``redirect``, ``unexpected_status`` or ``not_image``.
        content_type: the ``Content-Type`` header, if any.
        detail: more detail (the JSON error, the missing field, the redirect target).
        body: the first 4 KiB of the body.
    """

    __module__ = "aqr"

    status: int
    kind: str
    content_type: str | None
    detail: str | None
    body: str

    def __init__(
        self,
        message: str,
        *,
        status: int,
        kind: str,
        content_type: str | None = None,
        detail: str | None = None,
        body: str = "",
        **details: Any,
    ) -> None:
        super().__init__(message, **details)
        self.status = status
        self.kind = kind
        self.content_type = content_type
        self.detail = detail
        self.body = body


class TransportError(AqrError):
    """No complete response was received.

    Attributes:
        kind: ``connect``, ``timeout``, ``tls``, ``io``, ``body_too_large`` or ``other``.
        timeout_limit: for a timeout, the limit that elapsed: ``connect``, ``attempt`` or
            ``total`` (the deadline); else ``None``.
        timeout_seconds: that limit's configured value, in seconds.
    """

    __module__ = "aqr"

    kind: str
    timeout_limit: str | None
    timeout_seconds: float | None

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        timeout_limit: str | None = None,
        timeout_seconds: float | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message, **details)
        self.kind = kind
        self.timeout_limit = timeout_limit
        self.timeout_seconds = timeout_seconds


class ConnectError(TransportError, ConnectionError):
    """No connection could be made (refused, the name did not resolve, the proxy
    failed, connecting timed out); nothing was sent."""

    __module__ = "aqr"


class RequestTimeoutError(TransportError, TimeoutError):
    """A time limit elapsed (``timeout_limit`` says which)."""

    __module__ = "aqr"


class ConnectTimeoutError(ConnectError, RequestTimeoutError):
    """Connecting took longer than the connect limit: a connect failure (nothing was
    sent) and a timeout, in both clients."""

    __module__ = "aqr"


class TLSError(TransportError):
    """The TLS handshake failed (an untrusted or expired certificate, a host name
    mismatch, an alert); nothing was sent and it is never retried."""

    __module__ = "aqr"
