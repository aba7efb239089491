"""What the checker's report means on Chorus Pro's « Déposer facture » form.

Turns a `Report` (services/pdf_check/report.py), the analysis' field-by-field reading
(`chorus_prefill`) and the office's details into a small view model the page draws: the
verdict and the one thing to do first, the deposit form's blocks with each field pre-filled,
« à saisir » or « à vérifier », the issues sorted errors first, the deposit guide's step that helps
with each, and how each value was read. Plain Python: no Streamlit, no HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from services.office import Office
from services.pdf_check.chorus import PrefillRow, chorus_prefill
from services.pdf_check.confidence_words import (
    FIELD_THE, confidence_words, is_uncertainty, rule_beyond, uncertain_fields,
)
from services.pdf_check.parsing import french_amount
from services.pdf_check.report import BLOCKING_CODES, FIELD_NAMES, Field, Issue, Report

# How a field of the deposit form gets its value:
# - prefilled: found in the invoice, Chorus Pro is likely to fill it in by itself;
# - to_type: not found (or not readable by Chorus Pro): the supplier types it;
# - manual: Chorus Pro never reads it from a PDF; always chosen or typed by hand;
# - office: a fixed answer the office gives (recipient), to type or check;
# - account: taken from the supplier's Chorus Pro account;
# - optional: usually left empty;
# - to_check: found, but the checker is not sure it is the right value (guessed without its label,
#   or named by an uncertain_* warning): the supplier compares it with the invoice. Never used for
#   a field with an error: those keep their « à saisir » / « à corriger » treatment.
FieldStatus = Literal["prefilled", "to_type", "manual", "office", "account", "optional", "to_check"]

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

# Report fields that show on Chorus Pro's form (the supplier can check them there).
FORM_FIELD_NAMES = ("seller_siret", "buyer_siret", "invoice_number", "invoice_date", "currency", "doc_type",
                    "purchase_order", "total_ht", "total_tva", "total_ttc")
_FEMININE = frozenset({"invoice_date", "currency"})
_TOTALS = ("total_ht", "total_tva", "total_ttc")
# Form rows whose value comes from another report field.
_FIELD_OF_ROW = {"net_a_payer": "total_ttc"}


@dataclass(frozen=True)
class FormField:
    label: str
    value: str | None  # what the supplier will see (or should type), ready to display
    status: FieldStatus
    note: str | None = None  # short French advice under the field
    field: str | None = None  # the report field it shows, when there is one


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
    problem: str | None = None  # what that action fixes, in the analysis' words
    to_check: tuple[str, ...] = ()  # report fields to check on Chorus Pro's form (a ready invoice)


@dataclass(frozen=True)
class IssueView:
    code: str
    severity: str
    message: str
    fix: str
    guide_step: int
    uncertain: bool = False  # an uncertain_* warning: a value to check, not a fault of the invoice


@dataclass(frozen=True)
class ReadingNote:
    """How one value was read, for « Comment avons-nous lu ces valeurs ? »."""

    field: str
    label: str  # « Total TTC »
    value: str  # ready to display (French amounts and dates)
    how: str  # « lu après son libellé »
    rule: str | None = None  # the rule in French, when we know its id
    to_check: bool = False
    doubt: str | None = None  # when a warning says we are not sure, though the value had its label


UNCERTAIN_NOTE = "À vérifier : nous ne sommes pas sûrs que ce soit la bonne valeur."


# --- formatting -------------------------------------------------------------------------

def format_siret(value: str | None) -> str | None:
    if value and len(value) == 14 and value.isdigit():
        return f"{value[0:3]} {value[3:6]} {value[6:9]} {value[9:14]}"
    return value


# --- values the checker is not sure of ----------------------------------------------------

def error_fields(report: Report) -> set[str]:
    return {i.field for i in report.issues if i.severity == "error" and i.field}


def fields_to_check(report: Report) -> dict[str, str]:
    """Fields the supplier should compare with the invoice, and why: "uncertain" (named by an
    uncertain_* warning) or "guessed" (found without its label). Fields with an error are left out:
    they keep their error treatment. Only fields that show on Chorus Pro's form, in form order."""
    wrong = error_fields(report)
    named = {name for i in report.issues for name in uncertain_fields(i)}
    found: dict[str, str] = {}
    for name in FORM_FIELD_NAMES:
        if name in wrong:
            continue
        if name in named:
            found[name] = "uncertain"
        elif report.fields.get(name, Field()).value is not None and report.fields[name].confidence == "guessed":
            found[name] = "guessed"
    return found


def to_check_note(name: str, why: str) -> str:
    """The short advice under a field « à vérifier »: what to compare, and why."""
    the = FIELD_THE.get(name, name)
    if why == "guessed":
        reason = f"nous avons trouvé {the} sans son libellé"
    else:
        reason = f"nous n'avons pas lu {the} avec certitude"
    note = f"Comparez avec votre facture : {reason}."
    if name == "seller_siret":
        note += " Celui de votre compte doit être le même."
    return note


