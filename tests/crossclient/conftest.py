"""Fixtures of the cross-client tests: certificates made at run time, shared by the
session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .clients import Outcome
from .servers import TOKEN, Certificates


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture
def empty_dir(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "empty"
    directory.mkdir()
    yield directory


def assert_no_token(outcome: Outcome) -> None:
    """The token is in nothing the client printed."""
    for text in outcome.texts:
        assert TOKEN not in text, f"{outcome.client} printed the token: {text}"
