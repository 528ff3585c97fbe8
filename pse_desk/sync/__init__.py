"""Sync with the newsroom hub (PostgreSQL): HLC, change log, push and pull, conflicts."""
