"""The desk's pages: login, operator console, team leader page, supervisor board, order page."""
