"""A room used only by tests: it declares one of each thing a room can declare."""
