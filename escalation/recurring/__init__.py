"""Recurring care work: weekly visits, callback reminders, the daily summary."""
