"""The rules: from the extracted fields to issues, each in one plain French sentence that
names the field, the value and the fix (the tone of OCA's l10n_fr_chorus_account checks)."""

from __future__ import annotations

import re
from decimal import Decimal

from services.office import Office

from .facturx import NOT_ACCEPTED_PROFILES, PROFILE_LABELS, FacturXData
from .parsing import french_amount, french_vat_key_ok, iban_valid, near_miss, siren_valid, siret_valid
from .report import Field, Issue

ERROR, WARNING, INFO = "error", "warning", "info"


def issue(code: str, severity: str, message: str, fix: str, field: str | None = None) -> Issue:
    return Issue(code=code, severity=severity, message=message, fix=fix, field=field)


# ------------------------------------------------------------------ bad input

def not_a_pdf(kind: str | None) -> Issue:
    what = f" (c'est en réalité un fichier {kind})" if kind else ""
    return issue("not_a_pdf", ERROR, f"Ce fichier n'est pas un PDF{what}.",
                 "Enregistrez la facture au format PDF depuis votre logiciel de facturation, puis déposez ce PDF.")


def empty_file() -> Issue:
    return issue("empty_file", ERROR, "Le fichier est vide (0 octet).",
                 "Enregistrez à nouveau la facture en PDF depuis votre logiciel, vérifiez qu'elle s'ouvre, puis déposez-la.")


def too_large(size: int, office: Office) -> Issue:
    mo = f"{size / (1024 * 1024):.1f}".replace(".", ",")  # French decimal comma
    return issue("too_large", ERROR,
                 f"Le fichier pèse {mo} Mo : Chorus Pro refuse les PDF de plus de {office.max_pdf_mb} Mo.",
                 "Enregistrez la facture en PDF sans images lourdes (option « taille réduite » ou « imprimer en PDF »), "
                 "et mettez les documents annexes en pièces jointes séparées.")


def encrypted() -> Issue:
    return issue("encrypted", ERROR, "Le PDF est protégé par un mot de passe ou des restrictions : Chorus Pro refuse les PDF protégés.",
                 "Enregistrez à nouveau la facture en PDF sans mot de passe ni protection, puis déposez ce nouveau fichier.")


def corrupted(detail: str = "") -> Issue:
    return issue("corrupted", ERROR, "Le PDF est abîmé ou incomplet : il ne peut pas être lu.",
                 "Enregistrez à nouveau la facture en PDF depuis votre logiciel (ou téléchargez-la de nouveau), "
                 "vérifiez qu'elle s'ouvre, puis déposez-la.")


def timeout(seconds: float) -> Issue:
    return issue("timeout", ERROR,
                 f"L'analyse du fichier a été arrêtée au bout de {seconds:.0f} secondes : le PDF est trop lourd ou trop complexe.",
                 "Enregistrez la facture en PDF simple depuis votre logiciel de facturation (« imprimer en PDF »), puis réessayez.")


def too_heavy() -> Issue:
    return issue("timeout", ERROR,
                 "L'analyse du fichier a été arrêtée : le PDF demande trop de mémoire pour être lu.",
                 "Enregistrez la facture en PDF simple depuis votre logiciel de facturation (« imprimer en PDF »), puis réessayez.")


def scan_no_text(pages: int) -> Issue:
    what = "La page est une image" if pages == 1 else "Les pages sont des images"
    return issue("scan_no_text", ERROR,
                 f"{what} (facture scannée ou photographiée) : Chorus Pro ne peut lire aucune information.",
                 "Exportez la facture en PDF depuis votre logiciel de facturation, ou utilisez « Imprimer » puis "
                 "« Enregistrer au format PDF » ; ne scannez pas une facture imprimée.")


MISSING_CODES = frozenset({"missing_invoice_number", "missing_date", "missing_seller_siret", "missing_buyer_siret",
                           "missing_totals"})


def partial_scan(pages: list[int], missing_fields: list[str] | None = None) -> Issue:
    listed = ", ".join(str(p) for p in pages)
    what = f"La page {listed} est une image" if len(pages) == 1 else f"Les pages {listed} sont des images"
    fix = "Exportez toute la facture en PDF depuis votre logiciel de facturation, sans page scannée."
    if missing_fields:
        names = ", ".join(FIELD_WORDS.get(f, f) for f in missing_fields)
        return issue("partial_scan", ERROR,
                     f"{what} sans texte : Chorus Pro ne lira pas ce qui y figure, et il manque donc : {names}.",
                     fix)
    return issue("partial_scan", WARNING, f"{what} sans texte : Chorus Pro ne lira pas ce qui y figure.", fix)


