"""`python -m services.pdf_check FILE [FILE ...] [--json]`

JSON Lines (one object per file, DESIGN.md contract) with --json, a short French summary
otherwise. Exit 0 whatever the invoices contain; 2 for a usage error. Every file is analysed
in an isolated worker process (wall-clock limit, memory cap), so a hostile file cannot hang it.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from services.office import OfficeConfigError, get_office

from .analyse import blocked_report
from .confidence_words import (
    FIELD_THE, confidence_words, is_uncertainty, rule_beyond, rule_words, uncertain_fields,
)
from .report import FIELD_NAMES, Report
from .rules import issue

VERDICT_WORDS = {"ready": "PRÊTE à déposer", "fix_needed": "À CORRIGER", "blocked": "REFUSÉE par Chorus Pro"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m services.pdf_check",
                                description="Vérifie des factures PDF avant leur dépôt sur Chorus Pro.")
    p.add_argument("files", nargs="+", metavar="FILE", help="fichier(s) PDF à vérifier")
    p.add_argument("--json", action="store_true", help="une ligne JSON par fichier (JSON Lines)")
    p.add_argument("--timeout", type=float, default=30.0, help="limite de temps par fichier, en secondes")
    p.add_argument("--memory-mb", type=int, default=512, help="mémoire maximale du processus d'analyse, en Mo")
    p.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    return p


def _plain(text: str) -> str:
    """Text from a PDF, safe for a terminal: control characters (escape sequences, carriage
    returns, bidi overrides) are shown as \\uNNNN instead of being obeyed; spaces are kept."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp")
                   else c for c in text)


def human(report: Report) -> str:
    """The French summary: each value found with how sure the checker is of it, the values to
    check (uncertain_* warnings), then every issue with its fix."""
    lines = [f"{_plain(report.file)} : {VERDICT_WORDS[report.verdict]}"]
    found = [(k, report.fields[k]) for k in (*FIELD_NAMES, *report.fields) if k in report.fields
             and report.fields[k].value]
    found = list(dict(found).items())  # contract order, each name once
    if found:
        lines.append("  Trouvé :")
        width = max(len(k) for k, _ in found)
        for name, field in found:
            how = confidence_words(field, name)
            known = rule_words(field.rule) is not None
            rule = rule_beyond(field, name) if known else (f"règle « {_plain(field.rule)} »" if field.rule else None)
            detail = f"{how} ; {rule}" if how and rule else how or rule
            lines.append(f"    {name.ljust(width)} = {_plain(field.value)}" + (f"  ({detail})" if detail else ""))
    doubts = [i for i in report.issues if is_uncertainty(i)]
    if doubts:
        names = [FIELD_THE.get(n, n) for i in doubts for n in uncertain_fields(i)]
        lines.append("  À vérifier (lu sans certitude) : " + ", ".join(dict.fromkeys(names)))
    for i in report.issues:
        mark = "À vérifier" if is_uncertainty(i) else {"error": "ERREUR", "warning": "Attention", "info": "Info"}[i.severity]
        lines.append(f"  - {mark} : {_plain(i.message)}")
        lines.append(f"    → {_plain(i.fix)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        office = get_office()
    except OfficeConfigError as exc:
        print(f"Erreur de configuration : {exc}", file=sys.stderr)
        return 2
    pool = None
    if not args.in_process:
        from .worker import CheckerPool

        pool = CheckerPool(max_workers=1, timeout_s=args.timeout, memory_mb=args.memory_mb, office=office)
    try:
        for name in args.files:
            path = Path(name)
            try:
                data = path.read_bytes()
            except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
                report = blocked_report(path.name, 0, issue(
                    "unreadable_file", "error", f"Le fichier « {name} » ne peut pas être lu ({exc.strerror}).",
                    "Vérifiez le nom et l'emplacement du fichier."))
                report = Report(**{**report.__dict__, "verdict": "blocked"})
            else:
                if pool is None:
                    from .analyse import analyse_bytes

                    report = analyse_bytes(data, filename=path.name, office=office)
                else:
                    report = pool.check(data, path.name)
            if args.json:
                print(json.dumps(report.to_json_dict(), ensure_ascii=False), flush=True)
            else:
                print(human(report), flush=True)
    finally:
        if pool is not None:
            pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
