"""aqr.Bank is built from aqr-core's table (one source of truth) and matches the shared
vectors; lookup accepts everything aqr-core accepts; the typing stub lists the same
members."""

from __future__ import annotations

import ast
import json
from enum import IntEnum
from pathlib import Path

import pytest

import aqr
from conftest import VECTORS

BANKS = json.loads((VECTORS / "banks.json").read_text("utf-8"))["banks"]


def test_bank_is_an_int_enum_with_every_bank() -> None:
    assert issubclass(aqr.Bank, IntEnum)
    assert len(aqr.Bank) == len(BANKS) == 60
    assert aqr.Bank.__module__ == "aqr"


@pytest.mark.parametrize("row", BANKS, ids=[b["ident"] for b in BANKS])
def test_members_match_the_shared_table(row: dict[str, object]) -> None:
    bank = aqr.Bank[str(row["ident"])]
    assert bank == row["id"]
    assert bank.korean_name == row["korean"]
    assert bank.english_name == row["english"]
    assert bank.kftc_code == row["kftc"]
    assert aqr.Bank.lookup(bank.korean_name) is bank
    assert aqr.Bank.lookup(bank.kftc_code) is bank
    assert aqr.Bank.lookup(int(bank)) is bank


def test_lookup_by_any_spelling() -> None:
    toss = aqr.Bank.TOSS_BANK
    for spelling in ["1", "092", "토스뱅크", "Toss Bank", "toss_bank", " TOSS BANK "]:
        assert aqr.Bank.lookup(spelling) is toss
    assert aqr.Bank.lookup("한국씨티은행") is aqr.Bank.CITIBANK  # corrected spelling


@pytest.mark.parametrize("value", [60, -1, 2**70, "없는은행", "999", ""])
def test_lookup_rejects_unknown_banks(value: int | str) -> None:
    with pytest.raises(aqr.InvalidRequestError) as caught:
        aqr.Bank.lookup(value)
    assert caught.value.field == "bank_id"


@pytest.mark.parametrize("value", [True, 1.0, None, b"1"])
def test_lookup_rejects_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        aqr.Bank.lookup(value)  # type: ignore[arg-type]


def test_stub_lists_the_same_members() -> None:
    stub = Path(aqr.__file__).with_name("_bank.pyi").read_text("utf-8")
    tree = ast.parse(stub)
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Bank"]
    members = {
        n.targets[0].id: ast.literal_eval(n.value)
        for n in cls.body
        if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)
    }
    assert members == {b.name: b.value for b in aqr.Bank}
