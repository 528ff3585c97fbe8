"""The generated news article every benchmark types into, renders or saves (one generator, so
figures from different scripts describe the same text)."""

from __future__ import annotations

import random

VOCABULARY = (
    "council residents budget housing local services community people funding plan the of and "
    "to in for on with a is that it as by this be are from at have will which government "
    "devolution health care schools transport neighbourhood decision public partnership "
    "officers report scheme review meeting evidence commission planning digital workforce"
)
WORDS = VOCABULARY.split(" ")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.15:
        words[2] = f"*{words[2]}*"
    if rng.random() < 0.1:
        words[4] = f"[{words[4]}](https://example.org/{words[4]})"
    return " ".join(words).capitalize() + "."


def article(words: int, seed: int = 7) -> str:
    """A news article of about ``words`` words: paragraphs, headings, lists, quotes, code."""
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    while count < words:
        roll = rng.random()
        if roll < 0.06:
            parts.append(f"## {' '.join(rng.choice(WORDS) for _ in range(4)).capitalize()}")
        elif roll < 0.10:
            parts.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 5))))
        elif roll < 0.12:
            parts.append(f"> {_sentence(rng)} {_sentence(rng)}")
        elif roll < 0.13:
            parts.append("```python\nfor item in budget:\n    review(item)\n```")
        else:
            parts.append(" ".join(_sentence(rng) for _ in range(rng.randint(3, 6))))
        count += len(parts[-1].split())
    return "\n\n".join(parts)
