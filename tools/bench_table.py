"""Merges the outputs of scripts/bench.sh into one table and checks the targets.

    python3 tools/bench_table.py RUST_JSON PYTHON_JSON CORE_TXT

RUST_JSON is written by `aqr-bench --json`, PYTHON_JSON by `tools/bench-python/bench.py
--json`, CORE_TXT is criterion's output for aqr-core's build + parse.
"""

import json
import os
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# The targets (issue 11 item 9), over reused connections on HTTP and on HTTPS:
# (mode, aqr client, peer, the least ratio aqr ÷ peer).
TARGETS = [
    ("Python sequential", "aqr.Client", "pycurl", 1.5),
    ("Python sequential", "aqr.Client (not main thread)", "pycurl", 1.5),
    ("Python 64 in flight", "aqr.AsyncClient", "aiohttp", 3.0),
]
# Every Rust client against its raw library.
RUST_TARGET = 0.95
KEEP_ALIVE = "keep-alive"


@dataclass(frozen=True)
class Row:
    transport: str
    connection: str
    mode: str
    client: str
    rate: float
    peer: str
    peer_rate: float
    # Rust rows: each round's ratio (lower quartile, median, upper quartile).
    paired: tuple[float, float, float] | None = None

    @property
    def ratio(self) -> float:
        return self.rate / self.peer_rate

    @property
    def verdict_ratio(self) -> float:
        """What a target is checked on: the median of the rounds' ratios where the rounds
        were paired (raw and SDK back to back), else the ratio of the medians."""
        return self.paired[1] if self.paired else self.ratio


def rust_rows(results: list[dict], metric: str = "calls_per_s") -> list[Row]:
    """One row per Rust scenario; `metric` is `calls_per_s` or `cpu_us`."""
    return [
        Row(
            r["transport"],
            r["connection"],
            f"Rust {r['mode']}",
            r["client"],
            r["sdk"][metric],
            r["peer"],
            r["raw"][metric],
            tuple(r["ratios"]["rate" if metric == "calls_per_s" else "cpu"]),
        )
        for r in results
    ]


def python_rows(results: list[dict]) -> list[Row]:
    rows = []
    groups: dict[tuple[str, str, str], dict[str, float]] = {}
    for r in results:
        key = (r["transport"], r["connection"], r["mode"])
        groups.setdefault(key, {})[r["client"]] = r["calls_per_s"]
    for (transport, connection, mode), clients in groups.items():
        sequential_aqr = groups.get((transport, connection, "sequential"), {}).get("aqr.Client")
        peers = {k: v for k, v in clients.items() if not k.startswith("aqr.")}
        for name, rate in clients.items():
            if not name.startswith("aqr."):
                continue
            # A variant of an aqr client, e.g. "aqr.Client (not main thread)", is compared
            # with the fastest peer only.
            compared = peers
            if "(" in name and peers:
                fastest = max(peers, key=peers.__getitem__)
                compared = {fastest: peers[fastest]}
            for peer, peer_rate in compared.items():
                rows.append(
                    Row(transport, connection, f"Python {mode}", name, rate, peer, peer_rate)
                )
            if not peers and sequential_aqr:
                rows.append(
                    Row(
                        transport,
                        connection,
                        f"Python {mode}",
                        name,
                        rate,
                        "aqr.Client, 1 thread",
                        sequential_aqr,
                    )
                )
    return rows


