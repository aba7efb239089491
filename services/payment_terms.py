"""The date by which the office must pay, and what it owes when it pays late.

Rules (Code de la commande publique, CCP), cited on the page in one line:
- R. 2192-10: a local public body pays within 30 days (office.toml `[payment] legal_delay_days`).
- R. 2192-12 (and domain facts 5.1, AIFE): the delay runs from the receipt of the invoice, i.e.
  its deposit on Chorus Pro (date on the deposit certificate). Counted in calendar days: the
  deposit day is day 0, so an invoice deposited on 1 March must be paid by 31 March.
- R. 2192-27 to R. 2192-29: the office may *interrupt* the delay once, before the payment order,
  when a document or mention is missing or wrong (Chorus Pro: « Suspendue »). When everything it
  asked for is received (« Complétée »), a *new* delay opens: 30 days, or the balance left on the
  day the interruption was notified if that balance is longer. (The issue says "suspended"; since
  the 2019 code the law speaks of an interruption that restarts the delay, which we follow.)
  A rejected invoice is never paid: the new invoice starts a new delay from its own deposit.
- L. 2192-13, R. 2192-31: late payment makes interest due without any request, from the day
  after the delay ends to the payment day included, at the ECB main refinancing rate in force on
  the first day of the half-year in which the interest started to run, plus 8 points. The rate
  then stays the same for the whole period, even across half-years.
- D. 2192-35: plus a fixed recovery indemnity of 40 €. R. 2192-36: both are paid within 45 days
  of the payment of the invoice.
- Interest per day on the amount including VAT: amount × rate × days / 365 (the formula of the
  DAJ's fiche « Les délais de paiement dans les contrats de la commande publique »), rounded to
  the cent. Our reading: 365 also in a leap year, as in that formula.
Sources: legifrance.gouv.fr (CCP), economie.gouv.fr/daj (fiche délais de paiement).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

INTERRUPTION_NEW_DELAY_DAYS = 30  # R. 2192-29: "ce délai est de trente jours"
SOURCES_LINE = (
    "Sources : Code de la commande publique, art. R. 2192-10 (délai de 30 jours), R. 2192-12 (point de départ), "
    "R. 2192-27 à R. 2192-29 (interruption), L. 2192-13 et R. 2192-31 (intérêts moratoires), "
    "D. 2192-35 (indemnité de 40 €), R. 2192-36 (paiement des intérêts sous 45 jours)."
)


@dataclass(frozen=True)
class RateEntry:
    start: date  # 1 January or 1 July
    ecb_rate: Decimal  # percent, e.g. Decimal("2.15")


@dataclass(frozen=True)
class PaymentTerms:
    """office.toml [payment]."""

    legal_delay_days: int
    recovery_indemnity: Decimal
    margin_points: Decimal
    rates: tuple[RateEntry, ...]  # sorted by start
    rates_updated: date
    rates_source: str


class PaymentConfigError(ValueError):
    """office.toml [payment] holds a value that fails its check (message in French, key named)."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def parse_payment_terms(table: dict) -> PaymentTerms:
    """Check and read office.toml's [payment] table."""

    def need(key: str, kinds: tuple[type, ...]):
        if key not in table:
            raise PaymentConfigError(key, "valeur manquante.")
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise PaymentConfigError(key, "type incorrect.")
        return value

    delay = need("legal_delay_days", (int,))
    if not 1 <= delay <= 120:
        raise PaymentConfigError("legal_delay_days", "doit être un nombre de jours entre 1 et 120.")
    indemnity = Decimal(str(need("recovery_indemnity_eur", (int, float))))
    margin = Decimal(str(need("interest_margin_points", (int, float))))
    updated = _iso_date(need("ecb_rates_updated", (str, date)), "ecb_rates_updated")
    source = str(need("ecb_rates_source", (str,))).strip()
    if not source:
        raise PaymentConfigError("ecb_rates_source", "ne doit pas être vide.")
    rates = []
    for item in need("ecb_rates", (list,)):
        if not isinstance(item, dict) or "from" not in item or "rate" not in item:
            raise PaymentConfigError("ecb_rates", "chaque ligne : { from = \"AAAA-01-01\", rate = 2.15 }.")
        start = _iso_date(item["from"], "ecb_rates")
        if start.day != 1 or start.month not in (1, 7):
            raise PaymentConfigError("ecb_rates", f"« {start.isoformat()} » : un 1er janvier ou un 1er juillet.")
        if isinstance(item["rate"], bool) or not isinstance(item["rate"], (int, float)):
            raise PaymentConfigError("ecb_rates", "« rate » doit être un nombre (pourcentage, ex. 2.15).")
        rates.append(RateEntry(start, Decimal(str(item["rate"]))))
    if not rates:
        raise PaymentConfigError("ecb_rates", "au moins un taux.")
    rates.sort(key=lambda r: r.start)
    if len({r.start for r in rates}) != len(rates):
        raise PaymentConfigError("ecb_rates", "un semestre apparaît deux fois.")
    return PaymentTerms(delay, indemnity, margin, tuple(rates), updated, source)


