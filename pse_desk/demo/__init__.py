"""The deterministic demo newsroom (articles, panels, commenters, comments, an edition)."""
