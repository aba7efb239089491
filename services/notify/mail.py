"""What the kiosk's e-mails say, and their exact bytes.

Every message is built with `email.message.EmailMessage` under the SMTP policy: a header
value holding a line break is refused, and nothing a supplier typed ever goes into a
header (the subject carries the reference and the topic's label, taken from the content
files). Free text (name, message…) only appears in the body: as it is in the text part,
escaped in the HTML part, so it is never read as HTML. The envelope recipient is given to
SMTP separately (services.notify.sender), never read back from the headers.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

from services.office import Notifications, Office
from services.support_hours import (
    DAY_NAMES, MONTH_NAMES, format_hour, holiday_name, hours_summary, next_opening, phone_line_status,
)

if TYPE_CHECKING:  # services.callbacks imports this package: no import cycle at run time
    from services.callbacks import CallbackView

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
_NOT_ID_RE = re.compile(r"[^A-Za-z0-9-]+")
HOLIDAY_LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class ComposedMail:
    """A message ready for the outbox."""

    message_id: str  # '<...@domain>'
    sender: str  # envelope sender (bare address)
    recipient: str  # envelope recipient (bare address): the only one SMTP is given
    subject: str
    raw: str  # the whole message, CRLF line ends, 7-bit (what SMTP receives)


def one_line(text: str, limit: int = 200) -> str:
    """A header-safe single line: control characters and line breaks become spaces."""
    return _CONTROL_RE.sub(" ", text or "").strip()[:limit]


def new_message_id(key: str, domain: str) -> str:
    """Stored with the message, so every try sends the same one: '<K7F-42Q.equipe.3f9a0c2b1d7e@office.example>'.
    Short, so that the header stays on one line."""
    return f"<{_NOT_ID_RE.sub('-', key)}.{secrets.token_hex(6)}@{domain}>"


def long_day(day: date) -> str:
    """'mardi 2 décembre', 'lundi 1er juin'."""
    return f"{DAY_NAMES[day.weekday()]} {'1er' if day.day == 1 else day.day} {MONTH_NAMES[day.month - 1]}"


def when_sentence(view: "CallbackView", office: Office) -> str:
    """When the office calls back, in absolute words (the mail may be read days later)."""
    if view.preferred_start is None:
        return "dès que possible, aux heures d'ouverture"
    start = view.preferred_start.astimezone(office.tz)
    text = f"le {long_day(start.date())}, "
    if view.preferred_end is None:
        return text + f"vers {format_hour(start)}"
    return text + f"entre {format_hour(start)} et {format_hour(view.preferred_end.astimezone(office.tz))}"


def upcoming_holidays(office: Office, now: datetime, days: int = HOLIDAY_LOOKAHEAD_DAYS) -> list[str]:
    """Public holidays within `days` (the line is closed): ['jeudi 25 décembre (Noël)']."""
    today = now.astimezone(office.tz).date()
    found = []
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        name = holiday_name(office, day)
        if name:
            found.append(f"{long_day(day)} ({name})")
    return found


def _build(*, notifications: Notifications, office: Office, recipient: str, subject: str, text: str,
           html_body: str, message_id: str, now: datetime, reply_to: str | None = None) -> ComposedMail:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = Address(display_name=one_line(office.display_name), addr_spec=notifications.from_email)
    msg["To"] = Address(addr_spec=recipient)
    if reply_to:
        try:
            msg["Reply-To"] = Address(addr_spec=reply_to)
        except (ValueError, IndexError):  # an odd but accepted address: the body still gives it
            pass
    msg["Subject"] = one_line(subject, 250)
    msg["Date"] = format_datetime(now.astimezone(office.tz))
    msg["Message-ID"] = message_id
    # Out-of-office replies and mailing robots must not answer an automatic message.
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, charset="utf-8")
    msg.add_alternative(html_body, subtype="html", charset="utf-8")
    raw = msg.as_string(policy=policy.SMTP)
    raw.encode("ascii")  # 7-bit: quoted-printable or base64 bodies, encoded-word headers
    return ComposedMail(message_id, notifications.from_email, recipient, msg["Subject"], raw)


def _page(title: str, blocks: list[str]) -> str:
    return ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>'
            f"{html.escape(title)}</title></head><body style=\"font-family:Arial,sans-serif;color:#161616\">"
            + "".join(blocks) + "</body></html>")


def _rows(pairs: list[tuple[str, str]]) -> str:
    """Label / value lines: both escaped (values may hold anything a supplier typed)."""
    return "".join(f"<p style=\"margin:0.2em 0\"><b>{html.escape(k)} :</b> {v}</p>" for k, v in pairs)


def _plain(text: str) -> str:
    """Text typed by a supplier, shown exactly as typed in an HTML part: escaped, line
    breaks kept, never interpreted as markup."""
    return ('<pre style="white-space:pre-wrap;font-family:inherit;border-left:4px solid #ddd;'
            f'padding-left:0.8em">{html.escape(text, quote=True)}</pre>')


def staff_link(notifications: Notifications, reference: str) -> str:
    return f"{notifications.kiosk_url}/agents?rappel={reference}"


def help_link(notifications: Notifications, topic_id: str) -> str:
    return f"{notifications.kiosk_url}/aide?sujet={_NOT_ID_RE.sub('-', topic_id)}"


def team_mail(view: "CallbackView", *, office: Office, topic_label: str, now: datetime) -> ComposedMail:
    """The office's copy of a callback request: everything needed to call back."""
    n = office.notifications
    assert n is not None
    link = staff_link(n, view.reference)
    subject = f"Demande de rappel {view.reference} : {topic_label}"
    facts = [("Référence", view.reference), ("Nom", view.name), ("Entreprise", view.company)]
    if view.siret:
        facts.append(("SIRET", view.siret))
    facts.append(("Téléphone", f"{view.phone_display} (tel:{view.phone})"))
    if view.email:
        facts.append(("E-mail", view.email))
    facts += [("Quand rappeler", when_sentence(view, office)), ("Sujet", topic_label)]
    if view.case_code:
        facts.append(("Dossier du fournisseur", f"{view.case_code} (étape du guide et dernière vérification "
                                                  "dans l'espace agents)"))
    message = view.message or "(pas de message)"
    text = ("Nouvelle demande de rappel sur le kiosque Chorus Pro.\n\n"
            + "\n".join(f"{k} : {v}" for k, v in facts)
            + "\n\nMessage du fournisseur :\n" + message
            + f"\n\nOuvrir la demande dans l'espace agents :\n{link}\n")
    html_facts = [(k, html.escape(v)) for k, v in facts]
    phone_index = next(i for i, (k, _) in enumerate(facts) if k == "Téléphone")
    html_facts[phone_index] = ("Téléphone", f'<a href="tel:{html.escape(view.phone)}">{html.escape(view.phone_display)}</a>')
    body = _page(subject, [
        "<p>Nouvelle demande de rappel sur le kiosque Chorus Pro.</p>", _rows(html_facts),
        "<p><b>Message du fournisseur :</b></p>", _plain(message),
        f'<p><a href="{html.escape(link)}">Ouvrir la demande dans l\'espace agents</a></p>',
    ])
    return _build(notifications=n, office=office, recipient=n.team_email, subject=subject, text=text,
                  html_body=body, message_id=new_message_id(f"{view.reference}.equipe", n.domain),
                  now=now, reply_to=view.email)


