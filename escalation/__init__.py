"""Escalation (催办 / 督办): SLA deadlines, escalation chains, the sweeper and recurring care work.

Built on dispatch through its event bus; dispatch never imports this package.
"""
