"""The forms of a request that mean the same thing get the same answer: HEAD is answered as
GET without its body (`curl -I`), and a path with a trailing slash as the path without it
(rather than an empty 307 redirect). Pure ASGI, before routing: every route, DirectRoute or
stock, gets both."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class SameAnswer:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        head = scope["method"] == "HEAD"
        if not head and not (len(path) > 1 and path.endswith("/")):
            await self.app(scope, receive, send)  # the usual request: nothing to change
            return
        scope = dict(scope)
        if len(path) > 1 and path.endswith("/"):
            scope["path"] = path.rstrip("/") or "/"
            raw_path = scope.get("raw_path")
            if raw_path:
                scope["raw_path"] = raw_path.rstrip(b"/") or b"/"
        if not head:
            await self.app(scope, receive, send)
            return
        scope["method"] = "GET"

        async def send_without_body(message: Message) -> None:
            # The headers (Content-Length included) are GET's; the body is not sent.
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_without_body)