# ------------------------------------------------------------------ field rules

def check_fields(fields: dict[str, Field], office: Office, *, text: str, facturx: FacturXData | None,
                 foreign_seller: bool) -> list[Issue]:
    out: list[Issue] = []
    v = {k: f.value for k, f in fields.items()}

    if not v.get("invoice_number"):
        out.append(issue("missing_invoice_number", ERROR,
                         "Le numéro de facture n'a pas été trouvé.",
                         "Écrivez le numéro sur la facture après « Facture n° » (par exemple « Facture n° 2024-001 ») : "
                         "Chorus Pro le lit à cet endroit.", "invoice_number"))
    elif fields["invoice_number"].confidence == "guessed":
        out.append(uncertain("invoice_number", found=v["invoice_number"],
                             why="il n'est pas écrit après un libellé clair comme « Facture n° »"))
    if v.get("invoice_number") and len(v["invoice_number"]) > 20:
        out.append(issue("invoice_number_too_long", WARNING,
                         f"Le numéro de facture « {v['invoice_number']} » dépasse 20 caractères.",
                         "Utilisez un numéro de facture de 20 caractères au plus.", "invoice_number"))

    if not v.get("invoice_date"):
        out.append(issue("missing_date", ERROR, "La date de la facture n'a pas été trouvée.",
                         "Écrivez la date d'émission après « Date de facture : » (par exemple « Date de facture : 26/05/2024 »).",
                         "invoice_date"))
    elif fields["invoice_date"].confidence == "guessed":
        out.append(uncertain("invoice_date", found=_iso_to_fr(v["invoice_date"]),
                             why="elle n'est pas écrite après un libellé clair comme « Date de facture »"))

    siret = v.get("seller_siret")
    if not siret and v.get("seller_siren") and not foreign_seller:
        out.append(issue("missing_seller_siret", WARNING,
                         f"Seul votre SIREN ({v['seller_siren']}) figure sur la facture, pas votre SIRET (14 chiffres).",
                         "Ajoutez « SIRET : » suivi du numéro à 14 chiffres de l'établissement qui facture.",
                         "seller_siret"))
    elif not siret:
        if not foreign_seller:
            out.append(issue("missing_seller_siret", ERROR,
                             "Votre numéro SIRET (14 chiffres) n'a pas été trouvé sur la facture.",
                             "Écrivez « SIRET : » suivi de votre numéro à 14 chiffres dans l'en-tête ou le pied de la facture.",
                             "seller_siret"))
    elif not siret_valid(siret):
        out.append(issue("invalid_seller_siret_checksum", ERROR,
                         f"Le SIRET du fournisseur « {siret} » n'est pas valide (un chiffre est faux : la clé de contrôle ne correspond pas).",
                         "Recopiez votre SIRET exact, tel qu'il figure sur votre avis de situation INSEE ou sur annuaire-entreprises.data.gouv.fr.",
                         "seller_siret"))
    siren = v.get("seller_siren")
    if siren and not siret and not siren_valid(siren):
        out.append(issue("invalid_seller_siren_checksum", ERROR,
                         f"Le SIREN du fournisseur « {siren} » n'est pas valide (clé de contrôle fausse).",
                         "Recopiez votre SIREN exact (9 chiffres) tel qu'il figure sur votre extrait Kbis ou avis INSEE.",
                         "seller_siren"))

    vat = v.get("seller_vat")
    if vat:
        out.extend(_check_vat(vat, siren or (siret[:9] if siret else None)))

    buyer = v.get("buyer_siret")
    office_siret = office.siret
    if not buyer:
        out.append(issue("missing_buyer_siret", ERROR,
                         f"Le SIRET de l'acheteur ({office.display_name}) n'est pas écrit sur la facture.",
                         f"Ajoutez la ligne « SIRET client : {office_siret} » dans le bloc du destinataire : "
                         "Chorus Pro le reconnaîtra et remplira le destinataire tout seul.", "buyer_siret"))
    elif buyer != office_siret:
        close = near_miss(buyer, office_siret)
        why = "il y a une faute de frappe" if close else "ce n'est pas celui de l'office"
        where = ("dans les données Factur-X de la facture" if fields["buyer_siret"].source == "facturx"
                 else "écrit sur la facture")
        out.append(issue("wrong_buyer_siret", ERROR,
                         f"Le SIRET client {where}, « {buyer} », est faux : {why} "
                         f"(le bon est {office_siret}).",
                         f"Corrigez-le en « SIRET client : {office_siret} » ({office.name}).", "buyer_siret"))

    ht, tva, ttc = (_dec(v.get(k)) for k in ("total_ht", "total_tva", "total_ttc"))
    if ttc is None or ht is None:
        what = ("Les totaux HT et TTC n'ont pas été trouvés" if ht is None and ttc is None else
                f"Le total {'HT' if ht is None else 'TTC'} n'a pas été trouvé")
        out.append(issue("missing_totals", ERROR,
                         f"{what}.",
                         "Écrivez les totaux en clair en bas de la facture : « Total HT », « Total TVA » et « Total TTC », "
                         "chacun suivi de son montant.", "total_ttc" if ttc is None else "total_ht"))
    elif tva is not None and abs(ht + tva - ttc) > Decimal("0.005") and not _sure_totals(fields):
        # The checker is not sure these are the totals: it says so, it does not accuse the invoice.
        out.append(uncertain("total_ttc", found=f"{french_amount(ttc)}",
                             why="les montants lus près des libellés de totaux ne tombent pas juste ensemble"))
    elif tva is not None and abs(ht + tva - ttc) > Decimal("0.005"):
        diff = ttc - (ht + tva)
        out.append(issue("totals_mismatch", ERROR,
                         f"Les totaux ne tombent pas juste : {french_amount(ht)} HT + {french_amount(tva)} de TVA "
                         f"= {french_amount(ht + tva)}, mais le total TTC écrit est {french_amount(ttc)} "
                         f"(écart de {french_amount(abs(diff))}).",
                         "Corrigez le total TTC ou les montants HT/TVA dans votre logiciel de facturation : "
                         "Chorus Pro et l'office refusent une facture dont les totaux ne concordent pas.", "total_ttc"))
    elif fields["total_ttc"].confidence == "guessed":
        out.append(uncertain("total_ttc", found=f"{french_amount(ttc)}",
                             why="nous l'avons déduit des montants de la page, sans libellé de total clair"))
    elif tva is None:
        out.append(issue("missing_vat_total", WARNING, "Le montant total de la TVA n'a pas été trouvé.",
                         "Écrivez « Total TVA » suivi du montant (ou « TVA non applicable, art. 293 B du CGI » si vous n'en facturez pas).",
                         "total_tva"))

    if v.get("doc_type") == "credit_note" and ttc is not None and ttc > 0:
        out.append(issue("credit_note_positive", INFO,
                         "C'est un avoir : ses montants sont comptés en négatif.",
                         "Sur Chorus Pro, choisissez le type « Avoir » : les montants restent positifs dans le formulaire.",
                         "total_ttc"))

    currency = v.get("currency")
    if currency and currency != "EUR":
        out.append(issue("wrong_currency", ERROR,
                         f"La facture est en {currency} : l'office paie en euros (EUR).",
                         "Établissez la facture en euros (EUR), montants et totaux compris.", "currency"))

    iban = v.get("iban")
    if iban and not iban_valid(iban):
        out.append(issue("invalid_iban", WARNING,
                         f"L'IBAN « {iban} » n'est pas valide (clé de contrôle fausse).",
                         "Recopiez l'IBAN exact de votre relevé d'identité bancaire (RIB).", "iban"))

    if _PAID.search(text):
        out.append(issue("already_paid", INFO,
                         "La facture est marquée comme déjà payée.",
                         "Sur Chorus Pro, choisissez alors le cadre de facturation « A2 » (facture déjà payée) "
                         "au lieu de « A1 ».", None))
    out.extend(legal_mentions(text, v, foreign_seller=foreign_seller))
    return out


