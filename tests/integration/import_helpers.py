"""Shared by the import tests: a newsroom with the default rules, snapshots, generated WXR."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from pse_desk.demo.rules import DEFAULT_RULES
from pse_desk.store import Store, open_store
from pse_desk.store.model import Rule

DATA = Path(__file__).resolve().parents[1] / "data"
WXR_SAMPLE = DATA / "wxr-1.2-sample.xml"
DISQUS_SAMPLE = DATA / "disqus-sample.xml"
TABLES = ("article", "revision", "comment", "commenter", "change_log")


def newsroom(path: Path) -> Store:
    """A new database with the desk's default moderation rules."""
    store = open_store(path)
    with store.session() as s:
        for spec in DEFAULT_RULES:
            s.add(Rule(kind=spec.kind, params=dict(spec.params), action=spec.action,
                       enabled=True, description=spec.description))
        s.commit()
    return store


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import writes, plus the schema (indexes, triggers)."""
    con = sqlite3.connect(path)
    try:
        out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
               for t in TABLES}
        out["schema"] = sorted(con.execute("SELECT type, name, sql FROM sqlite_master")
                               .fetchall(), key=repr)
        return out
    finally:
        con.close()


def generated_wxr(path: Path, posts: int, comments_per_post: int, *,
                  tail: str = "") -> Path:
    """A WXR 1.2 file of ``posts`` posts with threaded comments; ``tail`` ends the channel
    (``""`` closes it properly)."""
    with path.open("w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
                '<wp:base_site_url>https://gen.example.org</wp:base_site_url>\n')
        cid = 0
        for p in range(1, posts + 1):
            f.write(f"<item><title>Council budget round {p}</title>"
                    f"<dc:creator>desk</dc:creator><content:encoded><![CDATA[<p>Round {p} of "
                    f"the budget.</p>]]></content:encoded><wp:post_id>{p}</wp:post_id>"
                    f"<wp:post_date_gmt>2020-01-{1 + p % 28:02d} 09:00:00</wp:post_date_gmt>"
                    f"<wp:post_name>budget-round-{p}</wp:post_name><wp:status>publish"
                    f"</wp:status><wp:post_type>post</wp:post_type>\n")
            first = cid + 1
            for n in range(comments_per_post):
                cid += 1
                parent = first if n % 3 == 1 else 0
                f.write(f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
                        f"<wp:comment_author>Reader {cid % 17}</wp:comment_author>"
                        f"<wp:comment_author_email>r{cid % 17}@example.net"
                        f"</wp:comment_author_email><wp:comment_date_gmt>2020-02-"
                        f"{1 + cid % 28:02d} {cid % 24:02d}:00:00</wp:comment_date_gmt>"
                        f"<wp:comment_content>Comment {cid} on the precept and the "
                        f"library hours.</wp:comment_content><wp:comment_approved>1"
                        f"</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
                        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n")
            f.write("</item>\n")
        f.write(tail if tail else "</channel></rss>\n")
    return path
