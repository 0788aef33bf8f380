"""Waiting for a pooled database connection without holding a worker thread.

A sync dependency that checks a connection out blocks a threadpool thread while the pool is
empty. Under load every thread can end up blocked so, while the requests holding the
connections wait for a thread to run on: nothing moves until pool_timeout, then a burst of
503s (seen with 64 clients and a pool of 10). Here a request first takes one of the pool's
slots on the event loop, where waiting costs no thread, so a checkout never blocks.
"""

import asyncio
from weakref import WeakKeyDictionary

import anyio
from sqlalchemy.exc import TimeoutError as PoolTimeout


class PoolGate:
    def __init__(self, slots: int, timeout_s: float) -> None:
        self.slots = slots
        self.timeout_s = timeout_s
        # One semaphore per event loop: asyncio primitives belong to the loop that made them.
        self._semaphores: WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.Semaphore] = WeakKeyDictionary()

    def _semaphore(self) -> anyio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = anyio.Semaphore(self.slots)
        return semaphore

    async def acquire(self) -> None:
        """Take a slot, or raise the pool's own timeout error (answered like one: 503 with Retry-After)."""
        semaphore = self._semaphore()
        if semaphore.value:  # a free slot: no cancel scope needed (the common case, and cheaper)
            semaphore.acquire_nowait()
            return
        with anyio.move_on_after(self.timeout_s) as waited:
            await semaphore.acquire()
        if waited.cancelled_caught:
            raise PoolTimeout(f"no database connection free within {self.timeout_s}s")

    def release(self) -> None:
        self._semaphore().release()
