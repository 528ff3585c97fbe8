"""Interchange: reading other systems' exports and writing open ones.

``xmlstream`` opens a file for lxml safely (no entities expanded, no network, control
characters stripped before the parser sees them, syntax errors as one sentence with line and
column); ``wxr`` and ``disqus`` turn the elements into the dataclasses of ``records``, which
``pse_desk.services.importing`` writes. ``front_matter`` makes an article a Markdown file with
YAML front matter; ``dump`` writes and reads the whole-newsroom dump on an SQLite connection
the service hands it (``pse_desk.services.exporting``).
"""
