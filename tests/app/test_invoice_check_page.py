"""The invoice checker page in AppTest: upload, verdict, form mock-up, issues, session memory."""

from __future__ import annotations

import html

import pytest

import ui.checker_view as checker_view
from services.office import get_office
from tests.app.conftest import texts
from tests.report_fixtures import REAL, SYNTHETIC, FakePool, blocked_report, issue, report_from_labels

PAGE = "pages/invoice_check.py"


def _html(at) -> str:
    return "\n".join(el.value for el in at.get("html"))


def _open(app):
    app.run()
    app.switch_page(PAGE)
    app.run()
    assert not app.exception, app.exception
    return app


@pytest.fixture
def fake_pool(monkeypatch):
    pool = FakePool(None)
    monkeypatch.setattr(checker_view, "get_checker_pool", lambda: pool)
    return pool


def test_page_shows_the_drop_zone_and_no_result_yet(app, fake_pool):
    at = _open(app)
    assert at.title[0].value == "Vérifier ma facture avant Chorus Pro"
    assert len(at.file_uploader) == 1
    assert at.file_uploader[0].allowed_type == []  # a PNG named .pdf must reach the analysis
    assert f"PDF, {get_office().max_pdf_mb} Mo au maximum" in _html(at)  # not Streamlit's « 250MB per file »
    assert "cp-form" not in _html(at)
    assert fake_pool.calls == []


def test_clean_invoice_is_ready_with_the_form_prefilled(app, fake_pool):
    path = SYNTHETIC / "inv-006.pdf"
    fake_pool.answer = report_from_labels(path)
    at = _open(app)
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/pdf"))
    at.run()
    assert not at.exception, at.exception
    page_html = _html(at)
    assert "Votre facture est prête pour Chorus Pro" in page_html
    assert "inv-006.pdf" in page_html
    # The mock-up: invoice values pre-filled, office's recipient, hand-typed fields.
    office = get_office()
    assert "2021-01-342" in page_html and "13/01/2021" in page_html
    assert "3\u202f812,01\u00a0€" in page_html
    assert office.siret in page_html and office.name in page_html
    assert html.escape(f"{office.cadre_facturation} – {office.cadre_facturation_label}") in page_html
    assert "Pré-rempli par Chorus Pro" in page_html and "À saisir à la main" in page_html
    for block in ("Fournisseur de la facture", "Destinataire de la facture", "Cadre de facturation",
                  "Références", "Montants", "Type de TVA", "Mode de règlement"):
        assert f"<h3>{block}</h3>" in page_html
    # The outlined page picture, and no issue.
    assert page_html.count('<img src="data:image/png;base64,') == 1
    assert "Page 1 sur 1 : Fournisseur, N° facture" in page_html
    assert "Aucun problème trouvé." in texts(at)
    assert fake_pool.calls == [(path.stat().st_size, "inv-006.pdf")]


def test_a_rerun_does_not_analyse_again_and_the_result_survives_navigation(app, fake_pool):
    path = SYNTHETIC / "inv-006.pdf"
    fake_pool.answer = report_from_labels(path)
    at = _open(app)
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/pdf"))
    at.run()
    at.run()
    assert len(fake_pool.calls) == 1
    at.switch_page("pages/home.py")
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert len(fake_pool.calls) == 1
    assert "Votre facture est prête pour Chorus Pro" in _html(at)


def test_removing_the_file_clears_its_result(app, fake_pool):
    path = SYNTHETIC / "inv-006.pdf"
    fake_pool.answer = report_from_labels(path)
    at = _open(app)
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/pdf"))
    at.run()
    assert "cp-verdict" in _html(at)
    at.file_uploader[0].set_value(None)
    at.run()
    assert not at.exception
    assert "cp-verdict" not in _html(at)
    assert len(fake_pool.calls) == 1


