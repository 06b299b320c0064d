"""Full `create` calls per second: aqr versus the usual Python HTTP clients.

One run, one local server, every client doing the same work per call: encode the form,
POST it with the token header, read the body, parse the JSON and check it is a success
with an ``account_id``. Each measurement runs in a fresh process; rounds are interleaved
and the median is reported. Sequential: aqr.Client, requests.Session, httpx.Client, urllib3,
pycurl; threads: aqr.Client shared by 4 threads; asyncio with 64 calls in flight:
aqr.AsyncClient, aiohttp, httpx.AsyncClient.

The server is the static responder of ``tools/aqr-bench`` (``aqr-bench responder``),
which answers every request with the create-success JSON; it is started from
``target/release/aqr-bench`` (or ``--responder PATH``). Without it, ``--mock`` uses
``aqr.testing.MockServer`` (slower: it validates and stores every entry).

    python -m venv .venv-bench
    .venv-bench/bin/pip install -r tools/bench-python/requirements.txt .
    cargo build --release -p aqr-bench
    .venv-bench/bin/python tools/bench-python/bench.py [--seconds 3] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aqr

REPO = Path(__file__).resolve().parents[2]
TOKEN = "mock-developer-token"
EMAIL = "dev@example.com"
ACCOUNT = {
    "account_number": "1234567894321",
    "bank": aqr.Bank.TOSS_BANK,
    "account_owner": "홍길동",
    "phone_number": "01012341234",
    "account_name": "월세",
}
FORM = {
    "email_address": EMAIL,
    "account_number": "1234567894321",
    "bank_id": "1",
    "account_owner": "홍길동",
    "phone_number": "01012341234",
    "account_name": "월세",
    "action": "aqr_create",
}
HEADERS = {
    "AQR-DEVELOPER-TOKEN": TOKEN,
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
}
IN_FLIGHT = 64
THREADS = 4


def check(body: bytes | str) -> str:
    """What every peer does with the answer: parse and check it like the SDK."""
    data = json.loads(body)
    if data.get("result") != "success" or not data.get("account_id"):
        raise RuntimeError(f"unexpected answer: {body!r}")
    return str(data["account_id"])


def encode() -> bytes:
    return urlencode(FORM).encode()


# --- servers -------------------------------------------------------------------------


@contextmanager
def responder(path: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [str(path), "responder", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.strip().rsplit(" ", 1)[-1]
        if not url.startswith("http://"):
            raise RuntimeError(f"aqr-bench responder said: {line!r}")
        yield url
    finally:
        process.terminate()
        process.wait()


@contextmanager
def mock_server() -> Iterator[str]:
    from aqr.testing import MockServer

    with MockServer(token=TOKEN, email=EMAIL) as server:
        yield server.url


# --- measurement ---------------------------------------------------------------------


def sequential(call: Callable[[], object], seconds: float) -> float:
    for _ in range(50):  # warm up: connections, caches
        call()
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(20):
            call()
        count += 20
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def threaded(call: Callable[[], object], seconds: float, threads: int) -> float:
    for _ in range(50):
        call()
    counts = [0] * threads
    stop = threading.Event()
    failures: list[BaseException] = []

    def work(slot: int) -> None:
        try:
            while not stop.is_set():
                call()
                counts[slot] += 1
        except BaseException as e:
            failures.append(e)
            stop.set()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    time.sleep(seconds)
    stop.set()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise failures[0]
    return sum(counts) / elapsed


async def concurrent(call: Callable[[], Awaitable[object]], seconds: float) -> float:
    await asyncio.gather(*(call() for _ in range(IN_FLIGHT)))  # warm up the pool
    count = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal count
        while time.perf_counter() < deadline:
            await call()
            count += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return count / (time.perf_counter() - start)


# --- clients -------------------------------------------------------------------------


def aqr_sync(url: str, seconds: float) -> float:
    with aqr.Client(token=TOKEN, email=EMAIL, base_url=url) as client:
        return sequential(lambda: client.create(**ACCOUNT), seconds)


def aqr_threads(url: str, seconds: float) -> float:
    with aqr.Client(token=TOKEN, email=EMAIL, base_url=url) as client:
        return threaded(lambda: client.create(**ACCOUNT), seconds, THREADS)


def requests_session(url: str, seconds: float) -> float:
    import requests

    endpoint = f"{url}/api/"
    with requests.Session() as session:

        def call() -> str:
            response = session.post(endpoint, data=encode(), headers=HEADERS, allow_redirects=False)
            return check(response.content)

        return sequential(call, seconds)


def httpx_sync(url: str, seconds: float) -> float:
    import httpx

    endpoint = f"{url}/api/"
    with httpx.Client() as client:
        return sequential(
            lambda: check(client.post(endpoint, content=encode(), headers=HEADERS).content),
            seconds,
        )


def urllib3_pool(url: str, seconds: float) -> float:
    import urllib3

    endpoint = f"{url}/api/"
    with urllib3.PoolManager() as pool:
        return sequential(
            lambda: check(
                pool.request("POST", endpoint, body=encode(), headers=HEADERS, redirect=False).data
            ),
            seconds,
        )


def pycurl_easy(url: str, seconds: float) -> float:
    import pycurl

    endpoint = f"{url}/api/"
    curl = pycurl.Curl()
    curl.setopt(pycurl.URL, endpoint)
    curl.setopt(pycurl.HTTPHEADER, [f"{k}: {v}" for k, v in HEADERS.items()])

    def call() -> str:
        buffer = io.BytesIO()
        curl.setopt(pycurl.POSTFIELDS, encode())
        curl.setopt(pycurl.WRITEDATA, buffer)
        curl.perform()
        return check(buffer.getvalue())

    try:
        return sequential(call, seconds)
    finally:
        curl.close()


def aqr_async(url: str, seconds: float) -> float:
    async def main() -> float:
        async with aqr.AsyncClient(token=TOKEN, email=EMAIL, base_url=url) as client:
            return await concurrent(lambda: client.create(**ACCOUNT), seconds)

    return asyncio.run(main())


def aiohttp_session(url: str, seconds: float) -> float:
    import aiohttp

    endpoint = f"{url}/api/"

    async def main() -> float:
        connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def call() -> str:
                async with session.post(
                    endpoint, data=encode(), headers=HEADERS, allow_redirects=False
                ) as response:
                    return check(await response.read())

            return await concurrent(call, seconds)

    return asyncio.run(main())


def httpx_async(url: str, seconds: float) -> float:
    import httpx

    endpoint = f"{url}/api/"

    async def main() -> float:
        limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
        async with httpx.AsyncClient(limits=limits) as client:

            async def call() -> str:
                return check(
                    (await client.post(endpoint, content=encode(), headers=HEADERS)).content
                )

            return await concurrent(call, seconds)

    return asyncio.run(main())


SCENARIOS: list[tuple[str, str, Callable[[str, float], float]]] = [
    ("sequential", "aqr.Client", aqr_sync),
    ("sequential", "requests.Session", requests_session),
    ("sequential", "httpx.Client", httpx_sync),
    ("sequential", "urllib3.PoolManager", urllib3_pool),
    ("sequential", "pycurl", pycurl_easy),
    (f"{THREADS} threads", "aqr.Client", aqr_threads),
    (f"{IN_FLIGHT} in flight", "aqr.AsyncClient", aqr_async),
    (f"{IN_FLIGHT} in flight", "aiohttp", aiohttp_session),
    (f"{IN_FLIGHT} in flight", "httpx.AsyncClient", httpx_async),
]


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _, _, index, url, seconds = sys.argv
        print(SCENARIOS[int(index)][2](url, float(seconds)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per client and round")
    parser.add_argument("--rounds", type=int, default=1, help="the median is reported")
    parser.add_argument(
        "--responder",
        type=Path,
        default=Path(os.environ.get("AQR_BENCH_BIN", REPO / "target/release/aqr-bench")),
    )
    parser.add_argument("--mock", action="store_true", help="use aqr.testing.MockServer")
    parser.add_argument(
        "--url", help="an already running server (e.g. scripts/bench.sh's responder)"
    )
    parser.add_argument("--json", type=Path, help="also write the medians to this file")
    parser.add_argument("--only", nargs="*", help="client names to run (default: all)")
    args = parser.parse_args()

    use_mock = not args.url and (args.mock or not args.responder.exists())
    if args.url:
        server: Any = contextlib.nullcontext(args.url)
    else:
        server = mock_server() if use_mock else responder(args.responder)
    scenarios = [sc for sc in SCENARIOS if not args.only or sc[1] in args.only]
    rates: dict[tuple[str, str], list[float]] = {(mode, name): [] for mode, name, _ in scenarios}
    with server as url:
        kind = (
            "the server given by --url"
            if args.url
            else "aqr.testing.MockServer"
            if use_mock
            else f"aqr-bench responder ({args.responder})"
        )
        print(
            f"server: {kind} at {url}; {args.rounds} round(s) of {args.seconds:.1f} s per "
            f"client, rounds interleaved, median reported; Python {sys.version.split()[0]}, "
            f"aqr {aqr.__version__}, {os.cpu_count()} CPUs\n",
            flush=True,
        )
        # Every round runs every client once, so a change of machine load during the run
        # affects all of them alike.
        # Each measurement runs in a fresh process, so no client inherits another's
        # threads, runtime or garbage.
        for round_number in range(1, args.rounds + 1):
            for index, (mode, name, _) in enumerate(scenarios):
                if (mode, name) not in rates:
                    continue
                child = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        str(SCENARIOS.index(scenarios[index])),
                        url,
                        str(args.seconds),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if child.returncode != 0:
                    reason = (child.stderr.strip().splitlines() or ["failed"])[-1]
                    print(f"{mode:>14}  {name:<22} skipped: {reason}", flush=True)
                    rates.pop((mode, name), None)
                    continue
                rate = float(child.stdout)
                if (mode, name) in rates:
                    rates[(mode, name)].append(rate)
                    print(
                        f"round {round_number}  {mode:>14}  {name:<22} {rate:>10,.0f} calls/s",
                        flush=True,
                    )
    results = {key: statistics.median(values) for key, values in rates.items() if values}
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {"mode": mode, "client": name, "calls_per_s": rate}
                    for (mode, name), rate in results.items()
                ],
                indent=1,
            )
        )

    print("\n| mode | client | calls/s (median) |\n|---|---|---:|")
    for (mode, name), rate in results.items():
        print(f"| {mode} | {name} | {rate:,.0f} |")

    print("\nratios (aqr ÷ peer, same mode):")
    for (mode, name), rate in results.items():
        if name.startswith("aqr."):
            continue
        mine = next(
            (r for (m, n), r in results.items() if m == mode and n.startswith("aqr.")), None
        )
        if mine is not None:
            print(f"{mode:>14}  aqr / {name:<22} {mine / rate:>6.2f}×")
    single = results.get(("sequential", "aqr.Client"))
    multi = results.get((f"{THREADS} threads", "aqr.Client"))
    if single and multi:
        print(f"{THREADS} threads / 1 thread (aqr.Client): {multi / single:.2f}×")


if __name__ == "__main__":
    main()
