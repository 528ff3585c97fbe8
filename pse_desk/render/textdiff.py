"""The change between two versions of a text as (common prefix, common suffix, new middle).

The preview sends the render worker only what changed since the text it sent last: a keystroke
in a 100,000-word article is a few characters through the pipe instead of 700 kB (a big message
needs several context switches between the two processes, which a busy machine makes slow).
Prefix and suffix are found by comparing slices, which runs in C, block by block and then by
halving inside the block that differs.
"""

from __future__ import annotations

_STEP = 1 << 16

TextChange = tuple[int, int, str]  # common prefix length, common suffix length, new middle


def text_change(old: str, new: str) -> TextChange:
    """What turns ``old`` into ``new``: keep ``prefix`` and ``suffix`` characters of ``old``
    and put ``middle`` between them."""
    limit = min(len(old), len(new))
    prefix = _common_prefix(old, new, limit)
    suffix = _common_suffix(old, new, limit - prefix)
    return prefix, suffix, new[prefix:len(new) - suffix]


def apply_change(old: str, change: TextChange) -> str:
    """The new text from ``old`` and a change made by ``text_change``."""
    prefix, suffix, middle = change
    if prefix < 0 or suffix < 0 or prefix + suffix > len(old):
        raise ValueError("the change does not fit this text")
    return old[:prefix] + middle + old[len(old) - suffix:]


def _common_prefix(a: str, b: str, limit: int) -> int:
    position = 0
    while position < limit:
        end = min(position + _STEP, limit)
        if a[position:end] != b[position:end]:
            low, high = position, end  # a[:low] == b[:low]; a[low:high] != b[low:high]
            while high - low > 1:
                middle = (low + high) // 2
                if a[low:middle] == b[low:middle]:
                    low = middle
                else:
                    high = middle
            return low
        position = end
    return limit


def _common_suffix(a: str, b: str, limit: int) -> int:
    size_a, size_b = len(a), len(b)
    position = 0
    while position < limit:
        end = min(position + _STEP, limit)
        if a[size_a - end:size_a - position] != b[size_b - end:size_b - position]:
            low, high = position, end  # suffixes of length low match, of length high do not
            while high - low > 1:
                middle = (low + high) // 2
                if a[size_a - middle:size_a - low] == b[size_b - middle:size_b - low]:
                    low = middle
                else:
                    high = middle
            return low
        position = end
    return limit
