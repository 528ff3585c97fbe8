"""Moderation use cases, one module per idea of the logic package ``pse_desk.moderation``:

- ``queue``: counts, pages, searches and windows of the queues (the one windowed query);
- ``detail``: one comment in context, and as the detail pane shows it;
- ``body``: a comment's untrusted body made safe to show;
- ``decisions``: approve, reject, spam, restore, ban — one or many — undo and redo;
- ``rules``: the rules (list, add, edit, enable), "try on past comments", and ingest;
- ``audit``: one comment's history, the global log and its CSV export.

Import the module you need; this package imports none of them, so reading a queue does not
load the rule engine.
"""
