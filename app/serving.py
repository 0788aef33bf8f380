"""uvicorn's h11 protocol with the two deadlines it lacks, so a slow client cannot hold a connection."""

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.settings import get_settings

log = logging.getLogger("app.serving")


class DeadlineH11Protocol(H11Protocol):
    """uvicorn times out idle keep-alive connections only. This adds:

    * a request-head deadline: from connecting (or from the first byte of the next request on a
      kept-alive connection) the client has `request_head_timeout_s` to finish its request line
      and headers, or the connection is closed (slowloris);
    * a send-stall deadline: a client that stops reading a response for `send_stall_timeout_s`
      is cut off, so its request gives back the database connection it streams from.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.head_timeout_s = settings.request_head_timeout_s
        self.stall_timeout_s = settings.send_stall_timeout_s
        self._head_timer: asyncio.TimerHandle | None = None
        self._stall_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._arm_head_timer()  # a head begun (or not yet begun): keep the first deadline
        else:
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Idle now: uvicorn's keep-alive timeout takes over until the next byte arrives.
        self._cancel_head_timer()

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._stall_timer is None:
            self._stall_timer = self.loop.call_later(self.stall_timeout_s, self._stalled)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._stall_timer is not None:
            self._stall_timer.cancel()
            self._stall_timer = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        if self._stall_timer is not None:
            self._stall_timer.cancel()
            self._stall_timer = None
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_expired)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
            log.info("closing a connection that sent no complete request head in %ss", self.head_timeout_s)
            self.transport.close()

    def _stalled(self) -> None:
        self._stall_timer = None
        log.info("aborting a connection that read nothing for %ss", self.stall_timeout_s)
        self.transport.abort()  # close() would wait to flush to a client that does not read
