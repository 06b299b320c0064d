"""``create_many`` on both clients and ``aqr.Ledger`` (issue 14, Python part): rows as
mappings or tuples, one result per row in input order, invalid rows, resume from the
ledger, ``unknown`` rows held until ``resend_unknown``, the ledger file's mode and
secrets."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer, drop_after_read, respond

FLAVOURS = ["sync", "async"]

ROWS: list[Any] = [
    {
        "account_number": "1234567894321",
        "bank": aqr.Bank.TOSS_BANK,
        "account_owner": "홍길동",
        "phone_number": "010-1234-1234",
        "account_name": "월세",
    },
    ("3333-01-2345678", "국민은행", "김철수", "01055556666"),
    {"account_number": "12", "bank": 1, "account_owner": "이영희", "phone_number": "01000000000"},
    ("1002-123-456789", 11, "박민수", "010-7777-8888", "관리비"),
]


def create_many(flavour: str, mock: MockServer, rows: list[Any], **kwargs: Any) -> list[Any]:
    options = {
        "token": mock.token,
        "email": mock.email,
        "base_url": mock.url,
        "retry_backoff": 0.01,
    }
    if flavour == "sync":
        with aqr.Client(**options) as client:
            return client.create_many(rows, **kwargs)

    async def main() -> list[Any]:
        async with aqr.AsyncClient(**options) as client:
            return await client.create_many(rows, **kwargs)

    return asyncio.run(main())


def creates(mock: MockServer) -> int:
    return sum(1 for r in mock.requests() if r["action"] == "create")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_one_result_per_row_in_order(flavour: str, mock: MockServer) -> None:
    results = create_many(flavour, mock, ROWS, concurrency=3)
    assert len(results) == 4
    assert [type(r) for r in results] == [
        aqr.CreatedAccount,
        aqr.CreatedAccount,
        aqr.InvalidRequestError,
        aqr.CreatedAccount,
    ]
    invalid = results[2]
    assert invalid.field == "account_number" and "row 3" in str(invalid)
    entries = {e["account_id"]: e for e in mock.entries()}
    assert {r.account_id for r in results if isinstance(r, aqr.CreatedAccount)} == set(entries)
    assert entries[results[1].account_id]["bank_id"] == aqr.Bank.KOOKMIN
    assert creates(mock) == 3


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_failures_are_results_not_raised(flavour: str, mock: MockServer) -> None:
    mock.push_fault({"action": "create", "times": 1, "response": respond(400)})
    results = create_many(flavour, mock, ROWS[:2], concurrency=1)
    assert isinstance(results[0], aqr.ApiError) and results[0].status == 400
    assert isinstance(results[1], aqr.CreatedAccount)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_resume_and_unknown_rows_with_a_ledger(
    flavour: str, mock: MockServer, tmp_path: Path
) -> None:
    path = tmp_path / "ledger.sqlite3"
    rows = [ROWS[0], ROWS[1], ROWS[3]]
    # The second row's create is processed but its answer is lost: outcome unknown.
    mock.push_fault({"action": "create", "times": 1, "response": drop_after_read()})
    first = create_many(flavour, mock, rows, concurrency=1, ledger=str(path))
    assert isinstance(first[0], aqr.TransportError) and first[0].outcome_unknown
    assert all(isinstance(r, aqr.CreatedAccount) for r in first[1:])
    assert creates(mock) == 3 and len(mock.entries()) == 3
    assert sorted(e.status for e in aqr.Ledger(path).entries()) == ["created", "created", "unknown"]

    # Rerun: created rows come back from the ledger, the unknown row is held (not sent).
    again = create_many(flavour, mock, rows, ledger=aqr.Ledger(path))
    assert creates(mock) == 3
    assert again[1:] == first[1:]
    assert isinstance(again[0], aqr.AqrError) and again[0].outcome_unknown
    assert "not sent again" in str(again[0])

    # After checking the AQR site, the user resends it.
    resent = create_many(flavour, mock, rows, ledger=path, resend_unknown=True)
    assert isinstance(resent[0], aqr.CreatedAccount) and creates(mock) == 4

    ledger = aqr.Ledger(path)
    assert [e.status for e in ledger.entries()] == ["created"] * 3
    created = ledger.entries(status="created")
    assert {e.account_id for e in created} >= {r.account_id for r in first[1:]}
    entry = created[0]
    assert entry.account_number.endswith("4321") and "*" in entry.account_number
    assert entry.to_dict()["status"] == "created" and repr(entry).startswith("aqr.LedgerEntry(")


def test_the_ledger_file_is_private_and_holds_no_secret(mock: MockServer, tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    results = create_many("sync", mock, ROWS, ledger=path)
    assert sum(isinstance(r, aqr.CreatedAccount) for r in results) == 3
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    content = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    for secret in (mock.token, "1234567894321", "01012341234", "010-1234-1234"):
        assert secret.encode() not in content
    assert repr(aqr.Ledger(path)) == f"aqr.Ledger({str(path)!r})"


def test_bad_arguments(client: aqr.Client, tmp_path: Path) -> None:
    with pytest.raises(aqr.InvalidRequestError, match="concurrency"):
        client.create_many(ROWS, concurrency=0)
    with pytest.raises(TypeError, match="row 1: unexpected key 'owner'"):
        client.create_many([{"owner": "x"}])
    with pytest.raises(ValueError, match="row 1 has 2 values"):
        client.create_many([("1234567894321", 1)])
    with pytest.raises(TypeError, match="row 1 must be a mapping or a tuple"):
        client.create_many(["1234567894321"])
    with pytest.raises(ValueError, match="status"):
        aqr.Ledger(tmp_path / "ledger.sqlite3").entries(status="x")
