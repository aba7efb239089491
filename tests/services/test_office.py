import re

import pytest

from services.office import DEFAULT_PATH, OfficeConfigError, load_office, parse_office

GOOD = DEFAULT_PATH.read_text(encoding="utf-8")


def test_the_committed_office_toml_loads():
    office = load_office()
    assert office.siret == "80938923200020"
    assert office.name == "OFFICE TOURISME ET PATRIMOINE DE LA CALL"
    assert office.cadre_facturation == "A1"
    assert office.recipient_is_state is False
    assert office.phone_e164 == "+33321726653"
    assert office.tel_link == "tel:+33321726653"
    assert [r.start.hour for r in office.hours["monday"]] == [9]
    assert office.hours["sunday"] == ()
    assert office.siret_display == "809 389 232 00020"


def _broken(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def _line_number(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('siret = "80938923200020"', 'siret = "80938923200021"', "SIRET valide"),
        ('siret = "80938923200020"', 'siret = "8093892320"', "SIRET valide"),
        ('phone = "03 21 72 66 53"', 'phone = "03 21 72"', "numéro de téléphone"),
        ('monday = ["09:00-17:00"]', 'monday = ["9h-17h"]', "illisible"),
        ('monday = ["09:00-17:00"]', 'monday = ["17:00-09:00"]', "finit avant"),
        ('monday = ["09:00-17:00"]', 'monday = ["09:00-12:00", "11:00-17:00"]', "chevauchent"),
        ('monday = ["09:00-17:00"]', 'monday = ["25:00-26:00"]', "impossible"),
        ('timezone = "Europe/Paris"', 'timezone = "Europe/Lens"', "fuseau"),
        ("retention_days = 90", "retention_days = 0", "au moins 1"),
        ("retention_days = 90", 'retention_days = "90"', "nombre entier"),
        ("recipient_is_state = false", 'recipient_is_state = "non"', "true ou false"),
    ],
)
def test_a_bad_value_names_its_line(old, new, words):
    text = _broken(old, new)
    with pytest.raises(OfficeConfigError) as err:
        parse_office(text)
    message = str(err.value)
    assert words in message
    assert f"ligne {_line_number(text, new.split(' =')[0] + ' =')}" in message


def test_a_missing_value_is_named():
    text = _broken('city = "LENS"\n', "")
    with pytest.raises(OfficeConfigError, match=r"office\.city.*manquante"):
        parse_office(text)


def test_toml_syntax_error_is_reported_in_french():
    with pytest.raises(OfficeConfigError, match="syntaxe TOML"):
        parse_office(GOOD + "\nname = \n")


def test_a_week_without_any_opening_is_refused():
    text = re.sub(r'(\w+day) = \["09:00-17:00"\]', r"\1 = []", GOOD)
    with pytest.raises(OfficeConfigError, match="aucune plage"):
        parse_office(text)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(OfficeConfigError, match="introuvable"):
        load_office(tmp_path / "nope.toml")


def test_spaces_in_siret_are_accepted():
    office = parse_office(_broken('siret = "80938923200020"', 'siret = "809 389 232 00020"'))
    assert office.siret == "80938923200020"


def test_wording_becomes_content_placeholders():
    from services.guides import fill

    office = parse_office(GOOD + '\nrappel_paiement = "Paiement sous 30 jours."\n')
    assert fill("{rappel_paiement}", office.placeholders(), "test") == "Paiement sous 30 jours."
    with pytest.raises(OfficeConfigError, match="déjà pris"):
        parse_office(GOOD + '\nsiret = "autre"\n')
    with pytest.raises(OfficeConfigError, match="minuscules"):
        parse_office(GOOD + '\nMessage-Accueil = "x"\n')


def test_another_public_body_by_editing_office_toml_alone(tmp_path):
    other = _broken('siret = "80938923200020"', 'siret = "73282932000074"')  # a valid SIRET
    other = other.replace("OFFICE TOURISME ET PATRIMOINE DE LA CALL", "MAIRIE DE TEST")
    path = tmp_path / "office.toml"
    path.write_text(other, encoding="utf-8")
    office = load_office(path)
    assert office.siret == "73282932000074" and office.name == "MAIRIE DE TEST"


def test_notifications_section_is_read():
    notifications = parse_office(GOOD).notifications
    assert notifications is not None
    assert "@" in notifications.team_email and "@" in notifications.from_email
    assert 0 <= notifications.digest_hour <= 23
    assert notifications.kiosk_url.startswith("http") and not notifications.kiosk_url.endswith("/")
    assert notifications.domain == notifications.from_email.split("@")[1]


