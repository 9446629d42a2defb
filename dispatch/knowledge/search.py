"""Finding the standard answer for what the operator typed, and the copy searches read.

What the operator typed is cut into words by jieba; an entry scores for each word it shares
with its title, and more for each of its keywords the text mentions (a keyword is found the
way the routing rules find theirs: lined up with jieba's words, so 停水 is not in 暂停水费).
A word few entries share weighs more than one many do; the category the operator chose adds
a little. A desk keeps hundreds of entries, not millions: ranking them all in Python takes
a millisecond, once they are segmented, which is what the copy below keeps.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import jieba
from sqlmodel import Session, col, func, select

from dispatch.knowledge.models import KnowledgeEntry, KnowledgeEntryPublic
from dispatch.routing.keywords import Description, normalise

KEYWORD_WEIGHT = 2.0  # the office chose the keyword for this answer; a title word is incidental
CATEGORY_BOOST = 1.0  # breaks ties between answers the text fits equally, never makes a match

# Words in nearly every question, which tell no answer from another.
_COMMON_WORDS = """
请问 咨询 问问 想问 问下 一下 什么 怎么 怎么办 怎样 如何 哪里 哪儿
哪个 为什么 多少 可以 能否 能不能 需要 要求 我们 你们 他们 自己
这个 那个 这些 那些 现在 今天 明天 昨天 时候 时间 知道 告诉 还是
就是 已经 没有 一个 因为 所以 但是 还有 然后 如果 问题 情况 事情
办理 电话 居民 社区 小区 打电话 您好 你好 谢谢
"""
STOP_WORDS = frozenset(_COMMON_WORDS.split())


def words_of(text: str) -> frozenset[str]:
    """The words of a text that can tell one answer from another: jieba's (search mode, so a
    long word also gives its parts), without single characters, numbers and stop words."""
    return frozenset(
        word
        for word in jieba.lcut_for_search(normalise(text))
        if len(word) > 1 and any(ch.isalpha() for ch in word) and word not in STOP_WORDS
    )


@dataclass(frozen=True)
class ShelvedEntry:
    entry: KnowledgeEntryPublic
    title_words: frozenset[str]
    keywords: tuple[str, ...]  # normalised


@dataclass(frozen=True)
class Shelf:
    """Entries ready to rank, with how much each word weighs among them."""

    entries: tuple[ShelvedEntry, ...]
    weights: dict[str, float]

    def weight(self, word: str) -> float:
        return self.weights.get(word, 1.0)


def shelve(entries: Iterable[KnowledgeEntry]) -> Shelf:
    shelved = tuple(
        ShelvedEntry(
            entry=KnowledgeEntryPublic.model_validate(e, from_attributes=True),
            title_words=words_of(e.title),
            keywords=tuple(dict.fromkeys(normalise(k) for k in e.keywords)),
        )
        for e in entries
    )
    # Rarer words weigh more (inverse document frequency): 医保 picks one answer out, 办 none.
    found_in = Counter(w for s in shelved for w in s.title_words | set(s.keywords))
    total = len(shelved)
    weights = {word: 1.0 + math.log(total / n) for word, n in found_in.items()}
    return Shelf(shelved, weights)


@dataclass(frozen=True)
class Match:
    entry: KnowledgeEntryPublic
    score: float
    matched: list[str]  # the keywords and title words the text shared, for "why this one"


def rank(shelf: Shelf, text: str, category: str | None, limit: int) -> list[Match]:
    """The best entries for what was typed, best first. Nothing typed: the category's
    entries (or every entry without one), by category and title."""
    if not text.strip():
        listed = [
            s.entry for s in shelf.entries if not category or s.entry.category_code == category
        ]
        listed.sort(key=lambda e: (e.category_code or "", e.title, e.id))
        return [Match(e, 0.0, []) for e in listed[:limit]]
    description, typed = Description(text), words_of(text)
    found: list[Match] = []
    for shelved in shelf.entries:
        keywords = [k for k in shelved.keywords if description.mentions(k)]
        words = sorted(shelved.title_words & typed)
        score = sum(KEYWORD_WEIGHT * shelf.weight(k) for k in keywords)
        score += sum(shelf.weight(w) for w in words)
        if not score:
            continue
        if category and shelved.entry.category_code == category:
            score += CATEGORY_BOOST
        found.append(Match(shelved.entry, round(score, 3), list(dict.fromkeys(keywords + words))))
    found.sort(key=lambda m: (-m.score, m.entry.title, m.entry.id))
    return found[:limit]


class ShelfCopy:
    """This process's shelf of the active entries, kept while the database's entries are the
    same. Each search first asks the database for a stamp (count and sum of the entries'
    revisions, one aggregate over a few hundred rows): every change adds to that sum, made
    by any API instance on either database, so a change is seen by the next search anywhere,
    with no notification to miss and nothing to re-segment while nothing changed."""

    def __init__(self) -> None:
        # Replaced whole, never changed in place: two searches that both find it outdated
        # both rebuild it, and either result is right.
        self._copy: tuple[tuple[int, int], Shelf] | None = None

    def current(self, session: Session) -> Shelf:
        # The stamp is read before the entries: a change committed in between makes the
        # next search read them again, never keeps an older shelf under a newer stamp.
        stamp = _stamp(session)
        copy = self._copy
        if copy is not None and copy[0] == stamp:
            return copy[1]
        active = session.exec(select(KnowledgeEntry).where(col(KnowledgeEntry.active))).all()
        shelf = shelve(active)
        self._copy = (stamp, shelf)
        return shelf


def _stamp(session: Session) -> tuple[int, int]:
    count, revisions = session.exec(
        select(func.count(), func.coalesce(func.sum(KnowledgeEntry.revision), 0))
    ).one()
    return int(count), int(revisions)
