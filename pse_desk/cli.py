"""Command-line interface: argparse subcommands that need no display (demo, db, render …).

``build_parser()`` is the registry: every subcommand and option is listed in the README, and a
test walks the parser to check. Commands report errors as one sentence on stderr and exit 1.
GUI options (``--screenshot``, ``--workspace``, ``--theme``) are parsed here too but handled
by ``pse_desk.app``, which owns Qt.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pse_desk import __version__
from pse_desk.errors import DeskError
from pse_desk.paths import DB_ENV, resolve_db_path

WORKSPACES = ("write", "moderate", "layout", "editions")

Handler = Callable[[argparse.Namespace], int]

if TYPE_CHECKING:
    from pse_desk.store import Store


def _open(args: argparse.Namespace, *, read_only: bool = False) -> Store:
    # imported here: SQLAlchemy costs ~0.3 s, which --help and render never need
    from pse_desk.store import open_read_only, open_store

    path = resolve_db_path(args.db)
    if read_only:
        return open_read_only(path)
    store = open_store(path)
    from pse_desk.services.hub_settings import apply_role

    apply_role(store)  # a moderator's desk refuses article changes, from the command line too
    return store


def cmd_demo(args: argparse.Namespace) -> int:
    from pse_desk.demo import build_demo

    store = _open(args)
    try:
        def progress(done: int, total: int, what: str) -> None:
            if not args.quiet:
                line = f"\r{what}: {done:,}/{total:,}".ljust(40)
                print(line, end="", file=sys.stderr, flush=True)

        summary = build_demo(store, articles=args.articles, comments=args.comments,
                             seed=args.seed, progress=progress)
        if not args.quiet:
            print(file=sys.stderr)
        print(summary)
    finally:
        store.close()
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    store = _open(args)  # opening migrates
    try:
        from pse_desk.store.migrations import HEAD_REVISION

        print(f"{store.path}: schema at revision {HEAD_REVISION}")
    finally:
        store.close()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """``pse-desk backup``: a checked backup, rotated in the backup folder or to ``-o FILE``."""
    from pse_desk.store.backup import back_up, write_backup

    path = resolve_db_path(args.db).expanduser().absolute()
    made = write_backup(path, Path(args.output)) if args.output else back_up(path)
    print(f"{path} backed up to {made.path} ({made.size / 1e6:.1f} MB), checked.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``pse-desk restore``: a backup in place of the database, which is moved aside."""
    from pse_desk.errors import ValidationError
    from pse_desk.store.salvage import ensure_unused, newest_good_backup, restore_backup

    path = resolve_db_path(args.db).expanduser().absolute()
    if args.backup:
        chosen = Path(args.backup)
    else:
        newest = newest_good_backup(path)
        if newest is None:
            raise ValidationError(f"There is no good backup of {path} to restore.")
        chosen = newest.path
    ensure_unused(path)
    aside = restore_backup(chosen, path)
    kept = f"; the file it replaced was kept as {aside}" if aside else ""
    print(f"{chosen} restored to {path}{kept}.")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    from pse_desk.store.salvage import diagnose

    path = resolve_db_path(args.db).expanduser().absolute()
    found = diagnose(path)
    if found is None:
        print(f"{path} passes SQLite's check.")
        return 0
    print(f"pse-desk: {found.sentence} {RECOVER_HINT}", file=sys.stderr)
    return 1


def cmd_db_recover(args: argparse.Namespace) -> int:
    from pse_desk.store.salvage import ensure_unused, recover

    path = resolve_db_path(args.db).expanduser().absolute()
    ensure_unused(path)
    print(recover(path).sentence)
    return 0


RECOVER_HINT = ("`pse-desk restore` puts the newest good backup in its place; "
                "`pse-desk db recover` reads what can be read into a new file.")


def cmd_render(args: argparse.Namespace) -> int:
    """``pse-desk render``: the preview's pipeline (killable worker, deadline) to one page."""
    from pse_desk.errors import ValidationError
    from pse_desk.render.document import read_markdown, render_markdown_page

    if not args.deadline > 0:
        raise ValidationError("--deadline must be a positive number of seconds.")
    source = Path(args.file)
    md, warning = read_markdown(source)
    if warning:
        print(f"pse-desk: {warning}", file=sys.stderr)
    page = render_markdown_page(md, fallback_title=source.stem, deadline_s=args.deadline)
    for problem in page.problems:  # the page holds these blocks whole, unformatted
        print(f"pse-desk: {problem[:-1]}; the page holds all of its text.", file=sys.stderr)
    if args.output:
        Path(args.output).write_text(page.html, encoding="utf-8")
    else:
        sys.stdout.write(page.html)
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    """``pse-desk audit-export``: the moderation audit log as CSV (formula-safe cells)."""
    from pse_desk.moderation.audit import AuditFilter
    from pse_desk.services.moderation.audit import export_audit_csv

    store = _open(args, read_only=True)  # it only reads: a read-only place is fine
    try:
        count = export_audit_csv(store, args.file,
                                 AuditFilter(actor=args.actor, action=args.action))
        print(f"{count:,} audit rows written to {args.file}")
    finally:
        store.close()
    return 0


