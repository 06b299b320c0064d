"""``import`` time of the aqr package beside the HTTP and SDK packages its users know:
each import in a fresh interpreter, wall clock of the import statement alone, median of N
runs, and whether the import pulled in ``asyncio``::

    python tools/bench-python/import_time.py [--runs 15] [aqr httpx requests openai stripe]

A module that is not installed is reported as such (install the peers with
``pip install httpx requests openai stripe``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = (
    "import sys, time\n"
    "t = time.perf_counter()\n"
    "import {module}\n"
    "elapsed = time.perf_counter() - t\n"
    "print(elapsed, 'asyncio' in sys.modules)\n"
)


def measure(module: str, runs: int) -> tuple[float, bool] | None:
    samples = []
    asyncio_loaded = False
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", PROBE.format(module=module)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            return None
        elapsed, loaded = result.stdout.split()
        samples.append(float(elapsed))
        asyncio_loaded = loaded == "True"
    return statistics.median(samples), asyncio_loaded


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "modules", nargs="*", default=["aqr", "httpx", "requests", "openai", "stripe"]
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = {module: measure(module, args.runs) for module in args.modules}
    if args.json:
        print(
            json.dumps(
                {
                    m: None if r is None else {"ms": r[0] * 1000, "asyncio": r[1]}
                    for m, r in rows.items()
                }
            )
        )
        return 0
    base = rows.get("aqr")
    print("| package | import (median ms) | imports asyncio | ÷ aqr |")
    print("|---|---:|:---:|---:|")
    for module, row in rows.items():
        if row is None:
            print(f"| {module} | not installed | | |")
            continue
        ratio = f"{row[0] / base[0]:.1f}×" if base else ""
        print(f"| {module} | {row[0] * 1000:.1f} | {'yes' if row[1] else 'no'} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
