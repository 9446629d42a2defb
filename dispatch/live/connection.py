"""One socket's share of the stream: a bounded queue the hub fills without ever waiting."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from dispatch.live import protocol
from dispatch.live.audience import Viewer
from dispatch.live.recheck import Ending

HEARTBEAT = 0  # queue item ids that are not events
RESYNC = -1
END = -2  # close without a last message

Item = tuple[int, str]


class Connection:
    def __init__(self, viewer: Viewer, *, queue_size: int, stall_seconds: float) -> None:
        self.viewer = viewer
        self.queue: asyncio.Queue[Item] = asyncio.Queue(maxsize=queue_size)
        self.overflowed = False
        self.stall_seconds = stall_seconds
        self.pump_task: asyncio.Task[None] | None = None
        self.floor = 0  # the client has every event up to here (its last_event_id)
        self.replayed: set[int] = set()  # ids sent by the replay, not to be sent again
        self.ending = Ending(protocol.CLOSE_RESYNC, "resync")  # once the pump stops

    def offer(self, item_id: int, text: str) -> None:
        """Never blocks and never waits for the socket: a slow client only hurts itself."""
        if self.overflowed:
            return
        try:
            self.queue.put_nowait((item_id, text))
        except asyncio.QueueFull:
            self._overflow()

    def _overflow(self) -> None:
        self._last(RESYNC, protocol.resync("queue_overflow"))

    def end(self, ending: Ending) -> None:
        """Nothing more goes out but a resync (4409) or nothing at all, then the close."""
        if ending.code == protocol.CLOSE_RESYNC:
            self._last(RESYNC, protocol.resync(ending.reason))
        else:
            self._last(END, "")
        self.ending = ending

    def _last(self, item_id: int, text: str) -> None:
        self.overflowed = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait((item_id, text))
        # A client that does not even take the last message is cut off after a while.
        asyncio.get_running_loop().call_later(self.stall_seconds, self._cut)

    def _cut(self) -> None:
        if self.pump_task is not None and not self.pump_task.done():
            self.pump_task.cancel()

    def already_sent(self, event_id: int) -> bool:
        return event_id <= self.floor or event_id in self.replayed

    async def pump(self, send: Callable[[str], Awaitable[None]]) -> None:
        """Send queued messages in order until a resync ends the connection."""
        while True:
            item_id, text = await self.queue.get()
            if item_id == END:
                return
            if item_id > 0 and self.already_sent(item_id):
                continue
            await send(text)
            if item_id == RESYNC:
                return


async def cancel_and_wait(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