def target_lines(rows: list[Row]) -> list[str]:
    """One line per target and transport: the ratio and whether it is met."""
    lines = []
    for transport in sorted({r.transport for r in rows}):
        kept = [r for r in rows if r.transport == transport and r.connection == KEEP_ALIVE]
        checks = [
            (r, least)
            for mode, client, peer, least in TARGETS
            for r in kept
            if (r.mode, r.client, r.peer) == (mode, client, peer)
        ] + [(r, RUST_TARGET) for r in kept if r.mode.startswith("Rust ")]
        for r, least in checks:
            verdict = "met" if r.verdict_ratio >= least else "MISSED"
            paired = ""
            if r.paired:
                low, median, high = r.paired
                paired = f", rounds' ratios {median:.2f}× (quartiles {low:.2f}–{high:.2f})"
            lines.append(
                f"{transport:<5} {r.mode}: {r.client} ÷ {r.peer} = {r.ratio:.2f}×{paired} "
                f"(target ≥ {least}×) {verdict}"
            )
    return lines


def cpu_rows(rust: list[dict], python: list[dict]) -> list[Row]:
    """CPU time per call (in `rate`) beside the peer's, where it was measured: every Rust
    row (the calling thread) and the sequential Python rows (the whole client process).
    Unlike calls/s it does not include the responder's time on the shared machine."""
    rows = rust_rows(rust, "cpu_us")
    measured = [r for r in python if r.get("cpu_us")]
    for r in measured:
        if not r["client"].startswith("aqr."):
            continue
        for peer in measured:
            same = (peer["transport"], peer["connection"], peer["mode"]) == (
                r["transport"],
                r["connection"],
                r["mode"],
            )
            # A variant of an aqr client ("(not main thread)") is compared with pycurl only.
            wanted = peer["client"] == "pycurl" or "(" not in r["client"]
            if same and wanted and not peer["client"].startswith("aqr."):
                rows.append(
                    Row(
                        r["transport"],
                        r["connection"],
                        f"Python {r['mode']}",
                        r["client"],
                        r["cpu_us"],
                        peer["client"],
                        peer["cpu_us"],
                    )
                )
    return rows


def core_rows(text: str) -> list[str]:
    found = re.findall(r"^(.+?)\s*\n?\s*time:\s+\[\S+ \S+ (\S+ \S+)", text, re.M)
    return [f"{name.strip()}: {median}" for name, median in found]


def main() -> None:
    rust = json.loads(Path(sys.argv[1]).read_text())
    python = json.loads(Path(sys.argv[2]).read_text())
    core = Path(sys.argv[3])
    rows = rust_rows(rust) + python_rows(python)
    print()
    print(
        f"## Benchmarks ({platform.node()}, {platform.machine()}, "
        f"{len(os.sched_getaffinity(0))} CPUs, Python {platform.python_version()})"
    )
    print()
    print(
        "| transport | connection | mode | aqr client | calls/s | compared with | calls/s | ratio |"
    )
    print("|---|---|---|---|---:|---|---:|---:|")
    for r in rows:
        print(
            f"| {r.transport} | {r.connection} | {r.mode} | {r.client} | {r.rate:,.0f} | "
            f"{r.peer} | {r.peer_rate:,.0f} | {r.ratio:.2f}× |"
        )
    print()
    print("new connection: every answer closes its connection and the server keeps no TLS")
    print("sessions, so every call connects and makes a full TLS handshake.")
    print()
    print("CPU time per call (Rust: the calling thread; Python sequential: the whole client")
    print("process, every thread; peer ÷ aqr > 1 means aqr costs less):")
    print()
    print(
        "| transport | connection | mode | aqr client | µs/call "
        "| compared with | µs/call | peer ÷ aqr |"
    )
    print("|---|---|---|---|---:|---|---:|---:|")
    for r in cpu_rows(rust, python):
        print(
            f"| {r.transport} | {r.connection} | {r.mode} | {r.client} | {r.rate:.1f} | "
            f"{r.peer} | {r.peer_rate:.1f} | {1 / r.ratio:.2f}× |"
        )
    print()
    print("Targets (keep-alive; issue 11 item 9; a Rust row is judged on its rounds' ratios):")
    for line in target_lines(rows):
        print(f"  {line}")
    print()
    for line in core_rows(core.read_text()):
        print(f"aqr-core {line}")


if __name__ == "__main__":
    main()
