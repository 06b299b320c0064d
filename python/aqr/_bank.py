"""``aqr.Bank``: an ``IntEnum`` of the 60 banks AQR accepts, built from the table the
native module exports (aqr-core is the one source of truth; ``_bank.pyi`` spells the
members out for type checkers and a test keeps it in step)."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

from . import _aqr

__all__ = ["Bank"]


class _Info(NamedTuple):
    korean: str
    english: str
    kftc: str


_TABLE = _aqr.bank_table()
_INFO: dict[int, _Info] = {
    bank_id: _Info(korean, english, kftc) for _, bank_id, korean, english, kftc in _TABLE
}


class _BankBase(IntEnum):
    """Members are added from the native table below."""

    @property
    def korean_name(self) -> str:
        """The Korean name exactly as AQR spells it."""
        return _INFO[self.value].korean

    @property
    def english_name(self) -> str:
        """A conventional English name."""
        return _INFO[self.value].english

    @property
    def kftc_code(self) -> str:
        """The 3-digit KFTC (금융결제원) institution code, e.g. ``"092"``."""
        return _INFO[self.value].kftc

    @classmethod
    def lookup(cls, value: int | str) -> _BankBase:
        """The bank with this id, KFTC code, Korean or English name or identifier.

        Raises ``aqr.InvalidRequestError`` (field ``bank_id``) when nothing matches.
        """
        return cls(_aqr.lookup_bank(value))

    def __str__(self) -> str:
        return self.korean_name


Bank = _BankBase(  # type: ignore[call-overload]
    "Bank",
    [(ident, bank_id) for ident, bank_id, *_ in _TABLE],
    module="aqr",
    qualname="Bank",
)
Bank.__doc__ = """A bank or securities firm AQR accepts; the value is its ``bank_id`` (0–59).

``Bank.TOSS_BANK.korean_name == "토스뱅크"``, ``Bank.lookup("092") is Bank.TOSS_BANK``.
Anywhere a bank is expected, an ``int`` id or a ``str`` (id, KFTC code or name) works too.
"""
