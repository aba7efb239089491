"""Pieces of the help page: phone line card, triage, answer, callback form and receipt."""

from __future__ import annotations

import html
import logging
import uuid
from pathlib import Path

import streamlit as st

from services.callbacks import ASAP, CallbackForm, CallbackOutcome, CallbackView, MAX_MESSAGE
from services.office import PROJECT_ROOT, Office
from services.support_hours import LineStatus, Slot, format_day, format_hour, hours_summary
from services.triage import Channel, Link, Topic, Triage

log = logging.getLogger(__name__)

# Kiosk pages by URL path, for links written in content/aide.yaml.
PAGE_FILES = {
    "": "pages/home.py",
    "creer-mon-compte": "pages/account_guide.py",
    "deposer-une-facture": "pages/deposit_guide.py",
    "verifier-ma-facture": "pages/invoice_check.py",
    "aide": "pages/help.py",
    "suivre-ma-facture": "pages/track_invoice.py",
}
FIELDS = ("name", "company", "siret", "phone", "email", "topic", "message", "slot", "consent")
K = "aide_"  # session_state prefix of this page

_CSS = """
<style>
.line-card { border: 2px solid #000091; border-radius: 6px; padding: 0.8rem 1rem; margin: 0.4rem 0 0.8rem; }
.line-card .who { font-size: 1rem; color: #3a3a3a; }
.line-card .phone { font-size: 1.7rem; font-weight: 700; letter-spacing: 0.02em; }
.line-card .phone a { text-decoration: none; }
.line-status { display: inline-block; font-weight: 700; padding: 0.15rem 0.6rem; border-radius: 1rem; margin: 0.3rem 0; }
.line-status.open { background: #b8fec9; color: #18753c; }
.line-status.closed { background: #eeeeee; color: #3a3a3a; }
.callback-ref { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 2.6rem; font-weight: 700;
  letter-spacing: 0.12em; border: 3px dashed #18753c; border-radius: 6px; padding: 0.4rem 1rem;
  display: inline-block; margin: 0.3rem 0; background: #f6fff8; }
[data-testid="stRadio"] [role="radiogroup"] label { padding: 0.3rem 0; font-size: 1.05rem; }
.st-key-aide_privacy [data-testid="stPageLink"] a { border: 0; background: none; padding: 0.2rem 0;
  min-height: 2.75rem; font-size: 1rem; font-weight: 400; text-decoration: underline; }
.echo { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 4px solid #dddddd; padding: 0.3rem 0.8rem; color: #161616; }
</style>
"""


def inject_help_style() -> None:
    st.html(_CSS)


def status_badge(status: LineStatus) -> str:
    kind = "open" if status.is_open else "closed"
    dot = "●" if status.is_open else "○"
    return f'<span class="line-status {kind}">{dot} {html.escape(status.text, quote=False)}</span>'


def phone_line_card(office: Office, status: LineStatus) -> None:
    """Who to call, a tap-to-call number, the live open/closed status, the hours."""
    st.html(
        '<div class="line-card">'
        f'<div class="who">{html.escape(office.contact_name)}, {html.escape(office.contact_role.lower())}</div>'
        f'<div class="phone"><a href="{html.escape(office.tel_link)}">{html.escape(office.phone)}</a></div>'
        f"{status_badge(status)}"
        f'<div class="who">Horaires : {html.escape(hours_summary(office), quote=False)}, sauf jours fériés.</div>'
        "</div>"
    )


# --- triage ----------------------------------------------------------------------------

def _topic_from_link(triage: Triage) -> None:
    """Follow ?sujet=<id> once, so the office can send a link to one answer."""
    wanted = st.query_params.get("sujet")
    if wanted and st.session_state.get(f"{K}sujet_param") != wanted:
        st.session_state[f"{K}sujet_param"] = wanted
        if triage.topic(wanted):
            st.session_state[f"{K}topic"] = wanted
            st.session_state[f"{K}cb_topic"] = wanted


def _on_topic_change() -> None:
    topic_id = st.session_state.get(f"{K}topic")
    if topic_id:
        # The callback form follows the problem chosen above.
        st.session_state[f"{K}cb_topic"] = topic_id
        st.query_params["sujet"] = topic_id
        st.session_state[f"{K}sujet_param"] = topic_id


def triage_picker(triage: Triage) -> Topic | None:
    _topic_from_link(triage)
    labels = {t.id: t.label for t in triage.topics}
    chosen = st.radio("Quel est votre problème ?", options=list(labels), format_func=labels.get, index=None,
                      key=f"{K}topic", on_change=_on_topic_change)
    return triage.topic(chosen)


def page_link(link: Link) -> None:
    """A link to a kiosk page (keeps ?etape=N) or to an outside site."""
    if link.is_page:
        page = PAGE_FILES.get(link.page_path)
        if page and (PROJECT_ROOT / page).is_file():
            try:
                st.page_link(page, label=link.label, icon=":material/arrow_forward:",
                             query_params=link.query or None)
                return
            except Exception:  # page not in the navigation of this installation
                log.warning("page %s not registered; plain link used", page)
    st.markdown(f"[{link.label}]({link.target})")


