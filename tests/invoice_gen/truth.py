"""The random truth of one invoice: parties, identifiers with valid check digits, line items,
VAT breakdown, totals. Everything drawn from the caller's random.Random."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from stdnum import iban as iban_mod
from stdnum import luhn
from stdnum.be import vat as be_vat
from stdnum.de import vat as de_vat
from stdnum.es import vat as es_vat
from stdnum.it import iva as it_vat
from stdnum.nl import vat as nl_vat

CENT = Decimal("0.01")
RATES = (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"))
# a foreign seller not registered for VAT in France charges its own country's rates
FOREIGN_RATES = {"DE": ("19", "7"), "NL": ("21", "9"), "ES": ("21", "10", "4"), "IT": ("22", "10", "4"),
                 "BE": ("21", "6", "12")}

OFFICE = {
    "name": "OFFICE TOURISME ET PATRIMOINE DE LA CALL",
    "siret": "80938923200020",
    "street": "16 Place Jean Jaurès",
    "city": "62300 LENS",
    "vat": "FR" + f"{(12 + 3 * (809389232 % 97)) % 97:02d}" + "809389232",
}

FR_TRADES = ["Boulangerie", "Atelier", "Transports", "Imprimerie", "Traiteur", "Menuiserie", "Librairie",
             "Nettoyage", "Électricité", "Plomberie", "Fleurs", "Autocars", "Audiovisuel", "Signalétique",
             "Brasserie", "Papeterie", "Guides", "Éditions", "Sérigraphie", "Informatique", "Location"]
FR_PLACES = ["du Terril", "de la Souchez", "des Flandres", "Lensois", "du Louvre", "de l'Artois", "Saint-Pierre",
             "des Mineurs", "du Bassin Minier", "d'Opale", "du Beffroi", "Liévinoise", "de la Gohelle", "Nord Services"]
FR_SURNAMES = ["Duhamel", "Lefebvre", "Dupont", "Delattre", "Caron", "Lemaire", "Dubois", "Wallet", "Vasseur",
               "Leclercq", "Morel", "Boulanger", "Deruelle", "Bernard"]
FR_FORMS = ["SARL", "SAS", "EURL", "SASU", "SA", "SCOP"]
FR_CITIES = [("62300", "Lens"), ("62000", "Arras"), ("59000", "Lille"), ("62400", "Béthune"), ("62800", "Liévin"),
             ("62110", "Hénin-Beaumont"), ("59500", "Douai"), ("75011", "Paris"), ("69003", "Lyon"),
             ("62200", "Boulogne-sur-Mer"), ("80000", "Amiens"), ("62100", "Calais")]
FR_STREETS = ["rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Basly", "rue des Écoles",
              "ZA du Chevalement", "rue Émile Zola", "chemin des Bois", "place du Général de Gaulle", "rue de Lille"]
RCS_CITIES = ["Arras", "Lille Métropole", "Béthune", "Boulogne-sur-Mer", "Douai", "Paris", "Lyon", "Amiens"]

FOREIGN = {
    "DE": dict(names=["Bergbau Erlebnis", "Rheinland Druck", "Nordlicht Medien", "Ruhr Souvenirs", "Kaiser Technik",
                      "Schwarzwald Reisen"], forms=["GmbH", "AG", "GmbH & Co. KG", "UG (haftungsbeschränkt)"],
               cities=[("44787", "Bochum"), ("45127", "Essen"), ("50667", "Köln"), ("10115", "Berlin")],
               streets=["Hauptstraße 12", "Bahnhofstr. 4", "Industriestraße 27", "Am Markt 3"], lang="de", bban=18),
    "NL": dict(names=["Van Dijk Drukwerk", "Hollandse Souvenirs", "De Vries Techniek", "Noordzee Media"],
               forms=["B.V.", "N.V.", "V.O.F."], cities=[("1012 AB", "Amsterdam"), ("3011 AD", "Rotterdam"),
                                                         ("5611 AZ", "Eindhoven")],
               streets=["Kerkstraat 14", "Stationsweg 2", "Industrieweg 88"], lang="nl", bban=14),
    "ES": dict(names=["Gráficas del Norte", "Souvenirs Ibéricos", "Tecnología Cantábrica", "Ediciones Alba"],
               forms=["S.L.", "S.A.", "S.L.U."], cities=[("28013", "Madrid"), ("08002", "Barcelona"),
                                                         ("48001", "Bilbao")],
               streets=["Calle Mayor 5", "Avenida de la Constitución 21", "Polígono Industrial Norte, nave 7"],
               lang="es", bban=20),
    "IT": dict(names=["Tipografia Lombarda", "Ceramiche Toscane", "Stampa Veneta", "Souvenir Italia"],
               forms=["S.r.l.", "S.p.A.", "S.n.c."], cities=[("20121", "Milano"), ("50122", "Firenze"),
                                                             ("30121", "Venezia")],
               streets=["Via Roma 10", "Corso Italia 45", "Via dell'Industria 3"], lang="it", bban=23),
    "BE": dict(names=["Imprimerie Wallonne", "Vlaamse Drukkerij", "Brabant Médias", "Chocolaterie Liégeoise"],
               forms=["SRL", "SA", "BV", "NV"], cities=[("1000", "Bruxelles"), ("4000", "Liège"), ("9000", "Gent")],
               streets=["Rue Neuve 12", "Avenue Louise 231", "Kouter 7"], lang="fr", bban=12),
}

ITEMS = {
    "fr": ["Visite guidée groupe", "Impression brochures A5", "Location minibus (journée)", "Plateaux repas",
           "Nettoyage des locaux", "Cartes postales (lot de 100)", "Maintenance informatique", "Livres - guides",
           "Animation atelier enfants", "Panneaux signalétiques", "Prestation photographique", "Fournitures bureau",
           "Café d'accueil", "Transport aller-retour", "Frais de déplacement", "Affiches 40x60"],
    "en": ["Guided tour (group)", "Printing A5 leaflets", "Minibus rental (day)", "Catering", "Cleaning services",
           "Postcards (pack of 100)", "IT support (hours)", "Books - guides", "Signage panels", "Photography",
           "Office supplies", "Travel expenses"],
    "de": ["Führung Gruppe", "Druck Flyer A5", "Kleinbus-Miete (Tag)", "Catering", "Reinigung", "Postkarten (100 Stk.)",
           "IT-Wartung (Std.)", "Reiseführer", "Beschilderung", "Fotografie", "Büromaterial", "Reisekosten"],
    "nl": ["Rondleiding groep", "Drukwerk folders A5", "Huur minibus (dag)", "Catering", "Schoonmaak",
           "Ansichtkaarten (100 st.)", "IT-onderhoud (uur)", "Reisgidsen", "Bewegwijzering", "Fotografie"],
    "es": ["Visita guiada grupo", "Impresión folletos A5", "Alquiler minibús (día)", "Catering", "Limpieza",
           "Postales (lote 100)", "Mantenimiento informático (h)", "Guías de viaje", "Señalización", "Fotografía"],
    "it": ["Visita guidata gruppo", "Stampa volantini A5", "Noleggio minibus (giorno)", "Catering", "Pulizie",
           "Cartoline (100 pz)", "Assistenza informatica (ore)", "Guide turistiche", "Segnaletica", "Fotografia"],
}


def q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def siren(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + digits(rng, 7)
    return body + luhn.calc_check_digit(body)


def siret(rng: random.Random, sir: str) -> str:
    body = sir + rng.choice(["0001", "0002", "0003", "0004", "0010", "0012", "0020", "0003"] + [digits(rng, 4)])
    return body + luhn.calc_check_digit(body)


def fr_vat(sir: str) -> str:
    return f"FR{(12 + 3 * (int(sir) % 97)) % 97:02d}{sir}"


def foreign_vat(rng: random.Random, cc: str) -> str:
    for _ in range(200):
        if cc == "DE":
            cand = "DE" + str(rng.randint(1, 9)) + digits(rng, 8)
            ok = de_vat.is_valid
        elif cc == "NL":
            cand = "NL" + digits(rng, 9) + "B" + rng.choice(["01", "02"])
            ok = nl_vat.is_valid
        elif cc == "ES":
            cand = "ES" + rng.choice("ABB") + digits(rng, 8)
            ok = es_vat.is_valid
        elif cc == "IT":
            body = "0" + digits(rng, 6) + f"{rng.randint(1, 100):03d}"  # 7-digit number + tax office code
            cand = "IT" + body + luhn.calc_check_digit(body)
            ok = lambda v: it_vat.is_valid(v[2:])  # noqa: E731
        else:  # BE
            body = "0" + str(rng.randint(2, 9)) + digits(rng, 6)
            cand = "BE" + body + f"{97 - int(body) % 97:02d}"
            ok = be_vat.is_valid
        if ok(cand):
            return cand
    raise RuntimeError(cc)


def _bban(rng: random.Random, cc: str, bban_len: int) -> str:
    """A national account number with its national check digits where the country has some."""
    if cc == "FR":
        bank, branch, account = digits(rng, 5), digits(rng, 5), digits(rng, 11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        return f"{bank}{branch}{account}{key:02d}"
    if cc == "NL":
        return rng.choice(["ABNA", "INGB", "RABO"]) + digits(rng, 10)
    if cc == "IT":
        body = digits(rng, 22)  # ABI, CAB, account; preceded by the CIN check letter
        odd = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21)
        total = sum(odd[int(ch)] if i % 2 == 0 else int(ch) for i, ch in enumerate(body))
        return chr(65 + total % 26) + body
    if cc == "BE":
        body = rng.choice(["001", "068", "310", "363", "735", "143"]) + digits(rng, 7)
        return body + f"{int(body) % 97 or 97:02d}"
    if cc == "ES":
        bank_branch, account = digits(rng, 8), digits(rng, 10)
        return bank_branch + _ccc_key("00" + bank_branch) + _ccc_key(account) + account
    return digits(rng, bban_len)


def iban(rng: random.Random, cc: str, bban_len: int = 23) -> str:
    for _ in range(200):
        bban = _bban(rng, cc, bban_len)
        cand = cc + iban_mod.calc_check_digits(cc + "00" + bban) + bban
        if iban_mod.is_valid(cand):
            return cand
    raise RuntimeError(cc)


def _ccc_key(d: str) -> str:
    """One check digit of a Spanish CCC (bank account) over 10 digits."""
    w = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    k = 11 - sum(int(x) * y for x, y in zip(d, w)) % 11
    return str({11: 0, 10: 1}.get(k, k))


@dataclass
class Line:
    desc: str
    qty: Decimal
    unit: Decimal
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        return q2(self.qty * self.unit)


@dataclass
class Invoice:
    """Everything the layouts print; `truth()` gives the labels.json-shaped dict."""
    lang: str
    country: str
    seller_name: str          # as printed at the top (legal form included if printed beside it)
    seller_form: str          # legal form, e.g. SARL (also printed in the legal footer)
    seller_street: str
    seller_city: str
    seller_phone: str
    seller_email: str
    seller_siren: str | None
    seller_siret: str | None
    seller_vat: str | None
    rcs_city: str | None
    capital: Decimal
    iban: str | None
    bic: str
    number: str
    issue: date
    due: date
    delivery: date
    purchase_order: str | None
    quote: str | None
    customer_no: str
    doc_type: str
    credit_ref: str | None
    lines: list[Line]
    discount_pct: Decimal
    deposit: Decimal
    currency: str = "EUR"
    buyer_siret: str | None = OFFICE["siret"]
    buyer_vat_printed: bool = False
    breakdown: list[tuple[Decimal, Decimal, Decimal]] = field(default_factory=list)  # (rate, base, vat)
    gross_ht: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    total_ht: Decimal = Decimal(0)
    total_tva: Decimal = Decimal(0)
    total_ttc: Decimal = Decimal(0)
    printed_ttc: Decimal | None = None  # set by the totals_mismatch defect
    pages: int = 1
    expected_issues: list[str] = field(default_factory=list)
    show_number: bool = True
    show_date: bool = True

    @property
    def sign(self) -> int:
        return -1 if self.doc_type == "credit_note" else 1

    @property
    def net_due(self) -> Decimal:
        return (self.printed_ttc if self.printed_ttc is not None else self.total_ttc) - self.deposit

    def compute(self) -> None:
        self.gross_ht = sum((ln.amount for ln in self.lines), Decimal(0))
        by_rate: dict[Decimal, Decimal] = {}
        for ln in self.lines:
            by_rate[ln.rate] = by_rate.get(ln.rate, Decimal(0)) + ln.amount
        factor = 1 - self.discount_pct / 100
        self.breakdown = []
        for r in sorted(by_rate, reverse=True):
            base = q2(by_rate[r] * factor)
            self.breakdown.append((r, base, q2(base * r / 100)))
        self.total_ht = sum((b for _, b, _ in self.breakdown), Decimal(0))
        self.discount = self.gross_ht - self.total_ht
        self.total_tva = sum((v for _, _, v in self.breakdown), Decimal(0))
        self.total_ttc = self.total_ht + self.total_tva

    def extend_lines(self, rng: random.Random, n: int) -> None:
        """More line items (multi-page invoices), with the rates already in use; totals recomputed."""
        rates = sorted({ln.rate for ln in self.lines}, reverse=True)
        items = ITEMS[self.lang]
        while len(self.lines) < n:
            unit = q2(Decimal(rng.randint(100, 30000)) / 100)
            qty = Decimal(rng.choice([1, 1, 2, 3, 4, 6, 10]))
            self.lines.append(Line(rng.choice(items), qty, unit, rates[len(self.lines) % len(rates)]))
        self.compute()

    def truth(self) -> dict:
        s = self.sign
        ttc = self.printed_ttc if self.printed_ttc is not None else self.total_ttc
        money = lambda v: f"{s * v:.2f}"  # noqa: E731
        return {
            "doc_type": self.doc_type,
            "invoice_number": self.number if self.show_number else None,
            "invoice_date": self.issue.isoformat() if self.show_date else None,
            "seller_name": self.seller_name,
            "seller_siret": self.seller_siret,
            "seller_siren": self.seller_siret[:9] if self.seller_siret else (self.seller_siren if self.rcs_city else None),
            "seller_vat": self.seller_vat,
            "buyer_siret": self.buyer_siret,
            "total_ht": money(self.total_ht),
            "total_tva": money(self.total_tva),
            "total_ttc": money(ttc),
            "currency": self.currency,
            "purchase_order": self.purchase_order,
            "iban": self.iban,
            "pages": self.pages,
            "expected_issues": list(self.expected_issues),
        }


def _invoice_number(rng: random.Random, d: date, lang: str, credit: bool) -> str:
    y, yy, n = d.year, d.year % 100, rng.randint(1, 9999)
    if credit:
        pat = rng.choice([f"AV{y}-{n:04d}", f"AV-{yy:02d}{n:04d}", f"A{y}{n:05d}", f"CN-{y}-{n:03d}", f"GS{y}{n:04d}"])
    else:
        pat = rng.choice([f"F{y}-{n:04d}", f"FA{yy:02d}{d.month:02d}-{n:03d}", f"{y}-{n:05d}", f"INV-{y}-{n:04d}",
                          f"{n:06d}", f"RE-{y}-{n:04d}", f"{y}/{n:03d}", f"FC{n:05d}", f"F-{yy:02d}-{n:04d}",
                          f"{yy:02d}{d.month:02d}{n:04d}", f"FV{n:04d}/B", f"{n}"])
    return pat


def draw(rng: random.Random) -> Invoice:
    """A clean invoice (credit notes included)."""
    foreign = rng.random() < 0.3
    if foreign:
        cc = rng.choice(list(FOREIGN))
        spec = FOREIGN[cc]
        lang = spec["lang"] if rng.random() < 0.7 else rng.choice(["en", "fr"])
        if cc == "BE" and rng.random() < 0.4:
            lang = "nl"
        form = rng.choice(spec["forms"])
        base = rng.choice(spec["names"])
        pc, cityname = rng.choice(spec["cities"])
        street = rng.choice(spec["streets"])
        sir = sirt = None
        vat = foreign_vat(rng, cc)
        rcs = None
        acct = iban(rng, cc, spec["bban"])
        name = f"{base} {form}"
        city = f"{pc} {cityname}"
        phone = {"DE": "+49 234 ", "NL": "+31 20 ", "ES": "+34 91 ", "IT": "+39 02 ", "BE": "+32 2 "}[cc] \
            + digits(rng, 3) + " " + digits(rng, 4)
    else:
        cc = "FR"
        lang = "fr" if rng.random() < 0.85 else "en"
        kind = rng.random()
        form = rng.choice(FR_FORMS)
        if kind < 0.4:
            base = f"{rng.choice(FR_TRADES)} {rng.choice(FR_PLACES)}"
        elif kind < 0.7:
            base = f"{rng.choice(FR_TRADES)} {rng.choice(FR_SURNAMES)}"
        else:
            base = f"{rng.choice(FR_SURNAMES)} et Fils" if rng.random() < 0.3 else f"Ets {rng.choice(FR_SURNAMES)}"
        name = f"{base} {form}" if rng.random() < 0.5 else base
        pc, cityname = rng.choice(FR_CITIES)
        street = f"{rng.randint(1, 180)} {rng.choice(FR_STREETS)}"
        city = f"{pc} {cityname.upper() if rng.random() < 0.5 else cityname}"
        sir = siren(rng)
        sirt = siret(rng, sir)
        vat = fr_vat(sir) if rng.random() < 0.85 else None
        rcs = rng.choice(RCS_CITIES) if rng.random() < 0.6 else None
        acct = iban(rng, "FR") if rng.random() < 0.8 else None
        phone = "0" + str(rng.choice([3, 3, 3, 6, 9])) + " " + " ".join(digits(rng, 2) for _ in range(4))
    if foreign and rng.random() < 0.1:
        acct = None
    import unicodedata

    mail_host = unicodedata.normalize("NFKD", base.split()[0].lower()).encode("ascii", "ignore").decode()
    issue = date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))
    credit = rng.random() < 0.12
    table = RATES if cc == "FR" or rng.random() < 0.3 else tuple(Decimal(r) for r in FOREIGN_RATES[cc])
    rates = [table[0]]
    if rng.random() < 0.35:
        rates = rng.sample(table, rng.randint(2, min(3, len(table))))
    elif rng.random() < 0.2:
        rates = [rng.choice(table[1:])]
    n_lines = rng.choice([1, 2, 3, 3, 4, 5, 6, 8])
    items = ITEMS[lang]
    lines = []
    for i in range(n_lines):
        scale = rng.choice([10, 50, 200, 1000, 4000])
        unit = q2(Decimal(rng.randint(100, 100 * scale)) / 100)
        qty = Decimal(rng.choice([1, 1, 2, 3, 5, 10, 12, 25, 40])) if rng.random() < 0.85 else Decimal("1.5")
        if scale >= 1000:
            qty = Decimal(rng.choice([1, 1, 2]))
        lines.append(Line(rng.choice(items), qty, unit, rates[i % len(rates)]))
    po = None
    if rng.random() < 0.45:
        po = rng.choice([f"EJ{issue.year}-{digits(rng, 5)}", f"BC-{digits(rng, 4)}", f"PO{digits(rng, 6)}",
                         f"{issue.year}-CMD-{digits(rng, 3)}", f"CDE{digits(rng, 5)}"])
    inv = Invoice(
        lang=lang, country=cc, seller_name=name, seller_form=form, seller_street=street, seller_city=city,
        seller_phone=phone, seller_email=f"{'compta' if cc == 'FR' else 'info'}@{mail_host}.{cc.lower()}",
        seller_siren=sir, seller_siret=sirt, seller_vat=vat, rcs_city=rcs,
        capital=Decimal(rng.choice([1000, 5000, 7500, 10000, 15000, 37000, 50000, 100000, 250000])),
        iban=acct, bic=rng.choice({"FR": ["CCBPFRPPLIL", "AGRIFRPP867", "CMCIFR2A", "BNPAFRPPXXX", "CEPAFRPP627"],
                                   "DE": ["DEUTDEDBXXX", "COBADEFFXXX"], "NL": ["INGBNL2A", "ABNANL2A"],
                                   "ES": ["CAIXESBBXXX", "BSCHESMM"], "IT": ["BCITITMM", "UNCRITMM"],
                                   "BE": ["GEBABEBB", "BBRUBEBB"]}[cc]),
        number=_invoice_number(rng, issue, lang, credit),
        issue=issue, due=issue + timedelta(days=rng.choice([0, 15, 30, 45, 60])),
        delivery=issue - timedelta(days=rng.randint(1, 20)),
        purchase_order=po, quote=f"D-{issue.year}-{rng.randint(1, 99):02d}" if rng.random() < 0.35 else None,
        customer_no=rng.choice([f"C{digits(rng, 5)}", f"411{digits(rng, 5)}", f"CL-{digits(rng, 4)}", digits(rng, 6)]),
        doc_type="credit_note" if credit else "invoice",
        credit_ref=_invoice_number(rng, issue - timedelta(days=20), lang, False) if credit else None,
        lines=lines,
        discount_pct=Decimal(rng.choice([2, 5, 10])) if rng.random() < 0.12 else Decimal(0),
        deposit=Decimal(0),
        buyer_vat_printed=rng.random() < 0.25,
    )
    inv.compute()
    if not credit and rng.random() < 0.15:
        inv.deposit = q2(inv.total_ttc * Decimal(rng.choice([20, 30, 40, 50])) / 100)
    return inv
