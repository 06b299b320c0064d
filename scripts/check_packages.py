#!/usr/bin/env python3
"""The fast packaging check: every crate a user can depend on or install packages, carries
what the registry and the licences need, and reads nothing from outside itself.

    python3 scripts/check_packages.py

Packs the publishable crates together (`cargo package --no-verify --locked`: cargo resolves
their dependencies on each other's unpublished versions through a local overlay, and
builds nothing; a few seconds), then opens each `.crate` and checks:

- which crates are published: every crate under crates/ but the Python extension; the
  extension and the tools/ stay unpublished;
- the manifest: description, documentation on docs.rs, readme, repository, the licence,
  1-5 keywords, categories, an `include` list, and docs.rs metadata (`all-features`,
  `--cfg docsrs`);
- README.md, LICENSE-MIT and LICENSE-APACHE in the package, the licences identical to the
  repository's (the crates link them; a link must arrive as the text);
- no test, example or source file reaches outside the package (`CARGO_MANIFEST_DIR`
  followed by `..`, or `include_str!`/`include_bytes!` of a file the package lacks): the
  vector suites read tests/vectors/ and so run only in the workspace;
- no dependency on a workspace crate that is not published, and no path-only
  dev-dependency dropped from the package other than a crate's dependency on itself;
- `cargo install --path crates/aqr-cli --locked` works (a debug build into a temporary
  root, sharing the target directory: no work once the test command has built `aqr`) and
  the installed `aqr --version` answers.

Ends with "N passed, M failed".
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import tomllib
from _checks import Tally
from _workspace import ROOT, cargo_metadata, published

#: The crate under crates/ that stays unpublished: the Python extension ships in the wheel.
EXTENSION = "aqr-python"
LICENSES = ("LICENSE-MIT", "LICENSE-APACHE")
LICENSE = "MIT OR Apache-2.0"
REACHES_UP = re.compile(r"CARGO_MANIFEST_DIR[^;]{0,200}?\.\./", re.S)
INCLUDED_FILE = re.compile(r"include_(?:str|bytes)!\(\s*\"([^\"]+)\"")


def should_publish(package: dict) -> bool:
    """The rule: a crate under crates/ is for users, except the Python extension."""
    manifest = Path(package["manifest_path"]).relative_to(ROOT)
    return manifest.parts[0] == "crates" and package["name"] != EXTENSION


def check_publish_flags(tally: Tally, metadata: dict) -> None:
    publishing = {p["name"] for p in published(metadata)}
    for package in sorted(metadata["packages"], key=lambda p: p["name"]):
        wanted = should_publish(package)
        tally.check(
            f"{package['name']}: {'published' if wanted else 'unpublished'}",
            (package["name"] in publishing) == wanted,
            f"publish = {package['publish']!r} in {package['manifest_path']}",
        )


def pack(names: list[str]) -> tuple[bool, str]:
    command = ["cargo", "package", "--no-verify", "--locked", "--allow-dirty"]
    for name in names:
        command += ["-p", name]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return result.returncode == 0, result.stderr


def read_crate(path: Path) -> dict[str, bytes]:
    """The files of a .crate, by path inside the package (without the `name-version/`)."""
    files = {}
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            if member.isfile():
                inner = member.name.split("/", 1)[1]
                handle = archive.extractfile(member)
                files[inner] = handle.read() if handle else b""
    return files


def manifest_problems(name: str, manifest: dict) -> list[str]:
    package = manifest.get("package", {})
    problems = []
    for key in ("description", "repository", "readme", "include", "keywords", "categories"):
        if not package.get(key):
            problems.append(f"no {key}")
    if package.get("license") != LICENSE:
        problems.append(f"license is {package.get('license')!r}, not {LICENSE!r}")
    if package.get("documentation") != f"https://docs.rs/{name}":
        problems.append(f"documentation is {package.get('documentation')!r}")
    if not 1 <= len(package.get("keywords", [])) <= 5:
        problems.append("crates.io takes 1 to 5 keywords")
    docs_rs = package.get("metadata", {}).get("docs", {}).get("rs", {})
    if docs_rs.get("all-features") is not True:
        problems.append("docs.rs metadata lacks all-features = true")
    args = docs_rs.get("rustdoc-args", [])
    if not any(a == "--cfg" and b == "docsrs" for a, b in itertools.pairwise(args)):
        problems.append('docs.rs metadata lacks rustdoc-args = ["--cfg", "docsrs"]')
    return problems


def reaches_outside(files: dict[str, bytes]) -> list[str]:
    found = []
    for path, data in files.items():
        if not path.endswith(".rs"):
            continue
        text = data.decode("utf-8", "replace")
        if REACHES_UP.search(text):
            found.append(f"{path} reads a path above CARGO_MANIFEST_DIR")
        for included in INCLUDED_FILE.findall(text):
            target = (Path(path).parent / included).as_posix()
            parts: list[str] = []
            for part in target.split("/"):
                if part == "..":
                    if not parts:
                        parts = ["<outside>"]
                        break
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            if "/".join(parts) not in files:
                found.append(f"{path} includes {included}, which the package lacks")
    return found


def dependency_problems(package: dict, manifest: dict, publishing: set[str]) -> list[str]:
    members = {dep["name"] for dep in package["dependencies"] if dep.get("path")}
    problems = []
    tables = [manifest]
    tables += list(manifest.get("target", {}).values())
    for table in tables:
        for kind in ("dependencies", "dev-dependencies", "build-dependencies"):
            for key, spec in table.get(kind, {}).items():
                dep = spec.get("package", key) if isinstance(spec, dict) else key
                if dep in members and dep not in publishing:
                    problems.append(f"{kind} on {dep}, which is not published")
    for dep in package["dependencies"]:
        dropped = dep.get("path") and dep["req"] == "*"
        if dropped and dep["name"] != package["name"]:
            problems.append(
                f"{dep['kind'] or 'normal'}-dependency {dep['name']} has no version: cargo "
                "drops it from the package, and what needs it cannot build from the registry"
            )
    return problems


def check_crate(tally: Tally, package: dict, crate: Path, publishing: set[str]) -> None:
    name = package["name"]
    files = read_crate(crate)
    manifest = tomllib.loads(files["Cargo.toml"].decode())
    problems = manifest_problems(name, manifest)
    tally.check(f"{name}: manifest metadata", not problems, "; ".join(problems))
    readme = files.get("README.md", b"")
    tally.check(f"{name}: README.md", len(readme) > 200, "missing or nearly empty")
    for licence in LICENSES:
        tally.check(
            f"{name}: {licence}",
            files.get(licence) == (ROOT / licence).read_bytes(),
            "missing, or not the repository's text (a link packed as a path?)",
        )
    outside = reaches_outside(files)
    tally.check(f"{name}: reads nothing outside the package", not outside, "; ".join(outside))
    deps = dependency_problems(package, manifest, publishing)
    tally.check(f"{name}: dependencies are on the registry", not deps, "; ".join(deps))
    print(f"         {crate.name}: {len(files)} files, {crate.stat().st_size / 1024:.1f} KiB")


def check_cargo_install(tally: Tally, version: str) -> None:
    with tempfile.TemporaryDirectory() as root:
        command = ["cargo", "install", "--path", "crates/aqr-cli", "--locked", "--debug"]
        installed = subprocess.run(
            [*command, "--root", root, "--quiet"], cwd=ROOT, capture_output=True, text=True
        )
        if not tally.check(" ".join(command), installed.returncode == 0, installed.stderr):
            return
        binary = Path(root) / "bin" / ("aqr.exe" if sys.platform == "win32" else "aqr")
        answer = subprocess.run([binary, "--version"], capture_output=True, text=True)
        tally.check(
            "the installed aqr --version",
            answer.returncode == 0 and answer.stdout.strip() == f"aqr {version}",
            f"exit {answer.returncode}: {answer.stdout!r} {answer.stderr!r}",
        )


def main() -> int:
    tally = Tally()
    metadata = cargo_metadata()
    check_publish_flags(tally, metadata)
    to_publish = published(metadata)
    names = {p["name"] for p in to_publish}
    ok, log = pack(sorted(names))
    for line in log.splitlines():
        if line.startswith(("warning", "error")) or not line.startswith(" "):
            print(f"         cargo: {line}")
    if not tally.check("cargo package --no-verify --locked", ok, "see cargo's output above"):
        return tally.finish()
    package_dir = Path(metadata["target_directory"]) / "package"
    for package in to_publish:
        crate = package_dir / f"{package['name']}-{package['version']}.crate"
        check_crate(tally, package, crate, names)
    cli = next(p for p in to_publish if p["name"] == "aqr-cli")
    check_cargo_install(tally, cli["version"])
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
