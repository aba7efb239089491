"""French typography for display: no line may start with », :, ?, ! or ; left alone."""

from __future__ import annotations

import re

NBSP = "\u00a0"


def french_spacing(text: str) -> str:
    """Glue « » : ; ? ! to their word with a no-break space, so a line never starts with one.

    Only a space already typed is replaced: URLs and times ("9:00") are left as they are.
    """
    text = re.sub(r"« +", f"«{NBSP}", text)
    return re.sub(r" +([»:;?!])", rf"{NBSP}\1", text)
