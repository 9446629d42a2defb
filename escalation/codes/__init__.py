"""Short accept codes in SMS and calls: a team leader replies "签收 123456" to accept."""
