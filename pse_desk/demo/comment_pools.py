"""Pre-built pools of comment bodies, one per kind, each body with the verdict of the text rules.

Building a million comments must be cheap, so bodies are composed once into pools and picked
by index afterwards. Every pool entry is checked once by the desk's own text rules
(``holds.DemoRules``): ordinary bodies trip none of them, and the spam and shouting bodies
carry the hits that hold them, exactly as the desk would find them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pse_desk.demo import comment_text as t
from pse_desk.demo.holds import DemoRules
from pse_desk.demo.vocabulary import fill
from pse_desk.moderation.rules import Verdict


@dataclass(frozen=True)
class PooledBody:
    body: str
    verdict: Verdict   # of the text rules
    held_json: str     # its hits as ``held_reasons`` are stored

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of the text rules it trips."""
        return frozenset(h.kind for h in self.verdict.hits)

    @property
    def status(self) -> str:
        """The status the rules give it: pending when held, rejected when rejected."""
        return self.verdict.status or "approved"


def _sentence(opener: str, point: str, closer: str) -> str:
    if opener.endswith((".", ":", "?")):
        point = point[0].upper() + point[1:]
    return " ".join(p for p in (opener, point + ".", closer) if p)


def _url(rng: random.Random, domain: str) -> str:
    if domain.startswith("https://"):
        return domain
    path = rng.choice(("offer", "win", "go", "deal", "p"))
    return f"https://{domain}/{path}{rng.randint(1, 999)}"


def _urls(rng: random.Random, domains: tuple[str, ...]) -> dict[str, str]:
    # four different domains: the link rule counts a link given twice once
    return {f"url{i}": _url(rng, domain)
            for i, domain in enumerate(rng.sample(domains, 4), start=1)}


class CommentPools:
    """Bodies per kind; ``size`` bounds the ordinary pool (the others are small)."""

    def __init__(self, rng: random.Random, size: int, rules: DemoRules) -> None:
        self.rules = rules
        self.ordinary = self._clean([fill(_sentence(rng.choice(t.OPENERS), rng.choice(t.POINTS),
                                                    rng.choice(t.CLOSERS)), rng)
                                     for _ in range(size)])
        self.replies = self._clean([
            fill(_sentence(rng.choice(t.REPLY_OPENERS), rng.choice(t.POINTS), ""), rng)
            for _ in range(max(50, size // 3))])
        self.with_link = self._clean([
            f"{fill(_sentence(rng.choice(t.OPENERS), rng.choice(t.POINTS), ''), rng)} "
            f"Source: {rng.choice(t.USEFUL_DOMAINS)}" for _ in range(60)])
        self.heated = self._clean([fill(h, rng) for h in t.HEATED for _ in range(4)])
        analyse = self.analyse
        self.shouting = [analyse(fill(s.replace("{PLACE}", "{place}"), rng).upper()
                                 + rng.choice(("", "!!!", "!", " DISGRACEFUL")))
                         for s in t.SHOUTING for _ in range(3)]
        self.pills = [analyse(p.replace("{word}", w)) for p in t.PILL_SPAM for w in t.PILL_WORDS]
        self.abuse = [analyse(a.replace("{word}", w)) for a in t.ABUSE for w in t.ABUSE_WORDS]
        self.crypto = [analyse(c.format(w1=w1, w2=w2)) for c in t.CRYPTO_SPAM
                       for w1 in t.CRYPTO_W1 for w2 in t.CRYPTO_W2]
        self.site_spam = [analyse(s.format(topic=rng.choice(t.SPAM_TOPICS),
                                           **_urls(rng, t.SPAM_DOMAINS)))
                          for s in t.SITE_SPAM for _ in range(4)]
        self.link_lists = [analyse(fill(s, rng, _urls(rng, t.USEFUL_DOMAINS)))
                           for s in t.LINK_LISTS for _ in range(4)]
        self.hostile = [analyse(h) for h in t.HOSTILE_HTML]
        self.hostile_click = [analyse(h) for h in t.HOSTILE_CLICK]
        self._check()

    def analyse(self, body: str) -> PooledBody:
        verdict = self.rules.text_verdict(body)
        return PooledBody(body, verdict, self.rules.held_json(verdict))

    def _clean(self, bodies: list[str]) -> list[str]:
        kept = [b for b in bodies if not self.rules.text_verdict(b).hits]
        assert kept, "every generated ordinary body tripped a rule"
        return kept

    def _check(self) -> None:
        # the stock is fixed, so these hold for every seed; a failure is a bug in the stock
        assert all("shouting" in p.kinds for p in self.shouting)
        assert all("banned_words" in p.kinds for p in self.pills + self.abuse)
        assert all("suspect_words" in p.kinds for p in self.crypto)
        assert all(p.kinds == {"link_count"} for p in self.link_lists)
        assert all(not p.kinds for p in self.hostile)
        assert all(p.kinds == {"suspect_words"} for p in self.hostile_click)
