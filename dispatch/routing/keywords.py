"""Keyword matching on short Chinese descriptions: a word counts where jieba's words allow it.

A keyword is found in a description when it occurs there and the occurrence lines up with the
words jieba cut the description into: either inside one word (堵 in 堵住, 骚扰 in 性骚扰) or as
a run of whole words (电动车堵住 = 电动车 + 堵住, 金地花园 = 金 + 地 + 花园). An occurrence
that straddles a word boundary is not the keyword: 排水 is not in 安排|水管工, 打架 is not in
打|架子鼓. Matching ignores case and full-/half-width forms (ＷＩＦＩ = wifi, ８号楼 = 8号楼).
"""

from __future__ import annotations

import logging
import unicodedata

import jieba

jieba.setLogLevel(logging.WARNING)
jieba.initialize()

# The desk's own words, so jieba keeps them whole (消防通道, not 消防 + 通道; 路灯不亮 is
# 路灯 + 不亮, not 路 + 灯不亮). Long, specific nouns only: a frequent short word here could
# make jieba cut ordinary text wrongly (安排水管 must stay 安排 + 水管).
DOMAIN_WORDS = (
    "消防通道",
    "电动车",
    "井盖",
    "窨井盖",
    "下水道",
    "化粪池",
    "充电桩",
    "路灯",
    "高空抛物",
    "房产证",
    "不动产证",
    "独居老人",
    "医保",
    "停水",
    "停电",
    "漏水",
    "噪音",
    "诈骗",
    "骚扰",
    "殴打",
    "打架",
    "威胁",
    "燃气",
    "暖气",
)
_DOMAIN_FREQ = 20_000

for _word in DOMAIN_WORDS:
    jieba.add_word(_word, freq=max(jieba.get_FREQ(_word) or 0, _DOMAIN_FREQ))


def normalise(text: str) -> str:
    """The form both descriptions and keywords are compared in."""
    return unicodedata.normalize("NFKC", text).lower()


def boundaries(text: str) -> frozenset[int]:
    """Offsets in text where jieba puts a word boundary (0 and len(text) included)."""
    offsets = {0}
    end = 0
    for word in jieba.lcut(text):
        end += len(word)
        offsets.add(end)
    return frozenset(offsets)


class Description:
    """An order's description; segmented at most once, and only if a keyword occurs in it."""

    __slots__ = ("_bounds", "text")

    def __init__(self, text: str) -> None:
        self.text = normalise(text)
        self._bounds: frozenset[int] | None = None

    def mentions(self, keyword: str) -> bool:
        """keyword (already normalised) is in the text, lined up with jieba's words."""
        text = self.text
        start = text.find(keyword)
        if start < 0:
            return False
        if len(keyword) == 1:
            return True  # one character always sits inside one word
        if self._bounds is None:
            self._bounds = boundaries(text)
        bounds = self._bounds
        while start >= 0:
            end = start + len(keyword)
            whole_words = start in bounds and end in bounds
            if whole_words or bounds.isdisjoint(range(start + 1, end)):
                return True
            start = text.find(keyword, start + 1)
        return False
