"""The deposit form view model: pre-filled or to type, verdict words, issue order, guide steps."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.deposit_form import (
    build_deposit_form, file_opens, guide_link, guide_step_for, issue_summary, sorted_issues, verdict_view,
)
from services.office import get_office
from services.pdf_check.chorus import PrefillRow
from services.pdf_check.report import Field
from tests.report_fixtures import SYNTHETIC, blocked_report, issue, report_from_labels


@pytest.fixture(scope="module")
def clean():
    return report_from_labels(SYNTHETIC / "inv-006.pdf")


def _block(form, title):
    return next(b for b in form.blocks if b.title == title)


def _recipient_siret(form):
    return next(f for f in _block(form, "Destinataire de la facture").fields if "SIRET" in f.label)


def test_found_values_are_prefilled_and_hand_typed_fields_stay_manual(clean):
    office = get_office()
    form = build_deposit_form(clean, office)
    assert [b.title for b in form.blocks] == [
        "Fournisseur de la facture", "Destinataire de la facture", "Cadre de facturation", "Références",
        "Montants", "Type de TVA", "Mode de règlement"]
    assert form.field("Numéro de facture").value == "2021-01-342"
    assert form.field("Numéro de facture").status == "prefilled"
    assert form.field("Date de facture").value == "13/01/2021"
    assert form.field("Type de facture").value == "Facture"
    assert form.field("Montant TTC").value == "4\u202f535,33\u00a0€"
    assert form.field("Net à payer").value == "4\u202f535,33\u00a0€"
    assert form.field("SIRET").value == "201 723 467 00274"  # the first SIRET: the supplier's
    assert form.field("SIRET").status == "account"
    assert form.field("Mode de règlement").status == "manual"
    assert form.field("Coordonnées bancaires").status == "manual"
    assert form.field("Coordonnées bancaires").value == "FR7616706079360068180538123"
    assert form.field("Cadre de facturation").status == "manual"
    assert form.field("Cadre de facturation").value.startswith(office.cadre_facturation)
    assert form.field("Le destinataire est-il l'État ?").value == office.recipient_is_state_answer
    assert form.field("Le destinataire est-il l'État ?").status == "manual"
    assert form.field("Type de TVA").status == "to_type"
    assert (form.field("Code service").value, form.field("Code service").status) == (None, "optional")
    # Printed after a bare « SIRET : » (no « SIRET client » keyword): Chorus Pro may miss it.
    recipient = _recipient_siret(form)
    assert (recipient.value, recipient.status) == (office.siret, "to_type")
    assert "SIRET client" in recipient.note
    office_name = next(f for f in _block(form, "Destinataire de la facture").fields if f.label == "Raison sociale")
    assert (office_name.value, office_name.status) == (office.name, "office")


def test_missing_values_are_to_type_with_what_to_write(clean):
    fields = dict(clean.fields, invoice_number=Field(), total_ht=Field())
    form = build_deposit_form(replace(clean, fields=fields), get_office())
    assert form.field("Numéro de facture").value is None
    assert form.field("Numéro de facture").status == "to_type"
    assert "Facture n°" in form.field("Numéro de facture").note
    assert form.field("Montant HT").status == "to_type"


def test_a_wrong_buyer_siret_is_never_shown_as_prefilled(clean):
    office = get_office()
    fields = dict(clean.fields, buyer_siret=Field(value="80938923203020", page=1, source="text"))
    siret = _recipient_siret(build_deposit_form(replace(clean, fields=fields), office))
    assert siret.value == office.siret
    assert siret.status == "to_type"
    assert f"SIRET client : {office.siret}" in siret.note


def test_rows_the_layout_does_not_know_are_still_shown(clean):
    rows = (PrefillRow("new_field", "Nouveau champ", "42", "prefilled", "Vérifiez."),)
    form = build_deposit_form(clean, get_office(), rows)
    assert form.field("Nouveau champ").value == "42"
    assert form.blocks[-1].title == "Autres champs"


def test_nothing_is_prefilled_from_a_blocked_file():
    form = build_deposit_form(blocked_report("scan_no_text"), get_office())
    statuses = {item.status for block in form.blocks for item in block.fields}
    assert "prefilled" not in statuses
    assert form.field("Numéro de facture").status == "to_type"


def test_issues_sorted_blocking_then_errors_then_warnings():
    report = blocked_report("encrypted")
    report = replace(report, issues=(issue("legal_mention", "warning"), issue("missing_date"),
                                     issue("info_note", "info"), issue("encrypted")))
    assert [i.code for i in sorted_issues(report)] == ["encrypted", "missing_date", "legal_mention", "info_note"]


@pytest.mark.parametrize(("code", "step"), [
    ("scan_no_text", 1), ("not_a_pdf", 1), ("too_large", 1), ("partial_scan", 1), ("timeout", 1),
    ("wrong_buyer_siret", 6), ("missing_buyer_siret", 6), ("facturx_invalid", 4),
    ("totals_mismatch", 7), ("missing_invoice_number", 7), ("a_new_code", 7),
])
def test_guide_step_for_each_issue(code, step):
    assert guide_step_for(issue(code)) == step


def test_verdict_view_names_the_one_thing_to_do(clean):
    office = get_office()
    ready = verdict_view(clean, office)
    assert ready.verdict == "ready"
    assert office.cadre_facturation in ready.action
    blocked = verdict_view(blocked_report("too_large"), office)
    assert (blocked.verdict, blocked.action, blocked.guide_step) == ("blocked", "Correction pour too_large.", 1)
    assert blocked.problem == "Message pour too_large."
    assert ready.problem is None
    wrong = replace(clean, verdict="fix_needed", issues=(issue("late", "warning"), issue("wrong_buyer_siret")))
    view = verdict_view(wrong, office)
    assert (view.action, view.guide_step) == ("Correction pour wrong_buyer_siret.", 6)
    assert guide_link(6) == "/deposer-une-facture?etape=6"


def test_issue_summary_counts_errors_and_advice():
    views = sorted_issues(replace(blocked_report("x"), issues=(
        issue("a"), issue("b"), issue("c", "warning"))))
    assert issue_summary(views) == "2 erreurs et 1 conseil"
    assert issue_summary(sorted_issues(replace(blocked_report("x"), issues=(issue("c", "info"),)))) == "1 conseil"
    assert issue_summary(()) is None


def test_file_opens_unless_chorus_pro_refuses_it(clean):
    assert file_opens(clean)
    assert file_opens(blocked_report("scan_no_text"))
    assert not file_opens(blocked_report("encrypted"))
