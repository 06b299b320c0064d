"""The cross-client fault matrix: every client — Python sync, Python async, Rust blocking,
Rust async and the CLI — against the mock, for every fault of the shared table
(``tests/vectors/faults.json``, also read by the Rust and Python suites) and both
operations.

Each cell checks the error's type and kind, may-have-been-processed and outcome-unknown,
that the mock saw exactly the number of requests the retry policy allows (so a create is
never sent twice after a possible send), that the call ended within its time budget, and
that the token is in nothing the client printed (messages, reprs, tracebacks, Debug, CLI
``--verbose``) nor in the mock's log. The table is printed at the end of the run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import control
from .clients import CLIENTS, Options, run
from .servers import Mock, closed_port, mock

TABLE = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "faults.json").read_text("utf-8")
)
TOKEN: str = TABLE["token"]
RETRIES: int = TABLE["retries"]
TIMEOUT: float = TABLE["timeout"]

RESULTS: dict[tuple[str, str], dict[str, str]] = {}


class _TablePrinter:
    """Prints the matrix in pytest's terminal summary (after output capturing)."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not RESULTS:
            return
        width = max(len(f"{op}: {name}") for name, op in RESULTS) + 2
        write = terminalreporter.write_line
        write("")
        write("Fault matrix (client × fault → outcome; xN = requests the mock saw)")
        write("".ljust(width) + " | ".join(c.ljust(22) for c in CLIENTS))
        for (name, op), row in RESULTS.items():
            write(
                f"{op}: {name}".ljust(width)
                + " | ".join(row.get(c, "-").ljust(22) for c in CLIENTS)
            )


@pytest.fixture(scope="module", autouse=True)
def print_table(request: pytest.FixtureRequest) -> None:
    plugins = request.config.pluginmanager
    if not plugins.has_plugin("aqr-fault-matrix-table"):
        plugins.register(_TablePrinter(), "aqr-fault-matrix-table")


@pytest.fixture(scope="module")
def http_mock() -> Iterator[Mock]:
    with mock(token=TOKEN) as server:
        yield server


def budget(attempts: int) -> float:
    """A generous bound on a call: attempts × (timeout + slack) + backoff + process start."""
    return attempts * (TIMEOUT + 0.3) + 0.5 + 3.0


@pytest.mark.parametrize("op", ["create", "delete"])
@pytest.mark.parametrize("fault", TABLE["faults"], ids=[f["name"] for f in TABLE["faults"]])
@pytest.mark.parametrize("client", CLIENTS)
def test_fault_matrix(client: str, fault: dict[str, Any], op: str, http_mock: Mock) -> None:
    expect = fault["expect"][op]
    control.reset(http_mock.url)
    before = len(control.entries(http_mock.url))
    if fault["fault"] is None:
        base_url = f"http://127.0.0.1:{closed_port()}"
    else:
        base_url = http_mock.url
        control.push_fault(http_mock.url, {"action": op, "response": fault["fault"]})
    options = Options(
        base_url=base_url,
        timeout=TIMEOUT,
        connect_timeout=TIMEOUT,
        retries=RETRIES,
        retry_backoff=0.05,
        account_id="matrix-id",
    )
    outcome = run(client, op, options, {"AQR_DEVELOPER_TOKEN": TOKEN})
    attempts = RETRIES + 1 if expect.get("retried") else 1
    seen = control.settled(http_mock.url, op, attempts) if fault["fault"] is not None else []
    log_text = json.dumps(control.requests(http_mock.url), ensure_ascii=False)
    created = len(control.entries(http_mock.url)) - before

    cell = "ok" if outcome.ok else f"{outcome.error_type}/{outcome.kind or '-'}"
    RESULTS.setdefault((fault["name"], op), {})[client] = f"{cell} x{len(seen)}"

    if expect.get("ok"):
        assert outcome.ok, outcome.describe()
    else:
        assert not outcome.ok, outcome.describe()
        assert outcome.error_type == expect["type"], outcome.describe()
        assert outcome.kind == expect["kind"] or (
            outcome.kind is None and expect["kind"] is None
        ), outcome.describe()
        assert outcome.may_have_been_processed is expect["may_have_been_processed"], (
            outcome.describe()
        )
        assert outcome.outcome_unknown is expect["outcome_unknown"], outcome.describe()
        assert outcome.attempts == attempts, outcome.describe()
        if fault["fault"] is not None:
            assert len(seen) == attempts, f"{client}: the mock saw {len(seen)} requests"
    # What the client says is inert on a terminal, whatever the server sent.
    for char in ("\x1b", "\x07", "\r", "\x00"):
        assert char not in outcome.message, f"{client}: raw control character"
    assert created <= 1, "a create was duplicated"
    assert outcome.elapsed < budget(attempts), outcome.describe()
    for text in [*outcome.texts, log_text]:
        assert TOKEN not in text, f"{client} printed the token"