def confirmation_mail(view: "CallbackView", *, office: Office, topic_label: str, now: datetime) -> ComposedMail:
    """The supplier's receipt, in French: the reference, what happens next and when."""
    n = office.notifications
    assert n is not None and view.email
    subject = f"Votre demande de rappel {view.reference}"
    hours = f"La ligne de l'office est ouverte {hours_summary(office)}, sauf les jours fériés."
    status = phone_line_status(office, now)
    lines = [
        "Bonjour,",
        "",
        "L'office a bien reçu votre demande de rappel.",
        f"Votre référence : {view.reference}",
        "",
        "Et maintenant ?",
        f"{office.contact_name} ({office.contact_role.lower()}) vous rappelle au {view.phone_display}, "
        f"{when_sentence(view, office)}.",
        hours,
    ]
    if view.preferred_start is None and not status.is_open:
        reopen = next_opening(office, now)
        if reopen is not None:
            lines.append(f"Prochaine ouverture : {long_day(reopen.date())} à {format_hour(reopen)}.")
    holidays_ahead = upcoming_holidays(office, now)
    if holidays_ahead:
        lines.append("Jours fériés à venir (ligne fermée) : " + ", ".join(holidays_ahead) + ".")
    link = help_link(n, view.topic)
    lines += [
        "",
        f"Vous pouvez aussi appeler l'office au {office.phone} : donnez votre référence, "
        "votre demande sera retrouvée tout de suite.",
        "",
        f"En attendant, la réponse à votre question « {topic_label} » :",
        link,
        "",
        f"{office.display_name} : ce message est envoyé automatiquement par son kiosque d'aide Chorus Pro.",
        f"Vos informations sont effacées au bout de {office.retention_days} jours.",
    ]
    text = "\n".join(lines) + "\n"
    blocks = [f"<p>{html.escape(line)}</p>" for line in lines[:3] if line]
    blocks.append(f'<p>Votre référence : <b style="font-size:1.4em;letter-spacing:0.1em">'
                  f"{html.escape(view.reference)}</b></p>")
    blocks.append("<p><b>Et maintenant ?</b></p>")
    blocks += [f"<p>{html.escape(line)}</p>" for line in lines[6:lines.index("", 6)]]
    blocks.append(f'<p>Vous pouvez aussi appeler l\'office au <a href="{html.escape(office.tel_link)}">'
                  f"{html.escape(office.phone)}</a> : donnez votre référence, votre demande sera retrouvée "
                  "tout de suite.</p>")
    blocks.append(f'<p>En attendant : <a href="{html.escape(link)}">la réponse à votre question '
                  f"« {html.escape(topic_label)} »</a></p>")
    blocks += [f'<p style="color:#666;font-size:0.9em">{html.escape(line)}</p>' for line in lines[-2:]]
    return _build(notifications=n, office=office, recipient=view.email, subject=subject, text=text,
                  html_body=_page(subject, blocks),
                  message_id=new_message_id(f"{view.reference}.confirmation", n.domain),
                  now=now, reply_to=n.team_email)


