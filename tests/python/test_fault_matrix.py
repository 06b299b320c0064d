"""The cross-client fault matrix: every client — Python sync, Python async, Rust blocking,
Rust async (through ``aqr-probe``) and the CLI — against the mock, for every fault kind and
both operations.

For each cell it checks the documented error class, the "may have reached the server"
flag, that the call ended within its time budget (no hang), that the mock saw exactly the
number of requests the retry policy allows, and that no create was duplicated. It also
audits every output surface (messages, reprs, tracebacks, Debug, CLI output with
``--verbose``, the mock's request log) for the token. The table is printed at the end of
the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer

REPO = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "debug"
TOKEN = "matrix-SECRET-token-7f3a9c"
EMAIL = "matrix@example.com"
TIMEOUT = 0.4  # per attempt, seconds
RETRIES = 2
ACCOUNT = {
    "account_number": "1234567894321",
    "bank": 1,
    "account_owner": "홍길동",
    "phone_number": "01012341234",
    "account_name": "월세",
}

# ---------------------------------------------------------------------------------------
# The faults and what every client must make of them.


@dataclass(frozen=True)
class Fault:
    name: str
    response: dict[str, Any] | None  # None: nothing listens (connection refused)
    error: str  # expected error class name
    reached: bool  # expected "may have reached the server"
    retried: dict[str, bool]  # per operation: does the policy retry it?


def respond(status: int, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    # A tiny Retry-After keeps retried cells fast; it is honoured for every retryable status.
    return {"kind": "respond", "status": status, "body": body, "retry_after": "0.02", **extra}


BOTH = {"create": True, "delete": True}
NEITHER = {"create": False, "delete": False}
DELETE_ONLY = {"create": False, "delete": True}

BODIES = {
    "json": {"type": "json_fail", "message": "upstream failed", "code": "E500"},
    "html": {"type": "html"},
    "empty": {"type": "empty"},
    "truncated": {"type": "truncated_json"},
}

FAULTS: list[Fault] = [
    Fault("connect refused", None, "ConnectError", False, BOTH),
    Fault("timeout before response", {"kind": "delay", "delay_ms": 900},
          "RequestTimeoutError", True, DELETE_ONLY),
    Fault("slow body past timeout", {"kind": "slow_body", "delay_ms": 900},
          "RequestTimeoutError", True, DELETE_ONLY),
    Fault("dropped after request", {"kind": "drop_after_read"}, "TransportError", True, DELETE_ONLY),
    Fault("dropped before reading", {"kind": "drop_before_read"}, "TransportError", True,
          DELETE_ONLY),
]
for status in (500, 502, 503, 504):
    for body_name, body in BODIES.items():
        refused = status == 503
        FAULTS.append(Fault(f"{status} {body_name}", respond(status, body), "ApiError",
                            not refused, BOTH if refused else DELETE_ONLY))
FAULTS += [
    Fault("200 html", respond(200, {"type": "html"}), "ResponseError", True, NEITHER),
    Fault("200 text", respond(200, {"type": "text", "text": "OK"}), "ResponseError", True, NEITHER),
]
for key in ("message", "msg", "error", "error_message", "reason", "detail"):
    FAULTS.append(Fault(f"200 fail/{key}",
                        respond(200, {"type": "json_fail", "key": key, "message": "거절됨"}),
                        "ApiError", False, NEITHER))
FAULTS += [
    Fault("429 Retry-After", respond(429, {"type": "json_fail", "message": "slow down"},
                                     retry_after="0.05"), "ApiError", False, BOTH),
    Fault("302 redirect", {"kind": "redirect", "status": 302,
                           "location": "http://127.0.0.1:9/steal"}, "ResponseError", False, NEITHER),
    Fault("oversized body", respond(200, {"type": "huge", "bytes": 3 * 1024 * 1024}),
          "TransportError", True, NEITHER),
]

# ---------------------------------------------------------------------------------------
# The clients, each reduced to: run one operation, report a normalised outcome.


@dataclass
class Outcome:
    error: str | None  # class name, None on success
    reached: bool | None
    texts: list[str]  # every text the client produced (for the secrets audit)


def _py_outcome(exc: aqr.AqrError) -> Outcome:
    tb = "".join(traceback.format_exception(exc))
    return Outcome(type(exc).__name__, exc.may_have_reached_server, [str(exc), repr(exc), tb])


def py_sync(op: str, base_url: str) -> Outcome:
    with aqr.Client(token=TOKEN, email=EMAIL, base_url=base_url, timeout=TIMEOUT,
                    connect_timeout=TIMEOUT, max_retries=RETRIES,
                    retry_backoff=0.05) as client:
        try:
            if op == "create":
                client.create(**ACCOUNT)
            else:
                client.delete("matrix-id")
        except aqr.AqrError as exc:
            return _py_outcome(exc)
        return Outcome(None, None, [repr(client)])


def py_async(op: str, base_url: str) -> Outcome:
    async def run() -> Outcome:
        async with aqr.AsyncClient(token=TOKEN, email=EMAIL, base_url=base_url, timeout=TIMEOUT,
                                   connect_timeout=TIMEOUT, max_retries=RETRIES,
                                   retry_backoff=0.05) as client:
            try:
                if op == "create":
                    await client.create(**ACCOUNT)
                else:
                    await client.delete("matrix-id")
            except aqr.AqrError as exc:
                return _py_outcome(exc)
            return Outcome(None, None, [repr(client)])

    return asyncio.run(run())


def _binary(name: str) -> Path:
    path = TARGET / name
    if not path.exists():
        pytest.fail(f"{path} is missing: build it first (`cargo build -p aqr-cli -p aqr-probe`)")
    return path


def _rust(kind: str) -> Callable[[str, str], Outcome]:
    def run(op: str, base_url: str) -> Outcome:
        args = [str(_binary("aqr-probe")), kind, op, "--base-url", base_url, "--token", TOKEN,
                "--email", EMAIL, "--timeout-ms", str(int(TIMEOUT * 1000)), "--retries",
                str(RETRIES), "--backoff-ms", "50", "--account-id", "matrix-id"]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
        result = json.loads(proc.stdout)
        texts = [proc.stdout, proc.stderr]
        if result["ok"]:
            return Outcome(None, None, texts)
        names = {"api": "ApiError", "response": "ResponseError"}
        transport = {"connect": "ConnectError", "timeout": "RequestTimeoutError"}
        error = names.get(result["kind"]) or transport.get(result["detail"], "TransportError")
        return Outcome(error, result["may_have_been_processed"], texts)

    return run


def cli(op: str, base_url: str) -> Outcome:
    args = [str(_binary("aqr")), "--base-url", base_url, "--email", EMAIL, "--timeout",
            str(TIMEOUT), "--retries", str(RETRIES), "--retry-backoff", "0.05", "--json",
            "--verbose"]
    if op == "create":
        args += ["create", "--account-number", ACCOUNT["account_number"], "--bank", "1",
                 "--owner", ACCOUNT["account_owner"], "--phone", ACCOUNT["phone_number"],
                 "--name", ACCOUNT["account_name"]]
    else:
        args += ["delete", "matrix-id"]
    env = {**os.environ, "AQR_DEVELOPER_TOKEN": TOKEN}
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)
    texts = [proc.stdout, proc.stderr]
    if proc.returncode == 0:
        return Outcome(None, None, texts)
    error_line = [line for line in proc.stderr.splitlines() if line.startswith("{")][-1]
    error = json.loads(error_line)["error"]
    names = {"api": "ApiError", "response": "ResponseError"}
    transport = {"connect": "ConnectError", "timeout": "RequestTimeoutError"}
    name = names.get(error["kind"]) or transport.get(error.get("code", ""), "TransportError")
    expected_exit = {"api": 3, "response": 4, "transport": 5}[error["kind"]]
    if error["outcome_unknown"]:
        expected_exit = 6
    assert proc.returncode == expected_exit, (proc.returncode, error)
    return Outcome(name, error["may_have_been_processed"], texts)


CLIENTS: dict[str, Callable[[str, str], Outcome]] = {
    "python sync": py_sync,
    "python async": py_async,
    "rust blocking": _rust("blocking"),
    "rust async": _rust("async"),
    "cli": cli,
}

# ---------------------------------------------------------------------------------------

RESULTS: dict[tuple[str, str], dict[str, str]] = {}


class _TablePrinter:
    """Prints the matrix in pytest's terminal summary (after all output capturing)."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not RESULTS:
            return
        names = list(CLIENTS)
        width = max(len(f"{op}: {f}") for (f, op) in RESULTS) + 2
        write = terminalreporter.write_line
        write("")
        write("Fault matrix (client × fault → outcome; xN = requests the mock saw)")
        write("".ljust(width) + " | ".join(n.ljust(23) for n in names))
        for (fault, op), row in RESULTS.items():
            write(f"{op}: {fault}".ljust(width) + " | ".join(row.get(n, "-").ljust(23) for n in names))


