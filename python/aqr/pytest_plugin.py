"""The pytest plugin of the AQR SDK, registered through the ``pytest11`` entry point (so it
is active wherever ``aqr`` is installed).

Fixtures:

- ``aqr_mock``: a fresh ``aqr.testing.MockServer`` per test;
- ``aqr_client``: an ``aqr.Client`` pointed at it (fast limits: 2 s per attempt, 50 ms
  backoff), closed after the test;
- ``aqr_async_client``: the same as an ``aqr.AsyncClient`` (made outside any event loop,
  so it works with any async test plugin).

Marker: ``@pytest.mark.aqr_fault(status=503, times=2, action="create")`` (or
``response=aqr.testing.drop_after_read()``) injects a fault into ``aqr_mock`` before the
test; several markers inject several faults, in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import aqr
    from aqr.testing import MockServer

#: The options of the fixture clients: quick to fail, quick to retry.
CLIENT_OPTIONS: dict[str, Any] = {"timeout": 2.0, "retry_backoff": 0.05}


def pytest_configure(config: pytest.Config) -> None:
    """Registers the ``aqr_fault`` marker."""
    config.addinivalue_line(
        "markers",
        "aqr_fault(response=None, *, status=None, times=1, action=None, retry_after=None): "
        "inject a fault into the aqr_mock fixture's server before the test",
    )


@pytest.fixture
def aqr_mock(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """A fresh AQR mock server, with the faults of the test's ``aqr_fault`` markers."""
    from aqr.testing import MockServer

    with MockServer() as server:
        for marker in reversed(list(request.node.iter_markers("aqr_fault"))):
            server.fail_next(*marker.args, **marker.kwargs)
        yield server


@pytest.fixture
def aqr_client(aqr_mock: MockServer) -> Iterator[aqr.Client]:
    """An ``aqr.Client`` for ``aqr_mock``."""
    import aqr

    with aqr.Client(
        token=aqr_mock.token, email=aqr_mock.email, base_url=aqr_mock.url, **CLIENT_OPTIONS
    ) as client:
        yield client


@pytest.fixture
def aqr_async_client(aqr_mock: MockServer) -> Iterator[aqr.AsyncClient]:
    """An ``aqr.AsyncClient`` for ``aqr_mock`` (closed after the test)."""
    import aqr

    client = aqr.AsyncClient(
        token=aqr_mock.token, email=aqr_mock.email, base_url=aqr_mock.url, **CLIENT_OPTIONS
    )
    try:
        yield client
    finally:
        client.close()
