"""Notifications to people in the field: a `Notifier` port, a delivery table and its worker.

A change writes `notification_delivery` rows in its own transaction; the worker sends them
after commit and retries with backoff. Implementations: ConsoleNotifier (development), and
whatever the hotline registers through `registry.register_notifier` (Twilio SMS and voice)
and `registry.register_push_provider` (企业微信 app messages for the push channel).
"""
