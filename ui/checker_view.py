"""Streamlit pieces of the invoice checker page: upload, verdict, form mock-up, page pictures, issues.

Everything drawn from the invoice (values, file name, messages) is escaped: invoices are
hostile input.
"""

from __future__ import annotations

import base64
import html
import logging

import streamlit as st

from services.deposit_form import (
    DepositForm, FormField, IssueView, ReadingNote, VerdictView, build_deposit_form, file_opens, issue_summary,
    reading_notes, sorted_issues, verdict_view,
)
from services.invoice_check import WORKER_TARGET, CheckResult, check_invoice
from services.office import Office
from services.page_preview import TO_CHECK_SUFFIX, PagePreview
from services.typography import french_spacing

log = logging.getLogger(__name__)

KEY_UPLOAD = "invoice_check_upload"
KEY_FILE_ID = "invoice_check_file_id"
KEY_RESULT = "invoice_check_result"
KEY_FAILURE = "invoice_check_failure"
GUIDE_PAGE = "pages/deposit_guide.py"


@st.cache_resource(show_spinner=False)
def get_checker_pool():
    """One worker pool for every session of this server: analyses (and page pictures) run in
    separate processes with a time limit and a memory cap."""
    from services.pdf_check.worker import CheckerPool, default_pool_size

    return CheckerPool(max_workers=default_pool_size(), target=WORKER_TARGET)


# --- upload --------------------------------------------------------------------------------

def _on_upload_change() -> None:
    """The supplier removed the file (the cross next to its name): forget its result too.
    Coming back to the page later shows an empty drop zone but keeps the last result."""
    if st.session_state.get(KEY_UPLOAD) is None:
        for key in (KEY_FILE_ID, KEY_RESULT, KEY_FAILURE):
            st.session_state.pop(key, None)


def _drop_zone_css(office: Office) -> str:
    """A big drop target, and Chorus Pro's limit instead of Streamlit's « 250MB per file » (the server
    accepts big files only so that our code can explain Chorus Pro's limit). Hidden with display:none
    so that screen readers do not read both. « Upload » becomes « Choisir un fichier » in
    ui/static/kiosk_fr.js."""
    zone = f".st-key-{KEY_UPLOAD}"
    hint = f"Glissez votre facture ici · PDF, {office.max_pdf_mb} Mo au maximum"
    return f"""<style>
{zone} [data-testid='stFileUploaderDropzone'] {{ min-height: 7rem; border: 2px dashed #000091;
  background: #f5f5fe; align-items: safe center; }}
/* At 320 px with text at 200 % the button's one-line label is wider than the zone: let it wrap. */
{zone} [data-testid='stFileUploaderDropzone'] button {{ max-width: 100%; }}
{zone} [data-testid='stFileUploaderDropzone'] button * {{ white-space: normal !important; }}
{zone} [data-testid='stFileChips'] {{ max-width: 100%; flex-wrap: wrap; }}
{zone} [data-testid='stFileChips'] div {{ min-width: 0; max-width: 100%; }}
{zone} [data-testid='stFileChipName'] {{ white-space: normal !important; overflow-wrap: anywhere; }}
{zone} [data-testid='stFileUploaderDropzoneInstructions'] span {{ display: none; }}
{zone} [data-testid='stFileUploaderDropzoneInstructions'] > div::after {{ content: "{hint}";
  font-size: 1rem; color: #161616; }}
</style>"""


def upload_and_check(office: Office) -> None:
    """The drop zone; a new file is analysed once, its result kept in the session."""
    st.html(_drop_zone_css(office))
    uploaded = st.file_uploader(
        "Déposez votre facture ici (glisser-déposer) ou choisissez-la",
        key=KEY_UPLOAD,
        on_change=_on_upload_change,
        help=f"Un fichier PDF, {office.max_pdf_mb} Mo au maximum, comme pour Chorus Pro.",
    )
    st.caption(
        "Votre fichier n'est ni gardé ni transmis à Chorus Pro. Le résultat de la vérification est "
        f"gardé {office.retention_days} jours avec votre code dossier, pour que l'office puisse vous aider."
    )
    if uploaded is None or uploaded.file_id == st.session_state.get(KEY_FILE_ID):
        return
    with st.status("Analyse de votre facture…", expanded=False) as status:
        status.write("Lecture du fichier et recherche des informations que Chorus Pro lit.")
        try:
            result = check_invoice(get_checker_pool(), uploaded.getvalue(), uploaded.name)
        except Exception:  # noqa: BLE001 - whatever happens, the supplier gets French words, not a traceback
            log.exception("invoice check failed (%d bytes)", uploaded.size)  # no file name: personal data
            st.session_state[KEY_FAILURE] = uploaded.name
            st.session_state[KEY_RESULT] = None
            status.update(label="L'analyse n'a pas abouti", state="error")
        else:
            st.session_state[KEY_FAILURE] = None
            st.session_state[KEY_RESULT] = result
            status.update(label="Analyse terminée", state="complete")
    st.session_state[KEY_FILE_ID] = uploaded.file_id


