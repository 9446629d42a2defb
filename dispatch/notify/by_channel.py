"""One provider per channel: push through 企业微信, texts and calls through Twilio."""

from __future__ import annotations

from collections.abc import Mapping

from dispatch.notify.port import Notifier, NotifyChannel, SendResult


class ByChannel:
    """A Notifier that hands each message to the provider of its channel, else to `others`."""

    def __init__(self, providers: Mapping[NotifyChannel, Notifier], others: Notifier) -> None:
        self._providers = dict(providers)
        self._others = others

    def provider_for(self, channel: NotifyChannel) -> Notifier:
        return self._providers.get(channel, self._others)

    def send(self, recipient: str, channel: NotifyChannel, message: str, ref: str) -> SendResult:
        return self.provider_for(channel).send(recipient, channel, message, ref)
