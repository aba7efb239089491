"""Callback requests: check what the supplier typed, save it once, find it again.

Data functions are keyword-only and take a SQLAlchemy `Session`; they return small
frozen dataclasses, never ORM objects, so the UI and the staff space cannot change
a row by accident.

Nothing is ever saved twice: each form submission carries an idempotency key (unique
in the table), and the same request typed again within a few minutes returns the
first one. One browser session may send `RATE_LIMIT` requests per `RATE_WINDOW`, one client
address `ADDRESS_RATE_LIMIT`. The checks and the insert run under one lock (services.db.hold_lock),
so the limits are exact however many servers share the database.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from typing import Literal

import phonenumbers
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.db import hold_lock
from services.models import CallbackRequest, Case, utc_now
from services.notify.outbox import enqueue_callback_mails
from services.office import Office
from services.references import new_reference, parse_reference
from services.siret import classify_identifier
from services.support_hours import Slot, open_slots

MAX_NAME = 120
MAX_COMPANY = 200
MAX_EMAIL = 254
MAX_MESSAGE = 2000
RATE_LIMIT = 3
RATE_WINDOW = timedelta(minutes=10)
# The same client address (services.client_address) may send this many in RATE_WINDOW, whatever
# its browser sessions: a browser sent to another server starts a new session, not a new address.
# Higher than RATE_LIMIT: several suppliers may share one address (a coworking space, a carrier's NAT).
ADDRESS_RATE_LIMIT = 10
# Held while a request is checked and saved: two servers never both pass the limit's count.
_CREATE_LOCK = "callback_requests:create"
# The same request typed again (same phone, topic and message) within this delay is
# the same request: a reload followed by a second submit must not queue two calls.
DUPLICATE_WINDOW = timedelta(minutes=10)
ASAP = ""  # slot value for "as soon as possible"
STATUSES = ("new", "called", "resolved", "cancelled")
# Requests the office still has to act on (the queue's top).
OPEN_STATUSES = ("new", "called")
STATUS_LABELS = {"new": "Nouveau", "called": "Rappelé", "resolved": "Résolu", "cancelled": "Annulé"}
_REFERENCE_ATTEMPTS = 8
_EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]{2,}$")
_SPACES_RE = re.compile(r"\s+")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class CallbackForm:
    """What the supplier typed, as text, exactly as the form gives it."""

    name: str = ""
    company: str = ""
    siret: str = ""
    phone: str = ""
    email: str = ""
    topic: str = ""
    message: str = ""
    slot: str = ASAP  # Slot.key of the chosen window, or ASAP
    consent: bool = False


@dataclass(frozen=True)
class CleanCallback:
    """A checked request, ready to save."""

    name: str
    company: str
    siret: str | None
    phone: str  # E.164
    email: str | None
    topic: str
    message: str
    preferred_start: datetime | None
    preferred_end: datetime | None


@dataclass(frozen=True)
class Validation:
    """Errors by form field (French, one sentence each), or the clean request."""

    errors: dict[str, str] = field(default_factory=dict)
    clean: CleanCallback | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.clean is not None


@dataclass(frozen=True)
class CallbackView:
    """A saved callback request, as the kiosk and the staff space show it."""

    id: int
    reference: str
    name: str
    company: str
    siret: str | None
    phone: str  # E.164
    phone_display: str  # national form for French numbers (e.g. '01 23 45 67 89'), international abroad
    email: str | None
    topic: str
    message: str
    preferred_start: datetime | None
    preferred_end: datetime | None
    status: str
    staff_note: str | None
    created_at: datetime
    handled_at: datetime | None
    case_code: str | None = None  # the supplier's case (guide step, last check), when linked


@dataclass(frozen=True)
class CallbackOutcome:
    """Result of `create_callback`.

    status: 'created' (new row), 'existing' (same submission or same request seen
    before: nothing new saved), 'invalid' (see errors), 'rate_limited' (see message).
    """

    status: Literal["created", "existing", "invalid", "rate_limited"]
    callback: CallbackView | None = None
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("created", "existing")


# --- checks of single fields -------------------------------------------------------

def clean_text(text: str | None, *, multiline: bool = False) -> str:
    """Trim, normalise Unicode, drop control characters (PostgreSQL refuses NUL)."""
    text = unicodedata.normalize("NFC", text or "")
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    if multiline:
        return "\n".join(line.rstrip() for line in kept.replace("\t", " ").strip().splitlines())
    return _SPACES_RE.sub(" ", kept).strip()


def check_siret(text: str | None) -> tuple[str | None, str | None]:
    """(compact SIRET or None, French error or None). Empty is allowed.

    The same classifier as the account guide's SIRET field, so the words match.
    """
    check = classify_identifier(text or "")
    if check.kind == "empty":
        return None, None
    if check.is_valid_siret:
        return check.compact, None
    return None, f"{check.message} {check.fix}".strip()


def check_phone(text: str | None, region: str = "FR") -> tuple[str | None, str | None]:
    """(E.164 number or None, French error or None). French numbers by default."""
    raw = clean_text(text)
    if not raw:
        return None, "Indiquez un numéro de téléphone pour que l'office puisse vous rappeler."
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None, "Ce numéro de téléphone est illisible. Exemple : 06 12 34 56 78."
    if not phonenumbers.is_valid_number(number):
        return None, "Ce numéro de téléphone n'existe pas : vérifiez-le (10 chiffres en France, par exemple 06 12 34 56 78)."
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def display_phone(e164: str) -> str:
    """'01 23 45 67 89' for a French number, '+32 2 123 45 67' for another country."""
    number = phonenumbers.parse(e164, None)
    kind = phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 33 else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, kind)


def check_email(text: str | None) -> tuple[str | None, str | None]:
    """(email or None, French error or None). Empty is allowed."""
    raw = clean_text(text)
    if not raw:
        return None, None
    if len(raw) > MAX_EMAIL or not _EMAIL_RE.match(raw) or not _mailable(raw):
        return None, "Cette adresse email n'est pas valide. Exemple : prenom.nom@entreprise.fr (ou laissez vide)."
    return raw, None


def _mailable(address: str) -> bool:
    """The confirmation e-mail can be addressed to it: the e-mail package reads it back as
    exactly this address (no encoded word, no '..': services.notify writes it in a header)."""
    if "=?" in address:
        return False
    try:
        return Address(addr_spec=address).addr_spec == address
    except (ValueError, IndexError):
        return False


def validate_callback(form: CallbackForm, *, office: Office, now: datetime, topics: Collection[str],
                      slots: Sequence[Slot] | None = None) -> Validation:
    """Check every field; errors are keyed by field name: name, company, siret, phone,
    email, topic, message, slot, consent."""
    errors: dict[str, str] = {}
    name = clean_text(form.name)
    if not name:
        errors["name"] = "Indiquez votre nom, pour que l'office sache qui rappeler."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Votre nom est trop long ({_thousands(len(name))} caractères, {MAX_NAME} au maximum)."
    company = clean_text(form.company)
    if not company:
        errors["company"] = "Indiquez le nom de votre entreprise ou association (ou votre nom si vous êtes à votre compte)."
    elif len(company) > MAX_COMPANY:
        errors["company"] = f"Le nom de l'entreprise est trop long ({MAX_COMPANY} caractères au maximum)."
    siret, error = check_siret(form.siret)
    if error:
        errors["siret"] = error
    phone, error = check_phone(form.phone)
    if error:
        errors["phone"] = error
    email, error = check_email(form.email)
    if error:
        errors["email"] = error
    topic = (form.topic or "").strip()
    if topic not in topics:
        errors["topic"] = "Choisissez le sujet de votre demande dans la liste."
    message = clean_text(form.message, multiline=True)
    if len(message) > MAX_MESSAGE:
        errors["message"] = (
            f"Votre message fait {_thousands(len(message))} caractères : {_thousands(MAX_MESSAGE)} au maximum. "
            "Gardez l'essentiel, vous pourrez tout expliquer au téléphone."
        )
    start = end = None
    if form.slot and form.slot != ASAP:
        available = {slot.key: slot for slot in (slots if slots is not None else open_slots(office, now))}
        chosen = available.get(form.slot)
        if chosen is None:
            errors["slot"] = "Ce créneau n'est plus disponible : choisissez-en un autre, ou « dès que possible »."
        else:
            start, end = chosen.start, chosen.end
    if not form.consent:
        errors["consent"] = "Cochez la case pour accepter que l'office garde ces informations le temps de vous rappeler."
    if errors:
        return Validation(errors=errors)
    return Validation(clean=CleanCallback(name, company, siret, phone, email, topic, message, start, end))


# --- data functions ------------------------------------------------------------------

def hash_client_key(client_key: str) -> str:
    """The stored form of a browser session's key (never the key itself)."""
    return hashlib.sha256(client_key.encode()).hexdigest()


