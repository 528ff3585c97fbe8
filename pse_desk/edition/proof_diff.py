"""Two proofs compared page by page: each page of both PDFs drawn as a picture (poppler's
``pdftoppm``), and the pages whose pictures differ listed with a picture of the difference —
the visual diff a production editor checks before sending a proof again.

Pages are matched by number; a page only one proof has counts as changed. The pictures are
written under ``workdir`` (the caller's temporary folder).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from pse_desk.errors import ExportError

DPI = 40  # enough to see what moved; a 48-page A4 proof draws in about a second


@dataclass(frozen=True)
class PageChange:
    page: int  # 1-based
    left: Path | None  # the page's picture in the first proof (None: it has no such page)
    right: Path | None
    diff: Path | None  # the differing pixels shown in red over a pale copy of the right page
    changed_share: float  # the part of the page's pixels that differ (0 … 1)


@dataclass(frozen=True)
class ProofDiff:
    pages_left: int
    pages_right: int
    changes: tuple[PageChange, ...]

    @property
    def identical(self) -> bool:
        return not self.changes

    def summary(self) -> str:
        if self.identical:
            return f"The two proofs have the same {self.pages_left} pages."
        pages = ", ".join(str(c.page) for c in self.changes[:20])
        more = f" and {len(self.changes) - 20} more" if len(self.changes) > 20 else ""
        return (f"{len(self.changes)} of {max(self.pages_left, self.pages_right)} pages "
                f"differ: {pages}{more}.")


def _draw(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise ExportError("Comparing proofs needs poppler's pdftoppm (Debian: poppler-utils); "
                          "it is not installed.")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([tool, "-png", "-r", str(dpi), str(pdf), str(folder / "page")],
                          capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise ExportError(f"{pdf.name} could not be drawn to compare it "
                          f"({done.stderr.strip()[:200] or 'pdftoppm failed'}).")
    return sorted(folder.glob("page-*.png"))


def _diff(left: Path, right: Path, target: Path) -> float:
    a, b = Image.open(left).convert("RGB"), Image.open(right).convert("RGB")
    if a.size != b.size:
        b = b.resize(a.size)
    delta = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 24 else 0)
    share = sum(delta.histogram()[255:]) / (delta.width * delta.height)
    if share == 0:
        return 0.0
    pale = Image.blend(b, Image.new("RGB", b.size, "white"), 0.7)
    pale.paste(Image.new("RGB", b.size, (220, 0, 40)), mask=delta)
    pale.save(target)
    return share


def compare_pdfs(left: Path, right: Path, workdir: Path, dpi: int = DPI) -> ProofDiff:
    """Which pages of ``right`` differ from ``left``'s, with pictures of each difference."""
    pages_a = _draw(left, workdir / "left", dpi)
    pages_b = _draw(right, workdir / "right", dpi)
    changes = []
    for n in range(max(len(pages_a), len(pages_b))):
        a = pages_a[n] if n < len(pages_a) else None
        b = pages_b[n] if n < len(pages_b) else None
        if a is None or b is None:
            changes.append(PageChange(n + 1, a, b, None, 1.0))
            continue
        target = workdir / f"diff-{n + 1:04d}.png"
        share = _diff(a, b, target)
        if share > 0:
            changes.append(PageChange(n + 1, a, b, target, share))
    return ProofDiff(len(pages_a), len(pages_b), tuple(changes))