def last_result() -> CheckResult | None:
    return st.session_state.get(KEY_RESULT)


def show_failure(office: Office) -> bool:
    name = st.session_state.get(KEY_FAILURE)
    if not name:
        return False
    st.error(
        f"Nous n'avons pas pu analyser « {_md_escape(name)} ». Réessayez dans un moment. Si cela recommence, "
        f"appelez {office.contact_name} au {office.phone}."
    )
    return True


# --- verdict -------------------------------------------------------------------------------

_BANNER_STYLE = {
    "ready": ("#18753c", "#b8fec9", "Prête"),
    "fix_needed": ("#b34000", "#ffe9e6", "À corriger"),
    "blocked": ("#ce0500", "#ffe9e9", "Bloquée"),
}


ISSUES_ANCHOR = "points-a-voir"


def verdict_banner_html(view: VerdictView, file_name: str, summary: str | None = None) -> str:
    color, background, word = _BANNER_STYLE.get(view.verdict, _BANNER_STYLE["blocked"])
    announcement = " ".join(part for part in (f"Facture {word.lower()} : {view.title}.", view.problem, view.action)
                            if part)
    parts = [
        # Read aloud once by the page's live region (ui/static/kiosk_fr.js), which exists before the
        # verdict does; no role="status" here, a region inserted with its text would be read twice
        # by some screen readers and not at all by others.
        f'<div class="cp-verdict cp-verdict-{html.escape(view.verdict)}" '
        f'data-kiosk-annonce="{html.escape(announcement)}" '
        f'style="border-left:8px solid {color};background:{background};padding:0.9rem 1.1rem;'
        'border-radius:4px;margin:0.4rem 0 0.8rem 0;">',
        f'<div style="font-size:0.9rem;color:#3a3a3a;">Fichier : {html.escape(file_name)}</div>',
        f'<div style="font-size:1.35rem;font-weight:700;color:{color};margin:0.2rem 0;">'
        f'<span style="background:{color};color:#fff;border-radius:3px;padding:0 0.4rem;font-size:1rem;'
        f'vertical-align:middle;margin-right:0.5rem;">{word}</span> {html.escape(view.title)}</div>',
    ]
    if view.problem:
        parts.append(f'<div style="color:#161616;margin-bottom:0.2rem;">{html.escape(view.problem)}</div>')
    # A ready invoice with values to check says so in its own words (« Prête à déposer. Vérifiez… »).
    todo = "" if view.to_check else "<strong>À faire :</strong> "
    parts.append(f'<div style="font-size:1.1rem;color:#161616;">{todo}{html.escape(view.action)}</div>')
    if summary:
        parts.append(f'<div style="margin-top:0.4rem;"><a href="#{ISSUES_ANCHOR}" target="_self">'
                     f'Voir la liste : {html.escape(summary)}</a></div>')
    parts.append("</div>")
    return "".join(parts)


def verdict_banner(view: VerdictView, file_name: str, summary: str | None = None) -> None:
    st.html(verdict_banner_html(view, file_name, summary))
    st.page_link(GUIDE_PAGE, label=f"Voir l'étape {view.guide_step} du guide de dépôt",
                 icon=":material/menu_book:", query_params={"etape": str(view.guide_step)})


# --- deposit form mock-up ------------------------------------------------------------------

