"""Recurring work: weekly visits, callback reminders, the daily summary, the photo archive."""
