"""Sync with the newsroom hub (PostgreSQL) as plain logic: the hub's schema and roles
(``hub``), push and pull of the outbox (``replicate``), and merging article text (``merge``).
Functions take a local ``Session`` and a hub connection; the service opens both."""