def topic_answer(topic: Topic, channel: Channel, office: Office, status: LineStatus) -> None:
    st.header(topic.label)  # h2 under the page's h1; « Qui peut vous aider » is its h3
    st.markdown(topic.fix)
    for link in topic.links:
        page_link(link)
    st.subheader("Qui peut vous aider")
    with st.container(border=True, key=f"{K}channel_{channel.id}"):
        st.markdown(f"**{channel.title}**")
        st.markdown(channel.text)
        for link in channel.links:
            st.link_button(link.label, link.target, icon=":material/open_in_new:", use_container_width=True)
        if channel.id == "office":
            phone_line_card(office, status)


# --- callback form ---------------------------------------------------------------------

def form_state_key() -> str:
    """The idempotency key of the form on screen: one per submission, kept across reruns."""
    key = f"{K}cb_idem"
    if key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return st.session_state[key]


def client_key() -> str:
    key = f"{K}client"
    if key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return st.session_state[key]


def start_new_request() -> None:
    st.session_state.pop(f"{K}cb_done", None)
    st.session_state.pop(f"{K}cb_errors", None)
    st.session_state.pop(f"{K}cb_notice", None)
    st.session_state[f"{K}cb_idem"] = uuid.uuid4().hex
    st.session_state[f"{K}cb_message"] = ""
    st.session_state[f"{K}cb_slot"] = ASAP


_DRAFT_KEY = f"{K}cb_draft"
_DRAFT_FIELDS = ("name", "company", "siret", "phone", "email", "topic", "message", "slot", "consent")


def _save_draft() -> None:
    """Keep what was typed outside the widgets: Streamlit forgets the state of widgets that
    are not drawn, so a supplier who leaves /aide (to look up a SIRET) would lose it."""
    st.session_state[_DRAFT_KEY] = {
        name: st.session_state.get(f"{K}cb_{name}") for name in _DRAFT_FIELDS
        if st.session_state.get(f"{K}cb_{name}") is not None
    }


def _restore_draft() -> None:
    for name, value in (st.session_state.get(_DRAFT_KEY) or {}).items():
        st.session_state.setdefault(f"{K}cb_{name}", value)


def privacy_link() -> None:
    """Where the form's data goes, above the form: a link inside it would lose what was typed
    (a form's values reach the session only when it is sent)."""
    with st.container(key=f"{K}privacy"):
        st.page_link("pages/privacy.py", label="Ce que l'office fait de ces informations (données personnelles)",
                     icon=":material/shield_person:")


def _field_error(errors: dict[str, str], name: str) -> None:
    if name in errors:
        st.error(errors[name], icon=":material/error:")


def callback_form(triage: Triage, slots: tuple[Slot, ...], office: Office) -> CallbackForm | None:
    """Draw the form; returns what was typed when it is sent, else None. Values stay put."""
    errors: dict[str, str] = st.session_state.get(f"{K}cb_errors") or {}
    form_state_key()
    _restore_draft()
    slot_labels = {ASAP: "Dès que possible, aux heures d'ouverture", **{s.key: s.label for s in slots}}
    if st.session_state.get(f"{K}cb_slot") not in slot_labels:
        st.session_state[f"{K}cb_slot"] = ASAP  # the chosen window has passed
    topic_labels = {t.id: t.label for t in triage.topics}
    if st.session_state.get(f"{K}cb_topic") not in topic_labels:
        st.session_state.pop(f"{K}cb_topic", None)
    privacy_link()
    with st.form(f"{K}callback_form", clear_on_submit=False, enter_to_submit=False):
        if errors:
            # Streamlit draws st.error with role="alert": screen readers read each error as it appears.
            st.error("Votre demande n'est pas encore envoyée : corrigez les champs signalés en rouge.",
                     icon=":material/warning:")
        st.text_input("Votre nom", key=f"{K}cb_name", max_chars=200, autocomplete="name")
        _field_error(errors, "name")
        st.text_input("Votre entreprise ou association", key=f"{K}cb_company", max_chars=250,
                      autocomplete="organization")
        _field_error(errors, "company")
        st.text_input("SIRET de votre entreprise (facultatif)", key=f"{K}cb_siret", max_chars=30,
                      help="14 chiffres, sur votre avis Insee ou votre Kbis.")
        _field_error(errors, "siret")
        st.text_input("Téléphone où vous joindre", key=f"{K}cb_phone", max_chars=30, autocomplete="tel",
                      placeholder="Exemple : 06 12 34 56 78")
        _field_error(errors, "phone")
        st.text_input("Email (facultatif)", key=f"{K}cb_email", max_chars=300, autocomplete="email")
        _field_error(errors, "email")
        st.selectbox("Sujet", options=list(topic_labels), format_func=topic_labels.get, index=None,
                     key=f"{K}cb_topic", placeholder="Choisissez le sujet")
        _field_error(errors, "topic")
        st.text_area("Votre message (facultatif)", key=f"{K}cb_message", height=120,
                     help=f"{MAX_MESSAGE} caractères au maximum. Numéro de facture, message d'erreur…")
        _field_error(errors, "message")
        st.selectbox("Quand vous rappeler ?", options=list(slot_labels), format_func=slot_labels.get,
                     key=f"{K}cb_slot")
        _field_error(errors, "slot")
        st.checkbox(
            f"J'accepte que l'office garde ces informations pour me rappeler. "
            f"Elles sont effacées au bout de {office.retention_days} jours.",
            key=f"{K}cb_consent",
        )
        _field_error(errors, "consent")
        sent = st.form_submit_button("Envoyer ma demande de rappel", type="primary", use_container_width=True)
    if not sent:
        return None
    _save_draft()
    ss = st.session_state
    return CallbackForm(
        name=ss.get(f"{K}cb_name") or "", company=ss.get(f"{K}cb_company") or "",
        siret=ss.get(f"{K}cb_siret") or "", phone=ss.get(f"{K}cb_phone") or "",
        email=ss.get(f"{K}cb_email") or "", topic=ss.get(f"{K}cb_topic") or "",
        message=ss.get(f"{K}cb_message") or "", slot=ss.get(f"{K}cb_slot") or ASAP,
        consent=bool(ss.get(f"{K}cb_consent")),
    )


