"""Pieces of /suivre-ma-facture: the status decoder with its timeline, and the payment date
and late-interest calculator. Words come from content/statuts.yaml and office.toml."""

from __future__ import annotations

import html
import logging
from datetime import date, timedelta

import streamlit as st

from services.cases import record_case_status

from services.invoice_status import Status, StatusGuide
from services.office import Office
from services.payment_terms import (
    SOURCES_LINE, DateProblem, Interruption, deadline, euros, french_date, late_interest, parse_amount, percent,
    reminder_message,
)
from ui.case_ref import case_code_box, current_code
from ui.db import get_database
from ui.frame import load_office_or_stop
from ui.help_view import page_link

log = logging.getLogger(__name__)

K = "suivi_"  # session_state prefix of this page
STATUS_KEY = f"{K}status"
DEPOSIT_KEY = f"{K}deposit"
RECORDED_KEY = f"{K}recorded"  # (case code, status, live) last written to the case
PARAM_KEY = f"{K}statut_param"
NOTICE_KEY = f"{K}notice"

_CSS = """
<style>
.status-timeline { list-style: none; padding: 0; margin: 0.4rem 0 1rem; }
.status-timeline li { position: relative; padding: 0.35rem 0 0.35rem 2.1rem; min-height: 1.8rem; color: #3a3a3a; }
.status-timeline li::before { content: ""; position: absolute; left: 0.72rem; top: 0; bottom: 0; border-left: 3px solid #dddddd; }
.status-timeline li:first-child::before { top: 50%; }
.status-timeline li:last-child::before { bottom: 50%; }
.status-timeline .dot { position: absolute; left: 0.2rem; top: 50%; transform: translateY(-50%); width: 1.4rem;
  height: 1.4rem; border-radius: 50%; background: #fff; border: 3px solid #929292; text-align: center;
  font-size: 0.85rem; line-height: 1.05rem; font-weight: 700; z-index: 1; }
.status-timeline .done { color: #3a3a3a; }
.status-timeline .done .dot { border-color: #18753c; color: #18753c; }
.status-timeline .current { font-weight: 700; color: #000091; font-size: 1.1rem; }
.status-timeline .current .dot { border-color: #000091; background: #000091; color: #fff; }
.status-timeline .current .tag { display: inline-block; font-size: 0.8rem; font-weight: 700; background: #000091;
  color: #fff; border-radius: 1rem; padding: 0 0.5rem; margin-left: 0.4rem; }
.status-timeline .next { color: #161616; }
.status-timeline .next .dot { border-color: #000091; border-style: dashed; }
.status-timeline .later { color: #666666; }
.who-acts { border-left: 5px solid #000091; background: #f5f5fe; padding: 0.5rem 0.9rem; margin: 0.3rem 0 0.8rem;
  font-size: 1.05rem; }
.who-acts.you { border-left-color: #b34000; background: #fff4ed; }
</style>
"""
_STATE_WORDS = {"done": "étape passée", "current": "votre facture est ici", "next": "étape suivante", "later": "plus tard"}
_DOTS = {"done": "✓", "current": "●", "next": "→", "later": ""}


def inject_status_style() -> None:
    st.html(_CSS)


# --- the status decoder --------------------------------------------------------------------

def _follow_link(guide: StatusGuide) -> None:
    """Follow ?statut=CODE (or a label) once, so the office can send a link to one status.
    A value that names no status is never echoed on the page."""
    wanted = st.query_params.get("statut")
    if wanted is None or st.session_state.get(PARAM_KEY) == wanted:
        return
    st.session_state[PARAM_KEY] = wanted
    found = guide.find(wanted[:80])
    if found:
        st.session_state[STATUS_KEY] = found.code
        st.session_state[NOTICE_KEY] = None
    else:
        st.session_state[NOTICE_KEY] = ("Le statut du lien n'existe pas dans Chorus Pro. "
                                        "Choisissez celui que vous voyez dans la liste.")


def _on_pick() -> None:
    code = st.session_state.get(STATUS_KEY)
    st.session_state[NOTICE_KEY] = None
    if code:
        st.query_params["statut"] = code
        st.session_state[PARAM_KEY] = code
    else:
        st.query_params.pop("statut", None)


def status_picker(guide: StatusGuide) -> Status | None:
    _follow_link(guide)
    if st.session_state.get(NOTICE_KEY):
        st.warning(st.session_state[NOTICE_KEY], icon=":material/help:")
    labels = {s.code: s.label for s in guide.ordered()}
    chosen = st.selectbox(
        "Le statut affiché dans Chorus Pro (menu « Factures émises »)",
        options=list(labels), format_func=labels.get, index=None, key=STATUS_KEY, on_change=_on_pick,
        placeholder="Choisissez ou tapez le statut",
        help="Les statuts où vous devez agir sont en haut de la liste.",
    )
    return guide.get(chosen)


