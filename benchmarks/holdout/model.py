"""Random invoice content (seller, lines, totals) and its truth, before any layout."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import ids

CENT = Decimal("0.01")
BUYER_NAME = "OFFICE TOURISME ET PATRIMOINE DE LA CALL"
BUYER_ADDRESS = ["16 place Jean Jaurès", "62300 LENS"]
OFFICE_VAT = ids.fr_vat(ids.OFFICE_SIREN)

FR_SELLERS = [
    ("Imprimerie du Bassin Minier", "SARL"), ("Menuiserie Leclercq", "EURL"),
    ("Transports Vasseur & Fils", "SAS"), ("Atelier Graphique de l'Artois", "SARL"),
    ("Boulangerie Dufour", ""), ("Traiteur Les Saveurs du Nord", "SAS"),
    ("Électricité Générale Caron", "SARL"), ("Signalétique Opale", "SAS"),
    ("Cars Delattre Voyages", "SA"), ("Nettoyage Pro Gohelle", "SARL"),
    ("Studio Photo Lemaire", ""), ("Bureautique Hainaut Services", "SAS"),
    ("Jardins et Paysages Dhainaut", "EURL"), ("Sono Lumière Événements", "SARL"),
    ("Librairie Le Terril", "SCOP SARL"), ("Peinture Decroix", "EURL"),
]
FOREIGN_SELLERS = {
    "DE": [("Müller Messebau", "GmbH"), ("Schröder Druck & Medien", "GmbH"), ("Bergmann Reisen", "KG")],
    "NL": [("De Vries Drukwerk", "B.V."), ("Jansen Fietsverhuur", "B.V."), ("Van Dijk Standbouw", "B.V.")],
    "BE": [("Brasserie Vanderbeke", "SRL"), ("Imprimerie Dumont", "SA"), ("Wallonie Guides", "ASBL")],
    "ES": [("Gráficas Levante", "S.L."), ("Eventos Costa Brava", "S.L."), ("Traducciones Iberia", "S.A.")],
    "IT": [("Tipografia Rossi", "S.r.l."), ("Allestimenti Fieristici Bianchi", "S.r.l."), ("Guide Toscane", "S.p.A.")],
}
CITIES = {
    "FR": [("62000", "Arras"), ("59000", "Lille"), ("62400", "Béthune"), ("62100", "Calais"),
           ("59300", "Valenciennes"), ("62800", "Liévin"), ("80000", "Amiens"), ("62200", "Boulogne-sur-Mer")],
    "DE": [("50667", "Köln"), ("40210", "Düsseldorf"), ("52062", "Aachen")],
    "NL": [("1012 AB", "Amsterdam"), ("3011 AD", "Rotterdam"), ("5611 AZ", "Eindhoven")],
    "BE": [("1000", "Bruxelles"), ("7000", "Mons"), ("9000", "Gent")],
    "ES": [("08001", "Barcelona"), ("46001", "Valencia"), ("28013", "Madrid")],
    "IT": [("20121", "Milano"), ("50123", "Firenze"), ("10121", "Torino")],
}
STREETS = {
    "FR": ["rue de la Gare", "avenue Raoul Briquet", "rue Victor Hugo", "boulevard Basly", "ZI des Alouettes",
           "chemin du Marais", "rue du 8 Mai 1945", "place du Cantin"],
    "DE": ["Hauptstraße", "Industriestraße", "Bahnhofstraße"],
    "NL": ["Kerkstraat", "Stationsweg", "Industrieweg"],
    "BE": ["rue Neuve", "Kortrijksesteenweg", "avenue Louise"],
    "ES": ["Calle Mayor", "Avenida del Puerto", "Calle de Colón"],
    "IT": ["Via Roma", "Corso Italia", "Via Garibaldi"],
}
PRODUCTS = {
    "fr": ["Impression brochures A5 quadri", "Location de vélos électriques", "Visite guidée groupe",
           "Prestation traiteur cocktail", "Panneaux signalétiques alu", "Nettoyage des locaux",
           "Transport autocar 50 places", "Reportage photo événement", "Plans touristiques pliés",
           "Ramettes papier A4 80g", "Toner imprimante laser", "Installation éclairage scène",
           "Entretien espaces verts", "Main-d'œuvre (heure)", "Déplacement", "Fournitures diverses",
           "Livres jeunesse", "Affiches 40x60", "Badges nominatifs", "Location sonorisation"],
    "de": ["Messestand Aufbau", "Druck Flyer DIN A5", "Busreise Tagesausflug", "Montage (Stunde)",
           "Anfahrtspauschale", "Roll-up Banner", "Stadtführung Gruppe"],
    "nl": ["Drukwerk folders A5", "Fietsverhuur (dag)", "Standbouw", "Transport", "Ontwerp affiche",
           "Montage (uur)"],
    "es": ["Impresión de folletos", "Diseño gráfico", "Traducción FR-ES (palabra)", "Organización de evento",
           "Transporte"],
    "it": ["Stampa opuscoli", "Allestimento stand", "Visita guidata", "Progettazione grafica", "Trasporto"],
    "en": ["Brochure printing A5", "Guided tour (group)", "Graphic design", "Bike rental (day)",
           "Event staffing (hour)", "Shipping"],
}
RATES = {
    "FR": [Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1")],
    "DE": [Decimal("19"), Decimal("7")], "NL": [Decimal("21"), Decimal("9")],
    "BE": [Decimal("21"), Decimal("6")], "ES": [Decimal("21"), Decimal("10")],
    "IT": [Decimal("22"), Decimal("10")],
}


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    desc: str
    qty: Decimal
    unit: Decimal
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        return q(self.qty * self.unit)


@dataclass
class Invoice:
    lang: str
    country: str
    seller_name: str
    seller_street: str
    seller_city: str
    phone: str
    email: str
    siret: str | None
    siren: str | None
    vat: str | None
    iban: str | None
    bic: str
    capital: str
    rcs_city: str
    ape: str
    number: str | None
    date: dt.date | None
    due: dt.date | None
    po: str | None
    customer_no: str
    quote_no: str
    buyer_siret: str | None
    lines: list[Line]
    doc_type: str = "invoice"
    print_negative: bool = True
    credited_invoice: str = ""
    currency: str = "EUR"
    deposit: Decimal | None = None
    ttc_shift: Decimal = Decimal("0")
    notes: list[str] = field(default_factory=list)

    def breakdown(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """(rate, base, vat) per rate, VAT rounded per rate as most software does."""
        bases: dict[Decimal, Decimal] = {}
        for line in self.lines:
            bases[line.rate] = bases.get(line.rate, Decimal("0")) + line.amount
        return [(rate, base, q(base * rate / 100)) for rate, base in sorted(bases.items(), reverse=True)]

    @property
    def ht(self) -> Decimal:
        return sum((b for _, b, _ in self.breakdown()), Decimal("0"))

    @property
    def tva(self) -> Decimal:
        return sum((v for _, _, v in self.breakdown()), Decimal("0"))

    @property
    def ttc(self) -> Decimal:
        return self.ht + self.tva + self.ttc_shift

    def sign(self, value: Decimal) -> Decimal:
        """The value as printed: negative for a credit note that prints minus signs."""
        return -value if (self.doc_type == "credit_note" and self.print_negative) else value

    def truth(self, pages: int, layout: str, expected: list[str], kind: str = "text") -> dict:
        neg = -1 if self.doc_type == "credit_note" else 1

        def money(v: Decimal) -> str:
            return "%.2f" % (neg * v)

        return {
            "kind": kind, "is_facturx": False, "doc_type": self.doc_type,
            "invoice_number": self.number,
            "invoice_date": self.date.isoformat() if self.date else None,
            "seller_name": self.seller_name, "seller_siret": self.siret, "seller_siren": self.siren,
            "seller_vat": self.vat, "buyer_name": BUYER_NAME, "buyer_siret": self.buyer_siret,
            "total_ht": money(self.ht), "total_tva": money(self.tva), "total_ttc": money(self.ttc),
            "currency": self.currency, "purchase_order": self.po, "iban": self.iban, "pages": pages,
            "expected_issues": expected, "layout": layout, "notes": "; ".join(self.notes),
        }


def _number(rng: random.Random, lang: str, year: int) -> str:
    n = rng.randint(1, 4999)
    forms = {
        "fr": ["F%d-%04d" % (year, n), "FA%02d%05d" % (year % 100, n), "%d%05d" % (year, n),
               "FAC/%d/%04d" % (year, n), "F-%d-%03d" % (year, n % 1000), "%06d" % n],
        "de": ["RE-%d-%04d" % (year, n), "%d%04d" % (year, n), "R%05d" % n],
        "nl": ["%d-%04d" % (year, n), "F%d%04d" % (year, n)],
        "es": ["A-%d/%04d" % (year, n), "%d/%03d" % (year, n % 1000), "FV%d-%04d" % (year % 100, n)],
        "it": ["%d/%d" % (n % 900 + 1, year), "FPR %d/%02d" % (n % 900 + 1, year % 100)],
        "en": ["INV-%d-%04d" % (year, n), "INV/%d/%05d" % (year, n), "%d-%04d" % (year, n)],
    }
    return rng.choice(forms[lang])


def _po(rng: random.Random) -> str:
    return rng.choice(["BC%d-%04d" % (rng.randint(2019, 2025), rng.randint(1, 999)),
                       "EJ%08d" % rng.randint(10**6, 10**8 - 1), "%010d" % rng.randint(10**8, 10**10 - 1),
                       "CMD-%05d" % rng.randint(1, 99999), "2024-OT-%03d" % rng.randint(1, 400)])


def _phone(rng: random.Random, country: str) -> str:
    if country == "FR":
        return "0%d %02d %02d %02d %02d" % (rng.choice([3, 3, 6, 9]), *(rng.randint(0, 99) for _ in range(4)))
    prefix = {"DE": "+49 221", "NL": "+31 20", "BE": "+32 2", "ES": "+34 93", "IT": "+39 02"}[country]
    return "%s %d %d" % (prefix, rng.randint(100, 999), rng.randint(1000, 9999))


def build_invoice(rng: random.Random, lang: str, country: str, *, n_lines: tuple[int, int] = (1, 6),
                  multi_rate: bool | None = None) -> Invoice:
    if country == "FR":
        base, form = rng.choice(FR_SELLERS)
        siren = ids.fr_siren(rng)
        siret, vat = ids.fr_siret(rng, siren), ids.fr_vat(siren)
    else:
        base, form = rng.choice(FOREIGN_SELLERS[country])
        siren = siret = None
        vat = ids.foreign_vat(rng, country)
    name = base + (" " + form if form else "")
    postcode, city = rng.choice(CITIES[country])
    if country == "FR":
        street = "%d %s" % (rng.randint(1, 180), rng.choice(STREETS[country]))
    else:
        street = "%s %d" % (rng.choice(STREETS[country]), rng.randint(1, 180))
    year = rng.randint(2021, 2026)
    date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    rates = RATES[country]
    multi = rng.random() < 0.25 if multi_rate is None else multi_rate
    lines = []
    products = PRODUCTS[lang]
    for _ in range(rng.randint(*n_lines)):
        qty = Decimal(rng.choice([1, 1, 1, 2, 3, 5, 10, 12, 25, 50, 100, 250, 500]))
        if rng.random() < 0.15:
            qty = Decimal(rng.choice(["1.5", "2.5", "7.5", "0.5", "3.25"]))
        unit = Decimal(rng.randint(50, 250000)) / 100 if qty < 20 else Decimal(rng.randint(5, 2000)) / 100
        if n_lines[1] > 20:  # long invoices list many small items
            qty, unit = Decimal(rng.choice([1, 1, 2, 3, 4, 5, 10, 12])), Decimal(rng.randint(50, 30000)) / 100
        rate = rng.choice(rates) if multi else rates[0]
        lines.append(Line(rng.choice(products), qty, unit, rate))
    iban_country = country if country != "FR" or rng.random() < 0.9 else "FR"
    return Invoice(
        lang=lang, country=country, seller_name=name, seller_street=street,
        seller_city="%s %s" % (postcode, city.upper() if country == "FR" and rng.random() < 0.5 else city),
        phone=_phone(rng, country),
        email="contact@%s.%s" % ("".join(c for c in base.lower() if c.isalpha())[:14],
                                 "fr" if country == "FR" else country.lower()),
        siret=siret, siren=siren, vat=vat,
        iban=ids.iban_for(rng, iban_country) if rng.random() < 0.75 else None,
        bic=rng.choice(["CCBPFRPPLIL", "AGRIFRPP867", "CMCIFR2A", "COBADEFFXXX", "INGBNL2A", "GEBABEBB",
                        "CAIXESBBXXX", "BCITITMM"]),
        capital=rng.choice(["1 000", "7 500", "8 000", "10 000", "37 000", "50 000", "150 000"]),
        rcs_city=city, ape=rng.choice(["1812Z", "4332A", "4941A", "7311Z", "8130Z", "5621Z", "4761Z"]),
        number=_number(rng, lang, year), date=date,
        due=date + dt.timedelta(days=rng.choice([15, 30, 30, 45, 60])),
        po=_po(rng) if rng.random() < 0.45 else None,
        customer_no=rng.choice(["C%05d" % rng.randint(1, 99999), "CL-%04d" % rng.randint(1, 9999),
                                "411%05d" % rng.randint(1, 99999)]),
        quote_no="D%d-%03d" % (year, rng.randint(1, 999)),
        buyer_siret=ids.OFFICE_SIRET, lines=lines,
    )
