"""Print editions as plain values: the print HTML, preflight findings, images and colour for
print, the PDF (WeasyPrint, in a child process) and the checks of the file made.

No database and no Qt here: ``services.edition_export`` reads the rows into ``values`` and
calls these functions.
"""
