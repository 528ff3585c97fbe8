"""How the push cuts the outbox into batches (no hub needed): a batch carries the queued
creation of every parent its rows need, and is settled as one range."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from pse_desk.services import articles as article_service
from pse_desk.services import revisions as revision_service
from pse_desk.store import open_store
from pse_desk.store.model import ChangeLog
from pse_desk.sync import replicate as rep


def test_a_batch_reaches_forward_to_a_parent_created_later_in_the_outbox(
        tmp_path: Path) -> None:
    store = open_store(tmp_path / "a.db")
    try:
        first = article_service.create_article(store, "First", body_md="One.\n")
        revision_service.save_revision(
            store, first.id, revision_service.ArticleText("First", "", "One, again.\n"))
        other = article_service.create_article(store, "Other", body_md="Two.\n")
        with store.session() as s:  # the first article's creation moved behind everything
            top = s.scalar(sa.select(sa.func.max(ChangeLog.seq)))
            created = s.scalar(sa.select(sa.func.min(ChangeLog.seq)).where(
                ChangeLog.row_id == first.id, ChangeLog.table_name == "article",
                ChangeLog.base_hlc == ""))
            s.execute(sa.update(ChangeLog).where(ChangeLog.seq == created)
                      .values(seq=top + 100))
            s.commit()
        later = article_service.create_article(store, "Later", body_md="Three.\n")
        with store.read_session() as s:
            rows = s.execute(sa.select(ChangeLog.seq, ChangeLog.table_name, ChangeLog.row_id)
                             .order_by(ChangeLog.seq)).all()
            children = [r for r in rows if r.table_name == "revision"]
            assert children, rows
            # a batch of one entry: the first revision, which needs the moved article
            batch = rep.read_batch(s, "editor", limit=1)
            assert batch is not None
            sent = {(e.table, e.row_id) for e in batch.entries}
            assert ("article", first.id) in sent and batch.last_seq == top + 100
            # read once for the whole push, the answer is the same
            again = rep.read_batch(s, "editor", limit=1,
                                   creations=rep.last_creations(s, None))
            assert again is not None and again.seqs == batch.seqs
        with store.session() as s:
            rep.settle_batch(s, batch, rep.Ack())
            s.commit()
        with store.read_session() as s:
            left = set(s.scalars(sa.select(ChangeLog.seq)))
        assert left == {seq for seq, *_ in rows} - set(batch.seqs)
        assert other.id
        with store.read_session() as s:  # what came after the batch still waits
            assert s.scalar(sa.select(sa.func.count()).select_from(ChangeLog)
                            .where(ChangeLog.row_id == later.id)) == 1
    finally:
        store.close()
