"""Fixtures shared by the Python suite: the Rust mock served from the extension and
clients pointed at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"

#: A valid create request (keyword arguments of ``create``).
ACCOUNT: dict[str, Any] = {
    "account_number": "1234567894321",
    "bank": aqr.Bank.TOSS_BANK,
    "account_owner": "홍길동",
    "phone_number": "010-1234-1234",
    "account_name": "월세",
}

#: Short limits keep the fault tests fast; no retries unless a test asks for them.
FAST = {"timeout": 0.5, "connect_timeout": 0.5, "max_retries": 0}


def load_vectors(name: str) -> list[dict[str, Any]]:
    """The cases of ``tests/vectors/<name>.json``."""
    cases: list[dict[str, Any]] = json.loads((VECTORS / f"{name}.json").read_text("utf-8"))["cases"]
    assert cases, f"{name}.json has no cases"
    return cases


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def client(mock: MockServer) -> Iterator[aqr.Client]:
    with aqr.Client(token=mock.token, email=mock.email, base_url=mock.url, **FAST) as c:
        yield c


def async_client(mock: MockServer, **options: Any) -> aqr.AsyncClient:
    """An AsyncClient for ``mock`` (FAST limits unless overridden)."""
    return aqr.AsyncClient(
        token=mock.token, email=mock.email, base_url=mock.url, **{**FAST, **options}
    )
