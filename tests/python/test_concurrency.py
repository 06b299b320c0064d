"""The GIL is released during blocking calls; threads share one client; an asyncio
cancellation stops the Rust request; a forked child gets a clear error, not a hang.
Assertions compare counts and orderings, never wall-clock thresholds."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer
from conftest import ACCOUNT, async_client

SLOW = {"kind": "delay", "delay_ms": 300}


@pytest.fixture(params=["http", "tls"])
def any_mock(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """The mock over plain HTTP, then over TLS (a cancellation must end a TLS exchange too)."""
    with MockServer(tls=request.param == "tls") as server:
        yield server


def trusting(mock: MockServer) -> dict[str, Any]:
    """The option that makes a client trust ``mock``'s CA (none over plain HTTP)."""
    return {"ca_bundle": mock.ca_file} if mock.url.startswith("https:") else {}


def test_other_threads_run_during_a_blocking_call(mock: MockServer) -> None:
    mock.push_fault({"action": "create", "response": SLOW})
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    with aqr.Client(token=mock.token, email=mock.email, base_url=mock.url) as client:
        spinner = threading.Thread(target=spin)
        spinner.start()
        try:
            time.sleep(0.01)  # let the spinner start
            before = ticks
            client.create(**ACCOUNT)
            during = ticks - before
        finally:
            stop.set()
            spinner.join()
    # With the GIL held for 300 ms the spinner could not tick at all meanwhile.
    assert during > 10_000, during


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    events = sorted(
        [(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals],
        key=lambda ev: (ev[0], ev[1]),
    )
    live = best = 0
    for _, delta in events:
        live += delta
        best = max(best, live)
    return best


def run_batch(client: aqr.Client, threads: int, per_thread: int) -> list[tuple[float, float]]:
    intervals: list[tuple[float, float]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(per_thread):
                start = time.monotonic()
                client.create(**ACCOUNT)
                with lock:
                    intervals.append((start, time.monotonic()))
        except BaseException as e:  # surfaced below
            errors.append(e)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors
    return intervals


def test_four_threads_on_one_client_overlap_and_beat_one(mock: MockServer) -> None:
    mock.push_fault({"action": "create", "response": SLOW})
    with aqr.Client(token=mock.token, email=mock.email, base_url=mock.url) as client:
        one = run_batch(client, threads=1, per_thread=4)
        four = run_batch(client, threads=4, per_thread=1)
    assert max_overlap(one) == 1
    # All four slow requests were in flight at the same time on one shared client...
    assert max_overlap(four) == 4
    # ...so the batch finished before a single thread got past its second request.
    assert (
        max(e for _, e in four) - min(s for s, _ in four) < sorted(e for _, e in one)[1] - one[0][0]
    )
    assert len(mock.entries()) == 8


def test_wait_for_cancels_the_request(any_mock: MockServer) -> None:
    mock = any_mock
    # Every attempt is refused after 200 ms, and refusals are retried (after at most
    # 0.5 s): a request that kept running after the cancellation would have made at
    # least two attempts within 1.2 s.
    mock.push_fault(
        {
            "action": "create",
            "response": {
                "kind": "respond",
                "status": 503,
                "body": {"type": "html"},
                "retry_after": "0",
                "delay_ms": 200,
            },
        }
    )

    async def main() -> None:
        client = async_client(mock, max_retries=10, **trusting(mock))
        with pytest.raises(asyncio.TimeoutError):  # the builtin TimeoutError from 3.11 on
            await asyncio.wait_for(client.create(**ACCOUNT), timeout=0.1)
        await asyncio.sleep(1.2)
        assert len(mock.requests()) <= 1
        mock.clear_faults()
        assert (await client.create(**ACCOUNT)).account_id  # the client still works

    asyncio.run(main())
    assert len(mock.entries()) == 1


def test_cancelled_task_raises_cancelled_error(any_mock: MockServer) -> None:
    mock = any_mock
    mock.push_fault({"action": "create", "response": {"kind": "delay", "delay_ms": 2000}})

    async def main() -> None:
        client = async_client(mock, timeout=5.0, **trusting(mock))
        task = asyncio.create_task(client.create(**ACCOUNT))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The client still works afterwards (over TLS too: the cancelled exchange left
        # no broken connection behind).
        mock.clear_faults()
        assert (await client.create(**ACCOUNT)).account_id

    asyncio.run(main())


# Forking a multi-threaded process is exactly the situation under test (Python 3.12+
# warns about it).
FORK_WARNING = "ignore:This process .* is multi-threaded:DeprecationWarning"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX-only")
@pytest.mark.filterwarnings(FORK_WARNING)
def test_forked_child_gets_a_clear_error(mock: MockServer) -> None:
    client = async_client(mock)
    asyncio.run(client.create(**ACCOUNT))  # the runtime is now running in this process

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: must fail fast, never hang
        signal.alarm(10)
        code = 3
        try:
            asyncio.run(client.create(**ACCOUNT))
            code = 2
        except RuntimeError as e:
            os.write(write_end, str(e).encode())
            code = 0
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    message = os.read(read_end, 4096).decode()
    os.close(read_end)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (status, message)
    assert "fork" in message
    # The parent is unaffected.
    assert asyncio.run(client.create(**ACCOUNT)).account_id
    assert len(mock.entries()) == 2


@pytest.mark.filterwarnings(FORK_WARNING)
def test_blocking_client_works_in_a_forked_child(mock: MockServer) -> None:
    if sys.platform != "linux":
        pytest.skip("fork test runs on Linux")
    with aqr.Client(token=mock.token, email=mock.email, base_url=mock.url) as client:
        pid = os.fork()
        if pid == 0:
            signal.alarm(10)
            try:
                client.create(**ACCOUNT)
                os._exit(0)
            except BaseException:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert len(mock.entries()) == 1


def test_event_loops_are_not_kept_alive(mock: MockServer) -> None:
    import gc
    import weakref

    client = async_client(mock)
    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def one() -> None:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        await client.create(**ACCOUNT)

    for _ in range(3):
        asyncio.run(one())
    gc.collect()
    assert [ref() for ref in loops] == [None, None, None]


EXIT_SCRIPT = """
import asyncio, sys, aqr
from aqr.testing import MockServer
account = dict(account_number="1234567894321", bank=1, account_owner="홍길동",
               phone_number="01012341234")
with MockServer() as mock:
    async def main():
        client = aqr.AsyncClient(token=mock.token, email=mock.email, base_url=mock.url)
        for _ in range(3):
            await asyncio.gather(*(client.create(**account) for _ in range(32)))
    asyncio.run(main())
print("done")
"""


def test_interpreter_exits_cleanly_after_async_calls() -> None:
    # Results arriving while the interpreter shuts down must not crash it (a tokio
    # thread calling into Python at that moment aborts the process).
    import subprocess

    runs = [
        subprocess.Popen(
            [sys.executable, "-c", EXIT_SCRIPT],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(12)
    ]
    outcomes = [(run.wait(timeout=120), run.stdout.read() if run.stdout else "") for run in runs]
    for run in runs:
        for stream in (run.stdout, run.stderr):
            if stream:
                stream.close()
    assert outcomes == [(0, "done\n")] * len(runs)