_FORM_CSS = """
<style>
.cp-form { border: 1px solid #929292; border-radius: 4px; background: #fff; font-size: 0.95rem;
  color: #161616; }
.cp-form .cp-head { background: #000091; color: #fff; padding: 0.6rem 0.9rem; font-weight: 700;
  font-size: 1.05rem; display: flex; justify-content: space-between; gap: 0.5rem; flex-wrap: wrap; }
.cp-form .cp-head small { font-weight: 400; opacity: 0.9; }
.cp-form .cp-legend { padding: 0.5rem 0.9rem 0; display: flex; flex-wrap: wrap; gap: 0.4rem; }
.cp-form .cp-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; padding: 0.8rem 0.9rem; }
.cp-form .cp-block { border: 1px solid #dddddd; border-radius: 4px; padding: 0.6rem 0.7rem; margin: 0; }
.cp-form .cp-wide { grid-column: 1 / -1; }
.cp-form h3 { margin: 0 0 0.4rem 0; padding: 0; font-size: 1rem !important; color: #000091; }
.cp-form .cp-field { margin: 0 0 0.6rem 0; }
.cp-form .cp-label { display: block; font-weight: 600; font-size: 0.9rem; }
.cp-form .cp-input { border: 1px solid #929292; border-bottom: 2px solid #3a3a3a; border-radius: 4px 4px 0 0;
  background: #eeeeee; padding: 0.35rem 0.5rem; min-height: 1.9rem; overflow-wrap: anywhere; }
.cp-form .cp-empty { color: #666666; font-style: italic; background: #fff; border-style: dashed; }
.cp-form .cp-suggest { color: #3a3a3a; background: #fff; border-style: dashed; }
.cp-form .cp-badge { display: inline-block; font-size: 0.78rem; font-weight: 700; border-radius: 3px;
  padding: 0.05rem 0.4rem; margin-top: 0.2rem; text-transform: uppercase; letter-spacing: 0.02em; }
.cp-form .cp-prefilled { background: #b8fec9; color: #18753c; }
.cp-form .cp-to_type { background: #ffe9e6; color: #b34000; }
.cp-form .cp-manual { background: #e3e3fd; color: #000091; }
.cp-form .cp-office { background: #e3e3fd; color: #000091; }
.cp-form .cp-account, .cp-form .cp-optional { background: #eeeeee; color: #3a3a3a; }
.cp-form .cp-to_check { background: #ffe8a3; color: #6b4500; }
.cp-form .cp-icon { display: inline-block; position: relative; width: 0.62em; height: 0.62em;
  border: 0.14em solid currentColor; border-radius: 50%; margin: 0 0.45em 0 0.05em; vertical-align: -0.05em; }
.cp-form .cp-icon::after { content: ""; position: absolute; width: 0.42em; height: 0.14em; background: currentColor;
  border-radius: 0.07em; right: -0.42em; bottom: -0.2em; transform: rotate(45deg); }
.cp-form .cp-check { background: #fff6dc; border: 2px solid #b36b00; border-left-width: 6px; color: #161616;
  font-weight: 600; }
.cp-form .cp-field[data-status='to_check'] .cp-note { color: #6b4500; }
.cp-form .cp-note { font-size: 0.85rem; color: #3a3a3a; margin-top: 0.15rem; }
@media (max-width: 640px) {
  .cp-form .cp-grid { grid-template-columns: 1fr; padding: 0.6rem; }
}
</style>
"""

BADGES = {
    "prefilled": "Pré-rempli par Chorus Pro",
    "to_type": "À saisir",
    "manual": "À saisir à la main",
    "office": "Valeur de l'office",
    "account": "Votre compte",
    "optional": "Facultatif",
    "to_check": "À vérifier",
}
# A magnifying glass drawn in CSS (st.html drops inline SVG): « à vérifier » is told by its words
# and this icon, not by its colour alone.
_CHECK_ICON = '<span class="cp-icon" aria-hidden="true"></span>'


def _badge_html(status: str) -> str:
    icon = _CHECK_ICON if status == "to_check" else ""
    return f'<span class="cp-badge cp-{status}">{icon}{BADGES[status]}</span>'


def _field_html(item: FormField) -> str:
    value = html.escape(item.value) if item.value else ""
    if not item.value:
        placeholder = {"optional": "vide", "account": "repris de votre compte"}.get(item.status, "à saisir")
        input_class, shown = "cp-input cp-empty", placeholder
    elif item.status in ("to_type", "manual"):
        input_class, shown = "cp-input cp-suggest", value
    elif item.status == "to_check":
        input_class, shown = "cp-input cp-check", value
    else:
        input_class, shown = "cp-input", value
    note = f'<div class="cp-note">{html.escape(item.note)}</div>' if item.note else ""
    return (
        f'<div class="cp-field" data-status="{item.status}">'
        f'<span class="cp-label">{html.escape(item.label)}</span>'
        f'<div class="{input_class}">{shown}</div>'
        f'{_badge_html(item.status)}{note}</div>'
    )