_PAID = re.compile(r"statut\s*:\s*pay[ée]e|factur[ée]\s+acquitt[ée]e|\bfacture\s+pay[ée]e|d[ée]j[àa]\s+(?:r[ée]gl|pay)[ée]e|"
                   r"pay[ée]e?\s+(?:le\s+\d|par\s+(?:carte|cb|ch[èe]que))|\bpaid\s+(?:on|by\s+card|in\s+full)|"
                   r"bereits\s+bezahlt|\bbetaald\b", re.I)


def _check_vat(vat: str, siren: str | None) -> list[Issue]:
    if re.fullmatch(r"FR[0-9A-Z]{2}\d{9}", vat):
        if not french_vat_key_ok(vat):
            return [issue("invalid_vat", ERROR,
                          f"Le numéro de TVA intracommunautaire « {vat} » n'est pas valide (la clé ne correspond pas au SIREN {vat[4:]}).",
                          "Recopiez votre numéro de TVA exact (FR + 2 caractères + SIREN), tel qu'il figure sur vos déclarations de TVA.",
                          "seller_vat")]
        if siren and vat[4:] != siren:
            return [issue("invalid_vat", ERROR,
                          f"Le numéro de TVA « {vat} » ne correspond pas au SIREN du fournisseur ({siren}).",
                          "Vérifiez le SIRET et le numéro de TVA : les 9 derniers chiffres de la TVA doivent être votre SIREN.",
                          "seller_vat")]
        return []
    if vat.startswith("F") and not vat.startswith("FR") or (vat.startswith("FR") and not re.fullmatch(r"FR[0-9A-Z]{2}\d{9}", vat)):
        return [issue("invalid_vat", ERROR,
                      f"Le numéro de TVA intracommunautaire « {vat} » est mal écrit (attendu : FR + 2 caractères + 9 chiffres du SIREN).",
                      "Recopiez votre numéro de TVA exact, par exemple « FR 12 345678901 ».", "seller_vat")]
    try:
        from stdnum.eu import vat as eu_vat
        from stdnum.exceptions import InvalidChecksum, ValidationError

        if vat[:2].lower() in eu_vat.MEMBER_STATES or vat[:2] == "EL":
            try:
                eu_vat.validate(vat)
            except InvalidChecksum:
                # A well-formed number whose check digits fail: a defect we can show.
                return [issue("invalid_vat", ERROR,
                              f"Le numéro de TVA intracommunautaire « {vat} » n'est pas valide (sa clé de contrôle ne correspond pas).",
                              "Recopiez votre numéro de TVA exact, tel qu'il figure sur vos déclarations de TVA "
                              "(vous pouvez le vérifier sur le site VIES de la Commission européenne).", "seller_vat")]
            except ValidationError:
                return [issue("invalid_vat", WARNING,
                              f"Le numéro de TVA « {vat} » ne semble pas bien écrit (longueur ou format).",
                              "Vérifiez votre numéro de TVA intracommunautaire.", "seller_vat")]
    except Exception:  # noqa: BLE001 - unknown country: nothing to say
        pass
    return []


