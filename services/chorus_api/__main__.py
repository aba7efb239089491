"""`python -m services.chorus_api check`: test the office's Chorus Pro credentials.

Reads [chorus_api] from .streamlit/secrets.toml (or CHORUS_API_* variables), asks PISTE for a
token and runs one invoice search for a number that does not exist, against Chorus Pro's
sandbox (qualification) unless --production is given. Exit 0 when both work, 1 when Chorus Pro
refuses or does not answer, 2 when the credentials are missing or half-filled.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from services.chorus_api import ChorusApiError, ChorusClient, ChorusConfigError, load_settings
from services.office import PROJECT_ROOT

SECRETS = PROJECT_ROOT / ".streamlit" / "secrets.toml"
PROBE_NUMBER = "KIOSQUE-TEST-0000"


def _read_secrets(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ChorusConfigError(f"{path} est illisible : {exc}") from None


def check(environment: str, secrets_path: Path, http=None, out=print) -> int:
    try:
        settings = load_settings(_read_secrets(secrets_path), environment=environment)
    except ChorusConfigError as exc:
        out(f"Configuration incomplète : {exc}")
        return 2
    if settings is None:
        out("Aucun identifiant Chorus Pro : ajoutez la section [chorus_api] dans .streamlit/secrets.toml "
            "(modèle : .streamlit/secrets.toml.example). La recherche en direct reste désactivée.")
        return 2
    out(f"Environnement : {environment} ({settings.api_base})")
    client = ChorusClient(settings, http=http)
    try:
        client.token()
        out("1. Jeton PISTE obtenu : l'application PISTE (client_id, client_secret) est acceptée.")
        client.search(PROBE_NUMBER)
        out("2. Recherche de facture acceptée : le compte technique Chorus Pro (login, mot de passe) fonctionne.")
    except ChorusApiError as exc:
        hints = {
            "auth": "identifiants refusés : vérifiez client_id / client_secret (PISTE) puis login / mot de passe "
                    "du compte technique, et l'environnement (sandbox ou production).",
            "forbidden": "accès refusé : l'application PISTE doit être abonnée à l'API Chorus Pro, et le compte "
                         "technique rattaché à la structure de l'office avec l'espace « Factures reçues ».",
            "timeout": "Chorus Pro n'a pas répondu à temps. Réessayez plus tard.",
            "rate_limited": "Chorus Pro limite les appels en ce moment. Réessayez dans quelques minutes.",
            "unavailable": "Chorus Pro n'est pas joignable (réseau ou panne).",
            "bad_response": "réponse inattendue de Chorus Pro.",
        }
        out(f"Échec : {hints.get(exc.kind, exc.kind)} ({exc.detail})")
        return 1
    out("Tout fonctionne. Pour l'activer sur le kiosque, gardez ces identifiants dans [chorus_api] "
        "avec environment = \"production\".")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.chorus_api",
                                     description="Tester les identifiants Chorus Pro de l'office.")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("check", help="obtenir un jeton et faire une recherche d'essai")
    cmd.add_argument("--production", action="store_true", help="tester la production au lieu du bac à sable")
    cmd.add_argument("--secrets", type=Path, default=SECRETS, help="fichier secrets.toml à lire")
    args = parser.parse_args(argv)
    return check("production" if args.production else "sandbox", args.secrets)


if __name__ == "__main__":
    sys.exit(main())
