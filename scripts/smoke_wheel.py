#!/usr/bin/env python3
"""The installed-wheel smoke test: the wheel as a user gets it, with no Rust toolchain.

    python3 scripts/smoke_wheel.py WHEEL [--rust-bin PATH_TO_aqr]

Creates a fresh virtual environment, installs WHEEL there (timed) with pytest (pinned by
tests/constraints.txt), and runs the checks below in it from an empty directory, with a
PATH from which every directory holding cargo, rustc or rustup is removed:

- no cargo or rustc can be found, and `import aqr` loads the installed package at the
  wheel's version;
- create -> qr_image -> delete (then a second delete failing with ApiError) against
  `aqr.testing.MockServer`, with `aqr.Client` and with `aqr.AsyncClient`;
- the pytest plugin, when the wheel registers one (`pytest11`): a test using its
  `aqr_mock` and `aqr_client` fixtures passes;
- the `aqr` console script and `python -m aqr` give the same exit codes, standard output
  and standard error as the Rust binary (`--rust-bin`; without it the comparisons are
  reported as skipped) for --version, --help, banks, demo, qr, usage errors, an API-less
  transport error, and `aqr mock` started, used and stopped with Ctrl-C (POSIX only).
  What differs between any two runs is normalised first: ports, entry ids, the QR art
  drawn from the id, PNG byte counts and elapsed milliseconds.

Ends with "N passed, M failed" (", K skipped" when any check could not run here).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

from _checks import Tally
from _workspace import ROOT

TOOLCHAIN = ("cargo", "rustc", "rustup")
EXE = ".exe" if sys.platform == "win32" else ""
TIMEOUT = 120  # seconds; only catches hangs

# Each command line the three front ends run, with the exit code it must end with.
CLI_CASES: list[tuple[list[str], int]] = [
    (["--version"], 0),
    (["--help"], 0),
    (["banks"], 0),
    (["banks", "--json"], 0),
    (["demo"], 0),
    (["demo", "--json"], 0),
    (["qr", "https://aq.gy/f/abcde"], 0),
    (["no-such-command"], 2),
    (["create", "--json"], 2),
    (["delete", "abcde"], 2),
    (
        [
            "delete",
            "abcde",
            "--token",
            "smoke-token",
            "--email",
            "dev@example.com",
            "--base-url",
            "http://127.0.0.1:9",
            "--retries",
            "0",
        ],
        5,
    ),
]


# --- outside: the fresh environment -------------------------------------------------------


def without_toolchain(path: str) -> str:
    """PATH less every directory that holds cargo, rustc or rustup."""
    keep = []
    for entry in path.split(os.pathsep):
        if entry and not any((Path(entry) / f"{tool}{EXE}").exists() for tool in TOOLCHAIN):
            keep.append(entry)
    return os.pathsep.join(keep)


def wheel_version(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def outside(args: argparse.Namespace) -> int:
    tally = Tally()
    wheel = Path(args.wheel).resolve()
    print(f"         wheel: {wheel.name}, {wheel.stat().st_size / 1024 / 1024:.2f} MiB")
    with tempfile.TemporaryDirectory(prefix="aqr-smoke-") as temp:
        env_dir = Path(temp) / "venv"
        venv.create(env_dir, with_pip=True)
        bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
        python = bin_dir / f"python{EXE}"
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        started = time.monotonic()
        installed = subprocess.run([*pip, str(wheel)], capture_output=True, text=True)
        seconds = time.monotonic() - started
        if not tally.check(f"pip install the wheel ({seconds:.1f} s)", installed.returncode == 0):
            print(installed.stdout + installed.stderr)
            return tally.finish()
        constraints = ROOT / "tests" / "constraints.txt"
        pinned = ["-c", str(constraints)] if constraints.exists() else []
        tools = subprocess.run([*pip, *pinned, "pytest"], capture_output=True, text=True)
        tally.check("pip install pytest", tools.returncode == 0, tools.stderr[-2000:])

        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AQR_", "CARGO", "RUSTUP", "PYTHON", "VIRTUAL_ENV"))
        }
        env["PATH"] = os.pathsep.join([str(bin_dir), without_toolchain(os.environ["PATH"])])
        command = [str(python), str(Path(__file__).resolve()), "--inside", str(wheel)]
        if args.rust_bin:
            command += ["--rust-bin", str(Path(args.rust_bin).resolve())]
        work = Path(temp) / "work"
        work.mkdir()
        inner = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
        print(inner.stdout, end="")
        print(inner.stderr, end="", file=sys.stderr)
        tally.absorb("the checks inside the environment", inner.stdout)
    return tally.finish()


# --- inside: the checks, run by the fresh environment's Python ------------------------------


def check_isolation(tally: Tally, version: str) -> bool:
    found = [tool for tool in TOOLCHAIN if shutil.which(tool)]
    tally.check("no cargo, rustc or rustup on PATH", not found, f"found {found}")
    try:
        import aqr
    except ImportError as error:
        tally.check("import aqr", False, repr(error))
        return False
    where = Path(aqr.__file__).resolve()
    tally.check(
        f"import aqr {aqr.__version__} from the environment",
        where.is_relative_to(Path(sys.prefix).resolve()) and aqr.__version__ == version,
        f"{where} (sys.prefix {sys.prefix}), version {aqr.__version__}, wheel {version}",
    )
    return True


ACCOUNT = {
    "account_number": "1234567894321",
    "account_owner": "홍길동",
    "phone_number": "010-1234-1234",
    "account_name": "월세",
}


def check_clients(tally: Tally) -> None:
    import asyncio

    import aqr
    from aqr.testing import MockServer

    def flow() -> str:
        """The round trip; returns what it saw, or raises."""
        with (
            MockServer() as mock,
            aqr.Client(token=mock.token, email=mock.email, base_url=mock.url) as client,
        ):
            created = client.create(bank=aqr.Bank.TOSS_BANK, **ACCOUNT)
            png = client.qr_image(created)
            client.delete(created.account_id)
            try:
                client.delete(created.account_id)
            except aqr.ApiError as error:
                second = f"then {type(error).__name__}"
            else:
                second = "then a second delete that succeeded"
            kind = "PNG" if png.startswith(b"\x89PNG\r\n\x1a\n") else "not a PNG"
            return f"{len(png)} bytes of {kind}, {second}"

    async def async_flow() -> bool:
        with MockServer() as mock:
            client = aqr.AsyncClient(token=mock.token, email=mock.email, base_url=mock.url)
            async with client:
                created = await client.create(bank=aqr.Bank.TOSS_BANK, **ACCOUNT)
                png = await client.qr_image(created)
                await client.delete(created.account_id)
                return png.startswith(b"\x89PNG")

    try:
        outcome = flow()
        tally.check(
            f"Client: create -> qr_image -> delete ({outcome})",
            outcome.endswith("of PNG, then ApiError"),
        )
    except Exception as error:
        tally.check("Client: create -> qr_image -> delete -> ApiError", False, repr(error))
    try:
        tally.check("AsyncClient: create -> qr_image -> delete", asyncio.run(async_flow()))
    except Exception as error:
        tally.check("AsyncClient: create -> qr_image -> delete", False, repr(error))


PLUGIN_TEST = """
import aqr


