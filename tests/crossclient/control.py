"""The mock's control routes (the same ones any test suite can use): push and clear faults,
read and clear the request log, list the entries. Over HTTPS, pass the CA that signed the
mock's certificate as ``cafile``."""

from __future__ import annotations

import json
import ssl
import time
import urllib.request
from typing import Any


def _call(url: str, method: str, body: Any = None, cafile: str | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"content-type": "application/json"}
    )
    context = ssl.create_default_context(cafile=cafile) if cafile else None
    with urllib.request.urlopen(request, timeout=10, context=context) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


def push_fault(base: str, fault: dict[str, Any], cafile: str | None = None) -> None:
    _call(f"{base}/__mock/faults", "POST", fault, cafile)


def reset(base: str, cafile: str | None = None) -> None:
    """No faults, an empty request log."""
    _call(f"{base}/__mock/faults", "DELETE", cafile=cafile)
    _call(f"{base}/__mock/requests", "DELETE", cafile=cafile)


def requests(base: str) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = _call(f"{base}/__mock/requests", "GET")
    return log


def entries(base: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = _call(f"{base}/__mock/entries", "GET")
    return found


def settled(base: str, action: str, expected: int, within: float = 3.0) -> list[dict[str, Any]]:
    """The log records of `action`, once `expected` arrived (a delayed or dropped request
    is logged when the mock is done with it) or `within` seconds passed."""
    deadline = time.monotonic() + within
    while True:
        seen = [r for r in requests(base) if r["action"] == action]
        if len(seen) >= expected or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)
