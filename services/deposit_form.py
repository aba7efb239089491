"""What the checker's report means on Chorus Pro's « Déposer facture » form.

Turns a `Report` (services/pdf_check/report.py) and the office's details into a small view
model the page draws: the verdict and the one thing to do first, the deposit form's blocks with
each field pre-filled or « à saisir », the issues sorted errors first, and the deposit guide's
step that helps with each. Plain Python: no Streamlit, no HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from services.office import Office
from services.pdf_check.report import BLOCKING_CODES, Field, Issue, Report

# How a field of the deposit form gets its value:
# - prefilled: found in the invoice, Chorus Pro is likely to fill it in by itself;
# - to_type: not found (or not readable by Chorus Pro): the supplier types it;
# - manual: Chorus Pro never reads it from a PDF; always chosen or typed by hand;
# - office: a fixed answer the office gives (recipient), to type or check;
# - account: taken from the supplier's Chorus Pro account.
FieldStatus = Literal["prefilled", "to_type", "manual", "office", "account"]

GUIDE_SLUG = "deposer-une-facture"
# Steps of content/guides/deposer-une-facture.yaml.
STEP_PREPARE_PDF = 1
STEP_LOG_IN = 2
STEP_CHOOSE_FILE = 4
STEP_RECIPIENT = 6
STEP_CHECK_FORM = 7

# Which guide step helps with an issue. Unknown codes fall back to the form check (step 7),
# except blocking ones, which are about the file itself (step 1).
_STEP_BY_CODE: dict[str, int] = {
    "not_a_pdf": STEP_PREPARE_PDF, "empty_file": STEP_PREPARE_PDF, "too_large": STEP_PREPARE_PDF,
    "encrypted": STEP_PREPARE_PDF, "corrupted": STEP_PREPARE_PDF, "timeout": STEP_PREPARE_PDF,
    "scan_no_text": STEP_PREPARE_PDF, "partial_scan": STEP_PREPARE_PDF,
    "facturx_invalid": STEP_CHOOSE_FILE, "facturx_profile_not_accepted": STEP_CHOOSE_FILE,
    "missing_buyer_siret": STEP_RECIPIENT, "wrong_buyer_siret": STEP_RECIPIENT,
}

# Short names used to label the outlined values on the page picture.
FIELD_SHORT_LABELS: dict[str, str] = {
    "invoice_number": "N° facture", "invoice_date": "Date", "doc_type": "Type",
    "seller_name": "Fournisseur", "seller_siret": "SIRET fournisseur", "seller_siren": "SIREN fournisseur",
    "seller_vat": "TVA fournisseur", "buyer_siret": "SIRET client", "total_ht": "Total HT",
    "total_tva": "TVA", "total_ttc": "Total TTC", "currency": "Devise", "purchase_order": "Engagement",
    "iban": "IBAN",
}

# Files Chorus Pro will not even open: its form never appears, there is no page to show.
UNOPENABLE_CODES = frozenset({"not_a_pdf", "empty_file", "too_large", "encrypted", "corrupted", "timeout"})

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre")


@dataclass(frozen=True)
class PrefillHint:
    """The analysis' opinion on one field: will Chorus Pro fill it, and what would help."""

    likely: bool
    hint: str | None = None


@dataclass(frozen=True)
class FormField:
    label: str
    value: str | None  # what the supplier will see (or should type), ready to display
    status: FieldStatus
    note: str | None = None  # short French advice under the field
    source_field: str | None = None  # report field name, when the value comes from the invoice


@dataclass(frozen=True)
class FormBlock:
    title: str
    fields: tuple[FormField, ...]
    wide: bool = False  # spans the whole width on a large screen


@dataclass(frozen=True)
class DepositForm:
    blocks: tuple[FormBlock, ...]

    def field(self, label: str) -> FormField:
        for block in self.blocks:
            for item in block.fields:
                if item.label == label:
                    return item
        raise KeyError(label)


@dataclass(frozen=True)
class VerdictView:
    verdict: str
    title: str
    action: str  # the one most important thing to do
    guide_step: int


@dataclass(frozen=True)
class IssueView:
    code: str
    severity: str
    message: str
    fix: str
    guide_step: int


# --- formatting -------------------------------------------------------------------------

