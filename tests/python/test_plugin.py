"""The pytest plugin shipped in the wheel (``aqr.pytest_plugin``, entry point
``pytest11``), run in a fresh pytest session with ``pytester``."""

from __future__ import annotations

import pytest

PLUGIN_TESTS = """
import asyncio
import pytest
import aqr
from aqr.testing import drop_after_read

ACCOUNT = dict(account_number="1234567894321", bank=aqr.Bank.TOSS_BANK,
               account_owner="홍길동", phone_number="01012341234")

def test_client_creates_on_the_mock(aqr_client, aqr_mock):
    created = aqr_client.create(**ACCOUNT)
    assert [e["account_id"] for e in aqr_mock.entries()] == [created.account_id]

def test_async_client(aqr_async_client, aqr_mock):
    async def main():
        return await aqr_async_client.create(**ACCOUNT)
    created = asyncio.run(main())
    assert aqr_mock.entries()[0]["account_id"] == created.account_id

def test_each_test_gets_a_fresh_mock(aqr_mock):
    assert aqr_mock.entries() == []

@pytest.mark.aqr_fault(status=503, times=2, action="create")
def test_marker_injects_a_fault(aqr_client, aqr_mock):
    created = aqr_client.create(**ACCOUNT)          # two 503s, then success (retried)
    creates = [r for r in aqr_mock.requests() if r["action"] == "create"]
    assert len(creates) == 3 and created.account_id

@pytest.mark.aqr_fault(drop_after_read(), action="create")
def test_marker_takes_a_built_response(aqr_client):
    with pytest.raises(aqr.TransportError) as caught:
        aqr_client.create(**ACCOUNT)
    assert caught.value.outcome_unknown

def test_fail_next(aqr_client, aqr_mock):
    aqr_mock.fail_next(status=400)
    with pytest.raises(aqr.ApiError) as caught:
        aqr_client.create(**ACCOUNT)
    assert caught.value.status == 400
"""


def test_fixtures_and_marker_in_a_fresh_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_with_aqr=PLUGIN_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)


def test_the_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["*aqr_fault(*inject a fault*"])