def form_mockup_html(form: DepositForm) -> str:
    """The « Déposer facture » form drawn in HTML: one column on a phone, two on a computer."""
    blocks = []
    for block in form.blocks:
        css = "cp-block cp-wide" if block.wide else "cp-block"
        fields = "".join(_field_html(item) for item in block.fields)
        blocks.append(f'<section class="{css}"><h3>{html.escape(block.title)}</h3>{fields}</section>')
    shown = {"prefilled", "to_type", "manual"} | ({"to_check"} if form_has_values_to_check(form) else set())
    legend = "".join(_badge_html(key) for key in BADGES if key in shown)
    return (
        _FORM_CSS
        + '<div class="cp-form" role="group" aria-label="Maquette du formulaire Déposer facture de Chorus Pro">'
        + '<div class="cp-head"><span>Chorus Pro · Déposer facture</span><small>maquette</small></div>'
        + f'<div class="cp-legend">{legend}</div>'
        + f'<div class="cp-grid">{"".join(blocks)}</div></div>'
    )


def form_mockup(form: DepositForm) -> None:
    st.html(form_mockup_html(form))


def form_has_values_to_check(form: DepositForm) -> bool:
    return any(item.status == "to_check" for block in form.blocks for item in block.fields)


# --- how we read each value ---------------------------------------------------------------

READING_TITLE = "Comment avons-nous lu ces valeurs ?"


_READING_CSS = """
<style>
.cp-reading { font-size: 0.95rem; color: #161616; }
.cp-reading ul { margin: 0.4rem 0 0 0; padding-left: 1.2rem; }
.cp-reading li { margin: 0 0 0.3rem 0; }
.cp-reading .cp-doubt { color: #6b4500; font-weight: 600; }
.cp-reading .cp-icon { display: inline-block; position: relative; width: 0.62em; height: 0.62em;
  border: 0.14em solid currentColor; border-radius: 50%; margin: 0 0.45em 0 0.05em; vertical-align: -0.05em; }
.cp-reading .cp-icon::after { content: ""; position: absolute; width: 0.42em; height: 0.14em;
  background: currentColor; border-radius: 0.07em; right: -0.42em; bottom: -0.2em; transform: rotate(45deg); }
</style>
"""


def reading_notes_html(notes: tuple[ReadingNote, ...]) -> str:
    """One line per value found: its name, the value, how sure we are, and the rule when we know it.
    HTML with every piece escaped: values come from the invoice, and Markdown would still read
    shortcodes such as « :material/…: » in them."""
    items = []
    for note in notes:
        line = f"<strong>{html.escape(note.label)}</strong> : « {html.escape(note.value)} », {html.escape(note.how)}"
        if note.rule:
            line += f" ({html.escape(note.rule)})"
        line += "."
        if note.doubt:
            line += f' <span class="cp-doubt">{_CHECK_ICON}{html.escape(note.doubt)}</span>'
        elif note.to_check:
            line = f'<span class="cp-doubt">{_CHECK_ICON}</span>{line}'
        items.append(f'<li data-field="{html.escape(note.field)}">{french_spacing(line)}</li>')
    intro = ("Nous lisons d'abord les données Factur-X, puis le texte écrit après chaque libellé (« Total TTC », "
             "« SIRET client »…). Quand une valeur n'a pas de libellé, nous la devinons : vérifiez-la.")
    return (f'{_READING_CSS}<div class="cp-reading"><p>{french_spacing(html.escape(intro))}</p>'
            f'<ul>{"".join(items)}</ul></div>')


def reading_explainer(notes: tuple[ReadingNote, ...]) -> None:
    if not notes:
        return
    with st.expander(READING_TITLE, icon=":material/help:"):
        st.html(reading_notes_html(notes))


# --- page pictures ------------------------------------------------------------------------

_PAGE_CSS = """
<style>
.cp-page { overflow-x: auto; border: 1px solid #929292; border-radius: 4px; background: #fff; }
.cp-page img { display: block; width: 100%; height: auto; }
.cp-page:focus-visible { outline: 3px solid #0a76f6; outline-offset: 2px; }
.cp-page-caption { font-size: 0.9rem; color: #3a3a3a; margin: 0.3rem 0 1rem 0; }
.cp-swipe { display: none; }
@media (max-width: 640px) {
  /* Readable on a phone: the page keeps a usable width and scrolls sideways. */
  .cp-page img { width: 640px; max-width: none; }
  .cp-swipe { display: inline; }
}
</style>
"""


