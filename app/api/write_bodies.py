"""What a write's body must be, checked before routing: JSON (merge-patch JSON for PATCH), or a 415;
no larger than Settings.max_body_bytes, or a 413 (read no further than that, whatever the client says).
A body that is not UTF-8 is a 422 here; other malformed JSON is FastAPI's to find: a 422 problem."""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem_response

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MERGE_PATCH = "application/merge-patch+json"
JSON = "application/json"


def _media_type(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return None


class WriteBodies:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        body, too_large = await self._read(receive)
        expected = MERGE_PATCH if scope["method"] == "PATCH" else JSON
        media_type = _media_type(scope)
        if too_large:
            status, slug, title = 413, "body-too-large", "Content too large"
            detail = f"The request body is over the limit of {self.max_body_bytes} bytes."
        elif body and media_type != expected:
            status, slug, title = 415, "unsupported-media-type", "Unsupported media type"
            detail = f"The body of a {scope['method']} must be {expected}, not {media_type or 'unlabelled'}."
        elif not _utf8(body):  # FastAPI would answer a bare 400: it is malformed JSON like any other
            status, slug, title = 422, "invalid-body", "Invalid body"
            detail = "The body is not UTF-8, so not JSON (RFC 8259)."
        else:
            await self.app(scope, _replay(body, receive), send)
            return
        response = problem_response(Request(scope), status, detail, type_slug=slug, title=title)
        await response(scope, receive, send)

    async def _read(self, receive: Receive) -> tuple[bytes, bool]:
        """The whole body, or (what was read, True) as soon as it passes the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"".join(chunks), False
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return b"", True
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), False


def _utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read, in one message; then the client's own messages (its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