def to_view(row: CallbackRequest, case_code: str | None = None) -> CallbackView:
    return CallbackView(
        id=row.id, reference=row.reference, name=row.name, company=row.company, siret=row.siret,
        phone=row.phone, phone_display=display_phone(row.phone), email=row.email, topic=row.topic,
        message=row.message, preferred_start=row.preferred_start, preferred_end=row.preferred_end,
        status=row.status, staff_note=row.staff_note, created_at=row.created_at, handled_at=row.handled_at,
        case_code=case_code,
    )


def _link_case(session: Session, callback_id: int, case_code: str | None) -> str | None:
    """Attach the supplier's case (if the code is known and not linked yet); its code, or None."""
    code = parse_reference(case_code or "")
    if not code:
        return None
    linked = session.execute(
        update(Case).where(Case.code == code, Case.callback_id.is_(None)).values(callback_id=callback_id)
    ).rowcount
    return code if linked else None


def _case_codes(session: Session, callback_ids: list[int]) -> dict[int, str]:
    if not callback_ids:
        return {}
    rows = session.execute(select(Case.callback_id, Case.code).where(Case.callback_id.in_(callback_ids)))
    return {callback_id: code for callback_id, code in rows}


def _by_idempotency_key(session: Session, key: str) -> CallbackRequest | None:
    return session.scalars(select(CallbackRequest).where(CallbackRequest.idempotency_key == key)).first()


