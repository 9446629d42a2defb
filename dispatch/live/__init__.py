"""The live push hub: `/ws` streams the event log to the desk's people, each their share.

The event log (``order_event``) is the truth. Commits on this process (the event bus) and on
other processes (PostgreSQL NOTIFY) only wake the log tailer, which releases events in id
order to every connection that may see them.
"""
