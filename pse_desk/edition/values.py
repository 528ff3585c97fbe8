"""The plain values an edition is printed from, and what preflight and the checks find."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}
# (top, side, bottom) margins: the running heads and page numbers stand in them
MARGINS_MM: dict[str, tuple[float, float, float]] = {"A4": (20.0, 18.0, 22.0),
                                                     "A5": (15.0, 13.0, 17.0)}
MAX_BLEED_MM = 3.5  # WeasyPrint's BleedBox reaches about 10 pt past the TrimBox at most
PDF_X4 = "pdf/x-4"
PDF_A2B = "pdf/a-2b"
HTML = "html"
VARIANTS = (PDF_X4, PDF_A2B, HTML)
FRONT, BACK, INLINE = "front", "back", "inline"
PLACEMENTS = (FRONT, BACK, INLINE)

ERROR, WARNING, NOTE = "error", "warning", "note"


@dataclass(frozen=True)
class Settings:
    title: str
    issue_number: int | None = None
    issue_date: date | None = None
    page_size: str = "A4"
    bleed_mm: float = 3.0
    crop_marks: bool = True
    cross_marks: bool = True
    toc: bool = True

    @property
    def size_mm(self) -> tuple[float, float]:
        return PAGE_SIZES_MM.get(self.page_size, PAGE_SIZES_MM["A4"])

    @property
    def margins_mm(self) -> tuple[float, float, float]:
        return MARGINS_MM.get(self.page_size, MARGINS_MM["A4"])

    @property
    def column_mm(self) -> float:
        """The width of the text column (and of a full-width picture)."""
        return self.size_mm[0] - 2 * self.margins_mm[1]

    @property
    def bleed(self) -> float:
        """The bleed WeasyPrint can make: 0 to ``MAX_BLEED_MM``."""
        return min(max(self.bleed_mm, 0.0), MAX_BLEED_MM)


@dataclass(frozen=True)
class Article:
    """An article as it prints: ``body_html`` is our render pipeline's sanitised output, whose
    images are ``pse-asset:ID`` sources."""

    id: str
    title: str
    body_html: str = ""
    standfirst: str = ""
    section: str = ""
    author: str = ""
    source_line: str = ""
    status: str = "published"
    page_break_before: bool = False


@dataclass(frozen=True)
class PanelLine:
    title: str
    item_date: date | None = None
    summary: str = ""


@dataclass(frozen=True)
class Panel:
    id: str
    key: str
    title: str
    lines: tuple[PanelLine, ...] = ()
    placement: str = INLINE
    page_break_before: bool = False


Entry = Article | Panel


@dataclass(frozen=True)
class Picture:
    """An image an article refers to: its stored bytes (``None``: not in the database)."""

    url: str  # pse-asset:ID
    data: bytes | None
    article_id: str = ""


@dataclass(frozen=True)
class Content:
    settings: Settings
    entries: tuple[Entry, ...] = ()
    pictures: Mapping[str, Picture] = field(default_factory=dict)

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(e for e in self.entries if isinstance(e, Article))

    @property
    def panels(self) -> tuple[Panel, ...]:
        return tuple(e for e in self.entries if isinstance(e, Panel))

    def ordered(self) -> tuple[Entry, ...]:
        """Front panels, then articles and inline panels in their order, then back panels."""
        def place(e: Entry) -> str:
            return e.placement if isinstance(e, Panel) and e.placement in PLACEMENTS else INLINE
        front = tuple(e for e in self.entries if place(e) == FRONT)
        back = tuple(e for e in self.entries if place(e) == BACK)
        return front + tuple(e for e in self.entries if place(e) == INLINE) + back


@dataclass(frozen=True)
class Finding:
    """One thing preflight or the file checks found: ``code`` is stable (for tests and icons),
    ``message`` one sentence, and what it refers to, so the user is one click from its cause."""

    code: str
    severity: str  # error / warning / note
    message: str
    article_id: str | None = None
    panel_id: str | None = None
    image: str | None = None
    page: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def has_errors(findings: tuple[Finding, ...] | list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