def test_errors_come_first_with_their_fix_and_guide_step(app, fake_pool):
    path = SYNTHETIC / "inv-049.pdf"
    fake_pool.answer = report_from_labels(path, issues=(
        issue("late_payment_terms_missing", "warning"), issue("wrong_buyer_siret", "error", "buyer_siret")))
    at = _open(app)
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/pdf"))
    at.run()
    assert not at.exception, at.exception
    page_html = _html(at)
    assert "À corriger avant de déposer" in page_html
    assert "Correction pour wrong_buyer\\_siret" not in page_html  # the banner is HTML, not Markdown
    assert "Correction pour wrong_buyer_siret." in page_html
    assert "Message pour wrong_buyer_siret." in page_html  # the banner says what the fix is about
    assert 'href="#points-a-voir"' in page_html and "Voir la liste : 1 erreur et 1 conseil" in page_html
    shown = texts(at)
    assert shown.index("wrong\\_buyer\\_siret") < shown.index("late\\_payment")
    links = [link.value for link in at.get("page_link")]
    assert "Voir l'étape 6 du guide de dépôt" in links
    assert "Guide de dépôt, étape 6" in links  # the error's step
    assert "Guide de dépôt, étape 7" not in links  # a warning gets no guide link


def test_hostile_values_are_escaped(app, fake_pool):
    path = SYNTHETIC / "inv-006.pdf"
    base = report_from_labels(path, file_name='<img src=x onerror=alert(1)>.pdf')
    fields = dict(base.fields)
    fields["invoice_number"] = type(fields["invoice_number"])(value="<script>alert(1)</script>", page=1)
    fake_pool.answer = type(base)(**{**base.__dict__, "fields": fields})
    at = _open(app)
    at.file_uploader[0].set_value(("x.pdf", path.read_bytes(), "application/pdf"))
    at.run()
    page_html = _html(at)
    assert "<script>alert(1)" not in page_html and "<img src=x" not in page_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html


def test_blocked_file_says_why_and_shows_no_picture(app, fake_pool):
    fake_pool.answer = blocked_report("not_a_pdf", file_name="photo.pdf")
    at = _open(app)
    at.file_uploader[0].set_value(("photo.pdf", b"\x89PNG\r\n\x1a\n....", "application/pdf"))
    at.run()
    assert not at.exception, at.exception
    assert "Chorus Pro ne pourra pas utiliser ce fichier" in _html(at)
    assert "Correction pour not_a_pdf." in _html(at)
    assert "data:image/png" not in _html(at)
    assert "cp-form" not in _html(at)  # Chorus Pro would not open it: no form to show
    assert "Chorus Pro refusera ce fichier" in texts(at)
    assert "Voir l'étape 1 du guide de dépôt" in [link.value for link in at.get("page_link")]


def test_a_crash_of_the_analysis_gives_french_words_not_a_traceback(app, monkeypatch):
    def broken(data, filename):
        raise RuntimeError("worker died")

    monkeypatch.setattr(checker_view, "get_checker_pool", lambda: FakePool(broken))
    at = _open(app)
    at.file_uploader[0].set_value(("facture.pdf", b"%PDF-1.4", "application/pdf"))
    at.run()
    assert not at.exception
    assert "Nous n'avons pas pu analyser « facture\\.pdf »" in at.error[0].value  # escaped for Markdown
    assert get_office().phone in at.error[0].value
    at.file_uploader[0].set_value(("[clic](javascript:alert(1)).pdf", b"%PDF-1.4", "application/pdf"))
    at.run()
    assert "\\[clic\\]\\(javascript:alert\\(1\\)\\)" in at.error[0].value


def test_home_and_deposit_guide_link_to_the_checker(app):
    app.run()
    assert "Vérifier ma facture avant de la déposer" in [link.value for link in app.get("page_link")]
    app.switch_page("pages/deposit_guide.py")
    app.run()
    assert "Vérifier ma facture avec le kiosque" in [link.value for link in app.get("page_link")]


# --- with the real analysis (the checker's worker pool), on corpus files read in place ---------

def _upload_real(app, name: str, data: bytes):
    at = _open(app)
    at.file_uploader[0].set_value((name, data, "application/pdf"))
    at.run(timeout=90)
    assert not at.exception, at.exception
    return at


def _issue_codes_shown(at) -> str:
    return "\n".join(str(el.value) for el in at.markdown)


