"""Crash recovery: a real process killed with SIGKILL while typing loses at most ~2 s of text."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pse_desk.errors import NotFoundError
from pse_desk.services.articles import create_article, delete_article, save_body
from pse_desk.services.recovery import (
    RECOVERED_LABEL,
    Snapshot,
    clear_snapshot,
    discard_recovery,
    journal_folder,
    journal_for,
    pending_recoveries,
    recover,
    write_snapshot,
)
from pse_desk.services.revisions import timeline
from pse_desk.store import Store, open_store
from pse_desk.store.model import Article, RevisionKind

# What the editor does while someone types: change the text, and write a snapshot of the dirty
# article at most ~1 s after a change (here every 0.5 s), reporting each keystroke's time.
TYPIST = textwrap.dedent("""
    import sys, time
    from pse_desk.services.recovery import Snapshot, journal_for
    from pse_desk.store import open_store

    store = open_store(sys.argv[1])
    journal = journal_for(store)
    article_id = sys.argv[2]
    body = "Start."
    last_snapshot = 0.0
    typed = 0
    while True:
        typed += 1
        body += f" word{typed}"
        now = time.monotonic()
        print(f"typed {typed} {now}", flush=True)
        if now - last_snapshot >= 0.5:
            journal.write(Snapshot(article_id, "Typed title", "", body, cursor=len(body)))
            last_snapshot = now
            print(f"snapshot {typed}", flush=True)
        time.sleep(0.005)
