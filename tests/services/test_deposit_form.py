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


# --- values the checker is not sure of: « à vérifier » -------------------------------------------

def _uncertain(name: str, severity: str = "warning"):
    from services.pdf_check.rules import UNCERTAIN_CODES

    return issue(UNCERTAIN_CODES[name], severity, name)


def test_a_guessed_value_is_to_check_with_what_to_compare(clean):
    fields = dict(clean.fields, invoice_number=replace(clean.fields["invoice_number"], confidence="guessed"),
                  total_ht=replace(clean.fields["total_ht"], confidence="labelled"))
    form = build_deposit_form(replace(clean, fields=fields), get_office())
    number = form.field("Numéro de facture")
    assert (number.value, number.status) == ("2021-01-342", "to_check")  # the value stays shown
    assert "sans son libellé" in number.note and "numéro de facture" in number.note
    assert "corriger" not in number.note
    assert form.field("Montant HT").status == "prefilled"  # labelled: nothing to check


def test_an_uncertain_warning_makes_its_field_and_the_net_to_pay_to_check(clean):
    report = replace(clean, issues=(_uncertain("total_ttc"),))
    form = build_deposit_form(report, get_office())
    ttc = form.field("Montant TTC")
    assert (ttc.value, ttc.status) == ("4\u202f535,33\u00a0€", "to_check")
    assert ttc.note == "Comparez avec votre facture : nous n'avons pas lu le total TTC avec certitude."
    assert form.field("Net à payer").status == "to_check"  # the same amount
    assert form.field("Montant HT").status == "prefilled"
    assert form.field("Numéro de facture").status == "prefilled"


def test_an_uncertain_warning_without_a_field_names_the_fields_of_its_code(clean):
    bare = issue("uncertain_totals", "warning")  # field=None
    form = build_deposit_form(replace(clean, issues=(bare,)), get_office())
    assert {form.field(label).status for label in ("Montant HT", "Montant TVA", "Montant TTC")} == {"to_check"}


def test_an_uncertain_seller_siret_is_to_check_in_the_supplier_block(clean):
    form = build_deposit_form(replace(clean, issues=(_uncertain("seller_siret"),)), get_office())
    siret = form.field("SIRET")
    assert (siret.value, siret.status) == ("201 723 467 00274", "to_check")
    assert "Celui de votre compte doit être le même." in siret.note


def test_a_field_with_an_error_keeps_its_error_treatment(clean):
    office = get_office()
    fields = dict(clean.fields,
                  buyer_siret=Field(value="80938923203020", page=1, source="text", confidence="guessed"),
                  total_ttc=replace(clean.fields["total_ttc"], confidence="guessed"))
    report = replace(clean, verdict="fix_needed", fields=fields, issues=(
        issue("wrong_buyer_siret", "error", "buyer_siret"), _uncertain("buyer_siret"),
        issue("totals_mismatch", "error", "total_ttc"), _uncertain("total_ttc")))
    form = build_deposit_form(report, office)
    siret = _recipient_siret(form)
    assert (siret.value, siret.status) == (office.siret, "to_type")
    assert form.field("Montant TTC").status == "prefilled"  # as before: the error list says what is wrong
    statuses = {item.status for block in form.blocks for item in block.fields}
    assert "to_check" not in statuses
    view = verdict_view(report, office)
    assert view.verdict == "fix_needed" and view.to_check == ()


def test_an_uncertain_warning_with_error_severity_is_an_error_not_a_doubt(clean):
    report = replace(clean, verdict="fix_needed", issues=(_uncertain("total_ttc", "error"),))
    assert build_deposit_form(report, get_office()).field("Montant TTC").status == "prefilled"
    assert verdict_view(report, get_office()).verdict == "fix_needed"


def test_nothing_is_to_check_on_a_blocked_file():
    report = replace(blocked_report("scan_no_text"), issues=(issue("scan_no_text"), _uncertain("total_ttc")))
    statuses = {item.status for block in build_deposit_form(report, get_office()).blocks for item in block.fields}
    assert "to_check" not in statuses


