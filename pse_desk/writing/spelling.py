"""British English spell checking of Markdown with pyenchant and a personal word list.

Markdown syntax, inline and fenced code, URLs, e-mail addresses and words with digits are not
checked. ``SpellChecker`` is cheap to ask twice about a word (results are cached) but is not
thread-safe: give each worker thread its own. When pyenchant, the Enchant library or the en_GB
dictionary is missing, ``available`` is False, ``status`` says so in one sentence and every
check finds nothing: the editor works on without spelling.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pse_desk.paths import APP_SLUG
from pse_desk.writing.prose import WORD, mask, mask_line

LANGUAGE = "en_GB"
MISSING_DICTIONARY = ("British English dictionary not found; install hunspell-en-gb to check "
                      "spelling.")
MISSING_ENCHANT = ("The Enchant spelling library is not installed; install libenchant-2-2 and "
                   "hunspell-en-gb to check spelling.")
READY = "Checking spelling in British English."
MAX_SUGGESTIONS = 8


def default_word_list() -> Path:
    """Where "Add to dictionary" keeps its words: the user data folder, one word a line."""
    from platformdirs import user_data_path

    return user_data_path(APP_SLUG, appauthor=False) / f"words-{LANGUAGE}.txt"


@dataclass(frozen=True)
class Misspelling:
    word: str
    line: int  # 1-based
    start: int  # 0-based column of the first character
    end: int  # 0-based column after the last character


def _load_enchant() -> tuple[Any, str]:
    try:
        import enchant
    except (ImportError, OSError):  # the C library is missing: pyenchant raises ImportError
        return None, MISSING_ENCHANT
    return enchant, READY


def _checkable(word: str) -> bool:
    return not any(c.isdigit() or c == "_" for c in word) and len(word) > 1


class SpellChecker:
    """Checks words against en_GB plus the words the user added to ``personal_path``."""

    def __init__(self, personal_path: str | os.PathLike[str] | None = None,
                 language: str = LANGUAGE) -> None:
        self.personal_path = Path(personal_path) if personal_path is not None else None
        self._cache: dict[str, bool] = {}
        self._accepted: set[str] = set()  # ignored, or added without a word list file
        self._dict: Any = None
        enchant, self.status = _load_enchant()
        if enchant is None:
            return
        try:
            if not enchant.dict_exists(language):
                self.status = MISSING_DICTIONARY
                return
            if self.personal_path is not None:
                self.personal_path.parent.mkdir(parents=True, exist_ok=True)
                self.personal_path.touch(exist_ok=True)
                self._dict = enchant.DictWithPWL(language, str(self.personal_path))
            else:
                self._dict = enchant.Dict(language)
        except (enchant.errors.Error, OSError) as exc:
            self.status = f"Spell checking is off: {exc}."
            self._dict = None

    @property
    def available(self) -> bool:
        return self._dict is not None

    def is_correct(self, word: str) -> bool:
        if self._dict is None or not _checkable(word) or word in self._accepted:
            return True
        known = self._cache.get(word)
        if known is None:
            known = bool(self._dict.check(word.replace("’", "'")))
            self._cache[word] = known
        return known

    def check_line(self, line: str, *, line_number: int = 1) -> list[Misspelling]:
        """Misspelt words of one line that is not inside a fenced code block."""
        if self._dict is None:
            return []
        return self._misspelt(mask_line(line), line_number)

    def check_text(self, text: str) -> list[Misspelling]:
        """Misspelt words of a whole text or block (fenced code is known across its lines)."""
        if self._dict is None:
            return []
        found: list[Misspelling] = []
        for number, line in enumerate(mask(text), start=1):
            found.extend(self._misspelt(line, number))
        return found

    def _misspelt(self, masked: str, line_number: int) -> list[Misspelling]:
        out = []
        for m in WORD.finditer(masked):
            word = m.group().strip("'’")
            if not self.is_correct(word):
                start = m.start() + m.group().index(word)
                out.append(Misspelling(word, line_number, start, start + len(word)))
        return out

    def suggest(self, word: str) -> list[str]:
        if self._dict is None:
            return []
        return [str(s) for s in self._dict.suggest(word)[:MAX_SUGGESTIONS]]

    def add_to_dictionary(self, word: str) -> None:
        """Remember ``word`` in the personal word list (kept in ``personal_path``)."""
        if self._dict is None:
            return
        if self.personal_path is not None:
            self._dict.add(word)
            self._cache[word] = True
        else:
            self._accepted.add(word)

    def ignore(self, word: str) -> None:
        """Accept ``word`` for as long as this checker lives, without saving it.

        Kept here rather than in Enchant's session list, which Enchant shares between every
        dictionary of the same language in the process.
        """
        self._accepted.add(word)
