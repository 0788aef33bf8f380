"""Who may write: `Authorization: Bearer <key>` checked against the stored hashes, scoped
(curate, admin); failed attempts from one client slowed down. Reads need no key."""

import math
import time
from collections import OrderedDict, deque
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from app.api.deps import runs_inline
from app.api.problems import RequestRefused
from app.curation.keys import Caller, verify_key
from app.models.vocab import KeyScope

REALM = "coop"
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="curatorKey",
    description="An API key made with `coop keys create` (docs/CURATING.md). Writes need scope `curate`, "
    "the audit trail `admin`. Reads need no key.",
)


class Unauthenticated(RequestRefused):
    status = 401
    title = "Unauthorized"
    type_slug = "unauthorized"


class Forbidden(RequestRefused):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class TooManyFailures(RequestRefused):
    status = 429
    title = "Too many failed authentications"
    type_slug = "too-many-failed-authentications"


class FailedAuthLimiter:
    """At most `limit` failed authentications per client in `window_s`; past that, a 429 until the
    oldest ages out. Per process (each worker counts its own), bounded in the clients it tracks."""

    MAX_CLIENTS = 10_000

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.get(client)
        if failures is None:
            return deque()
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def retry_after(self, client: str) -> int | None:
        """Seconds until this client may try again, or None if it may now."""
        now = time.monotonic()
        failures = self._recent(client, now)
        if len(failures) < self.limit:
            return None
        return max(1, math.ceil(failures[0] + self.window_s - now))

    def failed(self, client: str) -> None:
        now = time.monotonic()
        failures = self._recent(client, now)
        self._failures[client] = failures
        self._failures.move_to_end(client)
        failures.append(now)
        while len(self._failures) > self.MAX_CLIENTS:
            self._failures.popitem(last=False)


def _challenge(error: str | None) -> dict[str, str]:
    value = f'Bearer realm="{REALM}"' + (f', error="{error}"' if error else "")
    return {"WWW-Authenticate": value}


def _verify(engine: Engine, key: str) -> Caller | None:
    with engine.connect() as connection:
        return verify_key(connection, key, datetime.now(UTC))


async def authenticated(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Caller:
    """The caller of a live key; a 401 (or a 429 after too many failures) otherwise."""
    limiter: FailedAuthLimiter = request.app.state.auth_limiter
    client = request.client.host if request.client else "unknown"
    wait = limiter.retry_after(client)
    if wait is not None:
        raise TooManyFailures(
            f"Too many failed authentications from this client; retry in {wait} s.", headers={"Retry-After": str(wait)}
        )
    if credentials is None:
        limiter.failed(client)
        raise Unauthenticated("This operation needs an API key: Authorization: Bearer <key>.", headers=_challenge(None))
    engine: Engine = request.app.state.engine
    key = credentials.credentials
    gate = request.app.state.pool_gate  # a connection like any request's (app/api/pool_gate.py)
    await gate.acquire()
    try:
        caller = _verify(engine, key) if runs_inline(engine) else await run_in_threadpool(_verify, engine, key)
    finally:
        gate.release()
    if caller is None:
        limiter.failed(client)
        raise Unauthenticated(
            "The API key is not valid: unknown, malformed, expired or revoked.", headers=_challenge("invalid_token")
        )
    return caller


def requires(scope: KeyScope) -> object:
    async def scoped(caller: Annotated[Caller, Depends(authenticated)]) -> Caller:
        if not caller.may(scope):
            raise Forbidden(
                f"The key {caller.name!r} has scope {caller.scope.value!r}; this operation needs {scope.value!r}.",
                headers=_challenge("insufficient_scope"),
            )
        return caller

    return Depends(scoped)


Curator = Annotated[Caller, requires(KeyScope.CURATE)]
Administrator = Annotated[Caller, requires(KeyScope.ADMIN)]
