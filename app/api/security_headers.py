"""Security headers on every response: nosniff, a Content-Security-Policy, Referrer-Policy."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.docs import CONTENT_SECURITY_POLICY

# The API serves data, never pages: nothing may load, run or frame it.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The only HTML is Swagger UI and ReDoc, whose policy lives with them (app/api/docs.py sets
# it on those pages itself); any other HTML would get the same.
DOCS_POLICY = CONTENT_SECURITY_POLICY
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def security_headers(content_type: str = "") -> dict[str, str]:
    policy = DOCS_POLICY if content_type.startswith("text/html") else API_POLICY
    return {**COMMON, "Content-Security-Policy": policy}


class SecurityHeaders:
    """Pure ASGI (BaseHTTPMiddleware would cost throughput); a header the app set itself wins."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in security_headers(headers.get("content-type", "")).items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
