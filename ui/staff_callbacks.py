"""Staff: « Rappels demandés ». The callback requests from /aide, the ones to handle first on
top; filter by status; mark « rappelé » or « résolu » with a note; export CSV for Excel.
Nothing is deleted here: only the retention purge deletes."""

from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from services.callbacks import STATUS_LABELS, STATUSES, CallbackView, callback_queue, callbacks_csv, set_callback_status
from services.office import Office
from services.staff_auth import StaffSession
from services.triage import load_triage
from ui.db import Database, database_or_error

log = logging.getLogger(__name__)

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


def _request_card(db: Database, view: CallbackView, office: Office, topics: dict[str, str]) -> None:
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


def render_callback_queue(db: Database, office: Office, *, now: datetime | None = None) -> None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        (st.success if notice[0] == "success" else st.error)(notice[1])
    if FILTER_KEY not in st.session_state:
        st.session_state[FILTER_KEY] = list(DEFAULT_FILTER)
    chosen = st.multiselect("Statut", options=list(STATUSES), format_func=STATUS_LABELS.get, key=FILTER_KEY,
                            placeholder="Tous les statuts")
    try:
        with db.sessions() as session:
            views = callback_queue(session=session, statuses=chosen or None)
    except Exception:  # noqa: BLE001
        log.exception("callback queue failed")
        st.error("La base de données ne répond pas : la liste des rappels ne peut pas être affichée.")
        return
    topics = _topic_labels(office)
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
        _request_card(db, view, office, topics)


def staff_callbacks_section(office: Office, staff: StaffSession) -> None:
    """The tab in the staff space (ui/staff_space.py SECTIONS)."""
    db = database_or_error("les rappels")
    if db is None:
        return
    render_callback_queue(db, office)
