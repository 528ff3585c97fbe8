"""Rendering: Markdown to sanitised HTML, the site page template, and a killable render worker.

Nothing here imports Qt. ``sanitise_comment`` is the only way comment HTML is made safe.
"""

from pse_desk.render.sanitise import sanitise_article, sanitise_comment

__all__ = ["sanitise_article", "sanitise_comment"]