def _field_words(names: Sequence[str]) -> list[str]:
    """« le total TTC », « la date de facture »…; two totals or more become « les totaux »."""
    several_totals = sum(1 for n in names if n in _TOTALS) > 1
    words: list[str] = []
    for name in names:
        word = "les totaux" if name in _TOTALS and several_totals else FIELD_THE.get(name, name)
        if word not in words:
            words.append(word)
    return words


def _list_words(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def to_check_advice(names: Sequence[str]) -> str:
    """The banner's one line for a ready invoice with values to check."""
    words = _field_words(names)
    several = len(words) > 1 or words == ["les totaux"]
    ending = ("e" if all(n in _FEMININE for n in names) else "") + ("s" if several else "")
    pronoun = "les " if several else "l'"
    return (f"Prête à déposer. Vérifiez {_list_words(words)} sur le formulaire de Chorus Pro : "
            f"nous ne {pronoun}avons pas lu{ending} avec certitude.")


# --- how each value was read ------------------------------------------------------------------

_DOC_TYPES = {"invoice": "Facture", "credit_note": "Avoir"}


def display_value(name: str, value: str) -> str:
    """A report value as the supplier would write it: « 1 234,56 », « 13/01/2021 », « 123 456 789 00012 »."""
    if name in _TOTALS:
        try:
            return french_amount(value)
        except ArithmeticError:
            return value
    if name == "invoice_date" and len(value) == 10 and value[4] == "-" and value[7] == "-":
        y, m, d = value.split("-")
        return f"{d}/{m}/{y}"
    if name in ("seller_siret", "buyer_siret"):
        return format_siret(value) or value
    if name == "doc_type":
        return _DOC_TYPES.get(value, value)
    return value


def reading_notes(report: Report) -> tuple[ReadingNote, ...]:
    """Each value found, in the contract's order, with how sure the checker is of it."""
    doubts = fields_to_check(report)
    notes = []
    for name in FIELD_NAMES:
        found = report.fields.get(name, Field())
        how = confidence_words(found, name)
        if found.value is None or how is None:
            continue
        doubt = (UNCERTAIN_NOTE if doubts.get(name) == "uncertain" and found.confidence != "guessed" else None)
        notes.append(ReadingNote(name, FIELD_SHORT_LABELS.get(name, name), display_value(name, found.value), how,
                                 rule_beyond(found, name), name in doubts, doubt))
    return tuple(notes)


# --- the form, from the analysis' field-by-field reading (services/pdf_check/chorus.py) -----------

_STATUS_BY_PREFILL: dict[str, FieldStatus] = {"prefilled": "prefilled", "to_type": "to_type",
                                              "always_typed": "manual"}
# Rows usually left empty (the analysis says « to_type » with « Laissez vide, sauf… »).
_OPTIONAL_KEYS = frozenset({"service_code"})
# Where each row of chorus_prefill goes on the form, in Chorus Pro's order.
_LAYOUT: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Destinataire de la facture", ("is_state", "buyer_siret", "@office_name", "service_code"), False),
    ("Cadre de facturation", ("cadre",), True),
    ("Références", ("invoice_number", "invoice_date", "currency", "doc_type", "purchase_order"), False),
    ("Montants", ("total_ht", "total_tva", "total_ttc", "net_a_payer"), False),
    ("Type de TVA", ("vat_type",), False),
    ("Mode de règlement", ("payment_mode", "iban"), False),
)


def _amount_with_currency(value: str | None, currency: str | None) -> str | None:
    """The analysis writes amounts « 1 234,56 »; the form shows the currency after them."""
    if not value:
        return value
    symbol = "€" if currency in (None, "EUR") else currency
    return f"{value}\u00a0{symbol}"