def _iso_date(value, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PaymentConfigError(key, f"« {value} » n'est pas une date AAAA-MM-JJ.") from None


# --- the deadline ------------------------------------------------------------------------

@dataclass(frozen=True)
class Interruption:
    notified: date  # the office told the supplier what was missing (Chorus Pro: Suspendue)
    completed: date | None  # the supplier sent everything (Complétée); None = not yet


@dataclass(frozen=True)
class Deadline:
    deposit: date
    first_due: date  # without interruption
    due: date | None  # None while an interruption waits for the supplier's answer
    interruption: Interruption | None = None
    new_delay_days: int | None = None  # the delay opened at completion


class DateProblem(ValueError):
    """A date that cannot be right (French message for the supplier)."""


def deadline(deposit: date, terms: PaymentTerms, *, today: date,
             interruption: Interruption | None = None) -> Deadline:
    """The payment deadline (last day to pay, included)."""
    if deposit > today:
        raise DateProblem("La date de dépôt est dans le futur. Reprenez-la sur le certificat de dépôt.")
    first_due = deposit + timedelta(days=terms.legal_delay_days)
    if interruption is None:
        return Deadline(deposit, first_due, first_due)
    if interruption.notified < deposit:
        raise DateProblem("La date de suspension est avant le dépôt de la facture. Vérifiez les deux dates.")
    if interruption.notified > today:
        raise DateProblem("La date de suspension est dans le futur.")
    if interruption.completed is None:
        return Deadline(deposit, first_due, None, interruption)
    if interruption.completed < interruption.notified:
        raise DateProblem("La date où vous avez complété la facture est avant sa suspension. Vérifiez les deux dates.")
    if interruption.completed > today:
        raise DateProblem("La date où vous avez complété la facture est dans le futur.")
    balance = max((first_due - interruption.notified).days, 0)
    new_delay = max(INTERRUPTION_NEW_DELAY_DAYS, balance)
    return Deadline(deposit, first_due, interruption.completed + timedelta(days=new_delay), interruption, new_delay)


# --- late-payment interest -----------------------------------------------------------------

@dataclass(frozen=True)
class LateInterest:
    start: date  # first day of interest (day after the deadline)
    end: date  # payment day, or today when not paid yet (included)
    days: int
    ecb_rate: Decimal
    rate: Decimal  # ecb_rate + margin, percent
    rate_semester: date  # 1 January or 1 July that fixes the rate
    rate_known: bool  # False: that half-year is not in office.toml yet, the last known rate is used
    rate_from: date  # the half-year of the rate actually used (rate_semester when rate_known)
    amount: Decimal
    interest: Decimal
    indemnity: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.indemnity


def semester_start(day: date) -> date:
    return date(day.year, 1 if day.month < 7 else 7, 1)


def rate_for(day: date, terms: PaymentTerms) -> tuple[RateEntry, bool]:
    """The ECB rate in force on the first day of `day`'s half-year, and whether office.toml
    has that half-year (else the last earlier one, flagged)."""
    wanted = semester_start(day)
    earlier = [r for r in terms.rates if r.start <= wanted]
    if not earlier:
        return terms.rates[0], False
    return earlier[-1], earlier[-1].start == wanted


def late_interest(amount: Decimal, due: date, paid_or_today: date, terms: PaymentTerms) -> LateInterest | None:
    """Interest and indemnity owed when `paid_or_today` is after `due`; None when on time."""
    if amount < 0:
        raise ValueError("negative amount")
    if paid_or_today <= due:
        return None
    start = due + timedelta(days=1)
    days = (paid_or_today - due).days  # from the day after the deadline to the payment day, included
    entry, known = rate_for(start, terms)
    rate = entry.ecb_rate + terms.margin_points
    interest = (amount * rate / Decimal(100) * Decimal(days) / Decimal(365)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return LateInterest(start, paid_or_today, days, entry.ecb_rate, rate, semester_start(start), known, entry.start,
                        amount, interest, terms.recovery_indemnity)


def parse_amount(text: str) -> Decimal:
    """An amount as a supplier types it: '1 234,56', '1234.56 €', '1.234,56'. ValueError with a
    French message when it is not an amount or is negative."""
    cleaned = (text or "").strip().replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not cleaned:
        raise ValueError("Indiquez le montant TTC de la facture.")
    if cleaned.startswith("-"):
        raise ValueError("Le montant ne peut pas être négatif. Tapez le montant TTC de la facture, sans signe moins.")
    if "," in cleaned and "." in cleaned:  # 1.234,56 → 1234.56
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"« {text.strip()[:30]} » n'est pas un montant. Exemple : 1 250,00") from None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise ValueError("Le montant a au plus 2 chiffres après la virgule. Exemple : 1 250,00")
    if value == 0:
        raise ValueError("Le montant doit être plus grand que 0.")
    if value > Decimal(100000000):
        raise ValueError("Ce montant est trop grand. Vérifiez-le.")
    return value


# --- words ---------------------------------------------------------------------------------

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")


def french_date(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {_MONTHS[day.month - 1]} {day.year}"


def euros(value: Decimal) -> str:
    """1234.5 → '1 234,50 €' (narrow no-break space between thousands)."""
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return "\u202f".join(groups) + f",{cents}\u00a0€"


def percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + "\u00a0%"


def reminder_message(*, invoice_number: str, deposit: date, due: date, late: LateInterest,
                     office_display_name: str) -> str:
    """A polite message to the office, ready to copy. The interest amount is quoted only when the
    rate of its half-year is in office.toml (else the rule alone)."""
    interest = (f"des intérêts moratoires au taux de {percent(late.rate)} "
                f"(soit {euros(late.interest)} pour {late.days} jour{'s' if late.days > 1 else ''} de retard à ce jour)"
                if late.rate_known else
                "des intérêts moratoires au taux de la Banque centrale européenne majoré de 8 points")
    number = invoice_number.strip() or "[numéro de la facture]"
    return (
        "Bonjour,\n\n"
        f"J'ai déposé la facture n° {number} sur Chorus Pro le {french_date(deposit)}. "
        f"Le délai de paiement se terminait le {french_date(due)}. "
        f"À ce jour ({french_date(late.end)}), je n'ai pas reçu le paiement.\n\n"
        "Pourriez-vous me dire où en est le paiement ?\n\n"
        "Je vous rappelle que le Code de la commande publique prévoit, en cas de retard, "
        f"{interest} et une indemnité forfaitaire de {euros(late.indemnity)} pour frais de recouvrement "
        "(articles L. 2192-13, R. 2192-31 et D. 2192-35).\n\n"
        "Je vous remercie par avance.\n\n"
        "Cordialement,\n"
        "[Votre nom, votre entreprise, votre numéro de téléphone]\n\n"
        f"À l'attention de : {office_display_name}, service comptabilité"
    )