def timeline_html(guide: StatusGuide, status: Status) -> str:
    items = []
    for step in guide.timeline(status):
        tag = '<span class="tag">ici</span>' if step.state == "current" else ""
        items.append(
            f'<li class="{step.state}" aria-label="{html.escape(step.label)} : {_STATE_WORDS[step.state]}">'
            f'<span class="dot" aria-hidden="true">{_DOTS[step.state]}</span>{html.escape(step.label)}{tag}</li>'
        )
    return f'<ol class="status-timeline" aria-label="Le parcours de votre facture">{"".join(items)}</ol>'


def status_answer(guide: StatusGuide, status: Status) -> None:
    st.subheader(f"« {status.label} »")
    st.markdown(status.meaning)
    kind = "who-acts you" if status.supplier_acts else "who-acts"
    st.html(f'<div class="{kind}">Qui agit maintenant : <strong>{html.escape(guide.actor_label(status))}</strong></div>')
    st.markdown("**Ce que vous devez faire**" if status.supplier_acts else "**Et maintenant ?**")
    st.markdown(status.todo)
    for link in status.links:
        page_link(link)
    st.markdown("**Où va votre facture ensuite**")
    st.html(timeline_html(guide, status))


STATUS_NOTE = "Avec ce code, l'office voit le statut que vous regardez et où vous en êtes dans les guides."


def record_status_in_case(code: str, *, looked_up: bool) -> None:
    """Show the case code (or the button to get one) and keep the status looked at on the case,
    once per change. Never creates a case by itself: a visit alone writes nothing."""
    case_code_box(key="case_ref_suivi", note=STATUS_NOTE)
    case = current_code()
    wanted = (case, code, looked_up)
    if case is None or st.session_state.get(RECORDED_KEY) == wanted:
        return
    office = load_office_or_stop()
    try:
        with get_database().sessions() as session:
            record_case_status(session=session, code=case, status=code, live=looked_up,
                               retention_days=office.retention_days)
    except Exception:  # noqa: BLE001 - a missed note is not worth an error on the supplier's screen
        log.exception("could not record the invoice status on the case")
        return
    st.session_state[RECORDED_KEY] = wanted


# --- the payment date and late interest ------------------------------------------------------

def _date_field(label: str, key: str, today: date, help_text: str | None = None) -> date | None:
    return st.date_input(label, value=None, key=key, format="DD/MM/YYYY", min_value=date(2015, 1, 1),
                         max_value=today + timedelta(days=3650), help=help_text)


_CALC_KEYS = (DEPOSIT_KEY, f"{K}suspended", f"{K}suspended_on", f"{K}completed_on", f"{K}paid", f"{K}paid_on",
              f"{K}amount", f"{K}number")
_DRAFT_KEY = f"{K}draft"


