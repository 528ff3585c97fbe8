"""Export an edition: preflight, the PDF (PDF/X-4 or PDF/A-2b) laid out in a child process,
the standalone HTML file, and "Export again" of a recorded proof.

The file is written to a temporary name in the target's folder and renamed into place only
when it is complete and has passed its checks (page boxes, embedded fonts, output intent, no
DeviceRGB): a cancel, a read-only folder, a full disk or any failure leaves nothing under the
final name, and the database unchanged. A successful export records an ``edition_proof`` row
with the settings, the exact inputs and the file's SHA-256.
"""

from __future__ import annotations

import base64
import errno
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pse_desk.edition import values as ev
from pse_desk.edition.compose import PrintedPicture, compose_html
from pse_desk.edition.export_process import Job, Outcome, run_export, warm_up
from pse_desk.edition.images import ImageUnreadable, inspect_image, printed_width_mm
from pse_desk.edition.preflight import preflight as run_preflight
from pse_desk.edition.proof_diff import ProofDiff, compare_pdfs
from pse_desk.errors import ExportError, NotFoundError, ValidationError
from pse_desk.paths import write_atomically
from pse_desk.services.edition_read import (
    EditionSource,
    inputs_json,
    load,
    pictures,
    render_articles,
    settings_json,
    sha256,
    source_again,
)
from pse_desk.store.db import Store
from pse_desk.store.model import Edition, EditionProof, utcnow

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class ProofRecord:
    id: str
    edition_id: str
    path: Path
    variant: str
    file_sha256: str
    pages: int
    findings: tuple[ev.Finding, ...] = ()
    peak_rss_mb: float = 0.0


def find_edition(store: Store, ref: str) -> str:
    """The id of the live edition ``ref`` names: its id, its title or its issue number."""
    with store.read_session() as s:
        live = Edition.deleted.is_(False)
        if (found := s.get(Edition, ref)) is not None and not found.deleted:
            return found.id
        conditions = [Edition.title == ref]
        if ref.strip().isdigit():
            conditions.append(Edition.issue_number == int(ref))
        ids = list(s.scalars(select(Edition.id).where(live, or_(*conditions))))
    if not ids:
        raise NotFoundError(f"No edition is called “{ref}” (give its id, title or issue "
                            "number; `pse-desk editions` lists them).")
    if len(ids) > 1:
        raise ValidationError(f"{len(ids)} editions match “{ref}”: give the edition's id.")
    return ids[0]


def _content(source: EditionSource, shown: dict[str, ev.Picture]) -> ev.Content:
    return ev.Content(source.settings, render_articles(source.texts), shown)


def preflight(store: Store, edition_id: str) -> list[ev.Finding]:
    """What is wrong with the edition before it is rendered (see ``edition.preflight``)."""
    source, shown = load(store, edition_id)
    return run_preflight(_content(source, shown))


def _check_folder(target: Path) -> None:
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist; choose another place.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"Cannot write to {folder}: the folder is read-only; choose "
                          "another place. Nothing was written.")


