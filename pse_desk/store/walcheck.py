"""Whether the write-ahead log beside a database is SQLite's own (standard library, ~0 ms).

Asked before SQLite opens a database: SQLite silently drops a WAL whose header is not valid,
and with it the last commits; the desk stops and says so instead (``store.salvage``).
"""

from __future__ import annotations

import struct
from pathlib import Path

WAL_MAGICS = (0x377F0682, 0x377F0683)
WAL_VERSION = 3007000


def _wal_checksum(data: bytes, big_endian: bool) -> tuple[int, int]:
    # SQLite's WAL checksum (https://www.sqlite.org/fileformat2.html#walformat)
    s0 = s1 = 0
    fmt = ">" if big_endian else "<"
    for x0, x1 in struct.iter_unpack(f"{fmt}II", data):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1


def wal_problem(db_path: Path) -> str | None:
    """What is wrong with the WAL file beside ``db_path``, or None (also when there is none).

    Only the header is judged: frames that fail their checksum after good ones are what a
    crash mid-commit leaves, and SQLite rightly drops them (that commit never finished)."""
    wal = db_path.with_name(db_path.name + "-wal")
    try:
        with wal.open("rb") as fh:
            header = fh.read(32)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"its write-ahead log cannot be read ({exc.strerror or exc})"
    if not header:
        return None  # an empty WAL: everything is in the main file
    if len(header) < 32:
        return "its write-ahead log is cut short"
    magic, version, page_size, _seq, _s1, _s2, c1, c2 = struct.unpack(">8I", header)
    if magic not in WAL_MAGICS or version != WAL_VERSION:
        return "its write-ahead log is not SQLite's (the last changes in it would be lost)"
    if _wal_checksum(header[:24], magic & 1 == 1) != (c1, c2):
        return "its write-ahead log has a damaged header (the last changes in it would be lost)"
    if page_size & (page_size - 1) or not 512 <= page_size <= 65536:
        return "its write-ahead log has a damaged header"
    return None
