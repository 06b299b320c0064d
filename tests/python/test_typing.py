"""The package's types: ``mypy --strict`` accepts a typed usage file and the package
itself, and ``stubtest`` finds the stubs in agreement with the extension."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, cwd=HERE, check=False
    )


def test_mypy_strict_accepts_the_usage_file() -> None:
    result = run("mypy", "--strict", "--no-incremental", "typing_usage.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_accepts_the_package() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "aqr"],
        capture_output=True,
        text=True,
        cwd=HERE.parents[1] / "python",
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_rejects_a_misuse(tmp_path: Path) -> None:
    bad = tmp_path / "misuse.py"
    bad.write_text(
        "import aqr\n"
        "c = aqr.Client()\n"
        "c.create(account_number=1234, bank=aqr.Bank.TOSS_BANK,"
        " account_owner='x', phone_number='0')\n"
        "aqr.Bank.NO_SUCH_BANK\n"
        "aqr.Client(dialect='klingon')\n"
        "aqr.Client(timeout=None)\n"
        "c.create(account_number='1', bank=1, account_owner='x', phone_number='0',"
        " proxy='http://p')\n",
        "utf-8",
    )
    result = run("mypy", "--strict", "--no-incremental", str(bad))
    assert result.returncode == 1
    assert "account_number" in result.stdout and "NO_SUCH_BANK" in result.stdout
    for line in (5, 6, 7):  # dialect, timeout=None, a connection option per call
        assert f"misuse.py:{line}:" in result.stdout, result.stdout


def test_stubtest_agrees_with_the_extension() -> None:
    # No allowlist: every runtime name has an accurate stub.
    result = run("mypy.stubtest", "aqr")
    assert result.returncode == 0, result.stdout + result.stderr