def _sure_totals(fields: dict[str, Field]) -> bool:
    """Totals read from the XML, or each after its own unambiguous label: a mismatch is then the invoice's."""
    return all(fields[k].confidence in ("facturx", "checked", "labelled") for k in ("total_ht", "total_tva", "total_ttc"))


def _iso_to_fr(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


_MENTIONS = [
    ("missing_due_date", r"[ée]ch[ée]ance|date\s+limite|[àa]\s+r[ée]gler\s+(?:avant|le)|payable\s+(?:le|avant|à)|"
                         r"paiement\s+(?:à|a)\s+\d+\s+jours|\d+\s+jours|due\s+date|payment\s+terms|net\s+\d+|"
                         r"f[äa]llig|zahlbar|zahlungsziel|[àa]\s+r[ée]ception|comptant|pay\s+by|payable",
     "La date d'échéance (ou le délai de paiement) n'est pas indiquée.",
     "Ajoutez « Date d'échéance : jj/mm/aaaa » ou « Paiement à 30 jours ».", "invoice_date"),
    ("missing_late_penalties", r"p[ée]nalit[ée]s?\s+de\s+retard|en\s+cas\s+de\s+retard|retard\s+de\s+paiement|"
                               r"int[ée]r[êe]ts?\s+de\s+retard|late\s+(?:payment|fee)|verzug",
     "Les pénalités de retard ne sont pas indiquées (mention obligatoire).",
     "Ajoutez par exemple « En cas de retard, pénalités au taux de 3 fois le taux d'intérêt légal ».", None),
    ("missing_recovery_indemnity", r"indemnit[ée]\s+forfaitaire|40\s?(?:€|eur)|quarante\s+euros|"
                                   r"frais\s+de\s+recouvrement|recovery\s+(?:fee|costs?)",
     "L'indemnité forfaitaire de 40 € pour frais de recouvrement n'est pas mentionnée (mention obligatoire entre professionnels).",
     "Ajoutez « Indemnité forfaitaire pour frais de recouvrement : 40 € ».", None),
]


def legal_mentions(text: str, v: dict[str, str | None], *, foreign_seller: bool) -> list[Issue]:
    out = []
    if foreign_seller:
        return out
    for code, pattern, message, fix, field_name in _MENTIONS:
        if not re.search(pattern, text, re.I):
            out.append(issue(code, WARNING, message, fix, field_name))
    if not v.get("seller_siren") and not v.get("seller_siret"):
        out.append(issue("missing_seller_siren", WARNING,
                         "Le SIREN du fournisseur n'est pas indiqué (mention obligatoire).",
                         "Ajoutez votre SIREN ou SIRET, par exemple dans le pied de page avec la forme juridique et la ville du RCS.",
                         "seller_siren"))
    if not v.get("seller_vat") and not re.search(r"293\s*B|non\s+applicable|exon[ée]r|franchise\s+en\s+base", text, re.I):
        out.append(issue("missing_seller_vat", WARNING,
                         "Votre numéro de TVA intracommunautaire n'est pas indiqué.",
                         "Ajoutez « N° TVA : FR.. » ou, si vous ne facturez pas de TVA, « TVA non applicable, art. 293 B du CGI ».",
                         "seller_vat"))
    if not re.search(r"prestation\s+de\s+services?|livraison\s+de\s+biens|op[ée]ration\s+mixte|"
                     r"cat[ée]gorie\s+(?:de\s+l['’])?op[ée]ration", text, re.I):
        out.append(issue("missing_operation_category", INFO,
                         "La catégorie de l'opération (livraison de biens, prestation de services ou mixte) n'est pas indiquée : "
                         "elle devient obligatoire avec la réforme de la facturation électronique (2026-2027).",
                         "Ajoutez « Opération : prestation de services » (ou « livraison de biens », ou « mixte »).", None))
    return out


# ------------------------------------------------------------------ Factur-X

def facturx_issues(fx: FacturXData, mismatches: list[tuple[str, str, str]], office: Office) -> list[Issue]:
    out: list[Issue] = []
    follow = ("Chorus Pro traite un PDF Factur-X déposé sur le portail comme un lot de données : "
              "suivez-le dans « Suivi des flux » (le message « lot importé » ne veut pas dire que la facture est arrivée).")
    if not fx.valid:
        out.append(issue("facturx_invalid", ERROR,
                         f"Le fichier « {fx.filename} » caché dans le PDF (Factur-X) est illisible : {fx.error}. "
                         "Chorus Pro rejettera ce dépôt plus tard, dans « Suivi des flux ».",
                         "Réexportez la facture depuis votre logiciel (Factur-X valide), ou déposez un PDF simple sans "
                         "Factur-X (« imprimer en PDF »).", None))
        return out
    label = PROFILE_LABELS.get(fx.profile or "", fx.profile or "inconnu")
    if fx.profile in NOT_ACCEPTED_PROFILES:
        why = ("ce profil ne contient que l'en-tête et les totaux, sans les lignes : ce n'est pas une facture "
               "complète au sens de la norme européenne EN 16931" if fx.profile in ("MINIMUM", "BASICWL") else
               "c'est l'ancienne version allemande du format, qui n'est pas du Factur-X")
        out.append(issue("facturx_profile_not_accepted", ERROR,
                         f"La facture contient des données Factur-X de profil {label} : {why}. "
                         "Chorus Pro traitera le fichier comme un lot de données et risque de le rejeter.",
                         "Réglez votre logiciel sur le profil Factur-X « EN 16931 » (ou « BASIC »), ou déposez un PDF "
                         "simple sans Factur-X (« imprimer en PDF »).", None))
    else:
        out.append(issue("facturx_lot", INFO,
                         f"La facture contient un Factur-X (profil {label}). {follow}",
                         "Après le dépôt, ouvrez « Suivi des flux » ; si vous préférez le dépôt habituel (cadre de "
                         f"facturation {office.cadre_facturation} et formulaire pré-rempli), déposez un PDF simple sans Factur-X.",
                         None))
    for name, page_value, xml_value in mismatches:
        out.append(issue("facturx_mismatch", WARNING,
                         f"{_upper_first(_the(name))} lu{_agree(name)} sur la page (« {shown(name, page_value)} ») "
                         f"ne correspond pas à {'celle' if _feminine(name) else 'celui'} du Factur-X "
                         f"(« {shown(name, xml_value)} ») : Chorus Pro "
                         f"utilisera {'celle' if _feminine(name) else 'celui'} du Factur-X.",
                         "Réexportez la facture depuis votre logiciel pour que la page et le Factur-X disent la même chose.",
                         name))
    return out


_FEMININE = {"invoice_date", "currency"}


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def shown(name: str, value: str) -> str:
    """A field value as French readers write it (26/05/2020, 1 234,56)."""
    if name == "invoice_date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        y, m, d = value.split("-")
        return f"{d}/{m}/{y}"
    if name in ("total_ht", "total_tva", "total_ttc"):
        try:
            return french_amount(value)
        except Exception:  # noqa: BLE001
            return value
    return value


def _feminine(name: str) -> bool:
    return name in _FEMININE


def _agree(name: str) -> str:
    return "e" if _feminine(name) else ""


def _the(name: str) -> str:
    word = FIELD_WORDS.get(name, name)
    if word[0] in "aeiouyAEIOUYI":
        return "l'" + word
    return ("la " if _feminine(name) else "le ") + word


FIELD_WORDS = {
    "invoice_number": "numéro de facture", "invoice_date": "date de facture", "doc_type": "type de document",
    "seller_name": "nom du fournisseur", "seller_siret": "SIRET du fournisseur", "seller_siren": "SIREN du fournisseur",
    "seller_vat": "numéro de TVA du fournisseur", "buyer_siret": "SIRET de l'acheteur", "total_ht": "total HT",
    "total_tva": "total TVA", "total_ttc": "total TTC", "currency": "devise", "purchase_order": "numéro de commande",
    "iban": "IBAN",
}


# ------------------------------------------------------------------ the checker's own uncertainty

# The label the supplier should print before each value, so that Chorus Pro (and the kiosk) read it.
FIELD_LABEL_HINTS = {
    "invoice_number": "« Facture n° »", "invoice_date": "« Date de facture : »", "seller_siret": "« SIRET : »",
    "buyer_siret": "« SIRET client : »", "total_ht": "« Total HT »", "total_tva": "« Total TVA »",
    "total_ttc": "« Total TTC »", "currency": "« EUR » ou « € »", "purchase_order": "« Engagement n° »",
}

# Issue code for each field the checker may be unsure of (one code per field: never renamed).
UNCERTAIN_CODES = {
    "invoice_number": "uncertain_invoice_number", "invoice_date": "uncertain_date",
    "seller_siret": "uncertain_seller_siret", "buyer_siret": "uncertain_buyer_siret",
    "total_ht": "uncertain_totals", "total_tva": "uncertain_totals", "total_ttc": "uncertain_totals",
    "currency": "uncertain_currency", "purchase_order": "uncertain_purchase_order",
}


def uncertain(name: str, *, found: str | None = None, why: str | None = None) -> Issue:
    """A warning, never an error: the checker read something but cannot tell for sure that it is
    the right value (candidates that disagree, a value without its label). The supplier checks it."""
    hint = FIELD_LABEL_HINTS.get(name)
    seen = f" (nous avons lu « {found} »)" if found else ""
    message = f"Nous n'avons pas su lire {_the(name)} avec certitude{seen}."
    if why:
        message = f"{message[:-1]} : {why}."
    fix = (f"Vérifiez dans le formulaire de Chorus Pro que {_the(name)} est juste. "
           + (f"Pour qu'il soit lu sans doute, écrivez {hint} suivi de la valeur." if hint else ""))
    return issue(UNCERTAIN_CODES.get(name, f"uncertain_{name}"), WARNING, _upper_first(message), fix.strip(), name)


def receipt() -> Issue:
    return issue("receipt_not_invoice", WARNING,
                 "Ce document ressemble à un reçu ou à un ticket de caisse, pas à une facture.",
                 "Chorus Pro attend une facture : demandez ou éditez une facture (avec « Facture n° », la date, "
                 "vos SIRET et numéro de TVA et les totaux HT, TVA et TTC) et déposez-la à la place.", "doc_type")

