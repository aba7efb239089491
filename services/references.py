"""Short references read aloud on the phone: `K7F-42Q`.

The alphabet leaves out 0/O and 1/I/L, which people confuse when reading or
hearing them. 31 symbols, 6 places: about 887 million codes; the database's unique
constraint catches the rare collision and the caller draws again.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUP = 3
LENGTH = 2 * GROUP
_SEPARATORS_RE = re.compile(r"[\s\-_.·]+")


def new_reference(rng: secrets.SystemRandom | None = None) -> str:
    """A fresh random reference, e.g. 'K7F-42Q'."""
    choose = (rng or secrets.SystemRandom()).choice
    code = "".join(choose(ALPHABET) for _ in range(LENGTH))
    return f"{code[:GROUP]}-{code[GROUP:]}"


def parse_reference(text: str | None) -> str | None:
    """The canonical form of a typed reference ('k7f 42q' → 'K7F-42Q'), or None.

    Confusable letters typed by mistake (O, I, L) are never valid, so a wrong code
    is refused instead of silently matching another one.
    """
    if not text:
        return None
    compact = _SEPARATORS_RE.sub("", text.strip().upper())
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return f"{compact[:GROUP]}-{compact[GROUP:]}"


def is_reference(text: str | None) -> bool:
    """True for a reference in its canonical form ('K7F-42Q')."""
    return text is not None and parse_reference(text) == text
