"""The Rust binaries the cross-client tests drive (built by scripts/test.sh)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "debug"


def binary(name: str) -> Path:
    """``target/debug/<name>``, failing the test (never skipping) when it is missing."""
    path = TARGET / name
    if not path.exists():
        pytest.fail(f"{path} is missing: build it first (`cargo build -p aqr-cli -p aqr-probe`)")
    return path
