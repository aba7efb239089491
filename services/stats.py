"""The office's numbers: invoice checks, verdicts, frequent issues, callbacks and the time
to handle them. Plain Python + SQL aggregates: no Streamlit.

Checks are counted from `check_events`, written anonymously by the checker page through
`record_check_event` (verdict and issue codes only: no file name, no value, no session);
they are kept after the retention purge. Callbacks are counted from `callback_requests`,
so they only go back as far as the retention period.

Weeks start on Monday, 00:00 UTC.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from services.models import CallbackRequest, CheckEvent, CheckEventIssue, utc_now

VERDICTS = ("ready", "fix_needed", "blocked")
VERDICT_LABELS = {"ready": "Prête", "fix_needed": "À corriger", "blocked": "Bloquée"}

# French names of the checker's issue codes (DESIGN.md; unknown codes show as themselves).
ISSUE_LABELS: dict[str, str] = {
    "not_a_pdf": "Le fichier n'est pas un PDF",
    "empty_file": "Fichier vide",
    "too_large": "Fichier trop lourd",
    "encrypted": "PDF protégé par un mot de passe",
    "corrupted": "PDF abîmé",
    "timeout": "Analyse trop longue",
    "scan_no_text": "Facture scannée (pas de texte)",
    "partial_scan": "Pages scannées",
    "missing_invoice_number": "Numéro de facture absent",
    "invoice_number_too_long": "Numéro de facture trop long",
    "missing_date": "Date absente",
    "missing_seller_siret": "SIRET du fournisseur absent",
    "missing_seller_siren": "SIREN du fournisseur absent",
    "invalid_seller_siret_checksum": "SIRET du fournisseur faux",
    "invalid_seller_siren_checksum": "SIREN du fournisseur faux",
    "missing_buyer_siret": "SIRET de l'office absent",
    "wrong_buyer_siret": "Mauvais SIRET de l'office",
    "missing_totals": "Totaux absents",
    "missing_vat_total": "Montant de TVA absent",
    "totals_mismatch": "Totaux incohérents",
    "wrong_currency": "Devise autre que l'euro",
    "invalid_vat": "Numéro de TVA faux",
    "missing_seller_vat": "Numéro de TVA absent",
    "invalid_iban": "IBAN faux",
    "missing_operation_category": "Catégorie d'opération absente",
    "credit_note_positive": "Avoir en montant positif",
    "facturx_invalid": "Factur-X invalide",
    "facturx_profile_not_accepted": "Profil Factur-X refusé",
    "facturx_mismatch": "Factur-X différent du PDF",
    "facturx_lot": "Factur-X en lot",
    "already_paid": "Facture déjà payée (cadre A2 ?)",
    "missing_due_date": "Date d'échéance absente",
    "missing_late_penalties": "Pénalités de retard absentes",
    "missing_recovery_indemnity": "Indemnité de 40 € absente",
    "receipt_not_invoice": "Reçu ou ticket, pas une facture",
    "uncertain_totals": "Totaux à vérifier",
    "uncertain_date": "Date à vérifier",
    "uncertain_invoice_number": "Numéro de facture à vérifier",
    "uncertain_seller_siret": "SIRET du fournisseur à vérifier",
    "uncertain_buyer_siret": "SIRET de l'office à vérifier",
    "uncertain_currency": "Devise à vérifier",
    "uncertain_purchase_order": "Numéro d'engagement à vérifier",
}


def issue_label(code: str) -> str:
    return ISSUE_LABELS.get(code, code)


@dataclass(frozen=True)
class WeekCount:
    week: date  # Monday
    count: int


@dataclass(frozen=True)
class IssueCount:
    code: str
    label: str
    count: int  # checks where it was found


@dataclass(frozen=True)
class WeekHandling:
    week: date  # Monday of the week the requests were made
    handled: int
    median_hours: float | None


@dataclass(frozen=True)
class OfficeNumbers:
    since: date  # Monday of the first week shown
    checks_per_week: tuple[WeekCount, ...]
    verdicts: dict[str, int]  # every verdict, in VERDICTS order
    top_issues: tuple[IssueCount, ...]
    callbacks_per_week: tuple[WeekCount, ...]
    handling_per_week: tuple[WeekHandling, ...]
    median_hours: float | None  # over every handled request of the period
    checks_total: int
    callbacks_total: int


# --- writing ---------------------------------------------------------------------------

def record_check_event(*, session: Session, report: Mapping[str, Any], now: datetime | None = None) -> int:
    """Count one check: its verdict and its issue codes (each once), nothing else. `report`
    is the checker's JSON form (Report.to_json_dict()). Returns the event id. Commits."""
    now = now or utc_now()
    verdict = str(report.get("verdict") or "blocked")[:16]
    event = CheckEvent(verdict=verdict, created_at=now)
    session.add(event)
    session.flush()
    seen: set[str] = set()
    for item in report.get("issues") or ():
        code = str(item.get("code") or "")[:64]
        if code and code not in seen:
            seen.add(code)
            session.add(CheckEventIssue(event_id=event.id, code=code, severity=str(item.get("severity") or "")[:16]))
    session.commit()
    return event.id