def _restore_draft() -> None:
    """Streamlit forgets a widget's value when its page is left: bring back what was typed."""
    for key, value in st.session_state.get(_DRAFT_KEY, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def _save_draft() -> None:
    st.session_state[_DRAFT_KEY] = {k: st.session_state[k] for k in _CALC_KEYS if k in st.session_state}


def payment_calculator(office: Office, today: date) -> None:
    _restore_draft()
    try:
        _calculator(office, today)
    finally:
        _save_draft()


def _calculator(office: Office, today: date) -> None:
    terms = office.payment
    if terms is None:
        st.info("L'office n'a pas encore indiqué son délai de paiement dans le kiosque. "
                f"Appelez {office.contact_name} au {office.phone}.", icon=":material/info:")
        return
    st.markdown(
        f"L'office doit vous payer dans les **{terms.legal_delay_days} jours** qui suivent le dépôt de votre "
        "facture sur Chorus Pro. La date de dépôt est sur le **certificat de dépôt** (dans « Factures émises »)."
    )
    with st.expander("Quand le délai s'arrête et repart"):
        st.markdown(
            "- **Suspendue** : l'office attend une pièce ou une information. Le délai s'arrête. Il repart "
            f"à zéro le jour où vous complétez la facture : un nouveau délai de {max(30, terms.legal_delay_days)} jours.\n"
            "- **Rejetée** : cette facture ne sera pas payée. Le délai repart du dépôt de la nouvelle facture : "
            "tapez ci-dessous la date de dépôt de la nouvelle facture.\n"
            "- **À recycler** : la facture n'est pas arrivée au bon service. Le délai court à partir du moment "
            "où elle arrive à l'office. En cas de doute, appelez l'office."
        )
    deposit = _date_field("Date de dépôt de la facture", DEPOSIT_KEY, today,
                          "Sur le certificat de dépôt de Chorus Pro.")
    suspended = st.checkbox("Ma facture a été suspendue (statut « Suspendue »)", key=f"{K}suspended")
    interruption = None
    if suspended:
        st.caption("Quand l'office suspend une facture, le délai s'arrête. Il repart à zéro "
                   "le jour où vous complétez la facture.")
        notified = _date_field("Date de la suspension", f"{K}suspended_on", today, "Dans l'historique de la facture.")
        completed = _date_field("Date où vous avez complété la facture (vide si pas encore fait)",
                                f"{K}completed_on", today)
        if notified:
            interruption = Interruption(notified, completed)
        elif completed:
            st.error("Indiquez aussi la date de la suspension.", icon=":material/event_busy:")
    paid = st.checkbox("L'office a déjà payé", key=f"{K}paid")
    paid_on = _date_field("Date du paiement", f"{K}paid_on", today) if paid else None
    amount_text = st.text_input("Montant TTC de la facture, en euros", key=f"{K}amount", max_chars=30,
                                placeholder="Exemple : 1 250,00")
    number = st.text_input("Numéro de la facture (pour le message à l'office, facultatif)", key=f"{K}number",
                           max_chars=40)

    if deposit is None:
        st.caption("Indiquez la date de dépôt pour voir la date limite de paiement.")
        _sources(terms)
        return
    try:
        result = deadline(deposit, terms, today=today, interruption=interruption)
        if paid_on is not None:
            if paid_on > today:
                raise DateProblem("La date du paiement est dans le futur.")
            if paid_on < deposit:
                raise DateProblem("La date du paiement est avant le dépôt de la facture. Vérifiez les deux dates.")
    except DateProblem as exc:
        st.error(str(exc), icon=":material/event_busy:")
        _sources(terms)
        return

    if result.due is None:
        st.info("Votre facture est suspendue : le délai de paiement est arrêté. Complétez-la dans Chorus Pro : "
                f"un nouveau délai de {max(30, terms.legal_delay_days)} jours partira de ce jour-là.",
                icon=":material/pause_circle:")
        _sources(terms)
        return

    with st.container(border=True, key=f"{K}result"):
        st.markdown(f"Date limite de paiement : **{french_date(result.due)}**")
        if result.interruption:
            st.caption(f"Nouveau délai de {result.new_delay_days} jours à partir du "
                       f"{french_date(result.interruption.completed)}, jour où vous avez complété la facture.")
        else:
            st.caption(f"Le {french_date(deposit)} plus {terms.legal_delay_days} jours (jours de calendrier, "
                       "week-ends compris).")
        end = paid_on or today
        if end <= result.due:
            if paid_on:
                st.success("L'office a payé dans le délai. Aucun intérêt de retard n'est dû.", icon=":material/check_circle:")
            else:
                left = (result.due - today).days
                st.success(f"Le délai n'est pas dépassé : il reste {left} jour{'s' if left > 1 else ''}."
                           if left else "Le délai se termine aujourd'hui.", icon=":material/schedule:")
            _sources(terms)
            return
        days = (end - result.due).days
        st.warning(f"Le délai est dépassé de **{days} jour{'s' if days > 1 else ''}**"
                   + (" (au jour du paiement)." if paid_on else " (aujourd'hui)."), icon=":material/warning:")

    if not amount_text.strip():
        st.caption("Tapez le montant TTC pour calculer les intérêts de retard.")
        _sources(terms)
        return
    try:
        amount = parse_amount(amount_text)
    except ValueError as exc:
        st.error(str(exc), icon=":material/error:")
        _sources(terms)
        return
    late = late_interest(amount, result.due, end, terms)
    st.markdown("**Ce que la loi vous doit, sans que vous ayez à le demander**")
    st.markdown(
        f"- Intérêts de retard : **{euros(late.interest)}**  \n"
        f"  {euros(late.amount)} × {percent(late.rate)} × {late.days} jours ÷ 365\n"
        f"- Indemnité forfaitaire pour frais de recouvrement : **{euros(late.indemnity)}**\n"
        f"- Total : **{euros(late.total)}**"
    )
    st.caption(f"Taux : {percent(late.ecb_rate)} (taux de la BCE au {french_date(late.rate_from)}) "
               f"+ {terms.margin_points.normalize():f} points. Les intérêts courent du "
               f"{french_date(late.start)} au {french_date(late.end)} inclus. L'office les paie dans les 45 jours "
               "qui suivent le paiement de la facture.")
    if not late.rate_known:
        st.warning(f"Le taux de la BCE du {french_date(late.rate_semester)} n'est pas encore dans le kiosque : "
                   "le calcul utilise le dernier taux connu. Le montant exact peut être un peu différent.",
                   icon=":material/info:")
    if not paid_on:
        st.markdown("**Un message poli à envoyer à l'office** (copiez-le dans un email) :")
        st.code(reminder_message(invoice_number=number, deposit=deposit, due=result.due, late=late,
                                 office_display_name=office.display_name), language=None, wrap_lines=True)
    _sources(terms)


def _sources(terms) -> None:
    st.caption(f"{SOURCES_LINE} Taux de la BCE mis à jour le {french_date(terms.rates_updated)} "
               f"({terms.rates_source}).")
