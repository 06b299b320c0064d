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
        ├── ConnectError (also ConnectionError)
        └── RequestTimeoutError (also TimeoutError)

Configuration problems (a missing token or e-mail, a bad ``base_url`` or ``dialect``) are
``InvalidRequestError`` too, with ``field`` naming the setting (``developer_token``,
``email_address``, ``base_url``, ``dialect``).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AqrError",
    "ApiError",
    "ConnectError",
    "InvalidRequestError",
    "RequestTimeoutError",
    "ResponseError",
    "TransportError",
]


class AqrError(Exception):
    """Base class of every error the SDK raises.

    Attributes:
        may_have_reached_server: ``False`` when the server certainly did not act on the
            request (validation, configuration, connect failures, definite refusals).
        outcome_unknown: ``True`` for a failed ``create`` whose entry may nevertheless
            exist (it was not retried; check before creating again).
        attempts: how many attempts were made (0 when nothing was sent).
        operation: ``"create"``, ``"delete"``, ``"qr_image"`` or ``None`` before any I/O.
    """

    may_have_reached_server: bool
    outcome_unknown: bool
    attempts: int
    operation: str | None

    def __init__(
        self,
        message: str,
        *,
        may_have_reached_server: bool = False,
        outcome_unknown: bool = False,
        attempts: int = 0,
        operation: str | None = None,
    ) -> None:
        super().__init__(message)
        self.may_have_reached_server = may_have_reached_server
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts
        self.operation = operation

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses take keyword-only details, which the default pickling of
        # exceptions (``cls(*args)``) would lose; rebuild from message and attributes.
        return (_rebuild, (type(self), str(self), dict(vars(self))))


def _rebuild(cls: type[AqrError], message: str, state: dict[str, Any]) -> AqrError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    vars(error).update(state)
    return error


class InvalidRequestError(AqrError, ValueError):
    """An argument or setting broke a rule; nothing was sent.

    Attributes:
        field: the wire name of the field (``account_number``, ``bank_id``, …) or the
            setting (``developer_token``, ``email_address``, ``base_url``, ``dialect``).
        rule: a stable code for the rule (``required``, ``too_long``, ``phone_format``, …).
    """

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
        message: the server's message, if any.
        result: the ``result`` field of the body, if any.
        body: the first 4 KiB of the body.
        retry_after: the ``Retry-After`` the server asked for, in seconds, if any.
        after_ambiguous_attempt: an earlier attempt of this call may have been processed
            (a ``404`` on a retried delete then most likely means it is already deleted).
    """

    status: int
    code: str | None
    message: str | None
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
        self.message = server_message
        self.result = result
        self.body = body
        self.retry_after = retry_after


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
    """

    kind: str

    def __init__(self, message: str, *, kind: str, **details: Any) -> None:
        super().__init__(message, **details)
        self.kind = kind


class ConnectError(TransportError, ConnectionError):
    """No connection could be made; nothing was sent."""


class RequestTimeoutError(TransportError, TimeoutError):
    """A connect or per-attempt timeout elapsed."""
