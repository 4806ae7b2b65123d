"""Reads of the grassroots room, one module a concern (meetings, field work, ceremonies, calendars, roll-up,
panels); every read is scoped with restrict()."""
