"""How two organisation names are compared: pure, no ORM.

A name typed twice may differ in invisible ways — a zero-width space pasted from a web page,
a doubled blank, a full-width letter, another case — and still be the same name.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The form under which two organisation names are the same name.

    NFKC (compatibility forms: full-width letters, ligatures, no-break spaces), then without
    format characters (Unicode category Cf: zero-width spaces and joiners, the byte-order mark,
    direction marks), blanks collapsed to one space and trimmed, then case-folded.
    ``"Lisbon\\u200b  Cluster"`` and ``"lisbon cluster"`` give the same key.
    """
    normalised = unicodedata.normalize("NFKC", name)
    visible = "".join(c for c in normalised if unicodedata.category(c) != "Cf")
    return " ".join(visible.split()).casefold()
