"""Pure ASGI middleware: give every request an id (X-Request-ID, accepted or generated),
echo it in the response, and log one JSON line per request with its status and duration."""

import itertools
import logging
import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is accepted only if it cannot smuggle anything into logs or headers.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
log = logging.getLogger("app.requests")


class _RequestIds:
    """New ids: 16 random hex digits per process, then a 16-digit counter (32 in all, as a uuid4's
    hex). Unique without a uuid4 per request (os.urandom is a system call: 3% of a list page);
    they need not be unguessable, only distinct across processes and requests."""

    def __init__(self) -> None:
        self._pid = -1
        self._prefix = ""
        self._counter = itertools.count()

    def next(self) -> str:
        if os.getpid() != self._pid:  # a new process (or a fork): a new prefix
            self._pid, self._prefix = os.getpid(), os.urandom(8).hex()
        return f"{self._prefix}{next(self._counter):016x}"


_new_id = _RequestIds().next


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's X-Request-ID if it is sane, else a new one."""
    for name, value in headers:
        if name.lower() == b"x-request-id":
            candidate = value.decode("latin-1")
            if _SANE_REQUEST_ID.fullmatch(candidate):
                return candidate
            break
    return _new_id()


class RequestContext:
    """Not BaseHTTPMiddleware: that wraps every body in extra tasks and costs throughput."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope.get("headers", []))
        # request.state reads scope["state"]: the problem handlers find the id there.
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500  # if the app fails before starting a response, the client gets a 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                # A handler may have set it already (the 500 handler must: see problems.py).
                if not any(name.lower() == b"x-request-id" for name, _ in headers):
                    headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_request(scope, status, started, request_id)


def _log_request(scope: Scope, status: int, started: float, request_id: str) -> None:
    fields: dict[str, Any] = {
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "request_id": request_id,
    }
    log.info("%s %s %s", fields["method"], fields["path"], status, extra=fields)
