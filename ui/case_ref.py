"""The supplier's case reference: a short code to read to the office on the phone.

The code is created lazily: when the supplier checks an invoice, moves in a guide, or asks
for it (« Afficher mon code »): a visit alone never writes anything. It lives in
st.session_state (`case_ref_*` keys) and in the `cases` table (services.cases), which
follows the supplier: the guide step (throttled writes), the last check report, and the
first page's picture only when they tick that they agree to share it.

Hooks: `guide_case_box(slug, step)` at the end of ui.guide_view.render_guide;
`checker_case_box(result, file_id)` on the checker page, after the result.
Database trouble never stops a page: the box then says the code is unavailable.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable

import streamlit as st

from services.cases import StepThrottle, create_case, move_case, report_to_json, save_case_report, set_image_consent
from services.stats import record_check_event
from ui.db import get_database
from ui.frame import load_office_or_stop

log = logging.getLogger(__name__)

# The clock used for throttling; tests replace it (monkeypatch ui.case_ref.clock).
clock: Callable[[], float] = time.monotonic
STEP_WRITE_INTERVAL_S = 2.0

CODE_KEY = "case_ref_code"
THROTTLE_KEY = "case_ref_throttle"
FAILED_KEY = "case_ref_failed"
CHECKED_KEY = "case_ref_checked_file"  # file id of the last check recorded
SHARE_KEY = "case_ref_share_image"
SENTENCE = "Donnez ce code à la personne au téléphone"

_STYLE = """
<style>
.case-ref { border: 2px solid #000091; border-radius: 6px; padding: 0.6rem 0.9rem; margin: 0.6rem 0;
  background: #f5f5fe; }
.case-ref-label { font-size: 0.95rem; color: #3a3a3a; margin: 0; }
.case-ref-code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 1.9rem; font-weight: 700;
  letter-spacing: 0.12em; color: #000091; margin: 0.1rem 0; }
.case-ref-say { font-size: 1.05rem; font-weight: 600; color: #161616; margin: 0; }
.case-ref-note { font-size: 0.85rem; color: #3a3a3a; margin: 0.2rem 0 0 0; }
</style>
"""


def current_code() -> str | None:
    return st.session_state.get(CODE_KEY)


def _throttle() -> StepThrottle:
    if THROTTLE_KEY not in st.session_state:
        st.session_state[THROTTLE_KEY] = StepThrottle(STEP_WRITE_INTERVAL_S)
    return st.session_state[THROTTLE_KEY]


def _new_case(guide_slug: str | None = None, guide_step: int | None = None) -> str | None:
    """Create this session's case; None (and logged) when the database is unreachable."""
    office = load_office_or_stop()
    try:
        db = get_database()
        with db.sessions() as session:
            case = create_case(session=session, retention_days=office.retention_days,
                               guide_slug=guide_slug, guide_step=guide_step)
    except Exception:  # noqa: BLE001 - the page goes on without a code
        log.exception("could not create a case reference")
        st.session_state[FAILED_KEY] = True
        return None
    st.session_state[CODE_KEY] = case.code
    st.session_state[FAILED_KEY] = False
    if guide_slug and guide_step:
        _throttle().written(guide_slug, guide_step, clock())
    return case.code


def _write_pending() -> None:
    """Write the newest guide step if the throttle says it is time."""
    code, throttle = current_code(), _throttle()
    now = clock()
    if code is None or not throttle.due(now):
        return
    slug, step = throttle.pending
    office = load_office_or_stop()
    try:
        with get_database().sessions() as session:
            found = move_case(session=session, code=code, guide_slug=slug, guide_step=step,
                              retention_days=office.retention_days)
    except Exception:  # noqa: BLE001 - a missed step update is not worth an error on screen
        log.exception("could not record the guide step")
        return
    if not found:  # expired or purged meanwhile: the next move starts a new case
        st.session_state.pop(CODE_KEY, None)
        return
    throttle.written(slug, step, now)


def _flush_later(delay: float) -> None:
    """A pending step (quick clicks) is written by this small timer when its turn comes.

    The timer only writes: it never reruns the whole page, because a page rerun started by
    a timer while the supplier clicks « Suivant » could swallow the click. It stops being
    drawn at the supplier's next action; until then a tick with nothing to write costs nothing.
    """
    @st.fragment(run_every=max(delay, 1.0))
    def _case_ref_flush() -> None:
        throttle = _throttle()
        if throttle.pending is None or not throttle.due(clock()):
            return  # nothing to write, or not yet
        _write_pending()
        throttle.pending = None  # written, or failed: do not retry every few seconds

    _case_ref_flush()


GUIDE_NOTE = "Avec ce code, l'office voit où vous en êtes."
CHECK_NOTE = ("Avec ce code, l'office voit le résultat de votre vérification (pas votre fichier) "
              "et où vous en êtes dans les guides.")
# What the code keeps and for how long, in one sentence ({days}: office.toml [data] retention_days).
KEPT_NOTE = ("Le kiosque garde avec ce code l'étape du guide, le statut de facture regardé et le résultat "
             "de votre dernière vérification, pendant {days} jours, puis il efface tout.")


def office_retention_days() -> int:
    return load_office_or_stop().retention_days


def _code_html(code: str, retention_days: int, note: str = GUIDE_NOTE) -> str:
    return (
        f'{_STYLE}<div class="case-ref" role="note" aria-label="Votre code dossier">'
        '<p class="case-ref-label">Votre code dossier</p>'
        f'<p class="case-ref-code" data-case-code="{html.escape(code)}">{html.escape(code)}</p>'
        f'<p class="case-ref-say">{SENTENCE}.</p>'
        f'<p class="case-ref-note">{html.escape(note)} {html.escape(KEPT_NOTE.format(days=retention_days))}</p></div>'
    )


def case_code_box(*, key: str, guide_slug: str | None = None, guide_step: int | None = None,
                  note: str = GUIDE_NOTE) -> None:
    """The code, or a small button to get one (a supplier on the phone at the first screen)."""
    office = load_office_or_stop()
    code = current_code()
    if code:
        st.html(_code_html(code, office.retention_days, note))
        return
    if st.session_state.get(FAILED_KEY):
        st.caption("Code dossier indisponible pour le moment. Au téléphone, dites simplement où vous en êtes.")
    if st.button("Au téléphone avec l'office ? Afficher mon code dossier", key=f"{key}_ask",
                 icon=":material/support_agent:"):
        if _new_case(guide_slug, guide_step):
            st.html(_code_html(current_code(), office.retention_days, note))
        else:
            st.caption("Code dossier indisponible pour le moment. Au téléphone, dites simplement où vous en êtes.")


# --- hooks ------------------------------------------------------------------------------

def _seen_key(slug: str) -> str:
    return f"case_ref_seen_{slug}"


def guide_case_box(slug: str, step: int) -> None:
    """At the end of a guide's screen: follow the supplier's step, show the code.

    The first step shown is only remembered; the first move to another step creates the
    case (with that step); later moves are written at most every STEP_WRITE_INTERVAL_S
    seconds, the newest step winning."""
    seen = st.session_state.setdefault(_seen_key(slug), step)
    throttle = _throttle()
    if current_code() is None:
        if step != seen and not st.session_state.get(FAILED_KEY):
            _new_case(slug, step)
    else:
        throttle.want(slug, step)
        _write_pending()
        if throttle.pending is not None:
            _flush_later(throttle.wait(clock()))
    case_code_box(key=f"case_ref_{slug}", guide_slug=slug, guide_step=step)


def _first_picture(result) -> bytes | None:
    previews = getattr(result, "previews", None) or ()
    return previews[0].png if previews else None


def _on_share_change(result) -> None:
    code = current_code()
    if code is None:
        return
    office = load_office_or_stop()
    consent = bool(st.session_state.get(SHARE_KEY))
    try:
        with get_database().sessions() as session:
            set_image_consent(session=session, code=code, consent=consent,
                              image=_first_picture(result), retention_days=office.retention_days)
    except Exception:  # noqa: BLE001
        log.exception("could not record the sharing choice")


def record_check(result, file_id: str | None) -> None:
    """Once per checked file: the anonymous check event, and the report in the case
    (created now if needed). The page picture goes with it only if the box is ticked."""
    if result is None or file_id is None or st.session_state.get(CHECKED_KEY) == file_id:
        return
    st.session_state[CHECKED_KEY] = file_id
    office = load_office_or_stop()
    data = report_to_json(result.report)
    try:
        with get_database().sessions() as session:
            record_check_event(session=session, report=data)
    except Exception:  # noqa: BLE001 - numbers are not worth an error on the supplier's screen
        log.exception("could not record the check event")
    code = current_code() or _new_case()
    if code is None:
        return
    try:
        with get_database().sessions() as session:
            found = save_case_report(session=session, code=code, report=data, image=_first_picture(result),
                                     consent=bool(st.session_state.get(SHARE_KEY)),
                                     retention_days=office.retention_days)
        if not found:  # expired meanwhile: a fresh case for this check
            st.session_state.pop(CODE_KEY, None)
            code = _new_case()
            if code:
                with get_database().sessions() as session:
                    save_case_report(session=session, code=code, report=data, image=_first_picture(result),
                                     consent=bool(st.session_state.get(SHARE_KEY)),
                                     retention_days=office.retention_days)
    except Exception:  # noqa: BLE001
        log.exception("could not save the check in the case")


def checker_case_box(result, file_id: str | None) -> None:
    """Below a check's result: record it, show the code and the sharing box."""
    if result is None:
        return
    record_check(result, file_id)
    with st.container(key="case_ref_checker"):
        case_code_box(key="case_ref_checker", note=CHECK_NOTE)
        if current_code() and _first_picture(result) is not None:
            st.checkbox(
                "J'accepte que la personne de l'office voie l'image de la première page de ma facture. "
                f"Le kiosque la garde avec le code, {office_retention_days()} jours au plus, "
                "ou jusqu'à ce que je décoche la case.",
                key=SHARE_KEY, on_change=_on_share_change, args=(result,),
            )
