"""Sync with the hub in the window: the controller (Sync now, background sync, cancel), the
status bar's words, the sync log and the Hub page of the preferences."""
