"""Every public method and property has a docstring where an editor reads it: in the
stubs of the native module (``_aqr.pyi``, ``_bank.pyi``) and in the Python sources of the
rest (issue 13 item 6, issue 10 item 3)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import aqr

PACKAGE = Path(aqr.__file__).resolve().parent
#: Where each public class is documented, and the native classes that are private halves.
SOURCES = [
    "_aqr.pyi",
    "_bank.pyi",
    "_client.py",
    "_async.py",
    "_errors.py",
    "testing.py",
    "_types.py",
    "pytest_plugin.py",
]
PRIVATE_CLASSES = {"Client", "AsyncClient", "LoopQueue", "MockServer"}  # in _aqr.pyi only


def is_public_class(node: ast.stmt, path: Path) -> bool:
    if not isinstance(node, ast.ClassDef):
        return False
    if path.name == "_aqr.pyi" and node.name in PRIVATE_CLASSES:
        return False
    # _ClientBase holds the properties both clients show.
    return not node.name.startswith("_") or node.name == "_ClientBase"


def undocumented(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    missing = []
    for node in tree.body:
        public_function = isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
        if public_function and ast.get_docstring(node) is None:
            missing.append(node.name)
        if not is_public_class(node, path):
            continue
        assert isinstance(node, ast.ClassDef)
        if ast.get_docstring(node) is None:
            missing.append(node.name)
        for item in node.body:
            methods = (ast.FunctionDef, ast.AsyncFunctionDef)
            public = isinstance(item, methods) and not item.name.startswith("_")
            if public and ast.get_docstring(item) is None:
                missing.append(f"{node.name}.{item.name}")
    return missing


@pytest.mark.parametrize("source", SOURCES)
def test_public_methods_and_properties_have_docstrings(source: str) -> None:
    assert undocumented(PACKAGE / source) == []


def test_the_client_docs_reach_help() -> None:
    for cls in (aqr.Client, aqr.AsyncClient):
        for name in ("create", "delete", "qr_image", "create_many", "with_options", "close"):
            assert getattr(cls, name).__doc__, f"{cls.__name__}.{name}"
        for name in ("email", "base_url", "closed", "timeout", "max_retries", "retry_backoff"):
            assert getattr(cls, name).__doc__, f"{cls.__name__}.{name}"
