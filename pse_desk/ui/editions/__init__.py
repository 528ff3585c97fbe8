"""The Editions workspace: print editions and their ordered contents."""
