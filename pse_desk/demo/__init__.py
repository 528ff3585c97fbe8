"""The deterministic demo newsroom (articles, panels, commenters, comments, an edition).

``build_demo(store, articles=24, comments=500, seed=1)`` fills an empty database; the same
seed always gives the same text and ids. ``pse-desk --db PATH demo`` calls it.
"""

from pse_desk.demo.build import BASE_DATE, DEMO_VERSION, DemoSummary, build_demo

__all__ = ["BASE_DATE", "DEMO_VERSION", "DemoSummary", "build_demo"]