# --- reading ---------------------------------------------------------------------------

def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week_expr(session: Session, column) -> ColumnElement:
    """SQL for the Monday (UTC) of a timestamp column's week."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("week", func.timezone("UTC", column))
    # SQLite stores UTC text: next Sunday (or the same day), then back six days.
    return func.date(column, "weekday 0", "-6 days")


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _weeks(since: date, until: date) -> list[date]:
    weeks, current = [], week_start(since)
    while current <= until:
        weeks.append(current)
        current += timedelta(days=7)
    return weeks


def _per_week(session: Session, model, since_dt: datetime, weeks: list[date]) -> tuple[WeekCount, ...]:
    week = _week_expr(session, model.created_at).label("week")
    rows = session.execute(
        select(week, func.count()).where(model.created_at >= since_dt).group_by(week)
    ).all()
    counts = {_as_date(w): n for w, n in rows}
    return tuple(WeekCount(w, counts.get(w, 0)) for w in weeks)


def office_numbers(*, session: Session, weeks: int = 12, now: datetime | None = None,
                   top: int = 10) -> OfficeNumbers:
    """Everything the « Chiffres » tab shows, over the last `weeks` weeks (this one included)."""
    now = now or utc_now()
    first = week_start(now.date()) - timedelta(weeks=weeks - 1)
    since_dt = datetime(first.year, first.month, first.day, tzinfo=now.tzinfo)
    all_weeks = _weeks(first, now.date())

    checks = _per_week(session, CheckEvent, since_dt, all_weeks)
    verdict_rows = session.execute(
        select(CheckEvent.verdict, func.count()).where(CheckEvent.created_at >= since_dt).group_by(CheckEvent.verdict)
    ).all()
    found = dict(verdict_rows)
    verdicts = {v: int(found.get(v, 0)) for v in VERDICTS}
    for other, n in found.items():  # a verdict the checker may add later
        verdicts.setdefault(other, int(n))

    count = func.count(CheckEventIssue.id).label("n")
    issue_rows = session.execute(
        select(CheckEventIssue.code, count)
        .join(CheckEvent, CheckEvent.id == CheckEventIssue.event_id)
        .where(CheckEvent.created_at >= since_dt)
        .group_by(CheckEventIssue.code)
        .order_by(count.desc(), CheckEventIssue.code)
        .limit(top)
    ).all()
    top_issues = tuple(IssueCount(code, issue_label(code), int(n)) for code, n in issue_rows)

    callbacks = _per_week(session, CallbackRequest, since_dt, all_weeks)
    # Medians are not portable SQL (PostgreSQL has percentile_cont, SQLite nothing): fetch
    # the handled pairs of the period, a few hundred at most, and take medians here.
    pairs = session.execute(
        select(CallbackRequest.created_at, CallbackRequest.handled_at)
        .where(CallbackRequest.created_at >= since_dt, CallbackRequest.handled_at.isnot(None))
    ).all()
    session.rollback()  # read only
    durations: dict[date, list[float]] = {}
    for created, handled in pairs:
        hours = max(0.0, (handled - created).total_seconds() / 3600)
        durations.setdefault(week_start(created.date()), []).append(hours)
    handling = tuple(
        WeekHandling(w, len(durations.get(w, [])),
                     round(statistics.median(durations[w]), 1) if durations.get(w) else None)
        for w in all_weeks
    )
    every = [h for values in durations.values() for h in values]
    return OfficeNumbers(
        since=first, checks_per_week=checks, verdicts=verdicts, top_issues=top_issues,
        callbacks_per_week=callbacks, handling_per_week=handling,
        median_hours=round(statistics.median(every), 1) if every else None,
        checks_total=sum(w.count for w in checks), callbacks_total=sum(w.count for w in callbacks),
    )