def build_deposit_form(report: Report, office: Office, rows: Sequence[PrefillRow] | None = None) -> DepositForm:
    """The « Déposer facture » form as Chorus Pro will likely show it after reading this PDF.

    `rows` is the analysis' reading, field by field (default: `chorus_prefill`): which values
    Chorus Pro pre-fills, which are typed, and the hint for each. The supplier's own block comes
    from their Chorus Pro account; the recipient's name from office.toml.
    """
    by_key = {row.key: row for row in (rows if rows is not None else chorus_prefill(report, office))}
    currency = report.fields.get("currency", Field()).value
    doubts = fields_to_check(report) if report.verdict != "blocked" else {}

    def checked(item: FormField) -> FormField:
        """« à vérifier » for a value shown as read from the invoice that the checker is unsure of."""
        if item.field in doubts and item.value and item.status in ("prefilled", "account"):
            return FormField(item.label, item.value, "to_check", to_check_note(item.field, doubts[item.field]),
                             item.field)
        return item

    def from_row(key: str) -> FormField | None:
        if key == "@office_name":
            return FormField("Raison sociale", office.name, "office", "Affichée après « Rechercher ».")
        row = by_key.pop(key, None)
        if row is None:
            return None
        value = row.value
        if key in ("total_ht", "total_tva", "total_ttc", "net_a_payer"):
            value = _amount_with_currency(value, currency)
        status = _STATUS_BY_PREFILL.get(row.status, "to_type")
        if key in _OPTIONAL_KEYS and not value:
            status = "optional"
        name = _FIELD_OF_ROW.get(key, key)
        return checked(FormField(row.label, value, status, row.hint or None, name if name in FIELD_NAMES else None))

    seller_name = report.fields.get("seller_name", Field()).value
    seller_siret = report.fields.get("seller_siret", Field()).value
    blocks = [FormBlock("Fournisseur de la facture", (
        FormField("Raison sociale", seller_name, "account", "Celle de votre compte Chorus Pro.", "seller_name"),
        checked(FormField("SIRET", format_siret(seller_siret), "account",
                          "Celui de votre compte : il doit être le même que sur la facture.", "seller_siret")),
    ))]
    for title, keys, wide in _LAYOUT:
        fields = tuple(f for f in (from_row(k) for k in keys) if f is not None)
        if fields:
            blocks.append(FormBlock(title, fields, wide))
    if by_key:  # rows the layout does not know yet: shown rather than lost
        extra = tuple(f for f in (from_row(k) for k in list(by_key)) if f is not None)
        blocks.append(FormBlock("Autres champs", extra, True))
    return DepositForm(tuple(blocks))


# --- verdict and issues ---------------------------------------------------------------------

def guide_step_for(issue: Issue) -> int:
    if issue.code in _STEP_BY_CODE:
        return _STEP_BY_CODE[issue.code]
    return STEP_PREPARE_PDF if issue.code in BLOCKING_CODES else STEP_CHECK_FORM


def sorted_issues(report: Report) -> tuple[IssueView, ...]:
    """Blocking problems first, then errors, warnings, information; stable within each."""
    def rank(issue: Issue) -> tuple[int, int]:
        return (0 if issue.code in BLOCKING_CODES else 1, _SEVERITY_ORDER.get(issue.severity, 3))
    return tuple(IssueView(i.code, i.severity, i.message, i.fix, guide_step_for(i), is_uncertainty(i))
                 for i in sorted(report.issues, key=rank))


_TITLES = {
    "ready": "Votre facture est prête pour Chorus Pro",
    "fix_needed": "À corriger avant de déposer",
    "blocked": "Chorus Pro ne pourra pas utiliser ce fichier",
}


def verdict_view(report: Report, office: Office) -> VerdictView:
    """The verdict in words, with the one most important thing to do."""
    issues = sorted_issues(report)
    verdict = report.verdict
    if verdict == "ready" and any(i.severity == "error" for i in issues):
        verdict = "fix_needed"  # « prête » only when there is no error, whatever the report says
    if verdict != "ready" and issues:
        first = issues[0]  # blocking problems, then errors, come first
        return VerdictView(verdict, _TITLES.get(verdict, verdict), first.fix, first.guide_step, first.message)
    doubts = tuple(fields_to_check(report))
    if doubts:  # still ready: uncertainty is never an error, the supplier only looks twice
        return VerdictView("ready", _TITLES["ready"], to_check_advice(doubts), STEP_CHECK_FORM, to_check=doubts)
    action = (f"Déposez-la sur Chorus Pro : choisissez le cadre {office.cadre_facturation}, vérifiez les champs "
              "pré-remplis, puis choisissez le mode de règlement à la main.")
    return VerdictView("ready", _TITLES["ready"], action, STEP_LOG_IN)


def file_opens(report: Report) -> bool:
    """Chorus Pro can open the file (it may still fail to read it, e.g. a scan)."""
    return not any(i.code in UNOPENABLE_CODES for i in report.issues)


def issue_summary(issues: tuple[IssueView, ...]) -> str | None:
    """« 2 erreurs, 1 conseil et 1 point à vérifier » for the banner; None when there is nothing."""
    errors = sum(1 for i in issues if i.severity == "error")
    doubts = sum(1 for i in issues if i.uncertain and i.severity != "error")
    others = len(issues) - errors - doubts
    parts = []
    if errors:
        parts.append(f"{errors} erreur{'s' if errors > 1 else ''}")
    if others:
        parts.append(f"{others} conseil{'s' if others > 1 else ''}")
    if doubts:
        parts.append(f"{doubts} point{'s' if doubts > 1 else ''} à vérifier")
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def guide_link(step: int) -> str:
    """Deep link to a step of the deposit guide."""
    return f"/{GUIDE_SLUG}?etape={step}"
