"""Case references for phone support: a short code the supplier reads to the office.

A case holds what the supplier sees: their last invoice check (the checker's JSON report),
the guide and step they are on, and, only if they ticked that they agree, the picture of
their invoice's first page. The office's staff type the code and see the same thing.

A case is created lazily (first check, first move in a guide, or when the supplier asks
for a code), never for a mere visit. It expires with the retention period (office.toml):
`get_case` stops finding it at once, the retention purge deletes it later.

Data functions are keyword-only, take a SQLAlchemy `Session` and return frozen dataclasses.
Moving through a guide costs one UPDATE; `StepThrottle` keeps quick clicking from sending
one per click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from services.models import Case, utc_now
from services.pdf_check.report import CONFIDENCE_LEVELS, FIELD_NAMES, FacturX, Field, Issue, PdfInfo, Report
from services.references import new_reference, parse_reference

# A page picture larger than this is not kept (previews are ~0.1-0.5 MB).
MAX_IMAGE_BYTES = 4 * 1024 * 1024
_CODE_ATTEMPTS = 8


@dataclass(frozen=True)
class CaseView:
    """A case as the supplier's widget and the staff view show it."""

    code: str
    report: dict[str, Any] | None  # Report.to_json_dict() of the last check
    guide_slug: str | None
    guide_step: int | None
    consent: bool  # the supplier agreed to share the page picture
    has_image: bool
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    page_image: bytes | None = None  # only with get_case(..., with_image=True)
    invoice_status: str | None = None  # Chorus Pro status looked at on /suivre-ma-facture
    invoice_status_live: bool = False  # read live in Chorus Pro (else picked by the supplier)
    invoice_status_at: datetime | None = None


def _cutoff(now: datetime, retention_days: int) -> datetime:
    return now - timedelta(days=retention_days)


def _view(row: Case, retention_days: int, *, with_image: bool = False, has_image: bool | None = None) -> CaseView:
    image = row.page_image if with_image else None
    return CaseView(
        code=row.code, report=row.last_report, guide_slug=row.guide_slug, guide_step=row.guide_step,
        consent=bool(row.consent), has_image=bool(image) if has_image is None else has_image,
        created_at=row.created_at, updated_at=row.updated_at,
        expires_at=row.created_at + timedelta(days=retention_days), page_image=image,
        invoice_status=row.invoice_status, invoice_status_live=bool(row.invoice_status_live),
        invoice_status_at=row.invoice_status_at,
    )


def create_case(*, session: Session, retention_days: int, guide_slug: str | None = None,
                guide_step: int | None = None, now: datetime | None = None) -> CaseView:
    """A new case with a fresh code (drawn again on the rare collision). Commits."""
    now = now or utc_now()
    for _ in range(_CODE_ATTEMPTS):
        row = Case(code=new_reference(), guide_slug=guide_slug, guide_step=guide_step, consent=False,
                   created_at=now, updated_at=now)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue
        session.commit()
        return _view(row, retention_days, has_image=False)
    session.rollback()
    raise RuntimeError("could not draw a free case code")  # ~never: 887 million codes


def _live_row(session: Session, code: str | None, retention_days: int, now: datetime,
              with_image: bool = False) -> Case | None:
    canonical = parse_reference(code)
    if canonical is None:
        return None
    query = select(Case).where(Case.code == canonical, Case.created_at >= _cutoff(now, retention_days))
    if with_image:
        query = query.options(undefer(Case.page_image))
    return session.scalars(query).first()


def get_case(*, session: Session, code: str | None, retention_days: int, now: datetime | None = None,
             with_image: bool = False) -> CaseView | None:
    """The case with this code (typed loosely: 'k7f 42q'), or None when unknown or expired."""
    now = now or utc_now()
    row = _live_row(session, code, retention_days, now, with_image)
    if row is None:
        session.rollback()
        return None
    if with_image:
        view = _view(row, retention_days, with_image=True)
    else:
        has_image = session.scalar(select(Case.page_image.isnot(None)).where(Case.id == row.id))
        view = _view(row, retention_days, has_image=bool(has_image))
    session.rollback()  # read only: end the transaction (on SQLite it holds the write lock)
    return view


def move_case(*, session: Session, code: str, guide_slug: str, guide_step: int, retention_days: int,
              now: datetime | None = None) -> bool:
    """Record the guide step the supplier is on: one UPDATE. False when the case is gone. Commits."""
    now = now or utc_now()
    return _update_live_case(session, code, retention_days, now, guide_slug=guide_slug, guide_step=guide_step)


def record_case_status(*, session: Session, code: str, status: str, live: bool, retention_days: int,
                       now: datetime | None = None) -> bool:
    """Record the invoice status the supplier looked at: one UPDATE. False when the case is gone.
    Commits."""
    now = now or utc_now()
    return _update_live_case(session, code, retention_days, now, invoice_status=status[:40],
                             invoice_status_live=bool(live), invoice_status_at=now)


