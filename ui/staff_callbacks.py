"""Staff: « Rappels demandés ». The callback requests from /aide, the ones to handle first on
top; filter by status; mark « rappelé » or « résolu » with a note; export CSV for Excel.
Each request shows its e-mails' delivery state (services.notify), with « Renvoyer ». A link
from the team's e-mail (/agents?rappel=K7F-42Q) opens that request above the list.
Nothing is deleted here: only the retention purge deletes."""

from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from services.callbacks import (
    STATUS_LABELS, STATUSES, CallbackView, callback_queue, callbacks_csv, get_callback, set_callback_status,
)
from services.notify.outbox import KIND_LABELS, MessageView, counts, last_digest, messages_for, resend
from services.office import Office
from services.references import parse_reference
from services.staff_auth import StaffSession
from services.triage import load_triage
from ui.db import Database, database_or_error
from ui.notify import mail_settings

log = logging.getLogger(__name__)

LINK_PARAM = "rappel"  # /agents?rappel=K7F-42Q, the link in the team's e-mail
FILTER_KEY = "staff_cb_filter"
NOTICE_KEY = "staff_cb_notice"
DEFAULT_FILTER = ["new", "called"]
_BADGE = {"new": ":red-badge[Nouveau]", "called": ":orange-badge[Rappelé]", "resolved": ":green-badge[Résolu]",
          "cancelled": ":gray-badge[Annulé]"}


def _topic_labels(office: Office) -> dict[str, str]:
    try:
        return {topic.id: topic.label for topic in load_triage(office).topics}
    except Exception:  # noqa: BLE001 - labels are a nicety; the code says enough
        return {}


def _md(text: str) -> str:
    """Plain text typed by a supplier, shown without Markdown or HTML taking effect."""
    special = "\\`*_{}[]<>()#+-.!|~$:"
    return "".join("\\" + c if c in special else c for c in text)


def _slot(view: CallbackView, office: Office) -> str:
    if view.preferred_start is None:
        return "dès que possible"
    start = view.preferred_start.astimezone(office.tz)
    end = view.preferred_end.astimezone(office.tz).strftime("%H:%M") if view.preferred_end else ""
    return f"le {start.strftime('%d/%m à %H:%M')}" + (f"–{end}" if end else "")


def _set_status(db: Database, reference: str, status: str, note_key: str) -> None:
    note = st.session_state.get(note_key)
    try:
        with db.sessions() as session:
            done = set_callback_status(session=session, reference=reference, status=status, note=note)
    except Exception:  # noqa: BLE001
        log.exception("callback status change failed")
        st.session_state[NOTICE_KEY] = ("error", "La base de données ne répond pas : rien n'a changé. Réessayez.")
        return
    if done is None:
        st.session_state[NOTICE_KEY] = ("error", f"La demande {reference} n'existe plus (effacée après le délai de conservation).")
    else:
        st.session_state[NOTICE_KEY] = ("success", f"Demande {reference} : « {STATUS_LABELS[status]} ».")


def _when(moment: datetime, office: Office) -> str:
    return moment.astimezone(office.tz).strftime("%d/%m/%Y à %H:%M")


def _resend(db: Database, message_id: int, label: str) -> None:
    try:
        with db.sessions() as session:
            done = resend(session, message_id)
    except Exception:  # noqa: BLE001
        log.exception("resend failed")
        st.session_state[NOTICE_KEY] = ("error", "La base de données ne répond pas : rien n'a changé. Réessayez.")
        return
    if done is None:
        st.session_state[NOTICE_KEY] = ("error", "Ce message n'existe plus (effacé après le délai de conservation).")
    else:
        from ui.notify import wake_sender

        wake_sender()
        st.session_state[NOTICE_KEY] = ("success", f"{label} : renvoi demandé, il part dans un instant.")


