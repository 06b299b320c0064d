"""A typed use of the public API; ``mypy --strict`` must accept it (test_typing.py)."""

from __future__ import annotations

import asyncio

import aqr
from aqr.testing import MockServer, html, respond


def sync_usage(server: MockServer) -> tuple[str, bytes]:
    with aqr.Client(
        token=server.token,
        email=server.email,
        base_url=server.url,
        timeout=10.0,
        connect_timeout=1.0,
        max_retries=1,
    ) as client:
        created: aqr.CreatedAccount = client.create(
            account_number="1234567894321",
            bank=aqr.Bank.TOSS_BANK,
            account_owner="홍길동",
            phone_number="010-1234-1234",
            account_name="월세",
        )
        png: bytes = client.qr_image(created)
        client.delete(created.account_id)
        return created.short_url, png


async def async_usage(server: MockServer) -> str:
    async with aqr.AsyncClient(
        token=server.token, email=server.email, base_url=server.url
    ) as client:
        created = await client.create(
            account_number="1234567894321",
            bank="토스뱅크",
            account_owner="홍길동",
            phone_number="01012341234",
        )
        image: bytes = await client.qr_image(created.qr_image)
        assert image
        await client.delete(created.account_id)
        return created.account_id


def errors(client: aqr.Client) -> str:
    try:
        client.delete("missing")
    except aqr.InvalidRequestError as invalid:
        return f"{invalid.field}: {invalid.rule}"
    except aqr.ApiError as api:
        retry: float | None = api.retry_after
        return f"{api.status} {api.code} {api.server_message} {retry}"
    except aqr.ResponseError as response:
        return f"{response.status} {response.kind} {response.body}"
    except aqr.RequestTimeoutError as timeout:
        assert isinstance(timeout, TimeoutError)
        return timeout.kind
    except aqr.TransportError as transport:
        unknown: bool = transport.outcome_unknown
        return f"{transport.kind} {transport.may_have_been_processed} {unknown}"
    return "ok"


def sans_io() -> aqr.CreatedAccount:
    request: aqr.PreparedRequest = aqr.build_create_request(
        token="t",
        email="dev@example.com",
        account_number="1234567894321",
        bank=1,
        account_owner="홍길동",
        phone_number="01012341234",
    )
    headers: dict[str, str] = request.headers
    body: bytes = request.body
    assert request.method == "POST" and request.url and headers and body
    aqr.parse_delete_response(200, {"content-type": "application/json"}, b'{"result":"success"}')
    return aqr.parse_create_response(200, [("content-type", "application/json")], b"{}")


def banks() -> list[str]:
    bank: aqr.Bank = aqr.Bank.lookup("092")
    return [bank.korean_name, bank.english_name, bank.kftc_code, aqr.Bank(3).name]


def options_usage(server: MockServer) -> list[aqr.RowResult]:
    options: aqr.ClientOptions = {
        "token": server.token,
        "email": server.email,
        "base_url": server.url,
        "dialect": "revised",
        "timeout": aqr.Timeout(10.0, connect=2.0),
        "deadline": 30.0,
    }
    client = aqr.Client(**options)
    quick: aqr.Client = client.with_options(max_retries=0, timeout=2.5)
    limits: aqr.Timeout = quick.timeout
    assert limits.attempt == 2.5 and quick.max_retries == 0 and quick.retry_backoff >= 0
    created = quick.create(
        account_number="1234567894321",
        bank=1,
        account_owner="홍길동",
        phone_number="01012341234",
        deadline=None,
        max_retries=1,
    )
    as_dict: dict[str, str] = created.to_dict()
    assert as_dict
    quick.delete(created.account_id, timeout=aqr.Timeout(total=5.0))
    ledger = aqr.Ledger("ledger.sqlite3")
    rows: list[aqr.Row] = [("1234567894321", aqr.Bank.TOSS_BANK, "홍길동", "01012341234")]
    results = client.create_many(rows, concurrency=2, ledger=ledger)
    entries: list[aqr.LedgerEntry] = ledger.entries(status="created")
    assert all(isinstance(e.account_id, str) for e in entries)
    return results


async def async_many(server: MockServer) -> list[aqr.RowResult]:
    async with aqr.AsyncClient(token=server.token, email=server.email) as client:
        return await client.create_many(
            [{"account_number": "1", "bank": 1, "account_owner": "x", "phone_number": "0"}]
        )


def mock_usage(server: MockServer) -> int:
    server.push_fault(
        {
            "action": "create",
            "times": 1,
            "response": {"kind": "respond", "status": 503, "body": {"type": "html"}},
        }
    )
    server.fail_next(status=503, times=2, action="create")
    server.push_fault({"action": "delete", "response": respond(500, html(), retry_after="1")})
    server.clear_faults()
    server.clear_requests()
    return len(server.requests()) + len(server.entries()) + server.port


if __name__ == "__main__":
    with MockServer() as mock:
        sync_usage(mock)
        asyncio.run(async_usage(mock))
