"""What the check scripts of scripts/ share: named checks and the closing summary line.

Each check prints one line (`ok`, `FAILED` with the reason, or `SKIPPED` with the reason,
never silently), and `Tally.finish` prints `N passed, M failed` (`, K skipped` when any
was), the line scripts/test.sh counts, and returns the exit status.
"""

from __future__ import annotations

import re
import sys

SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$", re.M)


class Tally:
    """Counts named checks as they are made."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        """Records `name` as passed when `ok`, else as failed with `detail`."""
        if ok:
            self.passed += 1
            print(f"ok       {name}")
        else:
            self.failed += 1
            print(f"FAILED   {name}" + (f": {detail}" if detail else ""))
        sys.stdout.flush()
        return ok

    def skip(self, name: str, reason: str) -> None:
        """Records a check that could not run here, and says why."""
        self.skipped += 1
        print(f"SKIPPED  {name}: {reason}")
        sys.stdout.flush()

    def absorb(self, name: str, output: str) -> None:
        """Adds the counts of another check script's summary line in `output` (a script
        that printed none counts as one failure named `name`)."""
        found = SUMMARY.findall(output)
        if not found:
            self.check(name, False, "printed no summary line")
            return
        passed, failed, skipped = found[-1]
        self.passed += int(passed)
        self.failed += int(failed)
        self.skipped += int(skipped or 0)

    def finish(self) -> int:
        """Prints the summary line; the exit status is 1 when any check failed."""
        line = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            line += f", {self.skipped} skipped"
        print(line)
        return 1 if self.failed else 0
