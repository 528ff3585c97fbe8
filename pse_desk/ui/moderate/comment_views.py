"""Comments prepared for the detail pane, read ahead so that j and k show the next one at once.

A ``CommentView`` (``services.moderation.detail.comment_view``: the body sanitised, the reasons,
the thread) takes a read in the pool; the views of the comments around the current row are
read before they are asked for and kept in a small least-recently-used cache. A decision, a
ban or a new listing makes the views it touched stale: ``forget`` or ``clear`` them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial

from pse_desk.services.moderation.detail import CommentView, comment_view
from pse_desk.ui.workers import ReadRunner

CACHE = 64  # views kept


class CommentViews:
    def __init__(self, runner: ReadRunner, present: Callable[[CommentView], None],
                 failed: Callable[[str], None], size: int = CACHE) -> None:
        self.runner, self.size = runner, size
        self._present, self._failed = present, failed
        self._views: OrderedDict[str, CommentView] = OrderedDict()

    def show(self, comment_id: str, fresh: bool = False) -> None:
        """Present a comment's view: the one read ahead at once, else when its read is done."""
        view = None if fresh else self._views.get(comment_id)
        if view is not None:
            self.runner.forget("moderate.comment")  # an older read must not replace it
            self._present(view)
            return
        self.runner.submit("moderate.comment", lambda s: comment_view(s, comment_id),
                           self._arrived, self._failed)

    def read_ahead(self, comment_ids: Iterable[str]) -> None:
        """Read the views of these comments into the cache (those not there yet)."""
        for cid in comment_ids:
            if cid in self._views:
                continue
            self.runner.submit(f"moderate.prefetch.{cid}", partial(comment_view, comment_id=cid),
                               self.remember, lambda _sentence: None)

    def remember(self, view: CommentView) -> None:
        self._views[view.detail.id] = view
        self._views.move_to_end(view.detail.id)
        while len(self._views) > self.size:
            self._views.popitem(last=False)

    def forget(self, comment_ids: Iterable[str]) -> None:
        for cid in comment_ids:
            self._views.pop(cid, None)

    def clear(self) -> None:
        self._views.clear()

    def _arrived(self, view: CommentView) -> None:
        self.remember(view)
        self._present(view)