def _os_sentence(exc: OSError, target: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return (f"The disk holding {target.parent} is full; free some space and export "
                "again. Nothing was written.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Cannot write to {target.parent}: it is read-only. Nothing was written."
    return f"{target} could not be written ({exc.strerror or exc}). Nothing was written."


def _temporary(target: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                    dir=target.parent)
    except OSError as exc:
        raise ExportError(_os_sentence(exc, target)) from None
    os.close(fd)
    return Path(name)


def _record(store: Store, edition_id: str, variant: str, target: Path, digest: str,
            pages: int, settings: dict[str, Any], inputs: dict[str, Any]) -> str:
    with store.session() as s:
        proof = EditionProof(edition_id=edition_id, variant=variant, file_name=str(target),
                             file_sha256=digest, pages=pages, settings=settings,
                             inputs=inputs)
        s.add(proof)
        s.commit()
        return proof.id


def _errors_sentence(findings: tuple[ev.Finding, ...]) -> str:
    errors = [f.message for f in findings if f.severity == ev.ERROR]
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return ("The exported file failed its checks, so it was not kept: "
            + " ".join(errors[:3]) + more)


def _pdf(store: Store, edition_id: str, content: ev.Content, target: Path, variant: str,
         created: str, progress: Progress | None, cancelled: Cancelled | None) -> Outcome:
    _check_folder(target)
    part = _temporary(target)
    try:
        with tempfile.TemporaryDirectory(prefix="pse-edition-") as workdir:
            outcome = run_export(Job(content, variant, str(part), workdir, created),
                                 progress, cancelled)
        if ev.has_errors(list(outcome.findings)):
            raise ExportError(_errors_sentence(outcome.findings))
        os.replace(part, target)
    except OSError as exc:
        raise ExportError(_os_sentence(exc, target)) from None
    finally:
        part.unlink(missing_ok=True)
    return outcome


def _export(store: Store, edition_id: str, source: EditionSource, shown: dict[str, ev.Picture],
            target: Path, variant: str, progress: Progress | None,
            cancelled: Cancelled | None, created: str, record: bool = True) -> ProofRecord:
    if variant not in ev.VARIANTS:
        raise ValidationError(f"Unknown variant “{variant}”: choose pdf/x-4, pdf/a-2b or html.")
    if variant == ev.HTML:
        return _html(store, edition_id, source, shown, target, created)
    content = _content(source, shown)
    if not content.articles:
        raise ExportError("The edition has no articles, so there is nothing to export.")
    outcome = _pdf(store, edition_id, content, target, variant, created, progress, cancelled)
    settings = {**settings_json(source.settings), "created": created}
    digest = sha256(target.read_bytes())
    proof_id = _record(store, edition_id, variant, target, digest, outcome.pages, settings,
                       inputs_json(source, shown)) if record else ""
    return ProofRecord(proof_id, edition_id, target, variant, digest, outcome.pages,
                       outcome.findings, outcome.peak_rss_mb)


def export_edition(store: Store, edition_id: str, target: str | os.PathLike[str],
                   variant: str = ev.PDF_X4, progress: Progress | None = None,
                   cancelled: Cancelled | None = None, *, record: bool = True) -> ProofRecord:
    """Export the edition to ``target`` (see the module docstring). ``record=False`` (the
    workspace's print preview, made again after every change) records no proof."""
    # the layout process starts (if it is not running) while the bodies are rendered
    threading.Thread(target=warm_up, name="pse-edition-warm-up", daemon=True).start()
    source, shown = load(store, edition_id)
    created = utcnow().replace(microsecond=0).isoformat() + "Z"
    return _export(store, edition_id, source, shown, Path(target), variant, progress,
                   cancelled, created, record)


def export_again(store: Store, proof_id: str, target: str | os.PathLike[str],
                 progress: Progress | None = None,
                 cancelled: Cancelled | None = None, *, record: bool = True) -> ProofRecord:
    """Make a recorded proof again from what it recorded: the same revisions, panel lines
    and settings, whatever changed since. Recorded as a proof of its own."""
    with store.read_session() as s:
        proof = s.get(EditionProof, proof_id)
        if proof is None or proof.deleted:
            raise NotFoundError("That proof is no longer in the database.")
        source = source_again(s, proof.settings, proof.inputs)
        shown = pictures(s, source.texts)
        recorded = proof.inputs.get("images", {})
        edition_id, variant = proof.edition_id, proof.variant
        created = str(proof.settings.get("created", ""))
    changed = [u for u, p in shown.items()
               if (sha256(p.data) if p.data is not None else None) != recorded.get(u)]
    if changed:
        raise ExportError(f"{len(changed)} picture(s) of this proof changed or went missing "
                          "since, so it cannot be made exactly again.")
    return _export(store, edition_id, source, shown, Path(target), variant, progress,
                   cancelled, created, record)


# --- proofs ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProofRow:
    id: str
    created_at: datetime
    variant: str
    pages: int
    file_name: str
    file_sha256: str


def list_proofs(session: Session, edition_id: str) -> list[ProofRow]:
    """The edition's recorded proofs, newest first."""
    stmt = (select(EditionProof).where(EditionProof.edition_id == edition_id,
                                       EditionProof.deleted.is_(False))
            .order_by(EditionProof.created_at.desc(), EditionProof.id))
    return [ProofRow(p.id, p.created_at, p.variant, p.pages, p.file_name, p.file_sha256)
            for p in session.scalars(stmt)]


def proof_file(store: Store, proof_id: str, workdir: Path) -> Path:
    """The proof's PDF: the file it was written to, if it is still there unchanged, else made
    again from what the proof recorded (into ``workdir``; no new proof is recorded)."""
    with store.read_session() as s:
        proof = s.get(EditionProof, proof_id)
        if proof is None or proof.deleted:
            raise NotFoundError("That proof is no longer in the database.")
        name, digest, variant = proof.file_name, proof.file_sha256, proof.variant
    if variant == ev.HTML:
        raise ValidationError("An HTML proof has no pages to compare.")
    kept = Path(name)
    try:
        if kept.is_file() and sha256(kept.read_bytes()) == digest:
            return kept
    except OSError:
        pass  # unreadable now: made again below
    workdir.mkdir(parents=True, exist_ok=True)
    again = workdir / f"{proof_id}.pdf"
    if not again.exists():  # (made already for this comparison: the same proof twice)
        export_again(store, proof_id, again, record=False)
    return again


def compare_proofs(store: Store, left_id: str, right_id: str, workdir: Path) -> ProofDiff:
    """Two proofs page by page (``edition.proof_diff``): which pages differ, with pictures."""
    left = proof_file(store, left_id, workdir)
    right = proof_file(store, right_id, workdir)
    return compare_pdfs(left, right, workdir / "pages")


def _data_uri(picture: ev.Picture) -> str | None:
    if picture.data is None:
        return None
    try:
        facts = inspect_image(picture.data)
    except ImageUnreadable:
        return None
    mime = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif",
            "WEBP": "image/webp"}.get(facts.format)
    data = picture.data
    if mime is None or facts.mode == "CMYK":  # browsers show CMYK badly: an sRGB JPEG instead
        try:
            data, mime = _as_rgb_jpeg(picture.data), "image/jpeg"
        except (OSError, ValueError):
            return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _as_rgb_jpeg(data: bytes) -> bytes:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        out = io.BytesIO()
        img.convert("RGB").save(out, "JPEG", quality=90)
        return out.getvalue()


def _html(store: Store, edition_id: str, source: EditionSource, shown: dict[str, ev.Picture],
          target: Path, created: str) -> ProofRecord:
    content = _content(source, shown)
    printed: dict[str, PrintedPicture] = {}
    for url, picture in shown.items():
        uri = _data_uri(picture)
        if uri is not None:
            printed[url] = PrintedPicture(uri, printed_width_mm(inspect_image(picture.data or b""),
                                                                content.settings))
    html = compose_html(content, ev.HTML, printed, created=created)
    data = html.encode("utf-8")
    _check_folder(target)
    try:
        write_atomically(target, data)  # a temporary name, renamed: never half a file
    except OSError as exc:
        raise ExportError(_os_sentence(exc, target)) from None
    digest = sha256(data)
    proof_id = _record(store, edition_id, ev.HTML, target, digest, 0,
                       {**settings_json(source.settings), "created": created},
                       inputs_json(source, shown))
    return ProofRecord(proof_id, edition_id, target, ev.HTML, digest, 0)


def export_edition_html(store: Store, edition_id: str,
                        target: str | os.PathLike[str]) -> ProofRecord:
    """The edition as one self-contained HTML file (images inlined, nothing loaded)."""
    return export_edition(store, edition_id, target, ev.HTML)
