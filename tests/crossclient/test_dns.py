"""A host name that does not resolve, in every client: a connect error (nothing was
sent) that says so, retried per the policy. Each client runs inside a network namespace
that has only loopback (``unshare -n``; CI runs as root), so no lookup leaves the
machine."""

from __future__ import annotations

import pytest

from .clients import CLIENTS, Options, run
from .conftest import assert_no_token


@pytest.mark.parametrize("client", CLIENTS)
def test_a_name_that_does_not_resolve_is_a_connect_error(client: str) -> None:
    options = Options(base_url="https://aplx.link", retries=2, retry_backoff=0.01)
    outcome = run(client, "create", options, netns=True)
    assert not outcome.ok
    assert (outcome.error_type, outcome.kind) == ("transport", "connect"), outcome.describe()
    assert outcome.connect and not outcome.timeout, outcome.describe()
    assert outcome.may_have_been_processed is False and outcome.outcome_unknown is False
    assert outcome.attempts == 3, outcome.describe()
    assert "aplx.link did not resolve" in outcome.message, outcome.describe()
    assert_no_token(outcome)