def page_preview_html(preview: PagePreview, page_count: int | None) -> str:
    found = ", ".join(preview.labels) if preview.labels else "aucune valeur trouvée sur cette page"
    total = f" sur {page_count}" if page_count else ""
    caption = f"Page {preview.page}{total} : {found}."
    picture = base64.b64encode(preview.png).decode("ascii")
    return (
        f'{_PAGE_CSS}<figure style="margin:0"><div class="cp-page" tabindex="0" role="region" '
        f'aria-label="Page {preview.page}{total} de votre facture">'
        f'<img src="data:image/png;base64,{picture}" width="{preview.width}" height="{preview.height}" '
        f'alt="{html.escape(caption)}"></div>'
        f'<figcaption class="cp-page-caption">{html.escape(caption)}'
        '<span class="cp-swipe"> Faites glisser l\'image pour voir toute la page.</span></figcaption></figure>'
    )


def page_previews(previews: tuple[PagePreview, ...], page_count: int | None) -> None:
    if not previews:
        st.info("Aucune page à montrer : le fichier ne peut pas être ouvert comme un PDF.")
        return
    to_check = any(label.endswith(TO_CHECK_SUFFIX) for preview in previews for label in preview.labels)
    st.markdown("Chaque valeur trouvée est **entourée en bleu** et porte son nom ; celles à corriger sont "
                + ("**en rouge** ; celles à vérifier sont **en orange**, marquées « à vérifier »." if to_check
                   else "**en rouge**."))
    for preview in previews:
        st.html(page_preview_html(preview, page_count))


# --- issues -------------------------------------------------------------------------------

_SEVERITY_WORDS = {"error": ("Erreur", ":material/error:"), "warning": ("Attention", ":material/warning:"),
                   "info": ("Information", ":material/info:")}


def issue_list(issues: tuple[IssueView, ...]) -> None:
    if not issues:
        st.success("Aucun problème trouvé.")
        return
    for number, item in enumerate(issues, start=1):
        word, icon = _SEVERITY_WORDS.get(item.severity, ("Note", ":material/info:"))
        if item.uncertain:  # not a fault of the invoice: a value to look at twice
            word, icon = "À vérifier", ":material/search:"
        with st.container(border=True, key=f"invoice_check_issue_{number}"):
            # Markdown would interpret * _ [ ] from the invoice: escape by showing plain text.
            st.markdown(f"{icon} **{word}** · {_md_escape(item.message)}")
            st.markdown(f"**Que faire :** {_md_escape(item.fix)}")
            if item.severity == "error":  # advice needs no detour through the guide
                st.page_link(GUIDE_PAGE, label=f"Guide de dépôt, étape {item.guide_step}",
                             icon=":material/menu_book:", query_params={"etape": str(item.guide_step)})


_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|~$"


def _md_escape(text: str) -> str:
    """Markdown and HTML-safe text: every character Markdown could interpret is backslash-escaped."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in html.escape(text, quote=False))


# --- the whole result ---------------------------------------------------------------------

def show_result(result: CheckResult, office: Office) -> None:
    report = result.report
    issues = sorted_issues(report)
    verdict_banner(verdict_view(report, office), report.file, issue_summary(issues))

    if file_opens(report):
        st.header("Ce que Chorus Pro remplira")
        form = build_deposit_form(report, office)
        st.markdown(
            "Voici le formulaire « Déposer facture » tel que Chorus Pro le remplira probablement "
            "avec votre fichier. Les champs marqués **à saisir** restent à taper."
            + (" Ceux marqués **à vérifier** sont à comparer avec votre facture." if form_has_values_to_check(form)
               else "")
        )
        form_mockup(form)
        reading_explainer(reading_notes(report))

        st.header("Ce que nous avons lu sur votre facture")
        page_previews(result.previews, report.pdf.pages)
    else:
        st.markdown("Chorus Pro refusera ce fichier : son formulaire ne s'ouvrira pas. Corrigez d'abord le fichier.")

    st.header("Les points à voir", anchor=ISSUES_ANCHOR)
    issue_list(issues)
    seconds = f"{report.elapsed_ms / 1000:.2f}".replace(".", ",")
    st.caption(f"Analyse faite en {seconds} s.")
