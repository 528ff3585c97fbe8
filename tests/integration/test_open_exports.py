"""Open exports: articles as Markdown with YAML front matter, comments as CSV, and the CLI's
`export markdown|comments|audit|dump` and `import dump`."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from pse_desk.demo import build_demo
from pse_desk.errors import WorkCancelled
from pse_desk.services.exporting import export_comments_csv, export_markdown
from pse_desk.store import open_store
from pse_desk.store.model import Article, ArticleStatus, Comment, Commenter, new_id

HOSTILE = [
    ("../../etc/passwd", "../../etc/passwd"),
    ("Slash / and back\\slash: a title", "a/b\\c"),
    ("Line one\nline two", "same-slug"),
    ("Key: value # not a comment", "same-slug-2"),
    ("- a list? [no] {no} &anchor *alias !tag | > '\"", "SAME-SLUG"),
    ("---", "---"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("open") / "newsroom.sqlite"
    store = open_store(path)
    try:
        build_demo(store, articles=6, comments=300, seed=5)
        with store.session() as s:
            for title, slug in HOSTILE:
                s.add(Article(slug=slug, title=title, standfirst="Stand: first\n# two",
                              body_md=f"# {title}\n\n---\n\nBody of {slug}\n", tags=["a: b"],
                              section="News #1", status=ArticleStatus.DRAFT))
            s.add(Article(slug="gone", title="Deleted", deleted=True))
            article = Article(id=new_id(), slug="formula", title="=SUM(A1)",
                              status=ArticleStatus.PUBLISHED,
                              published_at=datetime(2026, 11, 3, 9, 30))
            who = Commenter(id=new_id(), display_name="@attacker")
            s.add_all([article, who])
            s.flush()
            s.add(Comment(article_id=article.id, commenter_id=who.id, body='=HYPERLINK("x")'))
            s.add(Comment(article_id=article.id, commenter_id=who.id, body="-1+1"))
            s.add(Comment(article_id=article.id, commenter_id=who.id, body="+x", deleted=True))
            s.commit()
    finally:
        store.close()
    return path


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    assert text.startswith("---\n")
    head, sep, body = text[4:].partition("\n---\n")
    assert sep
    return yaml.safe_load(head), body


def _articles(db: Path) -> dict[str, sqlite3.Row]:
    with closing(sqlite3.connect(db)) as con:
        con.row_factory = sqlite3.Row
        return {r["id"]: r for r in con.execute("SELECT * FROM article WHERE deleted = 0")}


def test_every_article_becomes_a_markdown_file_whose_front_matter_reads_back(
        db: Path, tmp_path: Path) -> None:
    store = open_store(db)
    try:
        count = export_markdown(store, tmp_path / "posts")
    finally:
        store.close()
    articles = _articles(db)
    files = sorted((tmp_path / "posts").iterdir())
    assert count == len(files) == len(articles)
    assert all(f.suffix == ".md" and f.parent == tmp_path / "posts" for f in files)
    seen_slugs = set()
    for f in files:
        meta, body = _front_matter(f.read_text(encoding="utf-8"))
        row = articles[str(meta["pse_desk_id"])]
        assert body == row["body_md"]
        assert meta["title"] == row["title"]
        assert meta["draft"] is (row["status"] != "published")
        when = row["published_at"] or row["created_at"]
        assert meta["date"] == when[:10] + "T" + when[11:19] + "Z"
        assert f.name == f"{when[:10]}-{meta['slug']}.md"
        assert meta.get("summary", "") == row["standfirst"]
        assert meta.get("categories", []) == ([row["section"]] if row["section"] else [])
        assert meta.get("author", "") == row["author"]
        seen_slugs.add(meta["slug"])
    assert len(seen_slugs) == len(files)


def test_hostile_titles_and_slugs_give_safe_unique_file_names(db: Path, tmp_path: Path) -> None:
    store = open_store(db)
    try:
        export_markdown(store, tmp_path / "posts")
    finally:
        store.close()
    names = [f.name for f in (tmp_path / "posts").iterdir()]
    assert list(tmp_path.iterdir()) == [tmp_path / "posts"]  # nothing climbed out
    for name in names:
        stem = name[11:-3]
        assert stem and set(stem) <= set("abcdefghijklmnopqrstuvwxyz0123456789-"), name
    assert len({n.lower() for n in names}) == len(names)
    titles = {_front_matter(f.read_text(encoding="utf-8"))[0]["title"]
              for f in (tmp_path / "posts").iterdir()}
    assert {t for t, _slug in HOSTILE} <= titles


def test_a_cancelled_markdown_export_leaves_no_folder(db: Path, tmp_path: Path) -> None:
    store = open_store(db)
    try:
        with pytest.raises(WorkCancelled):
            export_markdown(store, tmp_path / "posts", cancel=lambda: True)
    finally:
        store.close()
    assert list(tmp_path.iterdir()) == []


def test_comments_csv_has_one_formula_safe_row_per_live_comment(db: Path,
                                                               tmp_path: Path) -> None:
    store = open_store(db)
    try:
        count = export_comments_csv(store, tmp_path / "c.csv")
    finally:
        store.close()
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8", newline="")))
    with closing(sqlite3.connect(db)) as con:
        live = {r[0]: r[1] for r in con.execute("SELECT id, body FROM comment WHERE deleted = 0")}
    assert count == len(rows) == len(live) == 302
    assert {r["id"] for r in rows} == set(live)
    bodies = {r["body"] for r in rows}
    assert "'=HYPERLINK(\"x\")" in bodies and "'-1+1" in bodies
    assert {r["commenter"] for r in rows if r["article"] == "'=SUM(A1)"} == {"'@attacker"}
    for r in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in r.values()), r
        if not live[r["id"]].startswith(("=", "+", "-", "@", "\t", "\r")):
            assert r["body"] == live[r["id"]]
    assert [r["posted_at"] for r in rows] == sorted(r["posted_at"] for r in rows)
    assert any(r["held_for"] for r in rows)


# --- the command line ------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", *args],
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "n.sqlite"
    assert _cli("--db", str(db), "demo", "--articles", "4", "--comments", "150",
                "--quiet").returncode == 0
    return db


def test_export_markdown_on_the_command_line(cli_db: Path, tmp_path: Path) -> None:
    done = _cli("--db", str(cli_db), "export", "markdown", str(tmp_path / "md"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"4 articles written to {tmp_path / 'md'}"
    assert len(list((tmp_path / "md").glob("*.md"))) == 4


def test_export_comments_on_the_command_line(cli_db: Path, tmp_path: Path) -> None:
    done = _cli("--db", str(cli_db), "export", "comments", str(tmp_path / "c.csv"))
    assert done.returncode == 0, done.stderr
    assert "150 comments written" in done.stdout
    assert len(list(csv.reader((tmp_path / "c.csv").open(encoding="utf-8")))) == 151


def test_export_audit_writes_what_audit_export_writes(cli_db: Path, tmp_path: Path) -> None:
    new, old = tmp_path / "new.csv", tmp_path / "old.csv"
    done = _cli("--db", str(cli_db), "export", "audit", str(new), "--actor", "demo")
    assert done.returncode == 0, done.stderr
    assert _cli("--db", str(cli_db), "audit-export", str(old), "--actor",
                "demo").returncode == 0
    assert new.read_bytes() == old.read_bytes() and "audit rows written" in done.stdout


def test_export_dump_then_import_dump_on_the_command_line(cli_db: Path, tmp_path: Path) -> None:
    out, target = tmp_path / "n.jsonl.gz", tmp_path / "restored.sqlite"
    done = _cli("--db", str(cli_db), "export", "dump", str(out))
    assert done.returncode == 0, done.stderr
    total = int(done.stdout.split()[0].replace(",", ""))
    back = _cli("--db", str(target), "import", "dump", str(out))
    assert back.returncode == 0, back.stderr
    assert back.stdout.strip() == f"{total:,} rows restored from {out} into {target}"
    again = _cli("--db", str(target), "import", "dump", str(out))
    assert again.returncode == 1
    assert again.stderr.startswith("pse-desk: This database already holds a newsroom")
    assert "Traceback" not in again.stderr


def test_import_dump_of_a_file_that_is_not_a_dump_is_one_sentence(tmp_path: Path) -> None:
    bogus = tmp_path / "x.jsonl"
    bogus.write_bytes(b"\x00\x01binary")
    done = _cli("--db", str(tmp_path / "t.sqlite"), "import", "dump", str(bogus))
    assert done.returncode == 1
    assert done.stderr.strip() == (f"pse-desk: {bogus}, line 1: it is not a PSE Desk dump; "
                                   "nothing was restored.")
    assert not (tmp_path / "t.sqlite").exists()
