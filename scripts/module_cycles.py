#!/usr/bin/env python3
"""Fails when the modules of a crate import each other in a cycle.

    scripts/module_cycles.py crates/aqr-core/src [crates/aqr-mock/src ...]

A module is a top-level file or directory of `src/` (`error.rs`, `validate/…`); an edge is
a `crate::name` path in its code (comments ignored). Prints each crate's edges' count and
the first cycle found, and exits 1 when any crate has one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOTS = {"lib", "main"}


def module_of(src: Path, file: Path) -> str:
    first = file.relative_to(src).parts[0]
    return first.removesuffix(".rs")


def graph(src: Path) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for file in sorted(src.rglob("*.rs")):
        module = module_of(src, file)
        if module in ROOTS:
            continue
        code = "\n".join(line.split("//", 1)[0] for line in file.read_text("utf-8").splitlines())
        used = set(re.findall(r"\bcrate::(\w+)", code))
        # `use crate::{a, b::c}` groups.
        for group in re.findall(r"\bcrate::\{([^}]*)\}", code):
            used |= {part.strip().split("::")[0] for part in group.split(",") if part.strip()}
        edges.setdefault(module, set()).update(used - {module} - ROOTS)
    known = set(edges)
    return {m: {d for d in deps if d in known} for m, deps in edges.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def main(paths: list[str]) -> int:
    status = 0
    for path in paths:
        src = Path(path)
        edges = graph(src)
        cycle = find_cycle(edges)
        count = sum(len(deps) for deps in edges.values())
        if cycle:
            print(f"{src}: module cycle {' -> '.join(cycle)}")
            status = 1
        else:
            print(f"{src}: {len(edges)} modules, {count} imports, no cycle")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["crates/aqr-core/src"]))