def format_amount(value: str | None, currency: str | None = None) -> str | None:
    """'1234.56' -> '1 234,56 €' (narrow no-break space between thousands), as French forms show."""
    if value is None:
        return None
    text = value.strip()
    negative = text.startswith("-")
    digits = text.lstrip("+-")
    whole, _, cents = digits.partition(".")
    if not whole.isdigit() or (cents and not cents.isdigit()):
        return value  # not a plain decimal: show as found
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    number = "\u202f".join(groups) + "," + (cents or "00").ljust(2, "0")
    symbol = "€" if currency in (None, "EUR") else currency
    return ("-" if negative else "") + f"{number}\u00a0{symbol}"


def format_date(value: str | None) -> str | None:
    """ISO '2024-03-05' -> '05/03/2024', as Chorus Pro's date field shows it."""
    if not value:
        return None
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        year, month, day = parts
        return f"{day}/{month}/{year}"
    return value


def format_date_long(value: str | None) -> str | None:
    """ISO '2024-03-05' -> '5 mars 2024'."""
    if not value:
        return None
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def format_doc_type(value: str | None) -> str | None:
    return {"invoice": "Facture", "credit_note": "Avoir"}.get(value or "", value)


def format_siret(value: str | None) -> str | None:
    if value and len(value) == 14 and value.isdigit():
        return f"{value[0:3]} {value[3:6]} {value[6:9]} {value[9:14]}"
    return value


# --- Chorus Pro's likely pre-fill -------------------------------------------------------

# Fields Chorus Pro's recognition reads from a PDF (domain facts 1.1).
CHORUS_READS = ("invoice_number", "invoice_date", "buyer_siret", "seller_siret", "currency", "doc_type",
                "purchase_order", "total_ht", "total_tva", "total_ttc")


def default_prefill(report: Report) -> dict[str, PrefillHint]:
    """Our own guess when the analysis gives none: a value found in a readable PDF is likely read."""
    readable = report.verdict != "blocked"
    hints = {}
    for name in CHORUS_READS:
        found = report.fields.get(name, Field()).value is not None
        hints[name] = PrefillHint(likely=readable and found)
    return hints


def _status(name: str, report: Report, prefill: Mapping[str, PrefillHint]) -> tuple[FieldStatus, str | None]:
    hint = prefill.get(name)
    if hint and hint.likely and report.fields.get(name, Field()).value is not None:
        return "prefilled", hint.hint
    return "to_type", hint.hint if hint else None


def _invoice_field(label: str, name: str, report: Report, prefill: Mapping[str, PrefillHint],
                   display: Callable[[str | None], str | None] = lambda v: v) -> FormField:
    status, note = _status(name, report, prefill)
    value = report.fields.get(name, Field()).value
    # A value Chorus Pro will not read is still worth showing: it is what to type.
    return FormField(label, display(value), status, note, source_field=name if value is not None else None)


