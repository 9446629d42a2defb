"""One catalog per language, the same keys in both, every label the pages use is in them."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from dispatch.audit.models import AdminActionKind
from dispatch.events.models import EventKind
from dispatch.orders.models import AssignmentStatus, Channel, OrderStatus
from dispatch.orders.schemas import ReturnReason
from dispatch.teams.models import TeamKind
from dispatch.web.i18n import DEFAULT_LOCALE, LOCALES, Translator, catalog, normalise

WEB = Path(__file__).resolve().parents[2] / "dispatch" / "web"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Labels the same in both languages (names of things, not words).
SAME = {"channel.open311"}
# The switch names the other language in that language.
SWITCH = "lang.switch"


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("static/js/*.js")]:
        text = path.read_text(encoding="utf-8")
        keys.update(re.findall(r"""\b[tT]\(\s*["']([a-z_0-9]+\.[a-z_0-9.]+)["']""", text))
    return keys


def test_both_catalogs_have_the_same_keys() -> None:
    zh, en = catalog("zh-CN"), catalog("en")
    assert set(zh) == set(en)
    assert DEFAULT_LOCALE == "zh-CN" and set(LOCALES) == {"zh-CN", "en"}


def test_chinese_labels_are_chinese_and_english_labels_are_english() -> None:
    zh, en = catalog("zh-CN"), catalog("en")
    for key in zh:
        if key in SAME or key == "list.sep":
            continue
        if key == SWITCH:
            assert not CJK.search(zh[key]) and CJK.search(en[key])
            continue
        assert CJK.search(zh[key]), f"{key}: {zh[key]!r} is not Chinese"
        assert not CJK.search(en[key]), f"{key}: {en[key]!r} is not English"


def test_every_label_the_pages_use_is_in_the_catalog() -> None:
    missing = used_keys() - set(catalog("zh-CN"))
    assert not missing


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("status.", [*OrderStatus, *AssignmentStatus]),
        ("event.", list(EventKind)),
        ("channel.", list(Channel)),
        ("reason.", list(typing.get_args(ReturnReason))),
        ("admin_action.", list(AdminActionKind)),
        ("team_kind.", list(TeamKind)),
    ],
)
def test_every_value_the_api_can_send_has_a_label(prefix: str, values: list[str]) -> None:
    messages = catalog("zh-CN")
    assert not [v for v in values if f"{prefix}{v}" not in messages]


def test_placeholders_agree_between_languages() -> None:
    zh, en = catalog("zh-CN"), catalog("en")
    for key in zh:
        assert set(re.findall(r"\{(\w+)\}", zh[key])) == set(re.findall(r"\{(\w+)\}", en[key]))


def test_translator_fills_placeholders_and_falls_back_to_the_key() -> None:
    t = Translator("en")
    assert t("preview.to", team="Water Company", rule="drain-blocked") == (
        "Will go to Water Company · rule drain-blocked"
    )
    assert t("no.such.label") == "no.such.label"
    assert normalise("EN") == "en" and normalise("zh") == "zh-CN" and normalise("fr") is None
