"""Composition root: parses the command line, runs a subcommand or starts the Qt application.

Subcommands never import Qt. The GUI path creates the QApplication, checks the database with
the quick standard-library preflight, shows the main window and only then loads the heavy parts
(SQLAlchemy, QtWebEngine) so the first paint comes early.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pse_desk import cli


def main(argv: Sequence[str] | None = None) -> int:
    args = cli.build_parser().parse_args(argv)
    if args.command is not None:
        return cli.run(args)
    from pse_desk.ui.launch import launch_gui

    return launch_gui(args)


if __name__ == "__main__":
    sys.exit(main())
