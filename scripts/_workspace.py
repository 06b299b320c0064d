"""What the packaging scripts of scripts/ read about the Cargo workspace."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

#: The repository's root.
ROOT = Path(__file__).resolve().parent.parent


def cargo_metadata() -> dict:
    """`cargo metadata` of the workspace's own packages (no dependencies)."""
    out = subprocess.run(
        ["cargo", "metadata", "--no-deps", "--format-version", "1", "--locked"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def published(metadata: dict) -> list[dict]:
    """The packages cargo would publish (no `publish = false`), by name."""
    packages = [p for p in metadata["packages"] if p["publish"] is None]
    return sorted(packages, key=lambda p: p["name"])
