"""Staff: « Dossier d'un fournisseur ». Type the code the supplier reads on the phone and see
what they see: the guide step they are on (with its link), their last check drawn by the
checker's own functions, and the page picture if they agreed to share it. The view refreshes
itself every few seconds while a code is shown (and on « Actualiser »)."""

from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from services.cases import CaseView, get_case, report_from_json
from services.deposit_form import build_deposit_form, issue_summary, reading_notes, sorted_issues, verdict_view
from services.guides import load_guide
from services.invoice_status import load_statuses
from services.office import Office
from services.references import parse_reference
from services.staff_auth import StaffSession, is_expired, touch
from ui import staff_login
from ui.checker_view import form_mockup, issue_list, reading_explainer, verdict_banner
from ui.db import Database, database_or_error

log = logging.getLogger(__name__)

CODE_KEY = "staff_case_code"
REFRESH_S = 5
GUIDE_PAGES = {"creer-mon-compte": "pages/account_guide.py", "deposer-une-facture": "pages/deposit_guide.py"}


def _ago(when: datetime, now: datetime) -> str:
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return f"il y a {seconds} s"
    if seconds < 3600:
        return f"il y a {seconds // 60} min"
    return f"il y a {seconds // 3600} h"


def _show_guide(case: CaseView, office: Office) -> None:
    st.subheader("Où en est le fournisseur")
    if not case.guide_slug or not case.guide_step:
        st.info("Le fournisseur n'a pas encore avancé dans un guide.")
        return
    try:
        guide = load_guide(case.guide_slug, office)
    except Exception:  # noqa: BLE001 - a guide renamed since: say what is known
        st.markdown(f"Guide « {case.guide_slug} », étape {case.guide_step}.")
        return
    number = min(max(case.guide_step, 1), guide.count)
    step = guide.steps[number - 1]
    st.markdown(f"**{guide.title}** · étape **{number} sur {guide.count}** : {step.title}")
    page = GUIDE_PAGES.get(case.guide_slug)
    if page:
        st.page_link(page, label=f"Ouvrir cette étape ({number})",
                     icon=":material/open_in_new:", query_params={"etape": str(number)})


def _show_check(case: CaseView, office: Office) -> None:
    st.subheader("Sa dernière vérification de facture")
    if not case.report:
        st.info("Le fournisseur n'a pas encore vérifié de facture avec le kiosque.")
        return
    report = report_from_json(case.report)
    issues = sorted_issues(report)
    verdict_banner(verdict_view(report, office), report.file, issue_summary(issues))
    if case.page_image:
        st.markdown("**Première page de sa facture** (partagée avec son accord) :")
        try:
            st.image(case.page_image, width="stretch", alt="Première page de la facture du fournisseur")
        except Exception:  # noqa: BLE001 - a damaged picture must not hide the rest
            log.warning("unreadable shared picture for case %s", case.code, exc_info=True)
            st.caption("L'image partagée est illisible.")
    elif case.consent is False:
        st.caption("Le fournisseur n'a pas partagé l'image de sa facture.")
    st.markdown("**Le formulaire Chorus Pro, tel qu'il le voit :**")
    form_mockup(build_deposit_form(report, office))
    reading_explainer(reading_notes(report))
    st.markdown("**Les points à voir :**")
    issue_list(issues)


def _show_status(case: CaseView, office: Office, now: datetime) -> None:
    """The Chorus Pro status the supplier looked at on /suivre-ma-facture, with a link to its page."""
    if not case.invoice_status:
        return
    status = load_statuses(office).get(case.invoice_status)
    label = status.label if status else case.invoice_status
    how = "lu en direct dans Chorus Pro" if case.invoice_status_live else "choisi par le fournisseur"
    when = f", {_ago(case.invoice_status_at, now)}" if case.invoice_status_at else ""
    st.markdown(f"Statut de facture regardé : **« {label} »** ({how}{when}).")
    if status:
        st.page_link("pages/track_invoice.py", label=f"Voir ce que le fournisseur lit pour « {label} »",
                     icon=":material/schedule:", query_params={"statut": status.code})


def render_case(case: CaseView, office: Office, now: datetime) -> None:
    st.markdown(f"### Dossier {case.code}")
    st.caption(f"Dernière activité {_ago(case.updated_at, now)} · code créé le "
               f"{case.created_at.astimezone(office.tz).strftime('%d/%m/%Y à %H:%M')}, effacé le "
               f"{case.expires_at.astimezone(office.tz).strftime('%d/%m/%Y')}.")
    _show_guide(case, office)
    _show_status(case, office, now)
    _show_check(case, office)


def staff_still_signed_in(*, refreshed: bool = False) -> bool:
    """For the auto-refresh, which runs without the page's sign-in gate: is the member of staff
    still signed in and active? A click on « Actualiser » counts as activity."""
    session = st.session_state.get(staff_login.SESSION_KEY)
    if session is None:
        return False
    now = staff_login.clock()
    if is_expired(session, now, staff_login.staff_config().idle_minutes):
        return False
    if refreshed:
        st.session_state[staff_login.SESSION_KEY] = touch(session, now)
    return True


def render_case_lookup(db: Database, office: Office) -> None:
    st.markdown("Le fournisseur lit le code affiché sur son écran (guides et vérification de facture). "
                "Tapez-le ici : vous voyez la même chose que lui.")
    typed = st.text_input("Code du fournisseur", key=CODE_KEY, placeholder="ex. K7F-42Q", max_chars=16)
    if not typed or not typed.strip():
        return
    code = parse_reference(typed)
    if code is None:
        st.error("Ce code n'a pas la bonne forme : 6 lettres ou chiffres, par exemple K7F-42Q "
                 "(sans 0, O, 1, I ni L). Faites-le relire au fournisseur.")
        return

    @st.fragment(run_every=REFRESH_S)
    def _live_case() -> None:
        if not staff_still_signed_in(refreshed=bool(st.session_state.get("staff_case_refresh"))):
            st.rerun(scope="app")  # the whole page runs again: its gate shows the sign-in form
        now = datetime.now(office.tz)
        try:
            with db.sessions() as session:
                case = get_case(session=session, code=code, retention_days=office.retention_days, with_image=True)
        except Exception:  # noqa: BLE001
            log.exception("case lookup failed")
            st.error("La base de données ne répond pas. Réessayez dans un moment.")
            return
        if case is None:
            st.warning(f"Aucun dossier ne porte le code {code}. Il a peut-être expiré (les codes sont effacés "
                       f"au bout de {office.retention_days} jours) ou il est mal lu : demandez au fournisseur "
                       "le code affiché sur son écran.")
            return
        top = st.columns([3, 1])
        with top[0]:
            st.caption(f"Actualisé à {now.strftime('%H:%M:%S')}, puis toutes les {REFRESH_S} secondes.")
        with top[1]:
            st.button("Actualiser", key="staff_case_refresh", icon=":material/refresh:", width="stretch")
        render_case(case, office, now)

    _live_case()


def staff_cases_section(office: Office, staff: StaffSession) -> None:
    """The tab in the staff space (ui/staff_space.py SECTIONS)."""
    db = database_or_error("les dossiers")
    if db is None:
        return
    render_case_lookup(db, office)
