"""SLA policies, escalation chains and the working-day calendar of config/escalation.yaml."""
