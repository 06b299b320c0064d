"""One call through a Python client, its outcome as one JSON line — the Python twin of
``tools/aqr-probe`` (same arguments, same output), so that the cross-client tests drive
all five clients the same way::

    python probe_python.py <sync|async> <create|delete|qr_image|round_trip> [--base-url URL]
        [--token T] [--email E] [--account-id ID] [--timeout S] [--connect-timeout S]
        [--deadline S] [--retries N] [--retry-backoff S] [--proxy URL] [--ca-bundle PEM]

Options not given come from the environment, as for any user of the package.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import traceback
from typing import Any

import aqr

ACCOUNT: dict[str, Any] = {
    "account_number": "1234567894321",
    "bank": 1,
    "account_owner": "홍길동",
    "phone_number": "01012341234",
    "account_name": "월세",
}

OPTIONS = {
    "base_url": "base_url",
    "token": "token",
    "email": "email",
    "timeout": "timeout",
    "connect_timeout": "connect_timeout",
    "deadline": "deadline",
    "retries": "max_retries",
    "retry_backoff": "retry_backoff",
    "proxy": "proxy",
    "ca_bundle": "ca_bundle",
}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("client", choices=["sync", "async"])
    parser.add_argument("operation", choices=["create", "delete", "qr_image", "round_trip"])
    parser.add_argument("--account-id", default="unknown-id")
    for name in OPTIONS:
        kind = float if name in {"timeout", "connect_timeout", "deadline", "retry_backoff"} else str
        parser.add_argument("--" + name.replace("_", "-"), type=int if name == "retries" else kind)
    return parser.parse_args()


def client_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        keyword: getattr(args, name)
        for name, keyword in OPTIONS.items()
        if getattr(args, name) is not None
    }


def image_url(client: Any, account_id: str) -> str:
    return f"{client.base_url}/res?keyword={account_id}"


def run_sync(args: argparse.Namespace) -> Any:
    with aqr.Client(**client_options(args)) as client:
        if args.operation == "create":
            return {"account_id": client.create(**ACCOUNT).account_id}
        if args.operation == "delete":
            return client.delete(args.account_id)
        if args.operation == "qr_image":
            return {"bytes": len(client.qr_image(image_url(client, args.account_id)))}
        created = client.create(**ACCOUNT)
        png = client.qr_image(created)
        client.delete(created.account_id)
        return {"bytes": len(png), "account_id": created.account_id}


async def run_async(args: argparse.Namespace) -> Any:
    async with aqr.AsyncClient(**client_options(args)) as client:
        if args.operation == "create":
            return {"account_id": (await client.create(**ACCOUNT)).account_id}
        if args.operation == "delete":
            return await client.delete(args.account_id)
        if args.operation == "qr_image":
            return {"bytes": len(await client.qr_image(image_url(client, args.account_id)))}
        created = await client.create(**ACCOUNT)
        png = await client.qr_image(created)
        await client.delete(created.account_id)
        return {"bytes": len(png), "account_id": created.account_id}


ERROR_TYPES = [
    (aqr.InvalidRequestError, "invalid"),
    (aqr.ApiError, "api"),
    (aqr.ResponseError, "response"),
    (aqr.TransportError, "transport"),
]


def describe(error: aqr.AqrError) -> dict[str, Any]:
    error_type = next(name for cls, name in ERROR_TYPES if isinstance(error, cls))
    processed = getattr(error, "may_have_been_processed", None)
    if processed is None:
        processed = error.may_have_reached_server
    return {
        "ok": False,
        "type": error_type,
        "kind": getattr(error, "kind", None),
        "field": getattr(error, "field", None),
        "connect": isinstance(error, aqr.ConnectError),
        "timeout": isinstance(error, aqr.RequestTimeoutError),
        "status": getattr(error, "status", None),
        "may_have_been_processed": processed,
        "outcome_unknown": error.outcome_unknown,
        "attempts": error.attempts,
        "message": str(error),
        "debug": repr(error) + "\n" + "".join(traceback.format_exception(error)),
    }


def main() -> int:
    args = parse()
    started = time.monotonic()
    try:
        value = run_sync(args) if args.client == "sync" else asyncio.run(run_async(args))
        outcome: dict[str, Any] = {"ok": True, "value": value}
    except aqr.AqrError as error:
        outcome = describe(error)
    outcome["elapsed_ms"] = int((time.monotonic() - started) * 1000)
    print(json.dumps(outcome, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
