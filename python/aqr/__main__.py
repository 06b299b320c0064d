"""The ``aqr`` command (and ``python -m aqr``): the Rust command-line tool, run in-process.

It is the same program as the ``aqr`` binary (``cargo install aqr-cli``): the same
subcommands, output and exit codes, with no Rust toolchain needed.
"""

from __future__ import annotations

import signal
import sys

from aqr._aqr import run_cli


def main() -> None:
    """Runs ``aqr`` with this process's arguments and exits with its exit code."""
    # Ctrl-C as in the binary: the commands that wait for it (`aqr mock`, bulk runs) catch
    # it themselves; the others end at once, with no Python traceback.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(run_cli(["aqr", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
