"""Is the desk working: its database and schema for a balancer, and for supervisors also
what runs behind the API (escalation timers, notifications, the rules file)."""