def _update_live_case(session: Session, code: str, retention_days: int, now: datetime, **values) -> bool:
    """One UPDATE of a case still within its retention period (updated_at too); False when it is gone. Commits."""
    canonical = parse_reference(code)
    if canonical is None:
        return False
    result = session.execute(
        update(Case)
        .where(Case.code == canonical, Case.created_at >= _cutoff(now, retention_days))
        .values(**values, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return (result.rowcount or 0) > 0


def save_case_report(*, session: Session, code: str, report: dict[str, Any], retention_days: int,
                     image: bytes | None = None, consent: bool = False, now: datetime | None = None) -> bool:
    """Keep the last check's report; the page picture only with the supplier's consent
    (without it, any earlier picture is dropped). False when the case is gone. Commits."""
    now = now or utc_now()
    row = _live_row(session, code, retention_days, now)
    if row is None:
        session.rollback()
        return False
    row.last_report = report
    row.consent = bool(consent)
    row.page_image = image if consent and image and len(image) <= MAX_IMAGE_BYTES else None
    row.updated_at = now
    session.commit()
    return True


def set_image_consent(*, session: Session, code: str, consent: bool, image: bytes | None, retention_days: int,
                      now: datetime | None = None) -> bool:
    """The supplier ticked (keep `image`) or unticked (drop it) the sharing box. Commits."""
    now = now or utc_now()
    row = _live_row(session, code, retention_days, now)
    if row is None:
        session.rollback()
        return False
    row.consent = bool(consent)
    row.page_image = image if consent and image and len(image) <= MAX_IMAGE_BYTES else None
    row.updated_at = now
    session.commit()
    return True


# --- the stored report, back as the checker's dataclasses ------------------------------

def report_from_json(data: dict[str, Any]) -> Report:
    """Rebuild a `Report` from its JSON form (no boxes, no page sizes), so the checker's
    rendering functions can draw a stored case exactly as the supplier saw it."""
    pdf = data.get("pdf") or {}
    facturx = pdf.get("facturx")
    fields_json = data.get("fields") or {}
    fields = {}
    for name in FIELD_NAMES:
        item = fields_json.get(name) or {}
        confidence = item.get("confidence")
        rule = item.get("rule")
        fields[name] = Field(value=item.get("value"), page=item.get("page"), source=item.get("source"),
                             label=item.get("label"),
                             confidence=confidence if confidence in CONFIDENCE_LEVELS else None,
                             rule=rule if isinstance(rule, str) else None)
    issues = tuple(
        Issue(code=str(i.get("code", "")), severity=i.get("severity", "info"), message=str(i.get("message", "")),
              fix=str(i.get("fix", "")), field=i.get("field"))
        for i in data.get("issues") or ()
    )
    return Report(
        file=str(data.get("file", "")),
        verdict=data.get("verdict", "blocked"),
        pdf=PdfInfo(pages=pdf.get("pages"), size_bytes=int(pdf.get("size_bytes") or 0),
                    text_layer=pdf.get("text_layer"), encrypted=bool(pdf.get("encrypted")),
                    facturx=FacturX(facturx.get("profile"), facturx.get("valid")) if facturx else None),
        fields=fields,
        issues=issues,
        elapsed_ms=float(data.get("elapsed_ms") or 0.0),
    )


def report_to_json(report: Report) -> dict[str, Any]:
    """The JSON form kept in a case: the DESIGN.md contract plus what the page draws from but the
    contract leaves out: each issue's field and the words printed before each value (the form
    mock-up uses them, e.g. whether the buyer SIRET was labelled « SIRET client »)."""
    data = report.to_json_dict()
    for item, issue in zip(data["issues"], report.issues):
        if issue.field:
            item["field"] = issue.field
    for name, item in data["fields"].items():
        found = report.fields.get(name)
        if found is not None and found.label:
            item["label"] = found.label
    return data


# --- throttling the guide-step writes ------------------------------------------------

class StepThrottle:
    """Decides when a guide step is written: at once when the last write is `interval`
    seconds old, else later (the newest step wins). Plain object kept in the session.

    `want(step, t)` records the step the supplier is on; `due(t)` says whether a write
    should happen now; `written(step, t)` records it was done.
    """

    def __init__(self, interval: float = 2.0) -> None:
        self.interval = interval
        self.last_written: tuple[str, int] | None = None
        self.last_write_at: float | None = None
        self.pending: tuple[str, int] | None = None

    def want(self, slug: str, step: int) -> None:
        target = (slug, step)
        self.pending = None if target == self.last_written else target

    def due(self, t: float) -> bool:
        if self.pending is None:
            return False
        return self.last_write_at is None or t - self.last_write_at >= self.interval

    def wait(self, t: float) -> float:
        """Seconds until a pending write is due (0 when due or nothing pending)."""
        if self.pending is None or self.last_write_at is None:
            return 0.0
        return max(0.0, self.interval - (t - self.last_write_at))

    def written(self, slug: str, step: int, t: float) -> None:
        self.last_written, self.last_write_at = (slug, step), t
        if self.pending == (slug, step):
            self.pending = None
