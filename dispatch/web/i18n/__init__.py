"""The one translation mechanism: a flat message catalog per locale, in JSON beside this file.

The server renders labels with `Translator`; the pages' scripts get the same catalog as JSON
and look labels up with `T(key)`. Simplified Chinese is the default; `?lang=en` switches
and a cookie remembers the choice.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request

HERE = Path(__file__).resolve().parent
DEFAULT_LOCALE = "zh-CN"
LOCALES = ("zh-CN", "en")
COOKIE = "lang"
_ALIASES = {"zh": "zh-CN", "zh-cn": "zh-CN", "zh_cn": "zh-CN", "cn": "zh-CN", "en": "en"}
_ALIASES.update({"en-us": "en", "en-gb": "en", "en_us": "en"})


def normalise(value: str | None) -> str | None:
    if not value:
        return None
    return _ALIASES.get(value.strip().lower())


@lru_cache
def catalog(locale: str) -> dict[str, str]:
    if locale not in LOCALES:
        raise KeyError(f"no catalog for locale {locale!r}")
    loaded = json.loads((HERE / f"{locale}.json").read_text(encoding="utf-8"))
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise ValueError(f"{locale}.json must be a flat object of strings")
    return {str(k): v for k, v in loaded.items()}


class Translator:
    """t("key") or t("key", n=3): the label for this locale, `{name}` placeholders filled."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.messages = catalog(locale)

    def __call__(self, key: str, **values: object) -> str:
        text = self.messages.get(key)
        if text is None:
            # A missing label is a bug; show the key rather than the other language.
            return key
        return text.format(**values) if values else text

    @property
    def english(self) -> bool:
        return self.locale == "en"

    @property
    def html_lang(self) -> str:
        return "zh-CN" if self.locale == "zh-CN" else "en"


def locale_of(request: Request) -> str:
    """?lang= first, then the cookie, then Simplified Chinese."""
    chosen = normalise(request.query_params.get("lang")) or normalise(request.cookies.get(COOKIE))
    return chosen or DEFAULT_LOCALE


def translator(locale: str) -> Translator:
    return Translator(locale if locale in LOCALES else DEFAULT_LOCALE)