def _print_findings(findings: Sequence[object]) -> None:
    for f in findings:
        print(f"{f.severity}: {f.message} [{f.code}]")  # type: ignore[attr-defined]


def _progress_line() -> Callable[[int, int, str], None] | None:
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int, what: str) -> None:
        print(f"\r{what}: {done}/{total}".ljust(40), end="", file=sys.stderr, flush=True)
    return progress


def cmd_editions(args: argparse.Namespace) -> int:
    """``pse-desk editions``: the live editions with their ids."""
    from pse_desk.services.editions import list_editions

    store = _open(args, read_only=True)
    try:
        with store.read_session() as s:
            for row in list_editions(s):
                issue = row.issue_date.isoformat() if row.issue_date else "-"
                print(f"{row.id}  {row.title}  {issue}  {row.page_size}  "
                      f"{row.item_count} items")
    finally:
        store.close()
    return 0


def cmd_preflight(args: argparse.Namespace) -> int:
    """``pse-desk preflight``: the edition's findings; exit 1 when any is an error."""
    from pse_desk.edition.values import has_errors
    from pse_desk.services.edition_export import find_edition, preflight

    store = _open(args, read_only=True)
    try:
        findings = preflight(store, find_edition(store, args.edition))
    finally:
        store.close()
    _print_findings(findings)
    if not findings:
        print("No problems found.")
    return 1 if has_errors(findings) else 0


def cmd_export_edition(args: argparse.Namespace) -> int:
    """``pse-desk export-edition``: the edition as a print PDF (or HTML), checked."""
    from pse_desk.services.edition_export import export_edition, find_edition

    store = _open(args)  # the export records its proof
    progress = _progress_line()
    try:
        proof = export_edition(store, find_edition(store, args.edition), args.output,
                               args.variant, progress)
    finally:
        if progress is not None:
            print(file=sys.stderr)
        store.close()
    _print_findings(proof.findings)
    pages = f", {proof.pages} pages" if proof.pages else ""
    print(f"Exported {proof.variant} to {proof.path}{pages} (sha256 {proof.file_sha256[:12]}…).")
    return 0


