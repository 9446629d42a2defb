"""What a message looks like as a 企业微信 text card: a title to read on the lock screen, the
whole text below it, within WeCom's documented limits (title 128 bytes, description 512).

WeCom cuts longer fields itself, at a byte, which can split a Chinese character (three bytes
in UTF-8) and leave garbage at the end; cutting here keeps whole characters and shows the cut.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from hotline.wecom.client import TextCard

TITLE_BYTES = 128
DESCRIPTION_BYTES = 512
CUT = "…"
# The desk's texts begin with what they are: 【催办】, 【派工】, 【协商会议】 ...
_HEADING = re.compile(r"^【[^】]*】")


def textcard(message: str, url: str, order_number: str | None) -> TextCard:
    # The description is shown as WeCom's small HTML (<div class="gray">); the title is not.
    return TextCard(
        title=fit(title_of(message, order_number), TITLE_BYTES),
        description=fit(message, DESCRIPTION_BYTES, _as_html),
        url=url,
    )


def title_of(message: str, order_number: str | None) -> str:
    """【催办】WO-20261122-0001: what kind of news and which order; without an order, the
    text's first part (a meeting's topic, the 日报's figures)."""
    heading = _HEADING.match(message)
    head = heading.group() if heading else ""
    subject = order_number or message[len(head) :].split("｜", 1)[0]
    return head + subject.strip()


def _as_html(text: str) -> str:
    return html.escape(text, quote=False)


def fit(text: str, limit: int, escape: Callable[[str], str] = str) -> str:
    """`text`, escaped, in at most `limit` UTF-8 bytes: whole characters, `…` where cut."""
    whole = escape(text)
    if len(whole.encode()) <= limit:
        return whole
    room = limit - len(CUT.encode())
    kept: list[str] = []
    for char in text:
        # Escaped one by one, so an entity (&lt;) is kept whole or left out, never halved.
        piece = escape(char)
        room -= len(piece.encode())
        if room < 0:
            break
        kept.append(piece)
    return "".join(kept) + CUT
