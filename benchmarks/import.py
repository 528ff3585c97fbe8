"""Import benchmark: a generated WordPress export of 10,000 posts and 1,000,000 comments.

Prints JSON lines {"metric", "value", "unit", "target", "better"}:
  import.comments_per_s   comments/s, ``import_file(store, FILE, "wxr")`` of the whole export
                          into a fresh newsroom that has the desk's default moderation rules
                          (parse, articles with Markdown and revisions, commenters, comments,
                          every rule over every comment in posting order, search index), one
                          transaction, in a child process (target >= 20,000)
  import.peak_rss_mb      MB, that child's peak resident memory (target <= 300)
  import.seconds          s, the import's wall time (informational)
On stderr: the sizes, the summary the import printed.

The export is generated once (streamed to a file, ~0.5 GB at full size) and cached as
``benchmarks/data/import-wxr-<posts>-<comments>.xml``; comment texts are drawn from the
vocabulary of ``benchmarks/moderation_engine.py`` with its mix of rude words, suspect words,
links, shouting and repeats, so the rules do real work. Kept in its own functions
(``ensure_wxr``, ``bench_wxr``): other import figures (dumps) can join this script.

Run: .venv/bin/python benchmarks/import.py [--posts 10000] [--comments 1000000]
``--smoke``: 50 posts and 2,000 comments in a temporary folder (checks that it works, ~5 s).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

DATA = HERE / "data"


def emit(metric: str, value: float, unit: str, target: float | None, better: str) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target, "better": better}), flush=True)


def say(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


# --- the WordPress export -------------------------------------------------------------------

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        '<title>Public Sector Review</title><link>https://bench.example.org</link>\n'
        '<wp:wxr_version>1.2</wp:wxr_version>\n'
        '<wp:base_site_url>https://bench.example.org</wp:base_site_url>\n')
TOPICS = ["council budgets", "NHS waiting lists", "devolution deals", "bus franchising",
          "adult social care", "library closures", "housing targets", "police precepts"]


def _comment_text(rnd: random.Random, words: list[str], weights: list[float],
                  recent: list[str]) -> str:
    from moderation_engine import BANNED, SUSPECT

    text = " ".join(rnd.choices(words, cum_weights=weights, k=rnd.randint(6, 70)))
    roll = rnd.random()
    if roll < 0.02:
        text += " you " + rnd.choice(BANNED)
    elif roll < 0.05:
        text += " " + rnd.choice(SUSPECT)
    elif roll < 0.07:
        text += " http://a.example/x https://b.example/y www.c.example"
    elif roll < 0.09:
        text = text.upper()
    elif roll < 0.11 and recent:
        text = rnd.choice(recent)
    return text[0].upper() + text[1:] + "."


def write_wxr(path: Path, posts: int, comments: int, seed: int = 11) -> None:
    """Stream a WXR 1.2 export: ``posts`` posts sharing ``comments`` comments, about a tenth
    of them replies, from commenters who come back."""
    from moderation_engine import make_vocabulary

    rnd = random.Random(seed)
    words, weights = make_vocabulary(rnd)
    base = datetime(2015, 1, 1)
    readers = max(1, comments // 8)
    recent: list[str] = []
    cid = 0
    with path.open("w", encoding="utf-8") as f:
        f.write(HEAD)
        for p in range(1, posts + 1):
            share = comments // posts + (1 if p <= comments % posts else 0)
            when = base + timedelta(hours=7 * p)
            topic = TOPICS[p % len(TOPICS)]
            f.write(f"<item><title>{topic.capitalize()}: report {p}</title>"
                    f"<link>https://bench.example.org/{p}/</link>"
                    f"<dc:creator><![CDATA[desk]]></dc:creator>"
                    f"<content:encoded><![CDATA[<p>What {topic} mean for the "
                    f"authorities, in report {p}.</p>\n<h2>The figures</h2>\n<p>The "
                    f"<strong>budget</strong> fell by {p % 9 + 1}%.</p>\n<ul><li>one</li>"
                    f"<li>two</li></ul>]]></content:encoded>"
                    f"<wp:post_id>{p}</wp:post_id>"
                    f"<wp:post_date><![CDATA[{when:%Y-%m-%d %H:%M:%S}]]></wp:post_date>"
                    f"<wp:post_date_gmt><![CDATA[{when:%Y-%m-%d %H:%M:%S}]]>"
                    f"</wp:post_date_gmt><wp:post_name><![CDATA[report-{p}]]></wp:post_name>"
                    f"<wp:status><![CDATA[publish]]></wp:status>"
                    f"<wp:post_type><![CDATA[post]]></wp:post_type>"
                    f'<category domain="category" nicename="news"><![CDATA[News]]></category>'
                    f'<category domain="post_tag" nicename="t{p % 40}"><![CDATA[tag {p % 40}]]>'
                    f"</category>\n")
            first = cid + 1
            for n in range(share):
                cid += 1
                posted = when + timedelta(minutes=3 * n + rnd.randint(0, 2))
                who = rnd.randrange(readers)
                text = _comment_text(rnd, words, weights, recent)
                recent.append(text)
                if len(recent) > 2000:
                    del recent[:1000]
                parent = rnd.randint(first, cid - 1) if n and rnd.random() < 0.1 else 0
                status = "1" if rnd.random() < 0.85 else rnd.choice(("0", "spam", "trash"))
                f.write(f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
                        f"<wp:comment_author><![CDATA[Reader {who}]]></wp:comment_author>"
                        f"<wp:comment_author_email><![CDATA[reader{who}@example.net]]>"
                        f"</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>"
                        f"<wp:comment_author_IP><![CDATA[192.0.2.{who % 250}]]>"
                        f"</wp:comment_author_IP>"
                        f"<wp:comment_date><![CDATA[{posted:%Y-%m-%d %H:%M:%S}]]>"
                        f"</wp:comment_date><wp:comment_date_gmt><![CDATA["
                        f"{posted:%Y-%m-%d %H:%M:%S}]]></wp:comment_date_gmt>"
                        f"<wp:comment_content><![CDATA[{escape(text)}]]></wp:comment_content>"
                        f"<wp:comment_approved><![CDATA[{status}]]></wp:comment_approved>"
                        f"<wp:comment_type><![CDATA[comment]]></wp:comment_type>"
                        f"<wp:comment_parent>{parent}</wp:comment_parent>"
                        f"<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n")
            f.write("</item>\n")
        f.write("</channel>\n</rss>\n")


def ensure_wxr(folder: Path, posts: int, comments: int) -> Path:
    """The export of that size in ``folder``, generated unless a finished one is there."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"import-wxr-{posts}-{comments}.xml"
    marker = Path(f"{path}.ok")
    if not (path.exists() and marker.exists()):
        marker.unlink(missing_ok=True)
        started = time.perf_counter()
        write_wxr(path, posts, comments)
        marker.write_text("ok\n")
        say(f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - started:.0f} s")
    return path