""")


def saved_body(store: Store, article_id: str) -> str:
    with store.read_session() as s:
        article = s.get(Article, article_id)
        assert article is not None
        return article.body_md


def test_text_typed_before_a_sigkill_is_recovered_but_for_the_last_two_seconds(
        store: Store, tmp_path: Path) -> None:
    article_id = create_article(store, "Typed title", body_md="Start.").id
    script = tmp_path / "typist.py"
    script.write_text(TYPIST)
    child = subprocess.Popen([sys.executable, str(script), str(store.path), article_id],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    typed_at: dict[int, float] = {}
    snapshots: list[int] = []  # the keystroke each finished snapshot holds
    try:
        for line in child.stdout:
            kind, number, *rest = line.split()
            if kind == "typed":
                typed_at[int(number)] = float(rest[0])
            else:
                snapshots.append(int(number))
            if len(snapshots) >= 4 and len(typed_at) > 100:
                break
        else:
            pytest.fail("the typing process stopped before it was killed")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        rest_of_output = child.communicate(timeout=30)[0]
    for line in rest_of_output.splitlines():  # what was still in the pipe at the kill
        kind, number, *rest = line.split()
        if kind == "typed":
            typed_at[int(number)] = float(rest[0])
        else:
            snapshots.append(int(number))
    assert child.returncode == -signal.SIGKILL
    last_typed = max(typed_at)

    (pending,) = pending_recoveries(store)
    assert pending.article_id == article_id
    result = recover(store, article_id)

    body = saved_body(store, article_id)
    words = body.split()[1:]
    recovered = len(words)
    assert body == "Start." + "".join(f" word{i}" for i in range(1, recovered + 1))
    assert recovered >= snapshots[-1]  # a snapshot reported written is never lost
    missing_seconds = (typed_at[last_typed] - typed_at[recovered + 1]
                       if recovered < last_typed else 0.0)
    assert missing_seconds <= 2.0, f"lost {last_typed - recovered} words, {missing_seconds:.2f}s"
    assert result.cursor == len(body)
    latest = timeline(store, article_id)[0]
    assert (latest.kind, latest.label) == (RevisionKind.AUTOSAVE, RECOVERED_LABEL)
    assert pending_recoveries(store) == []
    assert not list(journal_folder(store.path).glob("*.json"))


def test_a_snapshot_after_a_normal_save_is_cleared_and_nothing_is_pending(store: Store) -> None:
    article_id = create_article(store, "Saved", body_md="Done.").id
    write_snapshot(store, Snapshot(article_id, "Saved", "", "Done. And more."))
    save_body(store, article_id, "Done. And more.")
    clear_snapshot(store, article_id)
    assert pending_recoveries(store) == []


def test_a_snapshot_equal_to_the_saved_text_is_not_offered_and_is_removed(store: Store) -> None:
    article_id = create_article(store, "Same", body_md="Same text.").id
    write_snapshot(store, Snapshot(article_id, "Same", "", "Same text."))
    assert pending_recoveries(store) == []
    assert journal_for(store).read(article_id) is None


def test_recovery_brings_back_a_deleted_article(store: Store) -> None:
    article_id = create_article(store, "Deleted meanwhile", body_md="Old.").id
    write_snapshot(store, Snapshot(article_id, "Deleted meanwhile", "Standfirst", "New words."))
    delete_article(store, article_id)
    recover(store, article_id)
    with store.read_session() as s:
        article = s.get(Article, article_id)
        assert article is not None
        assert not article.deleted
        assert (article.standfirst, article.body_md) == ("Standfirst", "New words.")


def test_discarding_keeps_the_saved_text(store: Store) -> None:
    article_id = create_article(store, "Keep", body_md="Saved.").id
    write_snapshot(store, Snapshot(article_id, "Keep", "", "Unsaved."))
    discard_recovery(store, article_id)
    assert pending_recoveries(store) == []
    assert saved_body(store, article_id) == "Saved."
    with pytest.raises(NotFoundError):
        recover(store, article_id)


def test_odd_text_survives_the_journal_exactly(store: Store) -> None:
    body = "NUL\x00, a lone surrogate \ud83d, “quotes”, 😀 and\r\nline ends"
    article_id = create_article(store, "Odd", body_md="").id
    journal_for(store).write(Snapshot(article_id, "Odd", "", body, cursor=7))
    snapshot = journal_for(store).read(article_id)
    assert snapshot is not None
    assert (snapshot.body_md, snapshot.cursor) == (body, 7)


def test_torn_and_foreign_files_in_the_journal_are_ignored(store: Store) -> None:
    folder = journal_folder(store.path)
    folder.mkdir()
    (folder / ".tmpabc.tmp").write_text('{"article_id": "half')
    (folder / "0b8f-broken.json").write_text("{not json")
    (folder / "notes.txt").write_text("hello")
    (folder / "1234-unknown.json").write_text(
        '{"article_id": "1234-unknown", "title": "", "standfirst": "", "body_md": "x", '
        '"cursor": 0, "written_at": "2026-01-01T00:00:00"}')
    assert pending_recoveries(store) == []
    assert (folder / "1234-unknown.json").exists()  # maybe another database's: left alone


def test_writing_leaves_no_temporary_files_and_reopening_the_store_finds_snapshots(
        store: Store) -> None:
    article_id = create_article(store, "Reopen", body_md="a").id
    for i in range(5):
        write_snapshot(store, Snapshot(article_id, "Reopen", "", "a" + "b" * i))
    assert sorted(p.name for p in journal_folder(store.path).iterdir()) == [f"{article_id}.json"]
    store.close()
    reopened = open_store(store.path)
    try:
        (pending,) = pending_recoveries(reopened)
        assert pending.recovered_chars == 5
        assert pending.saved_chars == 1
    finally:
        reopened.close()


def test_a_path_like_article_id_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        write_snapshot(store, Snapshot("../../etc/passwd", "", "", ""))


def test_a_snapshot_of_text_a_revision_holds_is_not_offered_after_a_restore(
        store: Store) -> None:
    from pse_desk.services.revisions import ArticleText, restore, save_revision

    article_id = create_article(store, "Restored", body_md="Old words.").id
    old = save_revision(store, article_id, ArticleText("Restored", "", "Old words."))
    save_revision(store, article_id, ArticleText("Restored", "", "Old words. A new line."))
    # the snapshot of the autosaved text outlives its save (a kill before the journal is
    # settled), then the old revision is restored
    write_snapshot(store, Snapshot(article_id, "Restored", "", "Old words. A new line."))
    with store.session() as s:  # a restore without the journal clean-up
        article = s.get(Article, article_id)
        assert article is not None
        article.body_md = "Old words."
        s.commit()
    assert pending_recoveries(store) == []
    assert not list(journal_folder(store.path).glob("*.json"))
    assert restore(store, old.id).kind is RevisionKind.RESTORE


@pytest.mark.parametrize("save", ["autosave", "named", "restore", "unchanged autosave"])
def test_every_save_settles_the_journal(store: Store, save: str) -> None:
    from pse_desk.services.revisions import ArticleText, autosave, restore, save_revision

    article_id = create_article(store, "Settled", body_md="One.").id
    first = save_revision(store, article_id, ArticleText("Settled", "", "One."))
    write_snapshot(store, Snapshot(article_id, "Settled", "", "One. Two."))
    text = ArticleText("Settled", "", "One. Two.")
    if save == "autosave":
        assert autosave(store, article_id, text) is not None
    elif save == "named":
        save_revision(store, article_id, text, label="Named")
    elif save == "restore":
        restore(store, first.id)
    else:
        assert autosave(store, article_id, ArticleText("Settled", "", "One.")) is None
    assert journal_for(store).read(article_id) is None