def _delivery(db: Database, messages: list[MessageView], office: Office) -> None:
    """Each e-mail of the request: sent (when), waiting, retrying (next try, last error) or failed (why)."""
    for message in messages:
        label = KIND_LABELS.get(message.kind, message.kind)
        if message.status == "sent":
            state = f":green-badge[Envoyé] le {_when(message.sent_at, office)}"
        elif message.status == "failed":
            state = f":red-badge[Échec] {_md(message.last_error or '')}"
        elif message.retrying:
            state = (f":orange-badge[Nouvel essai à {message.next_attempt_at.astimezone(office.tz).strftime('%H:%M')}] "
                     f"({message.attempts} essai{'s' if message.attempts > 1 else ''}) · dernière erreur : "
                     f"{_md(message.last_error or '')}")
        else:
            state = ":blue-badge[En attente d'envoi]"
        left, right = st.columns([4, 1], vertical_alignment="center")
        with left:
            st.markdown(f"{label} ({_md(message.recipient)}) : {state}")
        with right:
            st.button("Renvoyer", key=f"staff_msg_resend_{message.id}", icon=":material/forward_to_inbox:",
                      on_click=_resend, args=(db, message.id, label), width="stretch",
                      help="Envoyer ce message encore une fois (une copie, s'il était déjà parti).")


def _request_card(db: Database, view: CallbackView, office: Office, topics: dict[str, str],
                  messages: list[MessageView] | None = None) -> None:
    with st.container(border=True, key=f"staff_cb_{view.reference}"):
        created = view.created_at.astimezone(office.tz).strftime("%d/%m/%Y à %H:%M")
        st.markdown(f"{_BADGE.get(view.status, view.status)} **{view.reference}** · demandé le {created} · "
                    f"rappeler **{_slot(view, office)}**")
        st.markdown(f"**{_md(view.name)}** ({_md(view.company)}) · "
                    f"[{view.phone_display}](tel:{view.phone})"
                    + (f" · {_md(view.email)}" if view.email else "")
                    + (f" · SIRET {view.siret}" if view.siret else ""))
        st.markdown(f"Sujet : {_md(topics.get(view.topic, view.topic))}")
        if view.case_code:
            st.markdown(f"Dossier du fournisseur : **{view.case_code}** "
                        "(étape du guide et dernière vérification dans l'onglet « Dossier d'un fournisseur »)")
        if view.message:
            st.markdown("> " + _md(view.message).replace("\n", "  \n> "))
        if view.handled_at:
            st.caption(f"Traité le {view.handled_at.astimezone(office.tz).strftime('%d/%m/%Y à %H:%M')}")
        if messages:
            _delivery(db, messages, office)
        note_key = f"staff_cb_note_{view.reference}"
        if note_key not in st.session_state:
            st.session_state[note_key] = view.staff_note or ""
        st.text_area("Note (visible par les agents)", key=note_key, height=68, max_chars=2000)
        left, middle, right = st.columns(3)
        with left:
            st.button("Marquer rappelé", key=f"staff_cb_called_{view.reference}", icon=":material/phone_callback:",
                      on_click=_set_status, args=(db, view.reference, "called", note_key), width="stretch",
                      disabled=view.status == "called")
        with middle:
            st.button("Marquer résolu", key=f"staff_cb_resolved_{view.reference}", icon=":material/check_circle:",
                      type="primary", on_click=_set_status, args=(db, view.reference, "resolved", note_key),
                      width="stretch", disabled=view.status == "resolved")
        with right:
            if view.status in ("resolved", "cancelled"):
                st.button("Remettre à traiter", key=f"staff_cb_new_{view.reference}", icon=":material/undo:",
                          on_click=_set_status, args=(db, view.reference, "new", note_key), width="stretch")
            else:
                st.button("Sans suite", key=f"staff_cb_cancelled_{view.reference}", icon=":material/block:",
                          on_click=_set_status, args=(db, view.reference, "cancelled", note_key), width="stretch",
                          help="Le fournisseur ne répond plus ou n'a plus besoin d'aide. Rien n'est effacé.")


