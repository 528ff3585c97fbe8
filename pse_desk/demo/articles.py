"""Demo articles as plain values: title, standfirst, a Markdown body of 400–1200 words, author.

``make_articles`` is pure: the same ``random.Random`` state gives the same articles, byte for
byte, and the same ids. Bodies are assembled from the sentence stock in ``article_text``:
an introduction, ``##`` sections of paragraphs, one list, one blockquote and sometimes a link.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pse_desk.demo.article_text import GENERAL, LINKS, QUOTES, SECTIONS, SectionText
from pse_desk.demo.vocabulary import fill, organisation, person_name
from pse_desk.store.model import ArticleStatus

MIN_WORDS = 400
MAX_WORDS = 1200
VERBS = ("writes", "argues", "says", "reflects")
AUTHOR_SENTENCES = (
    "That is the view of {who}, who {verb} that the moment to act is now.",
    "So {verb} {who}, looking back on a difficult year and ahead to a harder one.",
    "{who}, {verb} that the sector has more of the answers than it is given credit for.",
    "For {who}, the question is no longer whether to change but how quickly.",
)


_VERSION_MASK = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_BITS = (4 << 76) | (0x8000 << 48)


def seeded_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from ``rng``: deterministic for a seed, unique in practice.

    The same text as ``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, built without
    the ``UUID`` object because a million-comment demo makes a million of them.
    """
    h = f"{(rng.getrandbits(128) & _VERSION_MASK) | _VERSION_BITS:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class ArticleDraft:
    id: str
    slug: str
    title: str
    standfirst: str
    body_md: str
    section: str
    author: str
    author_line: str  # "Helen Marsh, chief executive at Eastmere Borough Council"
    source_line: str
    tags: list[str] = field(default_factory=list)
    status: ArticleStatus = ArticleStatus.DRAFT
    published_at: datetime | None = None


def word_count(markdown: str) -> int:
    return len(re.findall(r"[A-Za-z0-9£%']+", markdown))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _SentencePool:
    """Sentences for one article, drawn without repeats until the stock runs out."""

    def __init__(self, section: SectionText, rng: random.Random) -> None:
        self._stock = list(section.sentences) + list(GENERAL)
        self._rng = rng
        self._queue: list[str] = []

    def paragraph(self, sentences: int) -> str:
        out = []
        for _ in range(sentences):
            if not self._queue:
                self._queue = self._stock[:]
                self._rng.shuffle(self._queue)
            out.append(fill(self._queue.pop(), self._rng))
        return " ".join(out)


def _list_block(section: SectionText, rng: random.Random) -> str:
    items = rng.sample(section.list_items, rng.randint(3, min(5, len(section.list_items))))
    lead = rng.choice(("Leaders we spoke to want:", "Three things stand out from the work so far,"
                       " and a few more are close behind:", "The asks are consistent:",
                       "What would make the difference:"))
    return lead + "\n\n" + "\n".join(f"- {item}" for item in items)


def _quote_block(rng: random.Random) -> str:
    quote = rng.choice(QUOTES)
    return f"> {quote}\n>\n> — {person_name(rng)}, {fill('{role}', rng)} at {organisation(rng)}"


def _link_sentence(rng: random.Random, place: str) -> str:
    label, url = rng.choice(LINKS)
    url = url.replace("{place_slug}", slugify(place)).replace("{year}", fill("{year}", rng))
    return rng.choice((f"The detail is set out in [{label}]({url}).",
                       f"Readers can find [{label}]({url}) online.",
                       f"Anyone who wants the numbers should read [{label}]({url})."))


def _body(section: SectionText, rng: random.Random, author_line: str, verb: str) -> str:
    pool = _SentencePool(section, rng)
    target = rng.randint(MIN_WORDS + 80, MAX_WORDS - 150)
    intro = pool.paragraph(rng.randint(2, 3))
    intro += " " + rng.choice(AUTHOR_SENTENCES).format(who=author_line, verb=verb)
    headings = rng.sample(section.headings, rng.randint(3, 5))
    blocks: list[list[str]] = [[pool.paragraph(rng.randint(3, 5))] for _ in headings]
    blocks[rng.randrange(len(blocks))].append(_list_block(section, rng))
    blocks[rng.randrange(len(blocks))].append(_quote_block(rng))
    if rng.random() < 0.5:
        blocks[-1].append(_link_sentence(rng, fill("{place}", rng)))

    def render() -> str:
        parts = [intro]
        for heading, paragraphs in zip(headings, blocks, strict=True):
            parts.append(f"## {heading}")
            parts.extend(paragraphs)
        return "\n\n".join(parts) + "\n"

    text = render()
    while word_count(text) < target:
        blocks[rng.randrange(len(blocks))].insert(0, pool.paragraph(rng.randint(3, 5)))
        text = render()
    while word_count(text) > MAX_WORDS:
        longest = max(blocks, key=len)
        longest.pop(0)
        text = render()
    return text


def _status(index: int) -> ArticleStatus:
    # three in five published, one ready, one draft: every status appears from five articles on
    return (ArticleStatus.PUBLISHED, ArticleStatus.PUBLISHED, ArticleStatus.READY,
            ArticleStatus.PUBLISHED, ArticleStatus.DRAFT)[index % 5]


def issue_name(base: datetime | date, offset: int = 0) -> str:
    """The bimonthly print issue ``offset`` issues after the one of ``base``'s month, as the
    magazine names it: "PSE Oct/Nov 26"."""
    months = base.year * 12 + base.month - 1 + 2 * offset
    first = date(months // 12, months % 12 + 1, 1)
    second = first + timedelta(days=31)
    return f"PSE {first:%b}/{second:%b} {first:%y}"


def _source_line(status: ArticleStatus, published_at: datetime | None, base: datetime) -> str:
    if status is not ArticleStatus.PUBLISHED:
        return f"Source: {issue_name(base, 1)}"  # drafts are for the next issue
    assert published_at is not None
    recent = published_at >= base - timedelta(days=30)
    return f"Source: {issue_name(base, 0 if recent else -1)}"


def make_article(index: int, rng: random.Random, base: datetime, used_slugs: set[str]
                 ) -> ArticleDraft:
    section = SECTIONS[index % len(SECTIONS)]
    round_ = index // len(SECTIONS)
    title = fill(section.titles[round_ % len(section.titles)], rng)
    name = person_name(rng)
    author_line = f"{name}, {fill('{role}', rng)} at {organisation(rng)}"
    verb = rng.choice(VERBS)
    standfirst = f"{section.claims[rng.randrange(len(section.claims))]}, {verb} {author_line}."
    body = _body(section, rng, author_line, verb)
    slug = slugify(title)
    suffix = 2
    while slug in used_slugs:
        slug = f"{slugify(title)}-{suffix}"
        suffix += 1
    used_slugs.add(slug)
    status = _status(index)
    published_at = None
    if status is ArticleStatus.PUBLISHED:
        published_at = base - timedelta(days=index * 2 + rng.randint(0, 1),
                                        hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
    tags = rng.sample(section.tags, rng.randint(2, 4))
    return ArticleDraft(id=seeded_uuid(rng), slug=slug, title=title, standfirst=standfirst,
                        body_md=body, section=section.name, author=name,
                        author_line=author_line,
                        source_line=_source_line(status, published_at, base), tags=tags,
                        status=status, published_at=published_at)


def make_articles(count: int, rng: random.Random, base: datetime) -> list[ArticleDraft]:
    """``count`` articles, cycling through the six sections (templates reused past 36)."""
    used: set[str] = set()
    return [make_article(i, rng, base, used) for i in range(count)]
