"""aqr.testing.MockServer: lifecycle, request log, entries and fault injection."""

from __future__ import annotations

import urllib.request

import pytest

import aqr
from aqr.testing import MockServer
from conftest import ACCOUNT


def test_lifecycle() -> None:
    with MockServer() as mock:
        assert mock.url == f"http://127.0.0.1:{mock.port}"
        assert (mock.token, mock.email) == ("mock-developer-token", "dev@example.com")
        with urllib.request.urlopen(f"{mock.url}/__mock/health", timeout=5) as health:
            assert health.status == 200
    mock.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        mock.requests()


def test_custom_credentials() -> None:
    with MockServer(token="tok-1", email="me@example.com") as mock:
        assert (mock.token, mock.email) == ("tok-1", "me@example.com")
        with aqr.Client(token="tok-1", email="me@example.com", base_url=mock.url) as client:
            client.create(**ACCOUNT)
        assert mock.entries()[0]["email"] == "me@example.com"


def test_request_log(client: aqr.Client, mock: MockServer) -> None:
    created = client.create(**ACCOUNT)
    client.delete(created.account_id)
    records = mock.requests()
    assert [(r["method"], r["path"], r["action"], r["status"]) for r in records] == [
        ("POST", "/api/", "create", 200),
        ("POST", "/api/", "delete", 200),
    ]
    assert dict(records[0]["form"])["account_owner"] == "홍길동"
    mock.clear_requests()
    assert mock.requests() == []


def test_faults_apply_in_order_and_clear(client: aqr.Client, mock: MockServer) -> None:
    mock.push_fault(
        [
            {
                "action": "create",
                "times": 1,
                "response": {
                    "kind": "respond",
                    "status": 400,
                    "body": {"type": "json_fail", "message": "first"},
                },
            },
            {
                "action": "create",
                "times": 1,
                "response": {
                    "kind": "respond",
                    "status": 400,
                    "body": {"type": "json_fail", "message": "second"},
                },
            },
        ]
    )
    messages = []
    for _ in range(2):
        with pytest.raises(aqr.ApiError) as caught:
            client.create(**ACCOUNT)
        messages.append(caught.value.server_message)
    assert messages == ["first", "second"]
    assert client.create(**ACCOUNT).account_id  # `times` used up
    mock.push_fault({"response": {"kind": "respond", "status": 500, "body": {"type": "empty"}}})
    mock.clear_faults()
    assert client.create(**ACCOUNT).account_id
    assert [r["fault"] is not None for r in mock.requests()] == [True, True, False, False]


def test_invalid_fault_is_a_value_error(mock: MockServer) -> None:
    with pytest.raises(ValueError, match="fault"):
        mock.push_fault({"response": {"kind": "no_such_kind"}})
