"""Time promises, in every client, over plain HTTP and over HTTPS: the overall deadline
bounds the whole call, the attempt in flight included (a server that drips its body for far
longer than the deadline cannot hold a call past it), and the error says which limit
elapsed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from . import control
from .clients import CLIENTS, Options, run
from .conftest import assert_no_token
from .servers import Certificates, Mock, mock

DEADLINE = 1.0


@pytest.fixture(scope="module", params=["http", "https"])
def served(request: pytest.FixtureRequest, certs: Certificates) -> Iterator[tuple[Mock, Options]]:
    """The mock, and the options that reach it (trusting its CA over HTTPS)."""
    tls = request.param == "https"
    with mock(certs.good if tls else None) as server:
        yield server, Options(base_url=server.url, ca_bundle=str(certs.ca) if tls else None)


@pytest.mark.parametrize("client", CLIENTS)
def test_the_deadline_bounds_the_attempt_in_flight(
    client: str, served: tuple[Mock, Options]
) -> None:
    server, base = served
    control.reset(server.url, base.ca_bundle)
    # The body stalls for 20 s, far past the deadline; the attempt limit is 30 s.
    control.push_fault(
        server.url,
        {"action": "delete", "response": {"kind": "slow_body", "delay_ms": 20000}},
        base.ca_bundle,
    )
    options = replace(base, timeout=30.0, deadline=DEADLINE, retries=2)
    outcome = run(client, "delete", options)
    assert not outcome.ok
    assert outcome.timeout, outcome.describe()
    assert "total limit of 1 s" in outcome.message, outcome.describe()
    # The deadline plus a process start: nowhere near the 30 s attempt limit.
    assert outcome.elapsed < DEADLINE + 2.5, outcome.describe()
    assert_no_token(outcome)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_timeout_names_the_attempt_limit(client: str, served: tuple[Mock, Options]) -> None:
    server, base = served
    control.reset(server.url, base.ca_bundle)
    control.push_fault(
        server.url,
        {"action": "create", "response": {"kind": "delay", "delay_ms": 3000}},
        base.ca_bundle,
    )
    options = replace(base, timeout=0.5, retries=0)
    outcome = run(client, "create", options)
    assert outcome.timeout and outcome.outcome_unknown, outcome.describe()
    assert "attempt limit of 0.5 s" in outcome.message, outcome.describe()
