"""Ctrl-C during a blocking call (issue 13 item 1): a real SIGINT to a subprocess whose
main thread is inside ``client.create`` / ``client.delete``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = r"""
import json, socket, sys, time
import aqr
from aqr.testing import MockServer, delay, respond

operation = sys.argv[1]
tls = operation == "create-tls"
# For "handshake": a TLS server that accepts and never answers the ClientHello.
silent = socket.create_server(("127.0.0.1", 0))
with MockServer(tls=tls) as mock:
    base_url = mock.url
    if operation in ("create", "create-tls"):
        operation = "create"
        mock.push_fault({"action": "create", "response": delay(6000)})
    elif operation == "handshake":
        base_url = f"https://127.0.0.1:{silent.getsockname()[1]}"
        operation = "create"
    else:   # a delete refused with a long Retry-After: the client waits between retries
        mock.push_fault({"action": "delete", "times": 2,
                         "response": respond(503, retry_after="30")})
    client = aqr.Client(token=mock.token, email=mock.email, base_url=base_url,
                        timeout=60, connect_timeout=30, max_retries=2,
                        ca_bundle=mock.ca_file if tls else None)
    print("calling", flush=True)
    started = time.monotonic()
    try:
        if operation == "create":
            client.create(account_number="1234567894321", bank=1, account_owner="홍길동",
                          phone_number="01012341234")
        else:
            client.delete("some-id")
        outcome = {"raised": None}
    except KeyboardInterrupt as interrupt:
        outcome = {"raised": "KeyboardInterrupt",
                   "notes": getattr(interrupt, "__notes__", [])}
    outcome["ended"] = time.monotonic()
    # The interrupted call sends nothing more: give it time to try, then count.
    time.sleep(0.3)
    outcome["requests"] = len(mock.requests())
    print(json.dumps(outcome), flush=True)
"""


def interrupt_after(operation: str, seconds: float, tmp_path: Path) -> tuple[dict, float]:
    script = tmp_path / "child.py"
    script.write_text(CHILD, "utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), operation], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "calling"
    time.sleep(seconds)
    child.send_signal(signal.SIGINT)
    signalled = time.monotonic()
    line = child.stdout.readline()
    child.wait(timeout=30)
    outcome = json.loads(line)
    # time.monotonic() is system-wide on Linux: the child's clock is comparable.
    return outcome, outcome["ended"] - signalled


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs POSIX signals")
@pytest.mark.parametrize("operation", ["create", "create-tls"])
def test_ctrl_c_interrupts_a_create_in_flight(operation: str, tmp_path: Path) -> None:
    outcome, latency = interrupt_after(operation, 0.5, tmp_path)
    assert outcome["raised"] == "KeyboardInterrupt"
    assert latency < 0.5, latency  # the mock holds the answer for 6 s; the poll is 50 ms
    assert any("outcome is" in note and "unknown" in note for note in outcome["notes"])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs POSIX signals")
def test_ctrl_c_interrupts_a_connection_that_never_completes(tmp_path: Path) -> None:
    outcome, latency = interrupt_after("handshake", 0.5, tmp_path)
    assert outcome["raised"] == "KeyboardInterrupt"
    assert latency < 0.5, latency  # not the 30 s connect limit
    assert outcome["notes"] and "before anything was sent" in outcome["notes"][0]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs POSIX signals")
def test_ctrl_c_interrupts_the_wait_between_retries(tmp_path: Path) -> None:
    outcome, latency = interrupt_after("delete", 0.5, tmp_path)
    assert outcome["raised"] == "KeyboardInterrupt"
    assert latency < 0.5, latency  # not the 30 s Retry-After
    assert outcome["notes"] and "may have been processed" in outcome["notes"][0]
    assert outcome["requests"] == 1  # no retry after the interrupt


def test_calls_from_other_threads_are_unaffected(client: object) -> None:
    import threading

    import aqr
    from conftest import ACCOUNT

    assert isinstance(client, aqr.Client)
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.append(client.create(**ACCOUNT)))
    thread.start()
    thread.join(10)
    assert isinstance(results[0], aqr.CreatedAccount)


MANY = r"""
import json, sys, time
import aqr
from aqr.testing import MockServer, delay

ledger_path = sys.argv[1]
with MockServer() as mock:
    mock.push_fault({"action": "create", "response": delay(400)})   # every create: 0.4 s
    client = aqr.Client(token=mock.token, email=mock.email, base_url=mock.url)
    rows = [(f"1234567894{i:03d}", 1, "홍길동", "01012341234") for i in range(40)]
    print("calling", flush=True)
    try:
        client.create_many(rows, concurrency=2, ledger=ledger_path)
        outcome = {"raised": None}
    except KeyboardInterrupt:
        outcome = {"raised": "KeyboardInterrupt"}
    outcome["ended"] = time.monotonic()
    outcome["entries"] = len(mock.entries())
    ledger = aqr.Ledger(ledger_path)
    outcome["statuses"] = sorted({e.status for e in ledger.entries()})
    outcome["recorded"] = len(ledger.entries())
    print(json.dumps(outcome), flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs POSIX signals")
def test_ctrl_c_stops_create_many_and_keeps_every_outcome(tmp_path: Path) -> None:
    script = tmp_path / "many.py"
    script.write_text(MANY, "utf-8")
    ledger = tmp_path / "ledger.sqlite3"
    child = subprocess.Popen(
        [sys.executable, str(script), str(ledger)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "calling"
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    signalled = time.monotonic()
    outcome = json.loads(child.stdout.readline())
    child.wait(timeout=30)
    assert outcome["raised"] == "KeyboardInterrupt"
    # The calls in flight (0.4 s each) finish; nothing more is dispatched.
    assert outcome["ended"] - signalled < 1.5
    assert 0 < outcome["entries"] < 40
    # Every create sent is in the ledger with its outcome: none left pending.
    assert outcome["statuses"] == ["created"] and outcome["recorded"] == outcome["entries"]
