"""Full `create` calls per second: aqr versus the usual Python HTTP clients, over HTTP and HTTPS.

One run, one local server, every client doing the same work per call: encode the form,
POST it with the token header, read the body, parse the JSON and check it is a success
with an ``account_id``. Each measurement runs in a fresh process; rounds are interleaved
and the median is reported. Sequential: aqr.Client, requests.Session, httpx.Client, urllib3,
pycurl, and aqr.Client once more from a thread other than the main one; threads: aqr.Client
shared by 4 threads; asyncio with 64 calls in flight:
aqr.AsyncClient, aiohttp, httpx.AsyncClient.

Every client runs over plain HTTP with keep-alive, over HTTPS with keep-alive, and over
HTTPS with a new connection for every call (the responder answers under
``/new-connection`` with ``Connection: close`` and keeps no TLS sessions, so each call
makes a full handshake). Over HTTPS every client trusts the responder's CA file and
nothing else is changed: ``ca_bundle=`` for aqr, ``verify=`` / ``ca_certs=`` / ``CAINFO``
or an ``ssl`` context from ``cafile`` for the peers.

The servers are the static responders of ``tools/aqr-bench`` (``aqr-bench responder``,
plain and ``--tls``), which answer every request with the create-success JSON; they are
started from ``target/release/aqr-bench`` (or ``--responder PATH``). Without it,
``--mock`` uses ``aqr.testing.MockServer`` over HTTP only (slower: it validates and stores
every entry).

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
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
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
# Under this base-URL path the responder closes every connection after its answer.
NEW_CONNECTION_PATH = "/new-connection"


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
def responder(path: Path, ca_file: Path | None = None) -> Iterator[str]:
    """``aqr-bench responder``: plain, or HTTPS writing its CA to ``ca_file``."""
    tls = ["--tls", "--ca-file", str(ca_file)] if ca_file else []
    process = subprocess.Popen(
        [str(path), "responder", "--port", "0", *tls], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.strip().rsplit(" ", 1)[-1]
        if not url.startswith(("http://", "https://")):
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


def ssl_context(ca: str | None) -> ssl.SSLContext | None:
    """The peers' TLS settings: the default context, trusting ``ca`` (None: plain HTTP)."""
    return ssl.create_default_context(cafile=ca) if ca else None


