"""Deadlines and escalation steps stored on rows, and the sweeper that runs what is due."""