def test_round_trip(aqr_mock, aqr_client):
    created = aqr_client.create(bank=aqr.Bank.TOSS_BANK, account_number="1234567894321",
                                account_owner="홍길동", phone_number="010-1234-1234")
    aqr_client.delete(created.account_id)
    assert aqr_mock.url.startswith("http://127.0.0.1:")
"""


def check_plugin(tally: Tally) -> None:
    from importlib.metadata import entry_points

    plugins = [e for e in entry_points(group="pytest11") if e.value.startswith("aqr")]
    if not plugins:
        tally.skip("pytest plugin", "this wheel registers no pytest11 entry point")
        return
    with tempfile.TemporaryDirectory(prefix="aqr-plugin-") as temp:
        (Path(temp) / "test_smoke_plugin.py").write_text(PLUGIN_TEST, encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", temp],
            cwd=temp,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    tally.check(
        f"pytest plugin {plugins[0].value}: aqr_mock and aqr_client fixtures",
        run.returncode == 0 and "1 passed" in run.stdout,
        run.stdout[-2000:] + run.stderr[-2000:],
    )


QR_ART = re.compile(r"^[ █▀▄]+$", re.M)


def normalise(text: str, cwd: Path) -> str:
    """Removes what differs between any two runs of the same command."""
    text = text.replace(str(cwd), "<cwd>")
    for entry_id in set(re.findall(r'account id +(\S+)|"account_id": ?"([^"]+)"', text)):
        for value in entry_id:
            if value:
                text = text.replace(value, "<id>")
    text = re.sub(r"(127\.0\.0\.1|localhost):\d+", r"\1:<port>", text)
    text = re.sub(r'("port": ?)\d+', r"\1<port>", text)
    text = re.sub(r"\d+ bytes of PNG", "<n> bytes of PNG", text)
    text = re.sub(r'("bytes": ?)\d+', r"\1<n>", text)
    text = re.sub(r"Done in \d+ ms", "Done in <n> ms", text)
    return QR_ART.sub("<qr>", text)


def run_front_end(command: list[str], args: list[str]) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory(prefix="aqr-cli-") as temp:
        cwd = Path(temp)
        run = subprocess.run(
            [*command, *args], cwd=cwd, capture_output=True, timeout=TIMEOUT, text=True
        )
        return run.returncode, normalise(run.stdout, cwd), normalise(run.stderr, cwd)


def front_ends(rust_bin: str | None) -> dict[str, list[str]]:
    script = shutil.which("aqr")
    ends = {
        "aqr (console script)": [script or "aqr"],
        "python -m aqr": [sys.executable, "-m", "aqr"],
    }
    if rust_bin:
        ends["the Rust binary"] = [rust_bin]
    return ends


def check_cli(tally: Tally, rust_bin: str | None) -> None:
    script = shutil.which("aqr")
    tally.check(
        "the aqr console script is installed in the environment",
        script is not None and Path(script).resolve().is_relative_to(Path(sys.prefix).resolve()),
        f"found {script}",
    )
    ends = front_ends(rust_bin)
    for args, expected in CLI_CASES:
        name = "aqr " + " ".join(args)
        results = {end: run_front_end(command, args) for end, command in ends.items()}
        codes = {end: result[0] for end, result in results.items()}
        tally.check(f"{name}: exit {expected}", set(codes.values()) == {expected}, f"{codes}")
        compare(tally, name, results, rust_bin)
    check_mock_command(tally, ends, rust_bin)


def compare(tally: Tally, name: str, results: dict, rust_bin: str | None) -> None:
    first, *others = results.items()
    differing = [end for end, result in others if result != first[1]]
    detail = ""
    if differing:
        other = results[differing[0]]
        detail = f"{first[0]} vs {differing[0]}:\n{first[1]!r}\n{other!r}"
    label = "same output" + (" as the Rust binary" if rust_bin else " from both front ends")
    tally.check(f"{name}: {label}", not differing, detail)
    if not rust_bin:
        tally.skip(f"{name}: same as the Rust binary", "no --rust-bin given")


def run_mock(command: list[str]) -> tuple[int | None, str, str]:
    """Starts `aqr mock`, creates and deletes an entry on it, stops it with Ctrl-C."""
    import signal

    import aqr

    with tempfile.TemporaryDirectory(prefix="aqr-mock-") as temp:
        process = subprocess.Popen(
            [*command, "mock"],
            cwd=temp,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
            url = re.search(r"https?://127\.0\.0\.1:\d+", first)
            if url:
                client = aqr.Client(
                    token="mock-developer-token", email="dev@example.com", base_url=url[0]
                )
                with client:
                    client.delete(client.create(bank=1, **ACCOUNT).account_id)
            process.send_signal(signal.SIGINT)
            process.wait(timeout=TIMEOUT)
            # Not communicate(): it would skip what readline() already buffered.
            out, err = process.stdout.read(), process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        return process.returncode, normalise(first + out, Path(temp)), normalise(err, Path(temp))


def check_mock_command(tally: Tally, ends: dict[str, list[str]], rust_bin: str | None) -> None:
    name = "aqr mock, a create and a delete on it, then Ctrl-C"
    if sys.platform == "win32":
        tally.skip(name, "Ctrl-C cannot be sent to a console process from here on Windows")
        return
    results = {}
    for end, command in ends.items():
        try:
            results[end] = run_mock(command)
        except Exception as error:
            results[end] = (None, "", repr(error))
    codes = {end: result[0] for end, result in results.items()}
    tally.check(f"{name}: exit 0", set(codes.values()) == {0}, f"{codes} {results}")
    compare(tally, name, results, rust_bin)


def inside(args: argparse.Namespace) -> int:
    tally = Tally()
    if check_isolation(tally, wheel_version(Path(args.wheel))):
        check_clients(tally)
        check_plugin(tally)
        check_cli(tally, args.rust_bin)
    return tally.finish()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", help="the wheel to install")
    parser.add_argument("--rust-bin", help="the aqr binary to compare the wheel's command with")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return inside(args) if args.inside else outside(args)


if __name__ == "__main__":
    sys.exit(main())
