"""A Python function serving requests in a process of its own, fed through a pipe, killable.

Work that may take seconds or hang on hostile input (rendering Markdown, analysing a text) runs
in a spawned process (forking a Qt process is unsafe): the GUI keeps its GIL, and a request
past its deadline is ended by killing the process, which the next request replaces.

Not a ``ProcessPoolExecutor``: when its worker is killed while its feeder thread is still
pushing a large text into the call queue, that thread blocks for ever and so does the
interpreter's exit (the queue keeps its own read end open). Here the caller's thread sends,
the parent holds no read end of the child's side, and a killed worker turns a blocked send into
an error at once.

``WorkerProcess(target, name, *args)`` starts ``target(connection, *args)`` in the child on
``start()``; ``connection`` is the parent's end; ``stop()`` kills it (safe twice).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

SPAWN = multiprocessing.get_context("spawn")


class WorkerProcess:
    """One child process and the parent's end of its pipe; see the module docstring."""

    def __init__(self, target: Callable[..., None], name: str, *args: Any) -> None:
        self._target, self._name, self._args = target, name, args
        self._process: BaseProcess | None = None
        self.connection: Connection | None = None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> Connection:
        """Start a fresh child (a running one is stopped first); the parent's end of the pipe."""
        self.stop()
        parent_end, child_end = SPAWN.Pipe(duplex=True)
        self._process = SPAWN.Process(target=self._target, args=(child_end, *self._args),
                                      name=self._name, daemon=True)
        self.connection = parent_end  # a failed start is stopped with it on the next try
        try:
            self._process.start()
        finally:
            child_end.close()
        return parent_end

    def stop(self, grace_s: float = 0.0) -> None:
        """End the child: wait ``grace_s`` for it to finish by itself, then kill it."""
        if self.connection is not None:
            self.connection.close()
        process, self._process, self.connection = self._process, None, None
        if process is None or process.pid is None:  # never started, or a start that failed
            return
        if grace_s:
            process.join(grace_s)
        if process.is_alive():
            process.kill()
        process.join(2.0)
        if process.exitcode is not None:
            process.close()
