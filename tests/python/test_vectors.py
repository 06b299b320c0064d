"""The shared vectors of tests/vectors through the Python API: the sans-I/O functions
must produce exactly the expected requests, reject the invalid inputs naming field and
rule, and interpret every response as expected."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qsl

import pytest

import aqr
from conftest import load_vectors

REQUESTS = load_vectors("requests")
INVALID = load_vectors("invalid")
RESPONSES = load_vectors("responses")
CONFIG = {"token": "vector-token-0001", "email": "dev@example.com", "base_url": "https://aplx.link"}


def build(
    operation: str, dialect: str, inputs: dict[str, Any], **config: Any
) -> aqr.PreparedRequest:
    settings = {**CONFIG, **config}
    if operation == "create":
        return aqr.build_create_request(**inputs, dialect=dialect, **settings)
    assert operation == "delete"
    return aqr.build_delete_request(inputs["account_id"], dialect=dialect, **settings)


@pytest.mark.parametrize("case", REQUESTS, ids=[c["name"] for c in REQUESTS])
def test_request_vectors(case: dict[str, Any]) -> None:
    request = build(case["operation"], case.get("dialect", "reference"), case["input"])
    expect = case["expect"]
    assert request.method == expect["method"]
    assert request.url == expect["url"]
    for name, value in expect["headers"].items():
        assert request.headers[name] == value
    assert request.body.decode("ascii") == expect["body"]
    assert [list(pair) for pair in parse_qsl(request.body.decode("ascii"))] == expect["form"]


@pytest.mark.parametrize("case", INVALID, ids=[c["name"] for c in INVALID])
def test_invalid_vectors(case: dict[str, Any]) -> None:
    inputs = case["input"]
    with pytest.raises(aqr.InvalidRequestError) as caught:
        if case["operation"] == "config":
            aqr.Client(**inputs)
        elif case["operation"] == "qr_image":
            with aqr.Client(**{k: v for k, v in CONFIG.items() if k != "base_url"}) as client:
                client.qr_image(inputs["url"])
        else:
            build(case["operation"], "reference", inputs)
    error = caught.value
    assert (error.field, error.rule) == (case["field"], case["rule"])
    assert isinstance(error, ValueError)
    assert error.attempts == 0
    assert not error.may_have_been_processed


def response_body(case: dict[str, Any]) -> bytes:
    if "body_base64" in case:
        return base64.b64decode(case["body_base64"])
    text: str = case["body"]
    return text.encode("utf-8")


def parse(case: dict[str, Any]) -> object:
    parsers = {
        "create": aqr.parse_create_response,
        "delete": aqr.parse_delete_response,
        "qr_image": aqr.parse_qr_image_response,
    }
    return parsers[case["operation"]](case["status"], case["headers"], response_body(case))


@pytest.mark.parametrize("case", RESPONSES, ids=[c["name"] for c in RESPONSES])
def test_response_vectors(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if expect["outcome"] == "success":
        result = parse(case)
        if case["operation"] == "create":
            assert isinstance(result, aqr.CreatedAccount)
            assert result == aqr.CreatedAccount(**expect["created"])
        elif case["operation"] == "qr_image":
            assert result == response_body(case)
            assert isinstance(result, bytes) and len(result) == expect["bytes"]
        else:
            assert result is None
    elif expect["outcome"] == "api_error":
        with pytest.raises(aqr.ApiError) as api:
            parse(case)
        error = api.value
        assert error.status == expect["status"]
        assert error.server_message == expect["message"]
        assert error.code == expect["code"]
        assert error.result == expect["result"]
        assert error.retry_after == expect["retry_after"]
    else:
        assert expect["outcome"] == "response_error"
        with pytest.raises(aqr.ResponseError) as bad:
            parse(case)
        assert (bad.value.kind, bad.value.status) == (expect["kind"], expect["status"])
