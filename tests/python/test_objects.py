"""Objects that behave like Python objects (issue 13 items 6-8): subclassing, weak
references, reopening a closed client, reprs, ``CreatedAccount`` as a dict, ``import aqr``
without asyncio, and the trio answer."""

from __future__ import annotations

import asyncio
import functools
import json
import subprocess
import sys
import weakref
from typing import Any

import pytest

import aqr
from aqr.testing import MockServer
from conftest import ACCOUNT

CLIENTS = [aqr.Client, aqr.AsyncClient]
BASE = {"token": "tok_objects_0123456789", "email": "dev@example.com"}


@pytest.mark.parametrize("cls", CLIENTS)
def test_clients_can_be_subclassed_and_weakly_referenced(cls: Any) -> None:
    class Mine(cls):  # type: ignore[misc, valid-type]
        def __init__(self, label: str, **options: Any) -> None:
            super().__init__(**options)
            self.label = label

    mine = Mine("tenant-7", **BASE)
    assert isinstance(mine, cls) and mine.label == "tenant-7"
    copy = mine.with_options(max_retries=0)
    assert type(copy) is Mine and copy.label == "tenant-7" and copy.max_retries == 0
    ref = weakref.ref(mine)
    assert ref() is mine
    del mine, copy
    assert ref() is None


def test_a_closed_client_cannot_be_reentered() -> None:
    client = aqr.Client(**BASE)
    with client:
        pass
    with pytest.raises(RuntimeError, match="closed"), client:
        pass

    async def main() -> None:
        async_client = aqr.AsyncClient(**BASE)
        async with async_client:
            pass
        with pytest.raises(RuntimeError, match="closed"):
            async with async_client:
                pass

    asyncio.run(main())


def test_reprs_are_the_same_shape_in_both_clients() -> None:
    sync, async_ = aqr.Client(**BASE), aqr.AsyncClient(**BASE)
    assert repr(sync) == "aqr.Client(email='dev@example.com', base_url='https://aplx.link')"
    assert repr(async_) == repr(sync).replace("aqr.Client", "aqr.AsyncClient")
    assert BASE["token"] not in repr(sync) + repr(async_)


def test_created_account_converts_to_a_dict(client: aqr.Client, mock: MockServer) -> None:
    created = client.create(**ACCOUNT)
    as_dict = created.to_dict()
    assert as_dict == {
        "account_id": created.account_id,
        "qr_image": created.qr_image,
        "short_url": created.short_url,
    }
    assert aqr.CreatedAccount(**json.loads(json.dumps(as_dict))) == created


def test_import_aqr_does_not_import_asyncio() -> None:
    script = (
        "import sys, aqr\n"
        "before = 'asyncio' in sys.modules\n"
        "aqr.Client, aqr.Bank, aqr.testing if False else None\n"
        "aqr.AsyncClient\n"
        "print(before, 'asyncio' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["False", "True"]


def test_async_client_is_importable_by_name() -> None:
    from aqr import AsyncClient

    assert AsyncClient is aqr.AsyncClient and "AsyncClient" in dir(aqr)
    with pytest.raises(AttributeError):
        aqr.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018


def test_trio_gets_a_clear_error_and_the_thread_workaround_works(mock: MockServer) -> None:
    import trio  # tests/python/requirements.txt

    options = {"token": mock.token, "email": mock.email, "base_url": mock.url}

    async def with_async_client() -> None:
        await aqr.AsyncClient(**options).create(**ACCOUNT)

    with pytest.raises(RuntimeError) as caught:
        trio.run(with_async_client)
    assert "asyncio" in str(caught.value) and "trio.to_thread.run_sync" in str(caught.value)

    async def with_a_thread() -> aqr.CreatedAccount:
        with aqr.Client(**options) as client:
            result: aqr.CreatedAccount = await trio.to_thread.run_sync(
                functools.partial(client.create, **ACCOUNT)
            )
            return result

    assert trio.run(with_a_thread).account_id == mock.entries()[0]["account_id"]
