"""Reading other systems' exports: WordPress (WXR) and Disqus XML, streamed as plain records.

``xmlstream`` opens a file for lxml safely (no entities expanded, no network, control
characters stripped before the parser sees them, syntax errors as one sentence with line and
column); ``wxr`` and ``disqus`` turn the elements into the dataclasses of ``records``. Nothing
here touches the database: ``pse_desk.services.importing`` writes what these yield.
"""
