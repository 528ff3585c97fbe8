"""Writing aids that work on Markdown text alone: checks, outline, statistics, spelling, diff.

Nothing here touches the database or Qt; every function takes text and returns plain values.
Positions are ``line`` (1-based, as an editor shows it) and ``column`` (0-based offset in that
line, as a Python index or a Qt text-block position).
"""
