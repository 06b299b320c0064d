"""Merges the outputs of scripts/bench.sh into one table (used by that script)."""

import json
import platform
import re
import sys
from pathlib import Path


def rust_rows(text: str) -> list[tuple[str, str, float, str, float]]:
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[1].replace(".", "").isdigit():
            scenario, raw, sdk = cells[0], float(cells[1]), float(cells[2])
            peer = "raw reqwest" if "reqwest" in scenario else "raw ureq"
            if "no timeout" in scenario:
                peer += " (no timeout)"
            client = "aqr::Client" if "reqwest" in scenario else "aqr::blocking::Client"
            mode = scenario.split(", ", 1)[1].split(" (")[0]
            rows.append((f"Rust {mode}", client, sdk, peer, raw))
    return rows


def python_rows(results: list[dict]) -> list[tuple[str, str, float, str, float]]:
    rows = []
    by_mode: dict[str, dict[str, float]] = {}
    for r in results:
        by_mode.setdefault(r["mode"], {})[r["client"]] = r["calls_per_s"]
    sequential_aqr = by_mode.get("sequential", {}).get("aqr.Client")
    for mode, clients in by_mode.items():
        mine = {k: v for k, v in clients.items() if k.startswith("aqr.")}
        for name, rate in mine.items():
            peers = {k: v for k, v in clients.items() if not k.startswith("aqr.")}
            for peer, peer_rate in peers.items():
                rows.append((f"Python {mode}", name, rate, peer, peer_rate))
            if not peers and sequential_aqr:
                rows.append((f"Python {mode}", name, rate, "aqr.Client, 1 thread", sequential_aqr))
    return rows


def core_rows(text: str) -> list[str]:
    found = re.findall(r"^(.+?)\s*\n?\s*time:\s+\[\S+ \S+ (\S+ \S+)", text, re.M)
    return [f"{name.strip()}: {median}" for name, median in found]


def main() -> None:
    rust, python, core = (Path(p) for p in sys.argv[1:4])
    rows = rust_rows(rust.read_text()) + python_rows(json.loads(python.read_text()))
    print()
    print(
        f"## Benchmarks ({platform.node()}, {platform.machine()}, "
        f"{len(__import__('os').sched_getaffinity(0))} CPUs, Python {platform.python_version()})"
    )
    print()
    print("| mode | aqr client | calls/s | compared with | calls/s | ratio |")
    print("|---|---|---:|---|---:|---:|")
    for mode, client, rate, peer, peer_rate in rows:
        print(
            f"| {mode} | {client} | {rate:,.0f} | {peer} | {peer_rate:,.0f} | "
            f"{rate / peer_rate:.2f}× |"
        )
    print()
    for line in core_rows(core.read_text()):
        print(f"aqr-core {line}")


if __name__ == "__main__":
    main()