def build_deposit_form(report: Report, office: Office,
                       prefill: Mapping[str, PrefillHint] | None = None) -> DepositForm:
    """The « Déposer facture » form as Chorus Pro will likely show it after reading this PDF."""
    hints = dict(default_prefill(report))
    hints.update(prefill or {})
    currency = report.fields.get("currency", Field()).value
    amount = lambda v: format_amount(v, currency)  # noqa: E731

    seller = FormBlock("Fournisseur de la facture", (
        FormField("Raison sociale", report.fields.get("seller_name", Field()).value, "account",
                  "Celle de votre compte Chorus Pro.",
                  source_field="seller_name" if report.fields.get("seller_name", Field()).value else None),
        _invoice_field("SIRET", "seller_siret", report, hints, format_siret),
    ))

    buyer_value = report.fields.get("buyer_siret", Field()).value
    buyer_status, buyer_note = _status("buyer_siret", report, hints)
    if buyer_status == "prefilled" and buyer_value != office.siret:
        buyer_status = "to_type"  # Chorus Pro would read a wrong SIRET: the supplier must correct it
    if buyer_status != "prefilled":
        buyer_note = buyer_note or f"Tapez {office.siret}, puis « Rechercher »."
    recipient = FormBlock("Destinataire de la facture", (
        FormField("Le destinataire est-il l'État ?", office.recipient_is_state_answer, "manual",
                  "À choisir à la main."),
        FormField("SIRET", office.siret, buyer_status, buyer_note, source_field="buyer_siret"),
        FormField("Raison sociale", office.name, "office", "Affichée après « Rechercher »."),
        FormField("Code service", None, "manual", "Laissez vide, sauf si l'office vous en a donné un."),
    ))

    frame = FormBlock("Cadre de facturation", (
        FormField("Cadre de facturation", f"{office.cadre_facturation} : {office.cadre_facturation_label}",
                  "manual", "À choisir à la main dans la liste."),
    ), wide=True)

    references = FormBlock("Références", (
        _invoice_field("Numéro de facture", "invoice_number", report, hints),
        _invoice_field("Date de facture", "invoice_date", report, hints, format_date),
        _invoice_field("Devise", "currency", report, hints),
        _invoice_field("Type de facture", "doc_type", report, hints, format_doc_type),
        _invoice_field("Numéro d'engagement / bon de commande", "purchase_order", report, hints),
    ))

    ttc = report.fields.get("total_ttc", Field())
    ttc_status, _ = _status("total_ttc", report, hints)
    amounts = FormBlock("Montants", (
        _invoice_field("Montant HT", "total_ht", report, hints, amount),
        _invoice_field("Montant TVA", "total_tva", report, hints, amount),
        _invoice_field("Montant TTC", "total_ttc", report, hints, amount),
        FormField("Net à payer", amount(ttc.value), ttc_status,
                  "Égal au TTC, sauf acompte déjà versé.", source_field="total_ttc" if ttc.value else None),
    ))

    vat_type = FormBlock("Type de TVA", (
        FormField("Type de TVA", None, "to_type",
                  "Sur les débits, sur les encaissements, exonération… Vérifiez ce que Chorus Pro propose."),
    ))

    iban = report.fields.get("iban", Field()).value
    payment = FormBlock("Mode de règlement", (
        FormField("Mode de règlement", "Virement", "manual", "Toujours à choisir à la main."),
        FormField("Coordonnées bancaires", iban, "manual",
                  "Toujours à saisir à la main" + (" (IBAN lu sur votre facture)." if iban else "."),
                  source_field="iban" if iban else None),
    ))
    return DepositForm((seller, recipient, frame, references, amounts, vat_type, payment))


# --- verdict and issues ---------------------------------------------------------------------

def guide_step_for(issue: Issue) -> int:
    if issue.code in _STEP_BY_CODE:
        return _STEP_BY_CODE[issue.code]
    return STEP_PREPARE_PDF if issue.code in BLOCKING_CODES else STEP_CHECK_FORM


def sorted_issues(report: Report) -> tuple[IssueView, ...]:
    """Blocking problems first, then errors, warnings, information; stable within each."""
    def rank(issue: Issue) -> tuple[int, int]:
        return (0 if issue.code in BLOCKING_CODES else 1, _SEVERITY_ORDER.get(issue.severity, 3))
    return tuple(IssueView(i.code, i.severity, i.message, i.fix, guide_step_for(i))
                 for i in sorted(report.issues, key=rank))


_TITLES = {
    "ready": "Votre facture est prête pour Chorus Pro",
    "fix_needed": "À corriger avant de déposer",
    "blocked": "Chorus Pro ne pourra pas utiliser ce fichier",
}


def verdict_view(report: Report, office: Office) -> VerdictView:
    """The verdict in words, with the one most important thing to do."""
    issues = sorted_issues(report)
    if report.verdict != "ready" and issues:
        first = issues[0]  # blocking problems, then errors, come first
        return VerdictView(report.verdict, _TITLES.get(report.verdict, report.verdict), first.fix, first.guide_step)
    action = (f"Déposez-la sur Chorus Pro : choisissez le cadre {office.cadre_facturation}, vérifiez les champs "
              "pré-remplis, puis choisissez le mode de règlement à la main.")
    return VerdictView("ready", _TITLES["ready"], action, STEP_LOG_IN)


def file_opens(report: Report) -> bool:
    """Chorus Pro can open the file (it may still fail to read it, e.g. a scan)."""
    return not any(i.code in UNOPENABLE_CODES for i in report.issues)


def issue_summary(issues: tuple[IssueView, ...]) -> str | None:
    """« 2 erreurs et 1 conseil » for the banner; None when there is nothing."""
    errors = sum(1 for i in issues if i.severity == "error")
    others = len(issues) - errors
    parts = []
    if errors:
        parts.append(f"{errors} erreur{'s' if errors > 1 else ''}")
    if others:
        parts.append(f"{others} conseil{'s' if others > 1 else ''}")
    return " et ".join(parts) or None


def guide_link(step: int) -> str:
    """Deep link to a step of the deposit guide."""
    return f"/{GUIDE_SLUG}?etape={step}"