@dataclass(frozen=True)
class DigestLine:
    view: "CallbackView"
    topic_label: str
    waited: str  # '3 h 20 ouvrées'


def digest_mail(lines: list[DigestLine], *, office: Office, day: date, now: datetime) -> ComposedMail:
    """The team's morning list of requests still open, oldest first."""
    n = office.notifications
    assert n is not None
    count = len(lines)
    subject = (f"Rappels en attente le {long_day(day)} : {count} demande{'s' if count > 1 else ''}")
    text_parts = [f"{count} demande{'s' if count > 1 else ''} de rappel encore ouverte{'s' if count > 1 else ''}, "
                  "la plus ancienne en premier (attente comptée en heures d'ouverture).", ""]
    blocks = [f"<p>{html.escape(text_parts[0])}</p>"]
    from services.callbacks import STATUS_LABELS  # no cycle: imported when a digest is built

    for line in lines:
        v = line.view
        created = v.created_at.astimezone(office.tz)
        head = (f"{v.reference} · {STATUS_LABELS.get(v.status, v.status)} · attend depuis {line.waited} "
                f"(demandé le {created.strftime('%d/%m à %H:%M')})")
        facts = [f"{v.name} ({v.company}) · {v.phone_display} (tel:{v.phone})",
                 f"Sujet : {line.topic_label} · rappeler {when_sentence(v, office)}",
                 staff_link(n, v.reference)]
        text_parts += [head, *[f"  {f}" for f in facts], ""]
        blocks.append(
            '<div style="border-left:4px solid #000091;padding-left:0.8em;margin:0.8em 0">'
            f"<p style=\"margin:0.2em 0\"><b>{html.escape(head)}</b></p>"
            f"<p style=\"margin:0.2em 0\">{html.escape(v.name)} ({html.escape(v.company)}) · "
            f'<a href="tel:{html.escape(v.phone)}">{html.escape(v.phone_display)}</a></p>'
            f"<p style=\"margin:0.2em 0\">{html.escape(facts[1])}</p>"
            f'<p style="margin:0.2em 0"><a href="{html.escape(facts[2])}">Ouvrir la demande</a></p></div>')
    return _build(notifications=n, office=office, recipient=n.team_email, subject=subject,
                  text="\n".join(text_parts), html_body=_page(subject, blocks),
                  message_id=new_message_id(f"resume.{day.isoformat()}", n.domain), now=now)
