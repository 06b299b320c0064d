"""Every operation of aqr.Client and aqr.AsyncClient against the mock, plus options,
context managers, close() and repr."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer
from conftest import ACCOUNT, FAST, async_client

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_create_qr_delete(client: aqr.Client, mock: MockServer) -> None:
    created = client.create(**ACCOUNT)
    assert isinstance(created, aqr.CreatedAccount)
    assert created.qr_image.startswith(mock.url) and created.short_url.startswith(mock.url)
    (entry,) = mock.entries()
    assert entry["account_id"] == created.account_id
    assert entry["bank_id"] == 1
    assert entry["account_number"] == "1234567894321"
    assert entry["phone_number"] == "01012341234"
    assert entry["account_name"] == "월세"

    for target in (created, created.qr_image):
        png = client.qr_image(target)
        assert isinstance(png, bytes) and png.startswith(PNG_MAGIC)

    assert client.delete(created.account_id) is None
    assert mock.entries() == []
    with pytest.raises(aqr.ApiError) as gone:
        client.delete(created.account_id)
    assert gone.value.status == 404


@pytest.mark.parametrize("bank", [aqr.Bank.TOSS_BANK, 1, "1", "092", "토스뱅크", "Toss Bank"])
def test_bank_argument_forms(client: aqr.Client, mock: MockServer, bank: Any) -> None:
    client.create(**{**ACCOUNT, "bank": bank})
    assert [e["bank_id"] for e in mock.entries()] == [1]


def test_account_name_is_optional(client: aqr.Client, mock: MockServer) -> None:
    account = {k: v for k, v in ACCOUNT.items() if k != "account_name"}
    client.create(**account)
    (request,) = mock.requests()
    assert "account_name" not in dict(request["form"])


def test_revised_dialect(mock: MockServer) -> None:
    with aqr.Client(
        token=mock.token, email=mock.email, base_url=mock.url, dialect="revised"
    ) as client:
        created = client.create(**ACCOUNT)
        client.delete(created.account_id)
    assert [dict(r["form"])["action"] for r in mock.requests()] == ["create", "delete"]


def test_headers_sent(client: aqr.Client, mock: MockServer) -> None:
    client.create(**ACCOUNT)
    (request,) = mock.requests()
    headers = dict(request["headers"])
    assert headers["aqr-developer-token"] == "[REDACTED]"  # present, redacted by the mock
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert headers["user-agent"].startswith("aqr-python/")


def test_configuration_from_environment(mock: MockServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AQR_DEVELOPER_TOKEN", mock.token)
    monkeypatch.setenv("AQR_EMAIL", mock.email)
    monkeypatch.setenv("AQR_BASE_URL", mock.url)
    with aqr.Client() as client:
        assert client.base_url == mock.url
        client.create(**ACCOUNT)
    assert len(mock.entries()) == 1
    # An explicit argument wins over the environment.
    with aqr.Client(email="other@example.com") as other, pytest.raises(aqr.ApiError) as denied:
        other.create(**ACCOUNT)
    assert denied.value.status == 403


@pytest.mark.parametrize(
    ("missing", "field"),
    [("AQR_DEVELOPER_TOKEN", "developer_token"), ("AQR_EMAIL", "email_address")],
)
def test_missing_configuration_names_the_field(
    monkeypatch: pytest.MonkeyPatch, missing: str, field: str
) -> None:
    monkeypatch.setenv("AQR_DEVELOPER_TOKEN", "tok")
    monkeypatch.setenv("AQR_EMAIL", "dev@example.com")
    monkeypatch.delenv(missing)
    for cls in (aqr.Client, aqr.AsyncClient):
        with pytest.raises(aqr.InvalidRequestError) as caught:
            cls()
        assert (caught.value.field, caught.value.rule) == (field, "required")
        assert missing in str(caught.value)


def test_bad_options() -> None:
    base = {"token": "tok", "email": "dev@example.com"}
    with pytest.raises(aqr.InvalidRequestError) as dialect:
        aqr.Client(**base, dialect="klingon")
    assert dialect.value.field == "dialect"
    for timeout in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="timeout"):
            aqr.Client(**base, timeout=timeout)
    # Issue 13: the argument and the rule, not an OverflowError about integral types.
    with pytest.raises(aqr.InvalidRequestError, match="max_retries") as retries:
        aqr.Client(**base, max_retries=-1)
    assert (retries.value.field, retries.value.rule) == ("max_retries", "too_many")
    for backoff in (-0.5, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="retry_backoff"):
            aqr.Client(**base, retry_backoff=backoff)
        with pytest.raises(ValueError, match="retry_backoff"):
            aqr.AsyncClient(**base, retry_backoff=backoff)


@pytest.mark.parametrize("backoff", [0.0, 0.01])
def test_retry_backoff_option_retries_refusals(mock: MockServer, backoff: float) -> None:
    """503 without Retry-After is retried max_retries times with the chosen backoff."""
    mock.push_fault(
        {
            "action": "create",
            "response": {"kind": "respond", "status": 503, "body": {"type": "empty"}},
        }
    )
    options = {
        "token": mock.token,
        "email": mock.email,
        "base_url": mock.url,
        "max_retries": 2,
        "retry_backoff": backoff,
    }
    with aqr.Client(**options) as client, pytest.raises(aqr.ApiError) as caught:
        client.create(**ACCOUNT)
    assert caught.value.attempts == 3

    async def run() -> int:
        async with aqr.AsyncClient(**options) as client:
            with pytest.raises(aqr.ApiError) as caught:
                await client.create(**ACCOUNT)
            return caught.value.attempts

    assert asyncio.run(run()) == 3
    assert len([r for r in mock.requests() if r["action"] == "create"]) == 6


def test_validation_happens_before_io(client: aqr.Client, mock: MockServer) -> None:
    with pytest.raises(aqr.InvalidRequestError) as caught:
        client.create(**{**ACCOUNT, "phone_number": "12"})
    assert (caught.value.field, caught.value.rule) == ("phone_number", "phone_format")
    with pytest.raises(aqr.InvalidRequestError):
        client.create(**{**ACCOUNT, "bank": 60})
    with pytest.raises(TypeError):
        client.create(**{**ACCOUNT, "bank": 1.5})
    assert mock.requests() == []


def test_close_and_context_manager(mock: MockServer) -> None:
    client = aqr.Client(token=mock.token, email=mock.email, base_url=mock.url)
    with client as entered:
        assert entered is client and not client.closed
    assert client.closed
    with pytest.raises(RuntimeError, match="closed"):
        client.create(**ACCOUNT)
    client.close()  # idempotent


def test_repr_shows_email_and_url_only(mock: MockServer) -> None:
    with aqr.Client(token=mock.token, email=mock.email, base_url=mock.url) as client:
        text = repr(client)
    assert mock.email in text and mock.url in text and mock.token not in text
    created = aqr.CreatedAccount("abc", "https://aplx.link/res?keyword=abc", "https://aq.gy/f/abc")
    # Issue 13: complete and evaluable.
    assert repr(created) == (
        "aqr.CreatedAccount(account_id='abc', qr_image='https://aplx.link/res?keyword=abc', "
        "short_url='https://aq.gy/f/abc')"
    )
    assert eval(repr(created), {"aqr": aqr}) == created


def test_created_account_is_a_frozen_value() -> None:
    a = aqr.CreatedAccount("abc", "q", "s")
    b = aqr.CreatedAccount("abc", "q", "s")
    assert a == b and hash(a) == hash(b) and a != aqr.CreatedAccount("abd", "q", "s")
    assert len({a, b}) == 1
    with pytest.raises(AttributeError):
        a.account_id = "x"  # type: ignore[misc]
    import pickle

    assert pickle.loads(pickle.dumps(a)) == a


# --- asyncio ---------------------------------------------------------------------------


def test_async_create_qr_delete(mock: MockServer) -> None:
    async def main() -> None:
        async with async_client(mock) as client:
            coro = client.create(**ACCOUNT)
            assert asyncio.iscoroutine(coro)
            created = await coro
            png = await client.qr_image(created)
            assert png.startswith(PNG_MAGIC)
            assert await client.qr_image(created.qr_image) == png
            assert await client.delete(created.account_id) is None
            with pytest.raises(aqr.ApiError) as gone:
                await client.delete(created.account_id)
            assert gone.value.status == 404
        assert client.closed
        with pytest.raises(RuntimeError, match="closed"):
            await client.create(**ACCOUNT)

    asyncio.run(main())
    assert mock.entries() == []


def test_async_many_in_flight(mock: MockServer) -> None:
    async def main() -> list[aqr.CreatedAccount]:
        async with async_client(mock) as client:
            return await asyncio.gather(*(client.create(**ACCOUNT) for _ in range(50)))

    created = asyncio.run(main())
    assert len({c.account_id for c in created}) == 50
    assert len(mock.entries()) == 50


def test_async_client_across_event_loops(mock: MockServer) -> None:
    client = async_client(mock)

    async def one() -> str:
        return (await client.create(**ACCOUNT)).account_id

    first = asyncio.run(one())
    second = asyncio.run(one())
    assert first != second
    assert len(mock.entries()) == 2


def test_async_create_is_a_task_friendly_coroutine(mock: MockServer) -> None:
    async def main() -> None:
        client = async_client(mock)
        task = asyncio.create_task(client.create(**ACCOUNT))
        created = await task
        assert created.account_id

    asyncio.run(main())


def test_async_repr(mock: MockServer) -> None:
    client = aqr.AsyncClient(token=mock.token, email=mock.email, base_url=mock.url, **FAST)
    assert repr(client) == f"aqr.AsyncClient(email={mock.email!r}, base_url={mock.url!r})"


def test_retried_delete_that_already_happened_says_so(mock: MockServer) -> None:
    """The first delete is processed but its answer is lost; the retry finds nothing to
    delete. The error says an earlier attempt may have done it."""
    options = {
        "token": mock.token,
        "email": mock.email,
        "base_url": mock.url,
        "max_retries": 2,
        "retry_backoff": 0.0,
        "timeout": 2.0,
    }
    with aqr.Client(**options) as client:
        created = client.create(**ACCOUNT)
        mock.push_fault({"action": "delete", "times": 1, "response": {"kind": "drop_after_read"}})
        with pytest.raises(aqr.ApiError) as caught:
            client.delete(created.account_id)
    error = caught.value
    assert (error.status, error.attempts, error.after_ambiguous_attempt) == (404, 2, True)
    assert "may already be deleted" in str(error)
    assert mock.entries() == []
