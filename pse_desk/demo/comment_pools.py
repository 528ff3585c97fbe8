"""Pre-built pools of comment bodies, one per kind, each body with the text-rule hits it trips.

Building a million comments must be cheap, so bodies are composed once into pools and picked
by index afterwards. Every pool entry is checked with ``text_rules``: ordinary bodies trip
nothing, and spam or shouting bodies carry exactly the substrings that trip their rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pse_desk.demo import comment_text as t
from pse_desk.demo import text_rules
from pse_desk.demo.vocabulary import fill


@dataclass(frozen=True)
class PooledBody:
    body: str
    banned: tuple[str, ...] = ()
    suspect: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # only when there are more than the limit
    shouted: tuple[str, ...] = ()
    caps_percent: int = 0


def analyse(body: str) -> PooledBody:
    found_links = text_rules.links(body)
    shouting = text_rules.is_shouting(body)
    return PooledBody(
        body=body,
        banned=tuple(dict.fromkeys(text_rules.banned_words(body))),
        suspect=tuple(dict.fromkeys(text_rules.suspect_words(body))),
        links=tuple(found_links) if len(found_links) > text_rules.MAX_LINKS else (),
        shouted=tuple(text_rules.shouted_runs(body)) if shouting else (),
        caps_percent=round(text_rules.caps_ratio(body) * 100) if shouting else 0,
    )


def _sentence(opener: str, point: str, closer: str) -> str:
    if opener.endswith((".", ":", "?")):
        point = point[0].upper() + point[1:]
    return " ".join(p for p in (opener, point + ".", closer) if p)


def _url(rng: random.Random, domains: tuple[str, ...]) -> str:
    domain = rng.choice(domains)
    if domain.startswith("https://"):
        return domain
    path = rng.choice(("offer", "win", "go", "deal", "p"))
    return f"https://{domain}/{path}{rng.randint(1, 999)}"


def _urls(rng: random.Random, domains: tuple[str, ...]) -> dict[str, str]:
    return {f"url{i}": _url(rng, domains) for i in range(1, 5)}


class CommentPools:
    """Bodies per kind; ``size`` bounds the ordinary pool (the others are small)."""

    def __init__(self, rng: random.Random, size: int) -> None:
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

    @staticmethod
    def _clean(bodies: list[str]) -> list[str]:
        kept = [b for b in bodies if not text_rules.trips_any_text_rule(b)]
        assert kept, "every generated ordinary body tripped a rule"
        return kept

    def _check(self) -> None:
        # the stock is fixed, so these hold for every seed; a failure is a bug in the stock
        assert all(p.shouted for p in self.shouting)
        assert all(p.banned for p in self.pills + self.abuse)
        assert all(p.suspect for p in self.crypto)
        assert all(p.links and not p.suspect for p in self.link_lists)
        assert all(not (p.banned or p.suspect or p.links or p.shouted) for p in self.hostile)
        assert all(p.suspect and not p.links for p in self.hostile_click)
