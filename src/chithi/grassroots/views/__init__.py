"""Pages of the grassroots room, one module a concern."""