@pytest.mark.parametrize(
    ("key", "bad", "words"),
    [
        ("team_email", '"compta chez office.fr"', "adresse e-mail valide"),
        ("team_email", '"a@b.fr\\r\\nBcc: x@y.fr"', "adresse e-mail valide"),
        ("from_email", '"kiosque@"', "adresse e-mail valide"),
        ("digest_hour", "24", "entre 0 et 23"),
        ("digest_hour", '"8h"', "nombre entier"),
        ("kiosk_url", '"kiosque.office.fr"', "adresse du kiosque"),
    ],
)
def test_a_bad_notifications_value_names_its_line(key, bad, words, monkeypatch):
    monkeypatch.delenv("KIOSK_URL", raising=False)
    start = GOOD.index("[notifications]")
    line_start = GOOD.index(f"\n{key} =", start) + 1
    line_end = GOOD.index("\n", line_start)
    text = GOOD[:line_start] + f"{key} = {bad}" + GOOD[line_end:]
    with pytest.raises(OfficeConfigError) as err:
        parse_office(text)
    assert words in str(err.value)
    assert f"ligne {_line_number(text, f'{key} = {bad}')}" in str(err.value)


def test_missing_notification_value_is_named():
    start = GOOD.index("[notifications]")
    line_start = GOOD.index("\nteam_email =", start) + 1
    text = GOOD[:line_start] + GOOD[GOOD.index("\n", line_start) + 1:]
    with pytest.raises(OfficeConfigError, match=r"notifications\.team_email.*manquante"):
        parse_office(text)


def test_without_notifications_section_nothing_is_mailed():
    text = GOOD[:GOOD.index("[notifications]")]
    assert parse_office(text).notifications is None


def test_kiosk_url_from_the_environment_wins(monkeypatch):
    monkeypatch.setenv("KIOSK_URL", "https://kiosque.office.example/")
    assert parse_office(GOOD).notifications.kiosk_url == "https://kiosque.office.example"


# --- the legal pages' details: [office] legal_form and street, [legal], [accessibility] --------

def test_legal_details_are_read_and_unknown_ones_stay_empty():
    office = parse_office(GOOD)
    assert office.legal.legal_form == "" and office.legal.host_name == ""  # never guessed
    assert office.accessibility.status == "non conforme"
    assert office.accessibility.evaluated_on.isoformat() == "2026-12-05"
    missing = [m.where for m in office.missing_details()]
    assert "[office] legal_form" in missing and "[legal] publication_director" in missing
    assert "[accessibility] status" not in missing


def test_a_filled_legal_detail_is_no_longer_missing():
    office = parse_office(_broken('host_name = ""', 'host_name = "Hébergeur SAS"'))
    assert office.legal.host_name == "Hébergeur SAS"
    assert "[legal] host_name" not in [m.where for m in office.missing_details()]


def test_without_the_new_sections_everything_is_missing_but_nothing_breaks():
    text = re.sub(r"\n\[legal\].*?(?=\n\[notifications\])", "\n", GOOD, flags=re.S)
    text = re.sub(r'\nlegal_form = ""\n|\nstreet = ""\n', "\n", text)
    office = parse_office(text)
    assert office.accessibility.status == "" and office.accessibility.evaluated_on is None
    wheres = [m.where for m in office.missing_details()]
    assert "[accessibility] status" in wheres and "[accessibility] evaluated_on" in wheres
    assert "[legal] host_phone" in wheres


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('status = "non conforme"', 'status = "conforme"', "partiellement conforme"),
        ('status = "non conforme"', 'status = "Non conforme"', "l'un de"),
        ("evaluated_on = 2026-12-05", 'evaluated_on = "5 décembre 2026"', "2026-12-05"),
        ("evaluated_on = 2026-12-05", "evaluated_on = 2026-12-05T10:00:00", "2026-12-05"),
        ('contact_email = ""', 'contact_email = "contact chez office.fr"', "adresse e-mail valide"),
        ('host_phone = ""', 'host_phone = "01 02"', "numéro de téléphone"),
        ('host_name = ""', "host_name = 12", "texte entre guillemets"),
    ],
)
def test_a_bad_legal_value_names_its_line(old, new, words):
    text = _broken(old, new)
    with pytest.raises(OfficeConfigError) as err:
        parse_office(text)
    message = str(err.value)
    assert words in message
    assert f"ligne {_line_number(text, new)}" in message


def test_the_evaluation_date_may_be_written_as_text():
    office = parse_office(_broken("evaluated_on = 2026-12-05", 'evaluated_on = "2027-01-15"'))
    assert office.accessibility.evaluated_on.isoformat() == "2027-01-15"
