"""Bounds on the request head: an over-long URL is a 414 problem, oversized headers a 431, before routing."""

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.problems import problem_response


class RequestLimits:
    """Pure ASGI: checks the head the server already parsed; the server's own cap
    (h11_max_incomplete_event_size in `coop serve`) is the backstop above these."""

    def __init__(self, app: ASGIApp, *, max_url_bytes: int, max_header_bytes: int) -> None:
        self.app = app
        self.max_url_bytes = max_url_bytes
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or scope["path"].encode()
        url_bytes = len(path) + 1 + len(scope.get("query_string", b""))
        header_bytes = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))
        if url_bytes > self.max_url_bytes:
            status, slug, title = 414, "uri-too-long", "URI too long"
            detail = f"The URL is {url_bytes} bytes; the limit is {self.max_url_bytes}."
        elif header_bytes > self.max_header_bytes:
            status, slug, title = 431, "headers-too-large", "Request header fields too large"
            detail = f"The request headers are {header_bytes} bytes; the limit is {self.max_header_bytes}."
        else:
            await self.app(scope, receive, send)
            return
        response = problem_response(Request(scope), status, detail, type_slug=slug, title=title)
        await response(scope, receive, send)
