"""The OpenAPI document (docs/openapi.yaml) and the mock agree: schemathesis generates
requests from the document (positive and negative) and checks that the mock never answers
with a server error, and that every response matches the documented status codes, content
types and schemas. Bounded and seeded, so the run is short and repeatable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aqr.testing import MockServer

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "docs" / "openapi.yaml"


def _schemathesis() -> str:
    beside = Path(sys.executable).parent / "schemathesis"
    found = str(beside) if beside.exists() else shutil.which("schemathesis")
    if found is None:
        pytest.fail("schemathesis is not installed (tests/python/requirements.txt lists it)")
    return found


def test_mock_conforms_to_the_openapi_document(tmp_path: Path) -> None:
    with MockServer() as mock:
        proc = subprocess.run(
            [
                _schemathesis(),
                "run",
                str(SPEC),
                "--url",
                mock.url,
                "-H",
                f"AQR-DEVELOPER-TOKEN: {mock.token}",
                "--checks",
                "not_a_server_error,status_code_conformance,"
                "content_type_conformance,response_schema_conformance",
                "--max-examples",
                "60",
                "--seed",
                "20261125",
                "--workers",
                "1",
                "--phases",
                "examples,coverage,fuzzing",
                "--report",
                "junit",
                "--report-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    assert " passed" in output and "failed" not in output.split("Test cases:")[-1], output[-2000:]