def cmd_hub_init(args: argparse.Namespace) -> int:
    """``pse-desk hub init``: create or upgrade the hub's schema, roles and policies."""
    from pse_desk.services.sync import init_hub

    print(init_hub(args.hub))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """``pse-desk sync``: one sync with the hub (for cron); exit 1 unless it completed."""
    from pse_desk.services import sync as sync_service

    store = _open(args)
    try:
        saved = sync_service.settings(store)
        if args.hub and not saved.url:
            sync_service.save_settings(store, args.hub, args.role or saved.role)
        elif args.role and not saved.role:
            sync_service.save_settings(store, saved.url, args.role)
        line = _progress_line()

        def progress(what: str, done: int, total: int) -> None:
            if line is not None:
                line(done, total, what)

        report = sync_service.sync(store, url=args.hub, role=args.role, progress=progress)
        if line is not None:
            print(file=sys.stderr)
    finally:
        store.close()
    for note in report.notes:
        print(f"note: {note}")
    waiting = f"; {report.waiting} changes waiting" if report.waiting else ""
    held = (f"; {report.held} changes wait for a desk of the other role" if report.held
            else "")
    if not report.ok:
        print(f"pse-desk: {report.message}{waiting}", file=sys.stderr)
        return 1
    offset = (f"; clock {report.clock_offset_ms / 1000:+.1f} s from the hub"
              if report.clock_offset_ms is not None else "")
    print(f"{report.summary()} ({report.seconds:.2f} s{offset}{waiting}{held})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """``pse-desk import wxr|disqus FILE``: one export in one transaction; a summary after."""
    from pse_desk.services.importing import import_file

    path = resolve_db_path(args.db)
    if args.dry_run and not path.exists():  # a dry run leaves no new database behind
        with tempfile.TemporaryDirectory(prefix="pse-dry-run-") as tmp:
            print(f"{path} does not exist yet: this is what an import would put in a new "
                  "newsroom there.")
            return _import(argparse.Namespace(**{**vars(args), "db": str(Path(tmp) / path.name)}),
                           import_file)
    return _import(args, import_file)


def _import(args: argparse.Namespace, import_file: Any) -> int:
    store = _open(args)
    progress = _progress_line()
    try:
        summary = import_file(store, args.file, args.import_command, dry_run=args.dry_run,
                              progress=progress)
    finally:
        if progress is not None:
            print(file=sys.stderr)
        store.close()
    print(summary)
    return 0


def _add_import_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``pse-desk import FORMAT FILE``: the import group, one action per format."""
    group = sub.add_parser("import", help="import another system's export into the newsroom")
    formats = group.add_subparsers(dest="import_command", metavar="FORMAT", required=True)
    for name, what in (("wxr", "a WordPress export (WXR 1.0, 1.1 or 1.2): posts and their "
                               "comments"),
                       ("disqus", "a Disqus XML export: its comments, matched to articles "
                                  "by link or title")):
        action = formats.add_parser(name, help=f"import {what}")
        action.add_argument("file", metavar="FILE", help="the export file (.xml)")
        action.add_argument("--dry-run", action="store_true",
                            help="say what would be imported and skipped; write nothing")
        action.set_defaults(handler=cmd_import)
    _add_dump_import_parser(formats)


def _with_progress(run: Callable[[Callable[[int, int, str], None] | None], int]) -> int:
    progress = _progress_line()
    try:
        return run(progress)
    finally:
        if progress is not None:
            print(file=sys.stderr)


def cmd_export_markdown(args: argparse.Namespace) -> int:
    """``pse-desk export markdown FOLDER``: each article as Markdown with YAML front matter."""
    from pse_desk.services.exporting import export_markdown

    store = _open(args, read_only=True)
    try:
        count = _with_progress(lambda p: export_markdown(store, args.folder, progress=p))
    finally:
        store.close()
    print(f"{count:,} articles written to {args.folder}")
    return 0


def cmd_export_comments(args: argparse.Namespace) -> int:
    """``pse-desk export comments FILE.csv``: every live comment as a CSV row."""
    from pse_desk.services.exporting import export_comments_csv

    store = _open(args, read_only=True)
    try:
        count = _with_progress(lambda p: export_comments_csv(store, args.file, progress=p))
    finally:
        store.close()
    print(f"{count:,} comments written to {args.file}")
    return 0


def cmd_export_dump(args: argparse.Namespace) -> int:
    """``pse-desk export dump FILE``: the whole newsroom as one dump (JSON Lines)."""
    from pse_desk.services.exporting import export_dump

    store = _open(args, read_only=True)
    try:
        total = _with_progress(lambda p: export_dump(store, args.file, progress=p).total)
    finally:
        store.close()
    print(f"{total:,} rows written to {args.file}")
    return 0


def cmd_import_dump(args: argparse.Namespace) -> int:
    """``pse-desk import dump FILE``: a dump restored into an empty (or new) database."""
    from pse_desk.services.exporting import restore_dump

    target = resolve_db_path(args.db)
    total = _with_progress(lambda p: restore_dump(args.file, target, progress=p).total)
    print(f"{total:,} rows restored from {args.file} into {target}")
    return 0


def _add_export_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``pse-desk export WHAT TARGET``: the open exports, one action each."""
    group = sub.add_parser("export", help="write the newsroom in open formats")
    what = group.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    markdown = what.add_parser("markdown", help="each article as a Markdown file with YAML "
                                                "front matter (Hugo, Jekyll)")
    markdown.add_argument("folder", metavar="FOLDER", help="where to write the files")
    markdown.set_defaults(handler=cmd_export_markdown)
    comments = what.add_parser("comments", help="every comment as a CSV row")
    comments.add_argument("file", metavar="FILE.csv", help="where to write the CSV")
    comments.set_defaults(handler=cmd_export_comments)
    audit = what.add_parser("audit", help="the moderation audit trail as CSV (as audit-export)")
    audit.add_argument("file", metavar="FILE.csv", help="where to write the CSV")
    audit.add_argument("--actor", help="only this moderator's decisions")
    audit.add_argument("--action", help="only this action (approve, reject, spam, ban, undo …)")
    audit.set_defaults(handler=cmd_audit_export)
    dump = what.add_parser("dump", help="the whole newsroom as one dump that `import dump` "
                                        "restores exactly")
    dump.add_argument("file", metavar="FILE", help="where to write it (.jsonl; .jsonl.gz "
                                                   "compressed)")
    dump.set_defaults(handler=cmd_export_dump)


def _add_dump_import_parser(formats: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    restore = formats.add_parser("dump", help="restore a whole-newsroom dump (`export dump`) "
                                              "into an empty or new database")
    restore.add_argument("file", metavar="FILE", help="the dump (.jsonl or .jsonl.gz)")
    restore.set_defaults(handler=cmd_import_dump)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pse-desk",
        description="PSE Desk: write, moderate, lay out and print a public-sector magazine.")
    parser.add_argument("--version", action="version", version=f"pse-desk {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help=f"the newsroom database (default: ${DB_ENV}, else one in the "
                             "user data folder)")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render the main window offscreen to a PNG and exit")
    parser.add_argument("--workspace", choices=WORKSPACES, default=None,
                        help="the workspace to show first")
    parser.add_argument("--theme", choices=("light", "dark"), default=None,
                        help="colour theme (remembered in the preferences)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="fill the database with a deterministic demo newsroom")
    demo.add_argument("--articles", type=int, default=24, help="number of articles (24)")
    demo.add_argument("--comments", type=int, default=500, help="number of comments (500)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (1)")
    demo.add_argument("--quiet", action="store_true", help="no progress on stderr")
    demo.set_defaults(handler=cmd_demo)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply schema migrations")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    check = db_sub.add_parser("check", help="run SQLite's integrity check; exit 1 if damaged")
    check.set_defaults(handler=cmd_db_check)
    salvage = db_sub.add_parser("recover", help="read what can be read of a damaged database "
                                                "into a new file in its place (the damaged "
                                                "file is moved aside)")
    salvage.set_defaults(handler=cmd_db_recover)
    backup = sub.add_parser("backup", help="make a checked backup (rotated: 7 daily, 4 weekly)")
    backup.add_argument("-o", "--output", metavar="FILE",
                        help="write it to FILE instead (never rotated)")
    backup.set_defaults(handler=cmd_backup)
    restore = sub.add_parser("restore", help="put a backup in place of the database (the "
                                             "current file is moved aside)")
    restore.add_argument("backup", nargs="?", metavar="BACKUP",
                         help="the backup file (default: the newest good automatic backup)")
    restore.set_defaults(handler=cmd_restore)

    # --- further subcommands are registered below this line, one block each ---

    render = sub.add_parser("render", help="render a Markdown file to one standalone HTML page")
    render.add_argument("file", metavar="FILE.md", help="the Markdown file")
    render.add_argument("-o", "--output", metavar="FILE.html",
                        help="where to write the page (default: standard output)")
    render.add_argument("--deadline", type=float, default=2.0, metavar="SECONDS",
                        help="longest time one block may take to render (2)")
    render.set_defaults(handler=cmd_render)

    audit = sub.add_parser("audit-export", help="write the moderation audit log as CSV")
    audit.add_argument("file", metavar="FILE.csv", help="where to write the CSV")
    audit.add_argument("--actor", help="only this moderator's decisions")
    audit.add_argument("--action", help="only this action (approve, reject, spam, ban, undo …)")
    audit.set_defaults(handler=cmd_audit_export)

    editions = sub.add_parser("editions", help="list the print editions with their ids")
    editions.set_defaults(handler=cmd_editions)

    pre = sub.add_parser("preflight", help="check an edition before print; exit 1 on errors")
    pre.add_argument("edition", metavar="ID", help="the edition's id, title or issue number")
    pre.set_defaults(handler=cmd_preflight)

    export = sub.add_parser("export-edition", help="export an edition as a print-ready PDF")
    export.add_argument("edition", metavar="ID", help="the edition's id, title or issue number")
    export.add_argument("-o", "--output", metavar="FILE.pdf", required=True,
                        help="where to write the file")
    export.add_argument("--variant", choices=("pdf/x-4", "pdf/a-2b", "html"), default="pdf/x-4",
                        help="PDF/X-4 for the printer (default), PDF/A-2b to archive, or one "
                             "standalone HTML file")
    export.set_defaults(handler=cmd_export_edition)

    hub = sub.add_parser("hub", help="the newsroom hub (PostgreSQL)")
    hub_sub = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    hub_init = hub_sub.add_parser("init", help="create or upgrade the hub's schema and roles")
    hub_init.add_argument("--hub", metavar="URL", required=True,
                          help="postgresql://owner@host:port/database (its owner or a "
                               "superuser)")
    hub_init.set_defaults(handler=cmd_hub_init)

    sync = sub.add_parser("sync", help="sync this desk with the hub once; exit 1 on failure")
    sync.add_argument("--hub", metavar="URL",
                      help="postgresql://user@host:port/database (default: the desk's "
                           "Preferences > Hub)")
    sync.add_argument("--role", choices=("editor", "moderator"),
                      help="the role this desk syncs as (default: its Preferences > Hub)")
    sync.set_defaults(handler=cmd_sync)

    _add_import_parsers(sub)
    _add_export_parsers(sub)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a parsed subcommand; errors become one sentence on stderr."""
    handler: Handler = args.handler
    try:
        return handler(args)
    except DeskError as exc:
        print(f"pse-desk: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file the user named could not be read or written
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"pse-desk: {exc.strerror or exc}{where}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pse-desk: interrupted", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print("pse-desk: no command given", file=sys.stderr)
        return 2
    return run(args)
