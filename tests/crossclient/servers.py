"""What the cross-client tests talk to, all on loopback and started by the tests: the mock
(``aqr mock``, over HTTP or HTTPS), certificates made at run time (``trustme``), hostile TLS
servers, and a small CONNECT proxy."""

from __future__ import annotations

import base64
import datetime
import select
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from .binaries import binary

TOKEN = "crossclient-SECRET-token-5e1d"
EMAIL = "cross@example.com"

#: The host name the proxy tests use: it resolves nowhere, so a request that reaches the
#: mock went through the proxy (which maps it to 127.0.0.1).
PROXIED_HOST = "aqr.test"


@dataclass
class Certificates:
    """A CA and the leaves the tests serve, as PEM files in ``directory``."""

    directory: Path
    ca: Path = field(init=False)
    good: tuple[Path, Path] = field(init=False)
    expired: tuple[Path, Path] = field(init=False)
    wrong_host: tuple[Path, Path] = field(init=False)
    other_ca: Path = field(init=False)

    def __post_init__(self) -> None:
        authority = trustme.CA()
        self.ca = self.directory / "ca.pem"
        authority.cert_pem.write_to_path(str(self.ca))
        names = (PROXIED_HOST, "localhost", "127.0.0.1", "::1")
        self.good = self._leaf(authority.issue_cert(*names), "good")
        past = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
        self.expired = self._leaf(
            authority.issue_cert(
                *names, not_before=past - datetime.timedelta(days=30), not_after=past
            ),
            "expired",
        )
        self.wrong_host = self._leaf(authority.issue_cert("wrong-host.invalid"), "wrong-host")
        self.other_ca = self.directory / "other-ca.pem"
        trustme.CA().cert_pem.write_to_path(str(self.other_ca))

    def _leaf(self, leaf: trustme.LeafCert, name: str) -> tuple[Path, Path]:
        cert = self.directory / f"{name}.pem"
        key = self.directory / f"{name}.key"
        leaf.private_key_pem.write_to_path(str(key))
        with cert.open("wb") as out:
            for pem in leaf.cert_chain_pems:
                out.write(pem.bytes())
        return cert, key


@dataclass
class Mock:
    """An ``aqr mock`` process."""

    process: subprocess.Popen[str]
    url: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@contextmanager
def mock(cert: tuple[Path, Path] | None = None, token: str = TOKEN) -> Iterator[Mock]:
    """``aqr mock`` on a free port (HTTPS with ``cert`` = (chain, key)), stopped after. It
    also answers to the proxy tests' host name."""
    args = [
        str(binary("aqr")),
        "mock",
        "--port",
        "0",
        "--token",
        token,
        "--email",
        EMAIL,
        "--allow-host",
        PROXIED_HOST,
    ]
    if cert is not None:
        args += ["--cert", str(cert[0]), "--key", str(cert[1])]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if "listening on" not in first:
            raise RuntimeError(f"aqr mock did not start: {first!r} {process.stderr.read()!r}")
        yield Mock(process, first.strip().rsplit(" ", 1)[1])
    finally:
        process.terminate()
        process.wait(timeout=10)


class _Server:
    """A listener on 127.0.0.1 whose connections a thread handles until ``close``."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.accepted = 0
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        port: int = self.listener.getsockname()[1]
        return port

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            self.accepted += 1
            threading.Thread(target=self.handle, args=(connection,), daemon=True).start()

    def handle(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for held in self._held:
            held.close()
        self.listener.close()

    def __enter__(self) -> _Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class SilentServer(_Server):
    """Accepts TCP and never answers the ClientHello."""

    def handle(self, connection: socket.socket) -> None:
        self._held.append(connection)


class AlertServer(_Server):
    """Reads the ClientHello and answers it with a fatal ``handshake_failure`` alert, as a
    server that shares no cipher suite or protocol version with the client does."""

    #: A TLS record: alert (21), TLS 1.2, length 2, fatal (2), handshake_failure (40).
    ALERT = bytes([21, 3, 3, 0, 2, 2, 40])

    def handle(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.settimeout(5)
                connection.recv(16384)
                connection.sendall(self.ALERT)
                connection.recv(1)
            except OSError:
                pass


class ConnectProxy(_Server):
    """An HTTP CONNECT proxy for the tests: maps ``aqr.test`` to 127.0.0.1, records every
    request line, and can demand ``user:password`` (407) or refuse tunnels (403)."""

    def __init__(self, credentials: str | None = None, refuse: bool = False) -> None:
        self.credentials = credentials
        self.refuse = refuse
        self.requests: list[str] = []
        self.authorized: list[bool] = []
        super().__init__()

    @property
    def url(self) -> str:
        auth = f"{self.credentials}@" if self.credentials else ""
        return f"http://{auth}127.0.0.1:{self.port}"

    def handle(self, connection: socket.socket) -> None:
        with connection:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = connection.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            self.requests.append(lines[0])
            method, target, _ = lines[0].split(" ", 2)
            authorized = self.credentials is None or any(
                line.lower().startswith("proxy-authorization: basic ")
                and base64.b64decode(line.split(" ", 2)[2]).decode() == self.credentials
                for line in lines[1:]
            )
            self.authorized.append(authorized)
            if method != "CONNECT":
                connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                return
            if not authorized:
                connection.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'proxy-authenticate: Basic realm="tests"\r\ncontent-length: 0\r\n\r\n'
                )
                return
            if self.refuse:
                connection.sendall(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
                return
            host, port = target.rsplit(":", 1)
            host = "127.0.0.1" if host.strip("[]") in (PROXIED_HOST, "localhost") else host
            try:
                upstream = socket.create_connection((host, int(port)), timeout=5)
            except OSError:
                connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                return
            with upstream:
                connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                _pipe(connection, upstream)


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Copies bytes both ways until either side closes."""
    sockets = [a, b]
    while True:
        readable, _, _ = select.select(sockets, [], [], 10)
        if not readable:
            return
        for source in readable:
            data = source.recv(65536)
            if not data:
                return
            (b if source is a else a).sendall(data)


def closed_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
