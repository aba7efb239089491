"""`python -m services.pdf_check FILE [FILE ...] [--json]`

JSON Lines (one object per file, DESIGN.md contract) with --json, a short French summary
otherwise. Exit 0 whatever the invoices contain; 2 for a usage error. Every file is analysed
in an isolated worker process (wall-clock limit, memory cap), so a hostile file cannot hang it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from services.office import OfficeConfigError, get_office

from .analyse import blocked_report
from .report import Report
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


def human(report: Report) -> str:
    lines = [f"{report.file} : {VERDICT_WORDS[report.verdict]}"]
    found = [(k, f.value) for k, f in report.fields.items() if f.value]
    if found:
        lines.append("  Trouvé : " + ", ".join(f"{k}={v}" for k, v in found))
    for i in report.issues:
        mark = {"error": "ERREUR", "warning": "Attention", "info": "Info"}[i.severity]
        lines.append(f"  - {mark} : {i.message}")
        lines.append(f"    → {i.fix}")
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