@pytest.fixture(scope="module", autouse=True)
def print_table(request: pytest.FixtureRequest) -> None:
    plugins = request.config.pluginmanager
    if not plugins.has_plugin("aqr-fault-matrix-table"):
        plugins.register(_TablePrinter(), "aqr-fault-matrix-table")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settled_requests(mock: MockServer, op: str, expected: int) -> list[dict[str, Any]]:
    """The mock's log entries for `op`, once the expected number arrived (a delayed or
    dropped request is logged when the mock finishes with it) or 3 s passed."""
    deadline = time.monotonic() + 3.0
    while True:
        seen = [r for r in mock.requests() if r["action"] == op]
        if len(seen) >= expected or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)


def _budget(attempts: int) -> float:
    """Generous upper bound on a call's duration: attempts × timeout + backoff + start-up."""
    return attempts * (TIMEOUT + 0.3) + 0.5 + 1.0 + 3.0


@pytest.mark.parametrize("op", ["create", "delete"])
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
@pytest.mark.parametrize("client_name", list(CLIENTS))
def test_fault_matrix(client_name: str, fault: Fault, op: str) -> None:
    run = CLIENTS[client_name]
    retried = fault.retried[op]
    attempts = RETRIES + 1 if retried else 1
    with MockServer(token=TOKEN, email=EMAIL) as mock:
        if fault.response is None:
            base_url = f"http://127.0.0.1:{_closed_port()}"
        else:
            base_url = mock.url
            mock.push_fault({"action": op, "response": fault.response})
        started = time.monotonic()
        outcome = run(op, base_url)
        elapsed = time.monotonic() - started
        seen = _settled_requests(mock, op, 0 if fault.response is None else attempts)
        log_text = json.dumps(mock.requests(), ensure_ascii=False)
        entries = mock.entries()

    cell = f"{outcome.error or 'ok'} x{len(seen)}"
    RESULTS.setdefault((fault.name, op), {})[client_name] = cell

    assert outcome.error == fault.error, f"{client_name}: {outcome}"
    assert outcome.reached is fault.reached, f"{client_name}: may_have_reached_server"
    if fault.response is not None:
        assert len(seen) == attempts, f"{client_name}: the mock saw {len(seen)} requests"
    assert len(entries) <= 1, "a create was duplicated"
    assert elapsed < _budget(attempts), f"{client_name} took {elapsed:.2f}s"
    for text in [*outcome.texts, log_text]:
        assert TOKEN not in text, f"{client_name} printed the token"