def submit_callback(form: CallbackForm, office: Office, triage: Triage, now) -> None:
    """Save the request (once), remember the outcome, redraw. A database failure keeps
    everything typed and says what to do."""
    from services.callbacks import create_callback
    from ui.case_ref import current_code
    from ui.client import current_client_address
    from ui.db import get_database

    try:
        db = get_database()
        with db.sessions() as session:
            outcome = create_callback(session=session, request=form, idempotency_key=form_state_key(),
                                      client_key=client_key(), office=office, topics=triage.topic_ids, now=now,
                                      case_code=current_code(), client_address=current_client_address())
    except Exception:
        log.exception("callback request not saved")
        st.error(f"Votre demande n'a pas pu être enregistrée, ce n'est pas de votre faute. "
                 f"Ce que vous avez tapé est gardé : réessayez dans un instant, ou appelez le {office.phone}.",
                 icon=":material/cloud_off:")
        return
    remember_outcome(outcome)
    if outcome.status == "created":
        from ui.notify import wake_sender

        wake_sender()  # its e-mails are in the outbox: send them now
    st.rerun()


def remember_outcome(outcome: CallbackOutcome) -> None:
    if outcome.ok:
        st.session_state.pop(_DRAFT_KEY, None)
        st.session_state[f"{K}cb_done"] = outcome.callback
        st.session_state.pop(f"{K}cb_errors", None)
        st.session_state.pop(f"{K}cb_notice", None)
    elif outcome.status == "invalid":
        st.session_state[f"{K}cb_errors"] = dict(outcome.errors)
        st.session_state.pop(f"{K}cb_notice", None)
    else:
        st.session_state.pop(f"{K}cb_errors", None)
        st.session_state[f"{K}cb_notice"] = outcome.message


def slot_sentence(view: CallbackView, office: Office, now_local_date) -> str:
    if view.preferred_start is None:
        return "dès que possible, aux heures d'ouverture"
    start = view.preferred_start.astimezone(office.tz)
    end = view.preferred_end.astimezone(office.tz) if view.preferred_end else None
    day = format_day(start.date(), now_local_date)
    window = f"entre {format_hour(start)} et {format_hour(end)}" if end else f"vers {format_hour(start)}"
    return f"{day}, {window}"


def callback_receipt(view: CallbackView, office: Office, triage: Triage, now_local_date) -> None:
    """The reference, big, and what happens next. Typed text is shown back as plain text."""
    st.success("Votre demande de rappel est bien enregistrée.", icon=":material/check_circle:")
    st.markdown("Votre référence, à noter :")
    st.html(f'<div class="callback-ref" data-testid="callback-reference">{html.escape(view.reference)}</div>')
    st.markdown(
        f"**Et maintenant ?** {office.contact_name} vous rappelle au **{view.phone_display}**, "
        f"{slot_sentence(view, office, now_local_date)}. "
        f"Si vous appelez l'office avant, donnez cette référence : votre demande sera retrouvée tout de suite."
    )
    if view.email and office.notifications is not None:
        st.markdown(f"Une confirmation avec cette référence part à votre adresse **{_plain_md(view.email)}**.")
    topic = triage.topic(view.topic)
    st.caption("Ce que vous avez envoyé")
    recap = [f"Nom : {view.name}", f"Entreprise : {view.company}"]
    if topic:
        recap.append(f"Sujet : {topic.label}")
    if view.message:
        recap.append(f"Message :\n{view.message}")
    st.html(f'<div class="echo" data-testid="callback-echo">{html.escape(chr(10).join(recap), quote=False)}</div>')
    st.button("Faire une autre demande", key=f"{K}cb_again", on_click=start_new_request)


def _plain_md(text: str) -> str:
    """Typed text inside Markdown, taken literally."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~$:" else c for c in text)


def show_notice() -> None:
    notice = st.session_state.get(f"{K}cb_notice")
    if notice:
        st.warning(notice, icon=":material/hourglass_top:")