# --- the measured child -------------------------------------------------------------------

def child_import(db: Path, export: Path) -> None:
    from pse_desk.services.importing import import_file
    from pse_desk.store import open_store

    store = open_store(db)
    try:
        started = time.perf_counter()
        summary = import_file(store, export, "wxr")
        seconds = time.perf_counter() - started
    finally:
        store.close()
    print(json.dumps({"comments": summary.comments, "seconds": seconds,
                      "summary": str(summary)}), flush=True)


def fresh_newsroom(db: Path) -> None:
    from pse_desk.demo.rules import DEFAULT_RULES
    from pse_desk.store import open_store
    from pse_desk.store.model import Rule

    store = open_store(db)
    try:
        with store.session() as s:
            for spec in DEFAULT_RULES:
                s.add(Rule(kind=spec.kind, params=dict(spec.params), action=spec.action,
                           enabled=True, description=spec.description))
            s.commit()
    finally:
        store.close()


def bench_wxr(folder: Path, posts: int, comments: int) -> None:
    export = ensure_wxr(folder, posts, comments)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "import.sqlite"
        fresh_newsroom(db)
        say(f"importing {posts:,} posts and {comments:,} comments")
        done = subprocess.run([sys.executable, __file__, "--child", str(db), str(export)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"the import failed (exit {done.returncode})")
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(done.stdout.strip().splitlines()[-1])
    say(result["summary"].replace("\n", " "))
    emit("import.comments_per_s", result["comments"] / result["seconds"], "comments/s",
         20000, "higher")
    emit("import.peak_rss_mb", peak_kib / 1024, "MB", 300, "lower")
    emit("import.seconds", result["seconds"], "s", None, "lower")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("DB", "EXPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_import(Path(args.child[0]), Path(args.child[1]))
        return
    if args.smoke:
        with tempfile.TemporaryDirectory() as tmp:
            bench_wxr(Path(tmp), 50, 2_000)
        return
    bench_wxr(DATA, args.posts, args.comments)


if __name__ == "__main__":
    main()
