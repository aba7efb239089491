"""Case references: created on demand, found by a loosely typed code, moved along a guide,
holding the last check (and the page picture only with consent), gone after retention."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

import services.cases as cases_mod
from services.cases import (
    StepThrottle, create_case, get_case, move_case, report_from_json, report_to_json, save_case_report,
    set_image_consent,
)
from services.models import Case
from services.pdf_check.report import FIELD_NAMES, Field, Issue, PdfInfo, Report
from services.references import ALPHABET, parse_reference

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
RETENTION = 90


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 160), (240, 240, 255)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def make_report(verdict="fix_needed") -> Report:
    fields = {name: Field() for name in FIELD_NAMES}
    fields["invoice_number"] = Field(value="F-2026-001", page=1, source="text")
    fields["buyer_siret"] = Field(value="21620041600017", page=1, source="text", label="SIRET client :")
    issues = (Issue("missing_date", "error", "La date manque.", "Ajoutez la date.", field="invoice_date"),
              Issue("invalid_vat", "warning", "TVA fausse.", "Vérifiez le numéro.", field="seller_vat"))
    return Report(file="facture.pdf", verdict=verdict, pdf=PdfInfo(1, 12345, "full", False, None),
                  fields=fields, issues=issues, elapsed_ms=42.0)


def test_create_gives_a_readable_code_and_nothing_else(session):
    case = create_case(session=session, retention_days=RETENTION, now=NOW)
    assert parse_reference(case.code) == case.code
    assert set(case.code.replace("-", "")) <= set(ALPHABET)
    assert case.report is None and case.guide_slug is None and not case.consent and not case.has_image
    assert case.expires_at == NOW + timedelta(days=RETENTION)
    assert session.scalars(select(Case.code)).all() == [case.code]


def test_code_collision_draws_again(session, monkeypatch):
    first = create_case(session=session, retention_days=RETENTION, now=NOW)
    drawn = iter([first.code, first.code, "ABC-DEF"])
    monkeypatch.setattr(cases_mod, "new_reference", lambda: next(drawn))
    assert create_case(session=session, retention_days=RETENTION, now=NOW).code == "ABC-DEF"


def test_found_by_a_loosely_typed_code(session):
    code = create_case(session=session, retention_days=RETENTION, now=NOW).code
    for typed in (code, code.lower(), code.replace("-", ""), " " + code.lower().replace("-", " ") + " "):
        found = get_case(session=session, code=typed, retention_days=RETENTION, now=NOW)
        assert found is not None and found.code == code, typed
    for typed in ("", None, "ABC", "OOO-III", "ZZZ-ZZZ"):
        assert get_case(session=session, code=typed, retention_days=RETENTION, now=NOW) is None


def test_moving_in_a_guide_updates_the_step(session, session_factory):
    code = create_case(session=session, retention_days=RETENTION, guide_slug="creer-mon-compte", guide_step=1,
                       now=NOW).code
    later = NOW + timedelta(minutes=3)
    assert move_case(session=session, code=code, guide_slug="deposer-une-facture", guide_step=4,
                     retention_days=RETENTION, now=later)
    # another session (the staff's) sees it
    with session_factory() as other:
        seen = get_case(session=other, code=code, retention_days=RETENTION, now=later)
    assert (seen.guide_slug, seen.guide_step, seen.updated_at) == ("deposer-une-facture", 4, later)
    assert not move_case(session=session, code="ZZZ-ZZZ", guide_slug="x", guide_step=1, retention_days=RETENTION)


def test_report_kept_image_only_with_consent(session):
    code = create_case(session=session, retention_days=RETENTION, now=NOW).code
    data = report_to_json(make_report())
    assert save_case_report(session=session, code=code, report=data, image=PNG, consent=False,
                            retention_days=RETENTION, now=NOW)
    case = get_case(session=session, code=code, retention_days=RETENTION, now=NOW, with_image=True)
    assert case.report["verdict"] == "fix_needed" and case.report["fields"]["invoice_number"]["value"] == "F-2026-001"
    assert case.page_image is None and not case.has_image and not case.consent
    assert session.scalar(select(Case.page_image).where(Case.code == code)) is None

    assert set_image_consent(session=session, code=code, consent=True, image=PNG, retention_days=RETENTION, now=NOW)
    case = get_case(session=session, code=code, retention_days=RETENTION, now=NOW, with_image=True)
    assert case.consent and case.has_image and case.page_image == PNG
    assert get_case(session=session, code=code, retention_days=RETENTION, now=NOW).has_image  # without loading it

    # unticking drops the picture from the database at once
    assert set_image_consent(session=session, code=code, consent=False, image=PNG, retention_days=RETENTION, now=NOW)
    assert session.scalar(select(Case.page_image).where(Case.code == code)) is None
    # a new check without consent drops an earlier picture too
    set_image_consent(session=session, code=code, consent=True, image=PNG, retention_days=RETENTION, now=NOW)
    save_case_report(session=session, code=code, report=data, image=PNG, consent=False, retention_days=RETENTION)
    assert session.scalar(select(Case.page_image).where(Case.code == code)) is None


def test_oversized_picture_is_not_kept(session, monkeypatch):
    monkeypatch.setattr(cases_mod, "MAX_IMAGE_BYTES", 10)
    code = create_case(session=session, retention_days=RETENTION, now=NOW).code
    save_case_report(session=session, code=code, report={"verdict": "ready"}, image=PNG, consent=True,
                     retention_days=RETENTION, now=NOW)
    assert session.scalar(select(Case.page_image).where(Case.code == code)) is None


def test_case_expires_with_the_retention_period(session):
    code = create_case(session=session, retention_days=RETENTION, now=NOW).code
    just_before = NOW + timedelta(days=RETENTION) - timedelta(seconds=1)
    just_after = NOW + timedelta(days=RETENTION, seconds=1)
    assert get_case(session=session, code=code, retention_days=RETENTION, now=just_before) is not None
    assert get_case(session=session, code=code, retention_days=RETENTION, now=just_after) is None
    assert not move_case(session=session, code=code, guide_slug="x", guide_step=2, retention_days=RETENTION,
                         now=just_after)
    assert not save_case_report(session=session, code=code, report={}, retention_days=RETENTION, now=just_after)


def test_stored_report_draws_like_the_original():
    original = make_report()
    rebuilt = report_from_json(report_to_json(original))
    assert rebuilt.verdict == original.verdict and rebuilt.file == original.file
    assert {n: (f.value, f.page, f.source, f.label) for n, f in rebuilt.fields.items()} == \
           {n: (f.value, f.page, f.source, f.label) for n, f in original.fields.items()}
    assert [(i.code, i.severity, i.message, i.fix, i.field) for i in rebuilt.issues] == \
           [(i.code, i.severity, i.message, i.fix, i.field) for i in original.issues]
    assert rebuilt.pdf == original.pdf
    # so the staff's form mock-up is the supplier's
    from services.deposit_form import build_deposit_form
    from services.office import get_office
    assert build_deposit_form(rebuilt, get_office()) == build_deposit_form(original, get_office())
    # the DESIGN.md contract stays intact, plus each issue's field
    assert set(report_to_json(original)) == set(original.to_json_dict())


def test_stored_report_keeps_how_sure_the_checker_was():
    from dataclasses import replace

    from services.deposit_form import build_deposit_form
    from services.office import get_office

    original = make_report("ready")
    fields = dict(original.fields, invoice_number=replace(original.fields["invoice_number"], confidence="guessed",
                                                          rule="position"))
    original = replace(original, fields=fields, issues=())
    data = report_to_json(original)
    rebuilt = report_from_json(data)
    assert (rebuilt.fields["invoice_number"].confidence, rebuilt.fields["invoice_number"].rule) == ("guessed", "position")
    form = build_deposit_form(rebuilt, get_office())
    assert form.field("Numéro de facture").status == "to_check"  # the staff see what the supplier saw
    assert form == build_deposit_form(original, get_office())
    data["fields"]["invoice_number"].update(confidence="<script>", rule=["x"])  # a tampered row
    rebuilt = report_from_json(data)
    assert (rebuilt.fields["invoice_number"].confidence, rebuilt.fields["invoice_number"].rule) == (None, None)


def test_rebuild_tolerates_a_partial_report():
    rebuilt = report_from_json({"verdict": "blocked", "issues": [{"code": "not_a_pdf"}]})
    assert rebuilt.verdict == "blocked" and rebuilt.issues[0].code == "not_a_pdf"
    assert set(rebuilt.fields) == set(FIELD_NAMES)


def test_step_throttle_coalesces_quick_clicks():
    throttle = StepThrottle(interval=2.0)
    throttle.want("g", 1)
    assert throttle.due(0.0)
    throttle.written("g", 1, 0.0)
    assert not throttle.due(0.1)  # nothing new
    throttle.want("g", 2)
    assert not throttle.due(0.5) and throttle.wait(0.5) == pytest.approx(1.5)
    throttle.want("g", 3)  # clicked again: only the newest step will be written
    throttle.want("g", 4)
    assert throttle.due(2.0) and throttle.pending == ("g", 4)
    throttle.written("g", 4, 2.0)
    assert throttle.pending is None
    throttle.want("g", 4)  # same step again: nothing to write
    assert not throttle.due(10.0)
    throttle.want("g", 3)
    throttle.want("g", 4)  # back where it was written: nothing pending
    assert not throttle.due(10.0)


def test_the_invoice_status_looked_at_is_recorded(session):
    from services.cases import record_case_status

    case = create_case(session=session, retention_days=RETENTION, now=NOW)
    assert get_case(session=session, code=case.code, retention_days=RETENTION, now=NOW).invoice_status is None
    later = NOW + timedelta(minutes=3)
    assert record_case_status(session=session, code=case.code, status="A_RECYCLER", live=True,
                              retention_days=RETENTION, now=later)
    seen = get_case(session=session, code=case.code, retention_days=RETENTION, now=later)
    assert (seen.invoice_status, seen.invoice_status_live, seen.invoice_status_at) == ("A_RECYCLER", True, later)
    assert not record_case_status(session=session, code="ZZZ-ZZZ", status="REJETEE", live=False,
                                  retention_days=RETENTION, now=later)
