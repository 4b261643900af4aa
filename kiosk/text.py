"""Text as people type it, made plain: the one normalisation for sign-ups and staff input.

NFKC folds full-width letters and digits and compatibility characters into
their plain forms (so `＝` is `=` before the export's formula guard looks at
it); control and format characters (zero-width spaces, BOMs, bidi overrides)
are dropped; runs of whitespace become one space. Notes keep their line breaks.
"""

from __future__ import annotations

import re
import unicodedata

# Chinese is written with full-width punctuation, and every page keeps it: NFKC would
# turn 美团（北京）：配送站 into 美团(北京):配送站. These few are left as typed.
_CHINESE_PUNCTUATION = re.compile("([！（），：；？～…])")

_INVISIBLE = {"Cc", "Cf", "Cs"}


def strip_invisible(text: str) -> str:
    """Drop control and format characters (zero-width spaces, BOMs, bidi marks).

    Lone surrogates (Cs) go too: JSON can smuggle them in as \\ud800 escapes and
    no database driver can encode them.
    """
    if text.isprintable():  # then none of those is present: the usual case, checked in C
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)


def fold(text: str) -> str:
    """NFKC, except for the full-width punctuation Chinese text is written with."""
    parts = _CHINESE_PUNCTUATION.split(text)
    # split() with a group puts each kept mark at an odd index.
    return "".join(
        part if index % 2 else unicodedata.normalize("NFKC", part)
        for index, part in enumerate(parts)
    )


def clean_line(text: str | None) -> str | None:
    """One line of typed text, normalised; None stays None (for WTForms filters)."""
    if text is None:
        return None
    return " ".join(strip_invisible(fold(text)).split())


def clean_block(text: str | None) -> str | None:
    """Several lines (notes): each line cleaned, blank lines at either end dropped."""
    if text is None:
        return None
    lines = [clean_line(line) or "" for line in text.splitlines()]
    return "\n".join(lines).strip("\n")