def test_ready_with_doubts_stays_ready_and_says_which_values_to_check(clean):
    office = get_office()
    report = replace(clean, issues=(_uncertain("total_ttc"),))
    view = verdict_view(report, office)
    assert (view.verdict, view.title) == ("ready", "Votre facture est prête pour Chorus Pro")
    assert view.action == ("Prête à déposer. Vérifiez le total TTC sur le formulaire de Chorus Pro : "
                           "nous ne l'avons pas lu avec certitude.")
    assert view.to_check == ("total_ttc",)
    assert view.problem is None
    assert view.guide_step == 7  # « Vérifier le formulaire »


def test_verdict_advice_names_several_values_in_form_order(clean):
    fields = dict(clean.fields, invoice_date=replace(clean.fields["invoice_date"], confidence="guessed"))
    report = replace(clean, fields=fields, issues=(issue("uncertain_totals", "warning"),))
    view = verdict_view(report, get_office())
    assert view.action == ("Prête à déposer. Vérifiez la date de facture et les totaux sur le formulaire de "
                           "Chorus Pro : nous ne les avons pas lus avec certitude.")
    only_date = verdict_view(replace(report, issues=()), get_office())
    assert "Vérifiez la date de facture sur" in only_date.action and "pas lue avec" in only_date.action


def test_a_ready_report_with_an_error_is_never_shown_ready(clean):
    view = verdict_view(replace(clean, issues=(issue("missing_date"),)), get_office())  # verdict left "ready"
    assert view.verdict == "fix_needed" and "prête" not in view.title


def test_issue_summary_counts_values_to_check_apart():
    views = sorted_issues(replace(blocked_report("x"), issues=(
        issue("a"), issue("c", "warning"), issue("uncertain_totals", "warning", "total_ttc"),
        issue("uncertain_date", "warning", "invoice_date"))))
    assert issue_summary(views) == "1 erreur, 1 conseil et 2 points à vérifier"
    only = sorted_issues(replace(blocked_report("x"), issues=(issue("uncertain_date", "warning", "invoice_date"),)))
    assert issue_summary(only) == "1 point à vérifier"
    assert only[0].uncertain


def test_reading_notes_say_how_each_value_was_read(clean):
    from services.deposit_form import reading_notes

    fields = dict(clean.fields,
                  invoice_number=replace(clean.fields["invoice_number"], confidence="labelled", rule="label"),
                  total_ttc=replace(clean.fields["total_ttc"], confidence="checked", rule="label+sum"),
                  invoice_date=replace(clean.fields["invoice_date"], confidence="guessed", rule="no-such-rule-id"),
                  currency=replace(clean.fields["currency"], source="facturx", confidence="facturx"),
                  purchase_order=Field())
    notes = {n.field: n for n in reading_notes(replace(clean, fields=fields))}
    assert "purchase_order" not in notes  # nothing found: nothing to explain
    assert (notes["invoice_number"].value, notes["invoice_number"].how) == ("2021-01-342", "lu après son libellé")
    assert notes["invoice_number"].rule is None  # « label »: the confidence words say it already
    ttc = notes["total_ttc"]
    assert ttc.value == "4\u202f535,33" and ttc.label == "Total TTC"
    assert ttc.how == "lu après son libellé et vérifié par le calcul"
    assert ttc.rule == "le total HT plus la TVA donne bien le TTC"
    date = notes["invoice_date"]
    assert (date.value, date.how, date.rule, date.to_check) == (
        "13/01/2021", "deviné sans libellé : à vérifier", None, True)  # unknown rule id: no words, no id
    assert notes["currency"].how == "lu dans les données Factur-X"
    # No confidence yet (older analysis): the source alone.
    assert notes["seller_siret"].how == "lu dans le texte de la facture"
    assert notes["seller_siret"].value == "201 723 467 00274"


def test_reading_notes_flag_a_labelled_value_named_by_a_warning(clean):
    from services.deposit_form import UNCERTAIN_NOTE, reading_notes

    fields = dict(clean.fields, total_ttc=replace(clean.fields["total_ttc"], confidence="labelled"))
    notes = {n.field: n for n in reading_notes(replace(clean, fields=fields, issues=(
        issue("uncertain_totals", "warning", "total_ttc"),)))}
    assert notes["total_ttc"].to_check and notes["total_ttc"].doubt == UNCERTAIN_NOTE
    assert notes["total_ttc"].how == "lu après son libellé"
    assert notes["total_ht"].doubt is None and not notes["total_ht"].to_check