def test_real_clean_invoice_is_ready(app):
    path = SYNTHETIC / "inv-006.pdf"
    at = _upload_real(app, path.name, path.read_bytes())
    page_html = _html(at)
    assert "Votre facture est prête pour Chorus Pro" in page_html
    assert "2021-01-342" in page_html  # the invoice number, in the mock-up
    assert "3\u202f812,01\u00a0€" in page_html  # total HT, French format
    assert page_html.count('<img src="data:image/png;base64,') == 1
    assert "N° facture" in page_html  # an outlined value's label, in the picture's caption
    assert at.status[0].label == "Analyse terminée"


def test_real_wrong_recipient_siret_needs_a_fix_with_guide_step_6(app):
    path = SYNTHETIC / "inv-049.pdf"
    at = _upload_real(app, path.name, path.read_bytes())
    assert "À corriger avant de déposer" in _html(at)
    _shown_issue(at, "wrong_buyer_siret")
    assert "Voir l'étape 6 du guide de dépôt" in [link.value for link in at.get("page_link")]


def _shown_issue(at, code: str):
    """The report's issue `code`, after checking its fix is the banner's one thing to do."""
    report = at.session_state["invoice_check_result"].report
    found = next(i for i in report.issues if i.code == code)
    assert html.escape(found.fix) in _html(at)
    return found


def test_real_png_renamed_pdf_is_blocked_in_french(app):
    data = (SYNTHETIC / "inv-052.pdf").read_bytes()
    assert data.startswith(b"\x89PNG")
    at = _upload_real(app, "facture.pdf", data)
    assert "Chorus Pro ne pourra pas utiliser ce fichier" in _html(at)
    found = _shown_issue(at, "not_a_pdf")
    assert "PDF" in found.message
    assert "data:image/png" not in _html(at)
    assert "Voir l'étape 1 du guide de dépôt" in [link.value for link in at.get("page_link")]


def test_real_empty_file_is_blocked(app):
    at = _upload_real(app, "vide.pdf", b"")
    assert "Chorus Pro ne pourra pas utiliser ce fichier" in _html(at)
    assert "vide.pdf" in _html(at)
    _shown_issue(at, "empty_file")


def test_real_too_big_file_explains_the_chorus_pro_limit(app):
    office = get_office()
    data = b"%PDF-1.4\n" + b"0" * (office.max_pdf_bytes + 1)
    at = _upload_real(app, "enorme.pdf", data)
    page_html = _html(at)
    assert "Chorus Pro ne pourra pas utiliser ce fichier" in page_html
    found = _shown_issue(at, "too_large")
    assert f"{office.max_pdf_mb} Mo" in found.message + found.fix


def test_real_scan_is_blocked_and_its_page_is_shown(app):
    path = SYNTHETIC / "inv-001.pdf"
    at = _upload_real(app, path.name, path.read_bytes())
    page_html = _html(at)
    assert "Chorus Pro ne pourra pas utiliser ce fichier" in page_html
    assert page_html.count('<img src="data:image/png;base64,') == 1  # the scanned page, as seen
    _shown_issue(at, "scan_no_text")
    assert "Voir l'étape 1 du guide de dépôt" in [link.value for link in at.get("page_link")]


def test_real_invoice_from_a_public_source(app):
    path = REAL / "fr-gandi-2022.pdf"
    at = _upload_real(app, path.name, path.read_bytes())
    assert any(word in _html(at) for word in ("prête pour Chorus Pro", "À corriger", "ne pourra pas"))
    assert "Déposer facture" in _html(at)


def _with_an_uncertain_total(path, **overrides):
    from dataclasses import replace

    from services.pdf_check.rules import uncertain

    base = report_from_labels(path, issues=(uncertain("total_ttc", found="4 535,33", why="deux montants « Total »"),))
    fields = {name: replace(f, confidence="labelled", rule="label") if f.value else f for name, f in base.fields.items()}
    fields["total_ht"] = replace(fields["total_ht"], confidence="checked", rule="label+sum")
    fields.update(overrides)
    return replace(base, fields=fields)


