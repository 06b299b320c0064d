"""The sans-I/O functions driven by urllib.request against the mock: a user's own HTTP
library can do everything the clients do."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

import aqr
from aqr.testing import MockServer
from conftest import ACCOUNT


def send(request: aqr.PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes]:
    http_request = urllib.request.Request(
        request.url, data=request.body, headers=request.headers, method=request.method
    )
    try:
        with urllib.request.urlopen(http_request, timeout=5) as response:
            return response.status, list(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, list(error.headers.items()), error.read()


def test_create_and_delete_with_urllib(mock: MockServer) -> None:
    config = {"token": mock.token, "email": mock.email, "base_url": mock.url}
    create = aqr.build_create_request(**ACCOUNT, **config)
    assert (create.method, create.url) == ("POST", f"{mock.url}/api/")
    created = aqr.parse_create_response(*send(create))
    assert [e["account_id"] for e in mock.entries()] == [created.account_id]

    with urllib.request.urlopen(created.qr_image, timeout=5) as image:
        png = aqr.parse_qr_image_response(image.status, dict(image.headers.items()), image.read())
    assert png.startswith(b"\x89PNG")

    delete = aqr.build_delete_request(created.account_id, **config)
    assert aqr.parse_delete_response(*send(delete)) is None
    assert mock.entries() == []

    with pytest.raises(aqr.ApiError) as gone:
        aqr.parse_delete_response(*send(delete))
    assert (gone.value.status, gone.value.code) == (404, "not_found")


def test_parse_rejects_impossible_input() -> None:
    with pytest.raises(ValueError, match="status"):
        aqr.parse_delete_response(1000, {}, b"")
    with pytest.raises(ValueError, match="header"):
        aqr.parse_delete_response(200, {"bad header": "x"}, b"")
    with pytest.raises(TypeError):
        aqr.parse_delete_response(200, {}, "not bytes")  # type: ignore[arg-type]
