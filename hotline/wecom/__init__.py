"""企业微信 (and 政务微信, the same API on its own host): push to team leaders' phones."""