def test_an_uncertain_total_is_ready_with_the_value_to_check_and_how_it_was_read(app, fake_pool):
    path = SYNTHETIC / "inv-006.pdf"
    fake_pool.answer = _with_an_uncertain_total(path)
    at = _open(app)
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/pdf"))
    at.run()
    assert not at.exception, at.exception
    page_html = _html(at)
    banner = page_html[page_html.index("cp-verdict"):page_html.index("</div></div>", page_html.index("cp-verdict"))]
    assert "Prête" in banner and "Votre facture est prête pour Chorus Pro" in banner
    assert "À faire" not in banner  # « Prête à déposer. Vérifiez… » says it in its own words
    assert "À corriger" not in page_html
    assert ("Prête à déposer. Vérifiez le total TTC sur le formulaire de Chorus Pro : nous ne l&#x27;avons pas lu "
            "avec certitude.") in page_html
    assert "Voir la liste : 1 point à vérifier" in page_html
    # The total shows its value, marked « à vérifier » (words and icon), with what to compare.
    ttc = page_html[page_html.index("Montant TTC"):]
    ttc = ttc[:ttc.index('<div class="cp-field"')]
    assert "4\u202f535,33\u00a0€" in ttc and "cp-check" in ttc
    assert "À vérifier" in ttc and '<span class="cp-icon" aria-hidden="true">' in ttc
    assert "nous n&#x27;avons pas lu le total TTC avec certitude" in ttc
    assert page_html.count('data-status="to_check"') == 2  # Montant TTC and Net à payer
    assert "Ceux marqués **à vérifier** sont à comparer avec votre facture." in texts(at)
    # How we read each value, in an expander near the form.
    (expander,) = [e for e in at.expander if e.label == "Comment avons-nous lu ces valeurs ?"]
    shown = "\n".join(str(m.value) for m in expander.get("html")).replace("\u00a0", " ")  # French spacing
    assert "<strong>Total HT</strong> : « 3\u202f812,01 », lu après son libellé et vérifié par le calcul (le total " \
           "HT plus la TVA donne bien le TTC)." in shown
    ttc = shown[shown.index('<li data-field="total_ttc">'):]
    ttc = ttc[:ttc.index("</li>")]
    assert "<strong>Total TTC</strong> : « 4\u202f535,33 », lu après son libellé." in ttc
    assert ('<span class="cp-doubt"><span class="cp-icon" aria-hidden="true"></span>À vérifier : nous ne sommes pas '
            "sûrs que ce soit la bonne valeur.</span>") in ttc
    # The issue reads « À vérifier », not « Attention ».
    assert ":material/search: **À vérifier** · Nous n'avons pas su lire le total TTC" in texts(at)
    assert "**Attention**" not in texts(at)
    # The page picture tags the total in amber with its words.
    assert "Total TTC : à vérifier" in page_html
    assert "celles à vérifier sont **en orange**" in texts(at)


def test_a_guessed_hostile_value_is_escaped_in_the_form_and_the_explainer(app, fake_pool):
    from services.pdf_check.report import Field

    path = SYNTHETIC / "inv-006.pdf"
    hostile = "<img src=x onerror=alert(1)>**[x](javascript:alert(1))**"
    fake_pool.answer = _with_an_uncertain_total(
        path, invoice_number=Field(value=hostile, page=1, source="text", confidence="guessed", rule="<b>rule</b>"))
    at = _open(app)
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/pdf"))
    at.run()
    assert not at.exception, at.exception
    page_html = _html(at)
    assert "<img src=x" not in page_html and "&lt;img src=x onerror=alert(1)&gt;" in page_html
    (expander,) = at.expander
    shown = "\n".join(str(m.value) for m in expander.get("html")).replace("\u00a0", " ")
    assert "<img" not in shown and "<b>" not in shown and "rule" not in shown
    assert "« &lt;img src=x onerror=alert(1)&gt;**[x](javascript:alert(1))** », deviné sans libellé : à vérifier" in shown
    assert "Vérifiez le numéro de facture et le total TTC" in page_html