# --- measurement ---------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """Calls per second (wall clock) and, for a sequential client, the CPU time of the
    whole client process per call (user + system, every thread): what the client costs,
    whatever the responder sharing the machine does."""

    rate: float
    cpu_us: float | None = None


def sequential(call: Callable[[], object], seconds: float) -> Measured:
    for _ in range(50):  # warm up: connections, caches
        call()
    count = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    deadline = start + seconds
    while True:
        for _ in range(20):
            call()
        count += 20
        now = time.perf_counter()
        if now >= deadline:
            cpu_us = (time.process_time() - cpu_start) / count * 1e6
            return Measured(count / (now - start), cpu_us)


def threaded(call: Callable[[], object], seconds: float, threads: int) -> Measured:
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
    return Measured(sum(counts) / elapsed)


async def concurrent(call: Callable[[], Awaitable[object]], seconds: float) -> Measured:
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
    return Measured(count / (time.perf_counter() - start))


# --- clients -------------------------------------------------------------------------


def aqr_sync(url: str, seconds: float, ca: str | None) -> Measured:
    with aqr.Client(token=TOKEN, email=EMAIL, base_url=url, ca_bundle=ca) as client:
        return sequential(lambda: client.create(**ACCOUNT), seconds)


def aqr_sync_off_main(url: str, seconds: float, ca: str | None) -> Measured:
    """aqr.Client called from a thread other than the main one: there the call waits
    without asking for Ctrl-C (on the main thread it runs the signal handlers while it
    waits)."""
    result: list[Measured] = []
    worker = threading.Thread(target=lambda: result.append(aqr_sync(url, seconds, ca)))
    worker.start()
    worker.join()
    if not result:
        raise RuntimeError("the measuring thread failed")
    return result[0]


def aqr_threads(url: str, seconds: float, ca: str | None) -> Measured:
    with aqr.Client(token=TOKEN, email=EMAIL, base_url=url, ca_bundle=ca) as client:
        return threaded(lambda: client.create(**ACCOUNT), seconds, THREADS)


def requests_session(url: str, seconds: float, ca: str | None) -> Measured:
    import requests

    endpoint = f"{url}/api/"
    # Per request: REQUESTS_CA_BUNDLE in the environment would override `session.verify`.
    verify = ca or True
    with requests.Session() as session:

        def call() -> str:
            response = session.post(
                endpoint, data=encode(), headers=HEADERS, allow_redirects=False, verify=verify
            )
            return check(response.content)

        return sequential(call, seconds)


def httpx_sync(url: str, seconds: float, ca: str | None) -> Measured:
    import httpx

    endpoint = f"{url}/api/"
    with httpx.Client(verify=ssl_context(ca) or True) as client:
        return sequential(
            lambda: check(client.post(endpoint, content=encode(), headers=HEADERS).content),
            seconds,
        )


def urllib3_pool(url: str, seconds: float, ca: str | None) -> Measured:
    import urllib3

    endpoint = f"{url}/api/"
    with urllib3.PoolManager(ca_certs=ca) as pool:
        return sequential(
            lambda: check(
                pool.request("POST", endpoint, body=encode(), headers=HEADERS, redirect=False).data
            ),
            seconds,
        )


def pycurl_easy(url: str, seconds: float, ca: str | None) -> Measured:
    import pycurl

    endpoint = f"{url}/api/"
    curl = pycurl.Curl()
    curl.setopt(pycurl.URL, endpoint)
    if ca:
        curl.setopt(pycurl.CAINFO, ca)
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


def aqr_async(url: str, seconds: float, ca: str | None) -> Measured:
    async def main() -> Measured:
        async with aqr.AsyncClient(token=TOKEN, email=EMAIL, base_url=url, ca_bundle=ca) as client:
            return await concurrent(lambda: client.create(**ACCOUNT), seconds)

    return asyncio.run(main())


def aiohttp_session(url: str, seconds: float, ca: str | None) -> Measured:
    import aiohttp

    endpoint = f"{url}/api/"

    async def main() -> Measured:
        connector = aiohttp.TCPConnector(limit=IN_FLIGHT, ssl=ssl_context(ca) or True)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def call() -> str:
                async with session.post(
                    endpoint, data=encode(), headers=HEADERS, allow_redirects=False
                ) as response:
                    return check(await response.read())

            return await concurrent(call, seconds)

    return asyncio.run(main())


def httpx_async(url: str, seconds: float, ca: str | None) -> Measured:
    import httpx

    endpoint = f"{url}/api/"

    async def main() -> Measured:
        limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
        async with httpx.AsyncClient(limits=limits, verify=ssl_context(ca) or True) as client:

            async def call() -> str:
                return check(
                    (await client.post(endpoint, content=encode(), headers=HEADERS)).content
                )

            return await concurrent(call, seconds)

    return asyncio.run(main())


SCENARIOS: list[tuple[str, str, Callable[[str, float, str | None], Measured]]] = [
    ("sequential", "aqr.Client", aqr_sync),
    ("sequential", "aqr.Client (not main thread)", aqr_sync_off_main),
    ("sequential", "requests.Session", requests_session),
    ("sequential", "httpx.Client", httpx_sync),
    ("sequential", "urllib3.PoolManager", urllib3_pool),
    ("sequential", "pycurl", pycurl_easy),
    (f"{THREADS} threads", "aqr.Client", aqr_threads),
    (f"{IN_FLIGHT} in flight", "aqr.AsyncClient", aqr_async),
    (f"{IN_FLIGHT} in flight", "aiohttp", aiohttp_session),
    (f"{IN_FLIGHT} in flight", "httpx.AsyncClient", httpx_async),
]


@dataclass(frozen=True)
class Server:
    """Where one set of measurements goes: a base URL and the CA file to trust (HTTPS)."""

    transport: str
    connection: str
    url: str
    ca: str | None


def servers(args: argparse.Namespace, stack: contextlib.ExitStack) -> tuple[str, list[Server]]:
    """The servers to measure against (started here unless --url is given), and what they
    are, for the heading."""
    tls_url, ca_file = args.tls_url, args.ca_file
    if args.url:
        found = [Server("HTTP", "keep-alive", args.url, None)]
        kind = "the servers given by --url/--tls-url"
    elif args.mock or not args.responder.exists():
        found = [Server("HTTP", "keep-alive", stack.enter_context(mock_server()), None)]
        kind = "aqr.testing.MockServer (HTTP only)"
    else:
        plain = stack.enter_context(responder(args.responder))
        found = [Server("HTTP", "keep-alive", plain, None)]
        if not tls_url:
            ca_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "ca.pem"
            tls_url = stack.enter_context(responder(args.responder, ca_file))
        kind = f"aqr-bench responder ({args.responder})"
    if tls_url:
        ca = str(ca_file) if ca_file else None
        found.append(Server("HTTPS", "keep-alive", tls_url, ca))
        found.append(Server("HTTPS", "new connection", tls_url + NEW_CONNECTION_PATH, ca))
    return kind, found


def measure(index: int, server: Server, seconds: float) -> Measured:
    """One measurement, in a fresh process: no client inherits another's threads, runtime
    or garbage."""
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(index),
            server.url,
            str(seconds),
            server.ca or "",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        reason = (child.stderr.strip().splitlines() or ["failed"])[-1]
        raise RuntimeError(reason)
    return Measured(**json.loads(child.stdout))


def print_summary(results: dict[tuple[str, str, str, str], float]) -> None:
    """The medians, and each aqr client beside its peers of the same mode."""
    print("\n| transport | connection | mode | client | calls/s (median) |")
    print("|---|---|---|---|---:|")
    for (transport, connection, mode, name), rate in results.items():
        print(f"| {transport} | {connection} | {mode} | {name} | {rate:,.0f} |")
    print("\nratios (aqr ÷ peer, same transport, connection and mode):")
    for (transport, connection, mode, name), rate in results.items():
        if name.startswith("aqr."):
            continue
        mine = next(
            (
                r
                for (t, c, m, n), r in results.items()
                if (t, c, m) == (transport, connection, mode) and n.startswith("aqr.")
            ),
            None,
        )
        if mine is not None:
            print(
                f"{transport:>5} {connection:<14} {mode:>12}  aqr / {name:<20} {mine / rate:>6.2f}×"
            )


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        _, _, index, url, seconds, ca = sys.argv
        measured = SCENARIOS[int(index)][2](url, float(seconds), ca or None)
        print(json.dumps({"rate": measured.rate, "cpu_us": measured.cpu_us}))
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
    parser.add_argument("--url", help="an already running plain server (e.g. scripts/bench.sh's)")
    parser.add_argument("--tls-url", help="an already running HTTPS server")
    parser.add_argument(
        "--ca-file", type=Path, help="the PEM CA that signed --tls-url's certificate"
    )
    parser.add_argument("--json", type=Path, help="also write the medians to this file")
    parser.add_argument("--only", nargs="*", help="client names to run (default: all)")
    args = parser.parse_args()

    scenarios = [sc for sc in SCENARIOS if not args.only or sc[1] in args.only]
    with contextlib.ExitStack() as stack:
        kind, targets = servers(args, stack)
        print(
            f"servers: {kind} at {', '.join(t.url for t in targets)}; {args.rounds} round(s) "
            f"of {args.seconds:.1f} s per client, rounds interleaved, median reported; Python "
            f"{sys.version.split()[0]}, aqr {aqr.__version__}, {os.cpu_count()} CPUs\n",
            flush=True,
        )
        rates: dict[tuple[str, str, str, str], list[Measured]] = {
            (t.transport, t.connection, mode, name): []
            for t in targets
            for mode, name, _ in scenarios
        }
        # Every round runs every client once, so a change of machine load during the run
        # affects all of them alike.
        for round_number in range(1, args.rounds + 1):
            for target in targets:
                for scenario in scenarios:
                    mode, name, _ = scenario
                    key = (target.transport, target.connection, mode, name)
                    if key not in rates:
                        continue
                    label = f"{target.transport:>5} {target.connection:<14} {mode:>12}  {name:<20}"
                    try:
                        measured = measure(SCENARIOS.index(scenario), target, args.seconds)
                    except RuntimeError as e:
                        print(f"{label} skipped: {e}", flush=True)
                        rates.pop(key)
                        continue
                    rates[key].append(measured)
                    cpu = f"  {measured.cpu_us:7.1f} µs CPU/call" if measured.cpu_us else ""
                    print(
                        f"round {round_number}  {label} {measured.rate:>10,.0f} calls/s{cpu}",
                        flush=True,
                    )
    results = {
        key: statistics.median(m.rate for m in values) for key, values in rates.items() if values
    }
    cpu_per_call = {
        key: statistics.median(m.cpu_us for m in values if m.cpu_us is not None)
        for key, values in rates.items()
        if values and all(m.cpu_us is not None for m in values)
    }
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "transport": transport,
                        "connection": connection,
                        "mode": mode,
                        "client": name,
                        "calls_per_s": rate,
                        "cpu_us": cpu_per_call.get((transport, connection, mode, name)),
                    }
                    for (transport, connection, mode, name), rate in results.items()
                ],
                indent=1,
            )
        )
    print_summary(results)
    for transport, connection in {(t, c) for t, c, _, _ in results}:
        single = results.get((transport, connection, "sequential", "aqr.Client"))
        multi = results.get((transport, connection, f"{THREADS} threads", "aqr.Client"))
        if single and multi:
            print(
                f"{transport} {connection}: {THREADS} threads / 1 thread (aqr.Client): "
                f"{multi / single:.2f}×"
            )


if __name__ == "__main__":
    main()
