"""The development notifier: writes each message to the log, and remembers the last ones."""

from __future__ import annotations

import logging
import threading
from collections import deque

from dispatch.notify.port import NotifyChannel, SendResult

log = logging.getLogger("dispatch.notify")


class ConsoleNotifier:
    def __init__(self, keep: int = 200) -> None:
        self.sent: deque[tuple[str, NotifyChannel, str, str]] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def send(self, recipient: str, channel: NotifyChannel, message: str, ref: str) -> SendResult:
        log.info("notify %s via %s [%s]: %s", recipient, channel.value, ref, message)
        with self._lock:
            self.sent.append((recipient, channel, message, ref))
        return SendResult(ok=True, provider_ref=f"console:{len(self.sent)}")
