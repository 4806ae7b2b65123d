"""Reads of the oversight room, by concern."""
