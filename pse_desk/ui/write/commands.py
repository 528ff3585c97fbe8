"""Undoable commands of the Write workspace (on the workspace's QUndoStack, so Ctrl+Z undoes).

Deleting an article is a tombstone (``services.articles.delete_article``); undoing brings it back
(``undelete_article``). Creating or duplicating one is undone by tombstoning the new article.
The writes run in the workspace's ``WriteQueue``; ``changed`` is called on the GUI thread when
one has landed (the list is read again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from pse_desk.services import articles

if TYPE_CHECKING:
    from pse_desk.store import Store
    from pse_desk.ui.write.autosave import WriteQueue

Changed = Callable[[str, bool], None]  # article id, whether it is live now
Closing = Callable[[str], None]  # article id: close its tab (saving it) before the delete
OnError = Callable[[str], None]


class _ArticleCommand(QUndoCommand):
    def __init__(self, text: str, queue: WriteQueue, store: Store, article_id: str,
                 changed: Changed, on_error: OnError, closing: Closing) -> None:
        super().__init__(text)
        self.queue, self.store, self.article_id = queue, store, article_id
        self._changed, self._on_error, self._closing = changed, on_error, closing

    def _delete(self) -> None:
        store, article_id = self.store, self.article_id
        self._closing(article_id)  # its last words are queued before the tombstone
        self.queue.submit(lambda: articles.delete_article(store, article_id),
                          lambda _r: self._changed(article_id, False), self._on_error)

    def _undelete(self) -> None:
        store, article_id = self.store, self.article_id
        self.queue.submit(lambda: articles.undelete_article(store, article_id),
                          lambda _r: self._changed(article_id, True), self._on_error)


class DeleteArticleCommand(_ArticleCommand):
    """Tombstone an article; undo brings it back with everything it had."""

    def __init__(self, queue: WriteQueue, store: Store, article_id: str, title: str,
                 changed: Changed, on_error: OnError, closing: Closing) -> None:
        super().__init__(f"Delete “{title}”", queue, store, article_id, changed, on_error,
                         closing)

    def redo(self) -> None:
        self._delete()

    def undo(self) -> None:
        self._undelete()


class AddedArticleCommand(_ArticleCommand):
    """An article that was just created (New or Duplicate); undo tombstones it again.

    Pushed after the article exists, so the first ``redo`` (run by ``QUndoStack.push``) does
    nothing.
    """

    def __init__(self, queue: WriteQueue, store: Store, article_id: str, text: str,
                 changed: Changed, on_error: OnError, closing: Closing) -> None:
        super().__init__(text, queue, store, article_id, changed, on_error, closing)
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._undelete()

    def undo(self) -> None:
        self._delete()
