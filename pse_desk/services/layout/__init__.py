"""Layout use cases: named layouts, their panels and items, the timeline of saved versions, and
the layout resolved at a moment for the site page.

``read`` holds the reads (a layout as ``pse_desk.layout`` values, the articles its panels can
show, the resolution at a moment); ``edit`` the writes, each one unit of work that also saves
a layout version; ``history`` the timeline, restore and compare. The panel logic itself —
sources, pins over time, de-duplication, warnings — is ``pse_desk.layout``'s.
"""
