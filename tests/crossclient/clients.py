"""The five clients — Python sync, Python async, Rust blocking, Rust async, the CLI — each
run in its own process with the same options and environment, their outcome read back in
one shape (:class:`Outcome`). A process per call gives every client exactly the
environment a test sets (proxy variables, ``SSL_CERT_FILE``, ``AQR_CA_BUNDLE``), and lets
the DNS tests run it inside a network namespace that has only loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .binaries import binary
from .servers import EMAIL, TOKEN

CLIENTS = ["python-sync", "python-async", "rust-blocking", "rust-async", "cli"]

HERE = Path(__file__).resolve().parent

#: Inside ``unshare -n`` only loopback exists, and it starts down.
NETNS = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]


@dataclass
class Options:
    """What every client is told (command-line options; the rest is environment)."""

    base_url: str
    timeout: float = 5.0
    connect_timeout: float | None = None
    deadline: float | None = None
    retries: int = 0
    retry_backoff: float = 0.05
    proxy: str | None = None
    ca_bundle: str | None = None
    account_id: str = "unknown-id"


@dataclass
class Outcome:
    """What a client reported, with everything it printed (for the secrets audit)."""

    client: str
    ok: bool
    error_type: str | None = None
    kind: str | None = None
    connect: bool = False
    timeout: bool = False
    may_have_been_processed: bool | None = None
    outcome_unknown: bool | None = None
    attempts: int | None = None
    message: str = ""
    elapsed: float = 0.0
    value: Any = None
    texts: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.ok:
            return f"{self.client}: ok {self.value}"
        return (
            f"{self.client}: {self.error_type}/{self.kind} connect={self.connect} "
            f"timeout={self.timeout} processed={self.may_have_been_processed} "
            f"attempts={self.attempts} in {self.elapsed:.2f}s: {self.message}"
        )


def _probe_args(options: Options) -> list[str]:
    args = [
        "--base-url",
        options.base_url,
        "--account-id",
        options.account_id,
        "--timeout",
        str(options.timeout),
        "--retries",
        str(options.retries),
        "--retry-backoff",
        str(options.retry_backoff),
    ]
    for flag, value in [
        ("--connect-timeout", options.connect_timeout),
        ("--deadline", options.deadline),
        ("--proxy", options.proxy),
        ("--ca-bundle", options.ca_bundle),
    ]:
        if value is not None:
            args += [flag, str(value)]
    return args


def _cli_args(options: Options) -> list[str]:
    args = [
        "--json",
        "--verbose",
        "--base-url",
        options.base_url,
        "--email",
        EMAIL,
        "--timeout",
        str(options.timeout),
        "--retries",
        str(options.retries),
        "--retry-backoff",
        str(options.retry_backoff),
    ]
    for flag, value in [
        ("--connect-timeout", options.connect_timeout),
        ("--deadline", options.deadline),
        ("--proxy", options.proxy),
        ("--ca-cert", options.ca_bundle),
    ]:
        if value is not None:
            args += [flag, str(value)]
    return args


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k.lower() not in {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
        and k not in {"AQR_CA_BUNDLE", "AQR_BASE_URL"}
    }
    env.update({"AQR_DEVELOPER_TOKEN": TOKEN, "AQR_EMAIL": EMAIL})
    env.update(extra or {})
    return env


def _process(args: list[str], env: dict[str, str], netns: bool) -> tuple[int, str, str, float]:
    started = time.monotonic()
    proc = subprocess.run(
        (NETNS if netns else []) + args, capture_output=True, text=True, env=env, timeout=120
    )
    return proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started


def _from_probe(client: str, stdout: str, stderr: str, elapsed: float) -> Outcome:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise AssertionError(f"{client} printed no outcome: {stdout!r} {stderr!r}")
    result = json.loads(lines[-1])
    texts = [stdout, stderr]
    if result["ok"]:
        return Outcome(client, True, value=result["value"], elapsed=elapsed, texts=texts)
    return Outcome(
        client,
        False,
        error_type=result["type"],
        kind=result["kind"],
        connect=result["connect"],
        timeout=result["timeout"],
        may_have_been_processed=result["may_have_been_processed"],
        outcome_unknown=result["outcome_unknown"],
        attempts=result["attempts"],
        message=result["message"],
        elapsed=elapsed,
        texts=texts,
    )


def _cli_error(stdout: str, stderr: str, elapsed: float, code: int) -> Outcome:
    lines = [line for line in stderr.splitlines() if line.startswith("{")]
    if not lines:
        raise AssertionError(f"cli exited {code} without a JSON error: {stdout!r} {stderr!r}")
    error = json.loads(lines[-1])["error"]
    return Outcome(
        "cli",
        False,
        error_type=error["type"],
        kind=error.get("kind"),
        connect=error.get("connect", False),
        timeout=error.get("timeout", False),
        may_have_been_processed=error.get("may_have_been_processed"),
        outcome_unknown=error.get("outcome_unknown"),
        attempts=error.get("attempts"),
        message=error["message"],
        elapsed=elapsed,
        texts=[stdout, stderr],
    )


def _cli(operation: str, options: Options, env: dict[str, str], netns: bool) -> Outcome:
    aqr = str(binary("aqr"))
    common = _cli_args(options)
    if operation in ("create", "delete"):
        command = (
            [
                "create",
                "--account-number",
                "1234567894321",
                "--bank",
                "1",
                "--owner",
                "홍길동",
                "--phone",
                "01012341234",
                "--name",
                "월세",
                "--no-ledger",
            ]
            if operation == "create"
            else ["delete", options.account_id, "--no-ledger"]
        )
        code, out, err, elapsed = _process([aqr, *common, *command], env, netns)
        if code != 0:
            return _cli_error(out, err, elapsed, code)
        return Outcome("cli", True, value=json.loads(out), elapsed=elapsed, texts=[out, err])
    # round_trip: an import of one row downloads its QR image; then a bulk delete.
    with tempfile.TemporaryDirectory() as scratch:
        rows = Path(scratch) / "rows.csv"
        rows.write_text(
            "account_number,bank,owner,phone,name\n1234567894321,1,홍길동,01012341234,월세\n",
            "utf-8",
        )
        results = Path(scratch) / "rows.results.csv"
        code, out, err, elapsed = _process(
            [
                aqr,
                *common,
                "import",
                str(rows),
                "--qr-dir",
                scratch,
                "--no-ledger",
                "--quiet",
                "--out",
                str(results),
            ],
            env,
            netns,
        )
        if code != 0:
            return _cli_error(out, err, elapsed, code)
        pngs = list(Path(scratch).glob("*.png"))
        code2, out2, err2, elapsed2 = _process(
            [aqr, *common, "delete", "--from", str(results), "--no-ledger", "--quiet"], env, netns
        )
        texts = [out, err, out2, err2]
        if code2 != 0:
            outcome = _cli_error(out2, err2, elapsed + elapsed2, code2)
            outcome.texts = texts
            return outcome
        size = pngs[0].stat().st_size if pngs else 0
        return Outcome("cli", True, value={"bytes": size}, elapsed=elapsed + elapsed2, texts=texts)


def run(
    client: str,
    operation: str,
    options: Options,
    env: dict[str, str] | None = None,
    netns: bool = False,
) -> Outcome:
    """One call (``create``, ``delete``, ``qr_image``) or ``round_trip`` (create → QR image →
    delete) through ``client``."""
    environment = _env(env)
    if client == "cli":
        return _cli(operation, options, environment, netns)
    if client.startswith("python-"):
        args = [sys.executable, str(HERE / "probe_python.py"), client.removeprefix("python-")]
    else:
        args = [str(binary("aqr-probe")), client.removeprefix("rust-")]
    _code, out, err, elapsed = _process(
        [*args, operation, *_probe_args(options)], environment, netns
    )
    return _from_probe(client, out, err, elapsed)
