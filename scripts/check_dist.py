#!/usr/bin/env python3
"""The checks of a release build (run by scripts/dist.sh with the packaging tools' Python).

    python scripts/check_dist.py WHEEL SDIST [--rust-bin PATH] [--sdist-build]

- the wheel: abi3 for CPython >= 3.10; `auditwheel show` gives a manylinux tag of glibc
  2.28 or older; the extension is stripped (no symbol table, no debug sections); the
  licence texts are in `.dist-info/licenses/` and named in METADATA; the `aqr` console
  script is declared; sizes of the wheel and the extension are printed;
- the sdist: the licence texts, pyproject.toml, Cargo.lock and every crate the extension
  is built from, and nothing built (no target/, no virtual environment);
- the installed-wheel smoke test (scripts/smoke_wheel.py, with `--rust-bin`);
- docs.rs: the publishable crates documented as docs.rs does (a nightly rustdoc, all
  features, `--cfg docsrs`; warnings do not fail there, and the test command's rustdoc
  check already denies them on stable), with feature-gated items marked;
- `cargo publish --workspace --dry-run --locked`: every publishable crate packaged and
  built from its package, in dependency order (minutes);
- with `--sdist-build`: the sdist builds a working wheel in a clean environment, with a
  fresh target directory as a user's pip would (timed; a release build from nothing).

Ends with "N passed, M failed".
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
import zipfile
from pathlib import Path

from _checks import Tally
from _workspace import ROOT, cargo_metadata, published

LICENSES = ("LICENSE-MIT", "LICENSE-APACHE")
MAX_GLIBC = (2, 28)
#: A feature-gated item of each kind docs.rs must mark: (page, text it must contain).
FEATURE_MARKS = [
    ("aqr/index.html", "Available on crate feature `blocking` only"),
    ("aqr_qr/fn.decode_png.html", "Available on <strong>crate feature <code>decode</code>"),
]


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.2f} MiB"


def timed(command: list[str], **kwargs: object) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    return result, time.monotonic() - started


def check_wheel(tally: Tally, wheel: Path) -> None:
    print(f"         wheel {wheel.name}: {mib(wheel.stat().st_size)}")
    tags = wheel.name.removesuffix(".whl").split("-")[-3:]
    tally.check(f"wheel tags {'-'.join(tags)}: abi3 from cp310", tags[:2] == ["cp310", "abi3"])
    shown = subprocess.run(
        [Path(sys.executable).parent / "auditwheel", "show", wheel], capture_output=True, text=True
    )
    platform = re.search(r'following platform tag:\s+"([^"]+)"', shown.stdout)
    glibc = re.match(r"manylinux_(\d+)_(\d+)_", platform[1]) if platform else None
    tally.check(
        f"auditwheel show: {platform[1] if platform else '?'} (glibc <= 2.28)",
        glibc is not None and (int(glibc[1]), int(glibc[2])) <= MAX_GLIBC,
        shown.stdout + shown.stderr,
    )
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        extension = next(n for n in names if re.search(r"_aqr\.[^/]*(so|pyd)$", n))
        data = archive.read(extension)
        print(f"         extension {extension}: {mib(len(data))}")
        check_stripped(tally, extension, data)
        info = next(n for n in names if n.endswith(".dist-info/METADATA")).rsplit("/", 1)[0]
        metadata = archive.read(f"{info}/METADATA").decode()
        for licence in LICENSES:
            shipped = f"{info}/licenses/{licence}"
            tally.check(
                f"wheel: {shipped} is the repository's text, named in METADATA",
                shipped in names
                and archive.read(shipped) == (ROOT / licence).read_bytes()
                and f"License-File: {licence}" in metadata,
            )
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        tally.check(
            "wheel: the aqr console script and aqr/__main__.py",
            re.search(r"^aqr ?= ?aqr\.__main__:main$", entry_points, re.M) is not None
            and "aqr/__main__.py" in names,
            entry_points,
        )


def check_stripped(tally: Tally, name: str, data: bytes) -> None:
    import io

    from elftools.elf.elffile import ELFFile

    sections = [s.name for s in ELFFile(io.BytesIO(data)).iter_sections()]
    kept = [s for s in sections if s == ".symtab" or s.startswith(".debug")]
    tally.check(f"{name} is stripped", not kept, f"has {kept}")


def check_sdist(tally: Tally, sdist: Path) -> None:
    print(f"         sdist {sdist.name}: {mib(sdist.stat().st_size)}")
    with tarfile.open(sdist) as archive:
        names = [m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name]
        top = archive.getmembers()[0].name.split("/", 1)[0]

        def read(inner: str) -> bytes:
            handle = archive.extractfile(f"{top}/{inner}")
            return handle.read() if handle else b""

        for licence in LICENSES:
            tally.check(
                f"sdist: {licence}",
                licence in names and read(licence) == (ROOT / licence).read_bytes(),
            )
    needed = ["pyproject.toml", "Cargo.lock", "python/aqr/__main__.py"]
    needed += [f"crates/{c}/Cargo.toml" for c in crates_of_extension()]
    missing = [n for n in needed if n not in names]
    tally.check(
        f"sdist: pyproject, Cargo.lock and {len(needed) - 3} crates", not missing, f"{missing}"
    )
    built = [n for n in names if n.startswith(("target/", ".venv")) or n.endswith((".so", ".whl"))]
    tally.check("sdist: nothing built", not built, f"{built[:5]}")


def crates_of_extension() -> list[str]:
    """The workspace crates the extension depends on, itself included."""
    tree = subprocess.run(
        ["cargo", "tree", "-p", "aqr-python", "-e", "normal", "--prefix", "none", "--locked"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    local = re.findall(r"^(aqr[\w-]*) v\S+ \(" + re.escape(str(ROOT)), tree, re.M)
    return sorted(set(local))


def check_smoke(tally: Tally, wheel: Path, rust_bin: str | None) -> None:
    command = [sys.executable, str(ROOT / "scripts" / "smoke_wheel.py"), str(wheel)]
    if rust_bin:
        command += ["--rust-bin", rust_bin]
    smoke = subprocess.run(command, capture_output=True, text=True)
    print(smoke.stdout, end="")
    tally.absorb("scripts/smoke_wheel.py", smoke.stdout)


def check_docs_rs(tally: Tally) -> None:
    env = dict(os.environ, RUSTC_BOOTSTRAP="1", RUSTDOCFLAGS="--cfg docsrs")
    # --lib: as docs.rs, which documents a crate's library (aqr-cli's binary `aqr` would
    # otherwise overwrite the facade's pages, target/doc/aqr).
    command = ["cargo", "doc", "--lib", "--no-deps", "--all-features", "--locked"]
    for package in published(cargo_metadata()):
        command += ["-p", package["name"]]
    docs, seconds = timed(command, cwd=ROOT, env=env)
    if not tally.check(
        f"docs.rs build ({seconds:.0f} s)", docs.returncode == 0, docs.stderr[-3000:]
    ):
        return
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for page, text in FEATURE_MARKS:
        html = (target / "doc" / page).read_text(encoding="utf-8")
        tally.check(f"docs.rs marks the feature-gated items: {page}", text in html)


def forget_overlay_sources(packages: list[dict]) -> None:
    """Removes cargo's extracted copies of our unpublished crates from earlier dry runs.

    `cargo publish --workspace` verifies each package against the others through a local
    registry overlay, which cargo unpacks under $CARGO_HOME/registry/src/<overlay>/ and
    then reuses as long as the name and version match: after a change without a version
    bump it would build yesterday's code. Only the overlay's copies are removed, never a
    real registry's (index.*).
    """
    import shutil

    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    for source in (home / "registry" / "src").glob("*"):
        if source.name.startswith("index."):
            continue
        for package in packages:
            stale = source / f"{package['name']}-{package['version']}"
            if stale.is_dir():
                shutil.rmtree(stale)


def check_publish(tally: Tally) -> None:
    forget_overlay_sources(published(cargo_metadata()))
    command = ["cargo", "publish", "--workspace", "--dry-run", "--locked"]
    dry_run, seconds = timed(command, cwd=ROOT)
    uploads = re.findall(r"Uploading (\S+)", dry_run.stderr)
    tally.check(
        f"{' '.join(command)} ({seconds:.0f} s): {', '.join(uploads)}",
        dry_run.returncode == 0,
        dry_run.stderr[-3000:],
    )


def check_sdist_build(tally: Tally, sdist: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="aqr-sdist-") as temp:
        env_dir = Path(temp) / "venv"
        venv.create(env_dir, with_pip=True)
        python = env_dir / "bin" / "python"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CARGO_TARGET", "VIRTUAL"))}
        env["CARGO_TARGET_DIR"] = str(Path(temp) / "target")
        built, seconds = timed(
            [python, "-m", "pip", "install", "--quiet", "--no-binary", "aqr", str(sdist)],
            env=env,
        )
        ok = built.returncode == 0
        if ok:
            probe = [python, "-c", "import aqr, aqr._aqr; print(aqr.__version__)"]
            ok = subprocess.run(probe, cwd=temp, capture_output=True).returncode == 0
        tally.check(
            f"pip install the sdist in a clean venv, fresh target ({seconds / 60:.1f} min)",
            ok,
            built.stderr[-3000:],
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("sdist", type=Path)
    parser.add_argument("--rust-bin")
    parser.add_argument("--sdist-build", action="store_true")
    args = parser.parse_args()
    tally = Tally()
    check_wheel(tally, args.wheel)
    check_sdist(tally, args.sdist)
    check_smoke(tally, args.wheel, args.rust_bin)
    check_docs_rs(tally)
    check_publish(tally)
    if args.sdist_build:
        check_sdist_build(tally, args.sdist)
    else:
        tally.skip("the sdist builds in a clean venv", "opt-in: AQR_SDIST_BUILD=1 scripts/dist.sh")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
