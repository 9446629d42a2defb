"""Which Notifier the app uses (settings.notifier); other packages register theirs by name."""

from __future__ import annotations

from collections.abc import Callable

from dispatch.notify.console import ConsoleNotifier
from dispatch.notify.port import Notifier
from dispatch.settings import Settings

NotifierFactory = Callable[[Settings], Notifier]

_FACTORIES: dict[str, NotifierFactory] = {"console": lambda _settings: ConsoleNotifier()}


def register_notifier(name: str, factory: NotifierFactory) -> None:
    """E.g. hotline: register_notifier("twilio", lambda s: TwilioNotifier(s))."""
    _FACTORIES[name] = factory


def build_notifier(settings: Settings) -> Notifier:
    factory = _FACTORIES.get(settings.notifier)
    if factory is None:
        # Failing closed: a configured provider that is not installed is a start-up error,
        # never a silent fall-back to the console.
        raise RuntimeError(f"no notifier registered for HOTLINE_NOTIFIER={settings.notifier!r}")
    return factory(settings)
