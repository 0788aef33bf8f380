"""`coop serve` against slow and oversized clients, over real sockets on 127.0.0.1: a client
that trickles its headers or stops reading is cut off; an oversized head is refused."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from app.serving import DeadlineH11Protocol

pytestmark = pytest.mark.slow  # live servers and deadlines waited out over sockets

HEAD_TIMEOUT_S = 1.0
STALL_TIMEOUT_S = 1.0
SLACK_S = 2.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, deadline_s: float = 20) -> None:
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"the server on port {port} did not start")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`coop serve` as a user runs it, with short deadlines; /healthz needs no tables."""
    port = _free_port()
    database = tmp_path_factory.mktemp("serve") / "coop.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "REQUEST_HEAD_TIMEOUT_S": str(HEAD_TIMEOUT_S),
        "SEND_STALL_TIMEOUT_S": str(STALL_TIMEOUT_S),
        "LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _seconds_until_closed(sock: socket.socket, trickle: bytes = b"", limit_s: float = 10) -> float:
    """Send `trickle` one byte every 0.2 s (then nothing) until the server closes the connection."""
    started = time.monotonic()
    sock.settimeout(0.2)
    for byte in [trickle[i : i + 1] for i in range(len(trickle))] or [b""] * int(limit_s / 0.2):
        try:
            if byte:
                sock.sendall(byte)
            if sock.recv(1024) == b"":
                return time.monotonic() - started
        except TimeoutError:
            pass
        except OSError:
            return time.monotonic() - started
        if time.monotonic() - started > limit_s:
            break
    raise AssertionError(f"the server kept the connection open for {limit_s}s")


def test_a_connection_that_sends_nothing_is_closed(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        assert _seconds_until_closed(sock) < HEAD_TIMEOUT_S + SLACK_S


def test_a_client_trickling_its_headers_is_cut_off(server: int) -> None:
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
    with socket.create_connection(("127.0.0.1", server)) as sock:
        assert _seconds_until_closed(sock, trickle=head) < HEAD_TIMEOUT_S + SLACK_S
    assert httpx.get(f"http://127.0.0.1:{server}/healthz").status_code == 200


def test_a_kept_alive_connection_serves_requests_slower_than_the_head_deadline(server: int) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{server}") as client:
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
            time.sleep(HEAD_TIMEOUT_S * 1.5)  # idle between requests is keep-alive's business (5 s)


def test_a_long_url_and_large_headers_are_problems_over_the_wire(server: int) -> None:
    url = httpx.get(f"http://127.0.0.1:{server}/healthz", params={"q": "x" * 9000})
    assert url.status_code == 414
    assert url.headers["content-type"] == "application/problem+json"
    headers = httpx.get(f"http://127.0.0.1:{server}/healthz", headers={f"X-Pad-{n}": "y" * 4000 for n in range(5)})
    assert headers.status_code == 431
    assert headers.headers["content-type"] == "application/problem+json"


def test_a_head_past_the_server_backstop_is_refused_and_the_server_carries_on(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Huge: " + b"z" * 100_000 + b"\r\n\r\n")
        sock.settimeout(5)
        # h11 refuses a head it is still waiting on past its cap (400); one that arrived whole
        # in a single read reaches the app's own limit (431).
        assert sock.recv(64)[:12] in (b"HTTP/1.1 400", b"HTTP/1.1 431")
    assert httpx.get(f"http://127.0.0.1:{server}/healthz").status_code == 200


def test_the_server_hides_what_it_is(server: int) -> None:
    assert "server" not in httpx.get(f"http://127.0.0.1:{server}/healthz").headers


class _QuickStall(DeadlineH11Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stall_timeout_s = STALL_TIMEOUT_S


def test_a_client_that_stops_reading_is_cut_off_and_the_response_stops(tmp_path: Path) -> None:
    """A 256 MB stream to a client that reads nothing: without the deadline the app would
    wait on the socket forever (holding, for a CSV export, a database connection)."""
    ended = threading.Event()

    async def huge(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        chunk = b"x" * 65536
        try:
            for _ in range(4096):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await asyncio.sleep(0)
            await send({"type": "http.response.body", "body": b""})
        finally:
            ended.set()

    port = _free_port()
    config = uvicorn.Config(huge, host="127.0.0.1", port=port, http=_QuickStall, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            started = time.monotonic()
            assert ended.wait(timeout=STALL_TIMEOUT_S + SLACK_S + 5), "the response never stopped"
            assert time.monotonic() - started < STALL_TIMEOUT_S + SLACK_S + 5
    finally:
        server.should_exit = True
        thread.join(timeout=10)