def count_recent(*, session: Session, client_key: str, now: datetime, window: timedelta = RATE_WINDOW) -> int:
    """Requests sent by this browser session within `window` before `now`."""
    return session.scalar(
        select(func.count()).select_from(CallbackRequest).where(
            CallbackRequest.client_key == hash_client_key(client_key),
            CallbackRequest.created_at > now - window,
        )
    ) or 0


def count_recent_from_address(*, session: Session, address: str, now: datetime,
                              window: timedelta = RATE_WINDOW) -> int:
    """Requests sent from this client address within `window` before `now`."""
    return session.scalar(
        select(func.count()).select_from(CallbackRequest).where(
            CallbackRequest.address_key == hash_client_key(address),
            CallbackRequest.created_at > now - window,
        )
    ) or 0


def _rate_limited(session: Session, client_key: str, address: str | None, now: datetime) -> str | None:
    """Why no new request may be saved now (French), or None."""
    if count_recent(session=session, client_key=client_key, now=now) >= RATE_LIMIT:
        return rate_limit_message(now)
    if address and count_recent_from_address(session=session, address=address, now=now) >= ADDRESS_RATE_LIMIT:
        return address_rate_limit_message(now)
    return None


def rate_limit_message(now: datetime) -> str:
    minutes = int(RATE_WINDOW.total_seconds() // 60)
    return (f"Vous avez déjà envoyé {RATE_LIMIT} demandes de rappel en moins de {minutes} minutes. "
            f"L'office les a bien reçues : attendez son appel, ou réessayez dans {minutes} minutes.")


def address_rate_limit_message(now: datetime) -> str:
    minutes = int(RATE_WINDOW.total_seconds() // 60)
    return (f"Beaucoup de demandes de rappel sont parties de votre connexion internet en moins de {minutes} minutes. "
            f"L'office les a bien reçues : réessayez dans {minutes} minutes, ou appelez-le.")


def create_callback(*, session: Session, request: CallbackForm, idempotency_key: str, client_key: str,
                    office: Office, topics: Collection[str], now: datetime | None = None,
                    slots: Sequence[Slot] | None = None, case_code: str | None = None,
                    client_address: str | None = None) -> CallbackOutcome:
    """Check and save a callback request, once. Commits on success.

    `idempotency_key` identifies one form submission (the UI keeps it in session
    state until the supplier starts a new request): submitting it again, even at the
    same instant from another thread, returns the first row with status 'existing'.
    `client_key` identifies the browser session, for the rate limit, and `client_address` (when
    known) the client across browser sessions and servers. `case_code` (the
    supplier's case reference, when the kiosk gave one) links the request to that case, so
    staff see the guide step and the last check when they call back.
    """
    now = now or utc_now()
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValueError("idempotency_key must be 1 to 64 characters")
    try:
        outcome = _create(session, request, idempotency_key, client_key, office, topics, now, slots, case_code,
                          client_address)
    except BaseException:
        session.rollback()
        raise
    if outcome.status != "created":
        # Nothing to write: end the transaction now (on SQLite it holds the write lock).
        session.rollback()
    return outcome


def _create(session: Session, request: CallbackForm, idempotency_key: str, client_key: str, office: Office,
            topics: Collection[str], now: datetime, slots: Sequence[Slot] | None,
            case_code: str | None = None, client_address: str | None = None) -> CallbackOutcome:
    # One request checked and saved at a time, across servers: the duplicate check and the rate
    # limits below read what every earlier request wrote (released at commit or rollback).
    hold_lock(session, _CREATE_LOCK)
    existing = _by_idempotency_key(session, idempotency_key)
    if existing is not None:
        return CallbackOutcome("existing", to_view(existing))
    validation = validate_callback(request, office=office, now=now, topics=topics, slots=slots)
    if not validation.ok:
        return CallbackOutcome("invalid", errors=validation.errors)
    clean = validation.clean
    same = session.scalars(
        select(CallbackRequest).where(
            CallbackRequest.phone == clean.phone, CallbackRequest.topic == clean.topic,
            CallbackRequest.message == clean.message, CallbackRequest.created_at > now - DUPLICATE_WINDOW,
        ).order_by(CallbackRequest.id).limit(1)
    ).first()
    if same is not None:
        return CallbackOutcome("existing", to_view(same))
    refusal = _rate_limited(session, client_key, client_address, now)
    if refusal:
        return CallbackOutcome("rate_limited", message=refusal)
    for _ in range(_REFERENCE_ATTEMPTS):
        row = CallbackRequest(
            reference=new_reference(), idempotency_key=idempotency_key, client_key=hash_client_key(client_key),
            address_key=hash_client_key(client_address) if client_address else None,
            name=clean.name, company=clean.company, siret=clean.siret, phone=clean.phone, email=clean.email,
            topic=clean.topic, message=clean.message, preferred_start=clean.preferred_start,
            preferred_end=clean.preferred_end, status="new", consent_at=now, created_at=now, updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            # Either the same submission won a race (return it) or the reference was
            # already taken (draw another one).
            winner = _by_idempotency_key(session, idempotency_key)
            if winner is not None:
                return CallbackOutcome("existing", to_view(winner))
            continue
        linked = _link_case(session, row.id, case_code)
        view = to_view(row, linked)
        # Same transaction: the request and its e-mails are saved together or not at all.
        enqueue_callback_mails(session, callback=view, office=office, now=now)
        session.commit()
        return CallbackOutcome("created", view)
    raise RuntimeError("could not draw a free reference")  # ~never: 887 million codes


def get_callback(*, session: Session, reference: str) -> CallbackView | None:
    """The request with this reference (typed loosely: 'k7f 42q'), or None."""
    canonical = parse_reference(reference)
    if canonical is None:
        return None
    row = session.scalars(select(CallbackRequest).where(CallbackRequest.reference == canonical)).first()
    return to_view(row) if row else None


def list_callbacks(*, session: Session, status: str | None = None, limit: int = 200) -> list[CallbackView]:
    """Requests, newest first; `status` (one of STATUSES) filters."""
    query = select(CallbackRequest).order_by(CallbackRequest.created_at.desc(), CallbackRequest.id.desc()).limit(limit)
    if status is not None:
        query = query.where(CallbackRequest.status == status)
    return [to_view(row) for row in session.scalars(query)]


def set_callback_status(*, session: Session, reference: str, status: str, note: str | None = None,
                        now: datetime | None = None) -> CallbackView | None:
    """Move a request to 'new', 'called', 'resolved' or 'cancelled', with an optional staff
    note. `handled_at` is when it first left 'new' (the time to handle it); back to 'new'
    clears it. Nothing is ever deleted here: only the retention purge deletes. Commits."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    canonical = parse_reference(reference)
    row = session.scalars(select(CallbackRequest).where(CallbackRequest.reference == canonical)).first() if canonical else None
    if row is None:
        session.rollback()
        return None
    now = now or utc_now()
    row.status = status
    if status == "new":
        row.handled_at = None
    elif row.handled_at is None:
        row.handled_at = now
    row.updated_at = now
    if note is not None:
        row.staff_note = clean_text(note, multiline=True)
    session.commit()
    return to_view(row)


def callback_queue(*, session: Session, statuses: Iterable[str] | None = None, limit: int = 500) -> list[CallbackView]:
    """The staff's queue: open requests first ('new', then 'called'), the most urgent on top
    (the one due soonest: the chosen slot's start, or the time of the request when the
    supplier asked « dès que possible », so the oldest waits least); then the handled ones,
    newest first. `statuses` filters (None: all)."""
    is_open = CallbackRequest.status.in_(OPEN_STATUSES)
    rank = case((CallbackRequest.status == "new", 0), (CallbackRequest.status == "called", 1), else_=2)
    due = case((is_open, func.coalesce(CallbackRequest.preferred_start, CallbackRequest.created_at)))
    query = (select(CallbackRequest)
             .order_by(rank, due.asc(), CallbackRequest.created_at.desc(), CallbackRequest.id.desc())
             .limit(limit))
    if statuses is not None:
        wanted = [s for s in statuses if s in STATUSES]
        query = query.where(CallbackRequest.status.in_(wanted))
    rows = list(session.scalars(query))
    codes = _case_codes(session, [row.id for row in rows])
    views = [to_view(row, codes.get(row.id)) for row in rows]
    session.rollback()  # read only
    return views


CSV_HEADERS = ("Référence", "Statut", "Demandé le", "Nom", "Entreprise", "SIRET", "Téléphone", "Email",
               "Sujet", "Message", "Créneau souhaité", "Traité le", "Note de l'agent")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str | None) -> str:
    """Free text typed by a supplier, made safe for a spreadsheet: a value Excel would run as
    a formula (=, +, -, @) gets a leading apostrophe."""
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def callbacks_csv(callbacks: Iterable[CallbackView], *, tz, topic_labels: Mapping[str, str] | None = None) -> bytes:
    """The requests as a CSV file for Excel: French headers, `;` separators, dates in the
    office's time zone, UTF-8 with a BOM (so Excel shows accents right)."""
    labels = topic_labels or {}

    def when(value: datetime | None) -> str:
        return value.astimezone(tz).strftime("%d/%m/%Y %H:%M") if value else ""

    def slot(view: CallbackView) -> str:
        if view.preferred_start is None:
            return "Dès que possible"
        start = view.preferred_start.astimezone(tz)
        end = view.preferred_end.astimezone(tz).strftime("%H:%M") if view.preferred_end else ""
        return f"{start.strftime('%d/%m/%Y %H:%M')}–{end}" if end else start.strftime("%d/%m/%Y %H:%M")

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for view in callbacks:
        writer.writerow([
            view.reference, STATUS_LABELS.get(view.status, view.status), when(view.created_at), _cell(view.name),
            _cell(view.company), view.siret or "", view.phone_display, _cell(view.email),
            labels.get(view.topic, view.topic), _cell(view.message), slot(view), when(view.handled_at),
            _cell(view.staff_note),
        ])
    return out.getvalue().encode("utf-8-sig")
