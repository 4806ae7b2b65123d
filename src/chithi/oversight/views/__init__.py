"""Pages of the oversight room, by concern."""
