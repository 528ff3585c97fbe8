"""The body of the editor's analysis process: outline, writing checks and statistics of each
text it is sent over a pipe, until the pipe closes. No Qt here, so the process starts light."""

from __future__ import annotations

import traceback
from multiprocessing.connection import Connection

from pse_desk.writing.checks import check
from pse_desk.writing.outline import outline
from pse_desk.writing.stats import text_stats


def serve(conn: Connection) -> None:
    while True:
        try:
            text = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: object = ("ok", (outline(text), check(text), text_stats(text)))
        except Exception:  # a check failed on this text (RecursionError, say)
            reply = ("error", traceback.format_exc())
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
