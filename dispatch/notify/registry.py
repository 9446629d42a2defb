"""Which Notifier the app uses (settings.notifier, settings.push_provider); other packages
register theirs by name."""

from __future__ import annotations

from collections.abc import Callable

from dispatch.database import Database
from dispatch.notify.by_channel import ByChannel
from dispatch.notify.console import ConsoleNotifier
from dispatch.notify.port import Notifier, NotifyChannel
from dispatch.settings import Settings

NotifierFactory = Callable[[Settings], Notifier]
# A push provider finds the person behind "user:<username>" in the database.
PushProviderFactory = Callable[[Settings, Database], Notifier]

_FACTORIES: dict[str, NotifierFactory] = {"console": lambda _settings: ConsoleNotifier()}
_PUSH_PROVIDERS: dict[str, PushProviderFactory] = {}


def register_notifier(name: str, factory: NotifierFactory) -> None:
    """E.g. hotline: register_notifier("twilio", lambda s: TwilioNotifier(s))."""
    _FACTORIES[name] = factory


def register_push_provider(name: str, factory: PushProviderFactory) -> None:
    """E.g. hotline: register_push_provider("wecom", WeComPushNotifier)."""
    _PUSH_PROVIDERS[name] = factory


def build_notifier(settings: Settings, database: Database | None = None) -> Notifier:
    """HOTLINE_NOTIFIER's notifier; with HOTLINE_PUSH_PROVIDER set, push goes there instead."""
    # Failing closed: a configured provider that is not installed is a start-up error,
    # never a silent fall-back to the console (or to no push at all).
    factory = _FACTORIES.get(settings.notifier)
    if factory is None:
        raise RuntimeError(f"no notifier registered for HOTLINE_NOTIFIER={settings.notifier!r}")
    if settings.push_provider == "none":
        return factory(settings)
    push = _PUSH_PROVIDERS.get(settings.push_provider)
    if push is None:
        raise RuntimeError(
            f"no push provider registered for HOTLINE_PUSH_PROVIDER={settings.push_provider!r}"
        )
    if database is None:
        raise RuntimeError("a push provider needs the database to find people's phones")
    return ByChannel({NotifyChannel.push: push(settings, database)}, others=factory(settings))