def _notifications_state(db: Database, office: Office) -> None:
    """Are e-mails going out? Said plainly, with what waits in the outbox."""
    try:
        with db.sessions() as session:
            found = counts(session)
            digest = last_digest(session)
    except Exception:  # noqa: BLE001 - the list below says the database is down
        log.exception("outbox counts failed")
        return
    waiting, failed = found["pending"], found["failed"]
    settings = mail_settings()
    if office.notifications is None:
        st.info("Les e-mails de notification sont désactivés : office.toml n'a pas de section [notifications].",
                icon=":material/mail_off:")
    elif settings.error:
        st.error(f"Les e-mails de notification ne partent pas : le réglage du serveur d'envoi est à corriger. "
                 f"{settings.error} Les messages attendent ({waiting}).", icon=":material/mail_off:")
    elif not settings.enabled:
        st.warning(f"Les notifications par e-mail sont désactivées : aucun serveur d'envoi n'est configuré. "
                   f"{waiting} message{'s' if waiting > 1 else ''} en attente : "
                   f"{'ils partiront' if waiting > 1 else 'il partira'} dès qu'un serveur sera configuré "
                   "(voir le README, « E-mails »).", icon=":material/mail_off:")
    else:
        text = (f"E-mails : chaque demande est envoyée à {office.notifications.team_email} "
                f"(serveur {settings.config.describe()}). {waiting} en attente, {failed} en échec.")
        if digest is not None:
            state = {"sent": "envoyé", "failed": "en échec", "pending": "en attente"}[digest.status]
            text += (f" Dernier résumé du matin : {_when(digest.created_at, office)}, {state}"
                     + (f" ({_md(digest.last_error)})" if digest.status != "sent" and digest.last_error else "") + ".")
        (st.warning if failed else st.caption)(text)


def _linked_request(db: Database, office: Office, topics: dict[str, str]) -> str | None:
    """The request named in the link of the team's e-mail, above the list; its reference."""
    reference = parse_reference(st.query_params.get(LINK_PARAM))
    if reference is None:
        return None
    try:
        with db.sessions() as session:
            view = get_callback(session=session, reference=reference)
            messages = messages_for(session, [view.id]).get(view.id, []) if view else []
            session.rollback()
    except Exception:  # noqa: BLE001
        log.exception("linked callback failed")
        st.error("La base de données ne répond pas : la demande ne peut pas être affichée.")
        return reference
    st.subheader(f"Demande {reference}")
    if view is None:
        st.warning(f"La demande {reference} n'existe plus (effacée après le délai de conservation).")
    else:
        _request_card(db, view, office, topics, messages)
    if st.button("Voir toutes les demandes", key="staff_cb_all", icon=":material/list:"):
        del st.query_params[LINK_PARAM]
        st.rerun()
    st.divider()
    return reference


def render_callback_queue(db: Database, office: Office, *, now: datetime | None = None) -> None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        (st.success if notice[0] == "success" else st.error)(notice[1])
    _notifications_state(db, office)
    topics = _topic_labels(office)
    linked = _linked_request(db, office, topics)
    if FILTER_KEY not in st.session_state:
        st.session_state[FILTER_KEY] = list(DEFAULT_FILTER)
    chosen = st.multiselect("Statut", options=list(STATUSES), format_func=STATUS_LABELS.get, key=FILTER_KEY,
                            placeholder="Tous les statuts")
    try:
        with db.sessions() as session:
            views = callback_queue(session=session, statuses=chosen or None)
            messages = messages_for(session, [view.id for view in views])
            session.rollback()
    except Exception:  # noqa: BLE001
        log.exception("callback queue failed")
        st.error("La base de données ne répond pas : la liste des rappels ne peut pas être affichée.")
        return
    today = (now or datetime.now(office.tz)).astimezone(office.tz).date()
    head, export = st.columns([2, 1])
    with head:
        count = len(views)
        st.markdown(f"**{count} demande{'s' if count > 1 else ''}** · les plus urgentes en haut "
                    "(créneau le plus proche, ou demande la plus ancienne).")
    with export:
        st.download_button("Exporter en CSV", data=callbacks_csv(views, tz=office.tz, topic_labels=topics),
                           file_name=f"rappels-{today.isoformat()}.csv", mime="text/csv", key="staff_cb_csv",
                           icon=":material/download:", width="stretch", disabled=not views)
    if not views:
        st.info("Aucune demande de rappel avec ce statut.")
        return
    for view in views:
        if view.reference != linked:  # already drawn above
            _request_card(db, view, office, topics, messages.get(view.id))


def staff_callbacks_section(office: Office, staff: StaffSession) -> None:
    """The tab in the staff space (ui/staff_space.py SECTIONS)."""
    db = database_or_error("les rappels")
    if db is None:
        return
    render_callback_queue(db, office)
