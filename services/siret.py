"""Tell a supplier, in plain French, what the number they typed is.

`classify_identifier("809 389 232 00020")` answers at once, without the network:
a valid SIRET, a SIREN (9 digits: the establishment's 5 digits are missing), or a
mistyped number, saying what is wrong (length, letters, check digit). The checksum
is python-stdnum's, which knows La Poste's exception (its establishments use a
digit-sum rule instead of Luhn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as siren_mod
from stdnum.fr import siret as siret_mod

Kind = Literal["empty", "siret", "siren", "invalid"]
Problem = Literal["letters", "length", "checksum", "siren_checksum"]

# What people put between digit groups: spaces (also the non-breaking ones that come
# with a copy from a PDF or a web page), dots, dashes, slashes, underscores.
_SEPARATORS_RE = re.compile(r"[\s.\-\u2010-\u2015\u2212/_\u00a0\u202f]+")
# "SIRET : 809…" or "n° SIRET 809…" pasted from an invoice.
_LABEL_RE = re.compile(r"^\s*(?:n[°o]\s*)?(?:siret|siren)\s*(?:n[°o])?\s*:?\s*", re.IGNORECASE)

SIRET_LENGTH = 14
SIREN_LENGTH = 9


@dataclass(frozen=True)
class SiretCheck:
    """What the typed text is, and what to tell the person who typed it."""

    raw: str
    compact: str  # the text without separators (digits, or whatever was typed)
    kind: Kind
    problem: Problem | None
    message: str  # French, plain words; empty for empty input
    fix: str  # French: what to do; empty when nothing is to be done

    @property
    def is_valid_siret(self) -> bool:
        return self.kind == "siret"

    @property
    def siren(self) -> str | None:
        """The SIREN (9 digits) when the input is a valid SIRET or SIREN."""
        if self.kind == "siret":
            return self.compact[:SIREN_LENGTH]
        if self.kind == "siren":
            return self.compact
        return None

    @property
    def display(self) -> str:
        """Grouped as people read it: 809 389 232 00020 (SIRET) or 809 389 232 (SIREN)."""
        return format_display(self.compact) if self.kind in ("siret", "siren") else self.compact


def compact_identifier(text: str) -> str:
    """The typed text without label, spaces, dots, dashes and similar separators."""
    return _SEPARATORS_RE.sub("", _LABEL_RE.sub("", text or ""))


def format_display(number: str) -> str:
    """809389232 00020 → « 809 389 232 00020 »; other lengths are returned as given."""
    if len(number) == SIRET_LENGTH:
        return f"{number[0:3]} {number[3:6]} {number[6:9]} {number[9:14]}"
    if len(number) == SIREN_LENGTH:
        return f"{number[0:3]} {number[3:6]} {number[6:9]}"
    return number


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _describe_characters(chars: list[str]) -> str:
    named = []
    for char in chars:
        if char in "oO":
            named.append(f"« {char} » (la lettre O, pas le chiffre zéro)")
        elif char in "lI":
            named.append(f"« {char} » (une lettre, pas le chiffre un)")
        else:
            named.append(f"« {char} »")
    return ", ".join(named)


def classify_identifier(text: str | None) -> SiretCheck:
    """Classify what a supplier typed as their SIRET. Never raises."""
    raw = "" if text is None else str(text)
    compact = compact_identifier(raw)
    if not compact:
        return SiretCheck(raw, "", "empty", None, "", "")

    if not compact.isdigit():
        # Keep the order, show each odd character once.
        odd = list(dict.fromkeys(c for c in compact if not c.isdigit()))
        return SiretCheck(
            raw, compact, "invalid", "letters",
            f"Un SIRET ne contient que des chiffres. Ce que vous avez tapé contient "
            f"{_describe_characters(odd[:5])}.",
            "Retapez les 14 chiffres, sans lettre ni signe. Les espaces et les points sont acceptés.",
        )

    length = len(compact)
    if length == SIREN_LENGTH:
        if siren_mod.is_valid(compact):
            return SiretCheck(
                raw, compact, "siren", None,
                f"{format_display(compact)} est un SIREN (9 chiffres) : le numéro de l'entreprise. "
                "Chorus Pro demande le SIRET : il manque les 5 chiffres de l'établissement.",
                "Ajoutez les 5 chiffres de votre établissement à la fin. Le SIRET complet (14 chiffres) "
                "figure sur vos factures, votre extrait Kbis ou l'avis de situation Insee.",
            )
        return SiretCheck(
            raw, compact, "invalid", "siren_checksum",
            "Ce numéro a 9 chiffres, comme un SIREN, mais ce n'est pas un SIREN valide : "
            "un chiffre est mal tapé ou deux chiffres sont inversés. "
            "Et Chorus Pro demande de toute façon le SIRET (14 chiffres).",
            "Recopiez le SIRET (14 chiffres) depuis une de vos factures ou l'avis de situation Insee.",
        )

    if length != SIRET_LENGTH:
        if length < SIRET_LENGTH:
            gap = f"Il en manque {SIRET_LENGTH - length}."
        else:
            gap = f"Il y en a {length - SIRET_LENGTH} de trop."
        return SiretCheck(
            raw, compact, "invalid", "length",
            f"Ce numéro a {_plural(length, 'chiffre')} ; un SIRET en a 14. {gap}",
            "Vérifiez chaque chiffre en le recopiant depuis une de vos factures ou l'avis de situation Insee.",
        )

    try:
        siret_mod.validate(compact)
    except ValidationError:
        # Say where the mistake probably is: a single wrong digit in the first 9
        # breaks the SIREN's own check digit too.
        if not luhn.is_valid(compact[:SIREN_LENGTH]) and not compact.startswith("356000000"):
            where = "Au moins une erreur est dans les 9 premiers chiffres (le SIREN, le numéro de l'entreprise)."
        else:
            where = "L'erreur est probablement dans les 5 derniers chiffres (le numéro de l'établissement)."
        return SiretCheck(
            raw, compact, "invalid", "checksum",
            f"{format_display(compact)} n'est pas un SIRET valide : la clé de contrôle ne correspond pas. "
            f"Un chiffre est mal tapé ou deux chiffres sont inversés. {where}",
            "Recopiez le SIRET chiffre par chiffre depuis une de vos factures ou l'avis de situation Insee.",
        )

    return SiretCheck(
        raw, compact, "siret", None,
        f"Le SIRET {format_display(compact)} est bien tapé : 14 chiffres, clé de contrôle correcte.",
        "",
    )
