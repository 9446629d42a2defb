"""Notifications to people in the field: a `Notifier` port, a delivery table and its worker.

A change writes `notification_delivery` rows in its own transaction; the worker sends them
after commit and retries with backoff. Implementations: ConsoleNotifier (development), and
whatever the hotline registers (Twilio SMS and voice) through `registry.register_notifier`.
"""
