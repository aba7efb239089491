"""services/chorus_api against httpx.MockTransport, on the published shapes (module docstring):
success, no match, SIRET mismatch, expired token, 429, 5xx, timeout; settings; the check command."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from services.chorus_api import (
    SEARCH_PATH, ApiSettings, ChorusApiError, ChorusClient, ChorusConfigError, RateLimiter, load_settings,
    message_for, pick_invoice,
)
from services.chorus_api.__main__ import check

SIRET = "73282932000074"
OTHER_SIRET = "55210055400013"
SETTINGS = ApiSettings(client_id="cid", client_secret="secret", login="TECH_office@cpp", password="pw",
                       environment="sandbox")


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def invoice(number="F-2026-117", siret=SIRET, statut="MISE_A_DISPOSITION", **extra):
    return {"idFacture": 9001, "numeroFacture": number, "codeFournisseur": siret,
            "typeIdentifiantFournisseur": "SIRET", "designationFournisseur": "BOULANGERIE DURAND",
            "statut": statut, "dateDepot": "2026-10-17", "dateHeureEtatCourant": "2026-10-18T09:12:00.000+02:00",
            "montantTTC": 2400.0, **extra}


class FakeChorus:
    """PISTE token endpoint + rechercherFactureParRecipiendaire, recording what it receives."""

    def __init__(self, invoices=(), search_status=200, token_lifetime=3600):
        self.invoices = list(invoices)
        self.search_status = search_status
        self.token_lifetime = token_lifetime
        self.tokens_issued = 0
        self.valid_tokens: set[str] = set()
        self.requests: list[httpx.Request] = []
        self.bodies: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/api/oauth/token":
            form = dict(x.split("=", 1) for x in request.content.decode().split("&"))
            assert form["grant_type"] == "client_credentials" and form["client_id"] == "cid"
            self.tokens_issued += 1
            token = f"tok{self.tokens_issued}"
            self.valid_tokens.add(token)
            return httpx.Response(200, json={"access_token": token, "token_type": "Bearer",
                                             "expires_in": self.token_lifetime, "scope": "openid"})
        assert request.url.path == SEARCH_PATH
        if request.headers["authorization"].removeprefix("Bearer ") not in self.valid_tokens:
            return httpx.Response(401, json={"message": "Invalid token"})
        assert request.headers["cpro-account"] == base64.b64encode(b"TECH_office@cpp:pw").decode()
        if self.search_status != 200:
            return httpx.Response(self.search_status, text="error", headers={"Retry-After": "30"})
        body = json.loads(request.content)
        self.bodies.append(body)
        found = [i for i in self.invoices if "numeroFacture" not in body or i["numeroFacture"] == body["numeroFacture"]]
        return httpx.Response(200, json={"codeRetour": 0, "libelle": "TRA_MSG_00.000", "listeFactures": found,
                                         "parametresRetour": {"total": len(found), "pageCourante": 1}})


def client_for(fake, clock=None, **kwargs) -> ChorusClient:
    return ChorusClient(SETTINGS, http=httpx.Client(transport=httpx.MockTransport(fake)), clock=clock or Clock(),
                        **kwargs)


def test_success_gives_status_and_dates_only():
    fake = FakeChorus([invoice()])
    result = client_for(fake).find_invoice(siret=SIRET, number="F-2026-117")
    assert result.status_code == "MISE_A_DISPOSITION"
    assert result.deposit_date.isoformat() == "2026-10-17"
    assert result.status_date.isoformat() == "2026-10-18"
    assert set(vars(result)) == {"invoice_number", "status_code", "status_date", "deposit_date"}
    search = fake.requests[-1]
    assert str(search.url) == "https://sandbox-api.piste.gouv.fr" + SEARCH_PATH
    assert json.loads(search.content)["numeroFacture"] == "F-2026-117"


def test_number_typed_loosely_still_matches():
    fake = FakeChorus([invoice(number="F-2026-117")])
    assert client_for(fake).find_invoice(siret=SIRET, number="  F-2026-117 ") is not None


def test_no_match():
    assert client_for(FakeChorus([])).find_invoice(siret=SIRET, number="F-404") is None


def test_siret_mismatch_answers_like_no_match():
    fake = FakeChorus([invoice(siret=OTHER_SIRET)])
    assert client_for(fake).find_invoice(siret=SIRET, number="F-2026-117") is None


def test_another_identifier_type_never_matches():
    assert pick_invoice({"listeFactures": [invoice(typeIdentifiantFournisseur="UE_HORS_FRANCE")]},
                        siret=SIRET, number="F-2026-117") is None


def test_token_is_cached_until_it_expires():
    fake, clock = FakeChorus([invoice()], token_lifetime=3600), Clock()
    client = client_for(fake, clock)
    client.find_invoice(siret=SIRET, number="F-2026-117")
    client.find_invoice(siret=SIRET, number="F-2026-117")
    assert fake.tokens_issued == 1
    clock.t += 3600 - 60  # renewed a minute before it expires
    client.find_invoice(siret=SIRET, number="F-2026-117")
    assert fake.tokens_issued == 2


def test_expired_token_is_renewed_once_on_401():
    fake = FakeChorus([invoice()])
    client = client_for(fake)
    client.token()
    fake.valid_tokens.clear()  # PISTE revoked or expired it early
    assert client.find_invoice(siret=SIRET, number="F-2026-117").status_code == "MISE_A_DISPOSITION"
    assert fake.tokens_issued == 2


def test_401_twice_is_an_auth_error():
    fake = FakeChorus([invoice()])

    def handler(request):
        response = fake(request)
        return httpx.Response(401) if request.url.path == SEARCH_PATH else response

    with pytest.raises(ChorusApiError) as caught:
        client_for(handler).find_invoice(siret=SIRET, number="F-2026-117")
    assert caught.value.kind == "auth"


def test_wrong_credentials_at_the_token_endpoint():
    def handler(request):
        return httpx.Response(401, json={"error": "invalid_client"})

    with pytest.raises(ChorusApiError) as caught:
        client_for(handler).find_invoice(siret=SIRET, number="F-1")
    assert caught.value.kind == "auth"


def test_429_then_the_client_cools_down():
    fake, clock = FakeChorus([invoice()], search_status=429), Clock()
    client = client_for(fake, clock)
    with pytest.raises(ChorusApiError) as caught:
        client.find_invoice(siret=SIRET, number="F-2026-117")
    assert caught.value.kind == "rate_limited" and caught.value.retry_after == 30
    calls = len(fake.requests)
    with pytest.raises(ChorusApiError):
        client.find_invoice(siret=SIRET, number="F-2026-117")
    assert len(fake.requests) == calls  # no call to Chorus Pro while cooling down
    fake.search_status = 200
    clock.t += 31
    assert client.find_invoice(siret=SIRET, number="F-2026-117") is not None


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_unavailable(status):
    with pytest.raises(ChorusApiError) as caught:
        client_for(FakeChorus([invoice()], search_status=status)).find_invoice(siret=SIRET, number="F-2026-117")
    assert caught.value.kind == "unavailable"


def test_timeout():
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(ChorusApiError) as caught:
        client_for(handler).find_invoice(siret=SIRET, number="F-2026-117")
    assert caught.value.kind == "timeout"
    assert "Factures émises" not in message_for(caught.value)  # the page adds the manual way itself
    assert "Réessayez" in message_for(caught.value)


def test_not_json_is_a_bad_response():
    fake = FakeChorus()

    def handler(request):
        return fake(request) if request.url.path != SEARCH_PATH else httpx.Response(200, text="<html>")

    with pytest.raises(ChorusApiError) as caught:
        client_for(handler).find_invoice(siret=SIRET, number="F-1")
    assert caught.value.kind == "bad_response"


def test_rate_limit_per_session_and_overall():
    clock = Clock()
    client = client_for(FakeChorus([invoice()]), clock, per_session=RateLimiter(2, 600, clock),
                        overall=RateLimiter(3, 60, clock))
    for _ in range(2):
        client.find_invoice(siret=SIRET, number="F-2026-117", session_key="a")
    with pytest.raises(ChorusApiError) as caught:
        client.find_invoice(siret=SIRET, number="F-2026-117", session_key="a")
    assert caught.value.kind == "limit" and caught.value.retry_after == 600
    client.find_invoice(siret=SIRET, number="F-2026-117", session_key="b")  # 3rd overall
    with pytest.raises(ChorusApiError):
        client.find_invoice(siret=SIRET, number="F-2026-117", session_key="c")  # overall limit
    clock.t += 60
    client.find_invoice(siret=SIRET, number="F-2026-117", session_key="c")


# --- settings ---------------------------------------------------------------------------------

def test_off_without_credentials():
    assert load_settings({}, {}) is None


def test_settings_from_secrets_and_from_environment():
    from_secrets = load_settings({"chorus_api": {"client_id": "a", "client_secret": "b", "login": "c",
                                                 "password": "d"}}, {})
    assert from_secrets.environment == "production" and from_secrets.api_base == "https://api.piste.gouv.fr"
    from_env = load_settings({}, {"CHORUS_API_CLIENT_ID": "a", "CHORUS_API_CLIENT_SECRET": "b",
                                  "CHORUS_API_LOGIN": "c", "CHORUS_API_PASSWORD": "d",
                                  "CHORUS_API_ENVIRONMENT": "sandbox"})
    assert from_env.oauth_url == "https://sandbox-oauth.piste.gouv.fr/api/oauth/token"
    assert "d" not in repr(from_env).replace("sandbox", "")


def test_half_filled_settings_name_what_is_missing():
    with pytest.raises(ChorusConfigError, match="password"):
        load_settings({"chorus_api": {"client_id": "a", "client_secret": "b", "login": "c"}}, {})


# --- python -m services.chorus_api check ---------------------------------------------------------

def _secrets(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('[chorus_api]\nclient_id = "cid"\nclient_secret = "secret"\nlogin = "TECH_office@cpp"\n'
                    'password = "pw"\n', encoding="utf-8")
    return path


def test_check_succeeds_against_the_sandbox(tmp_path):
    fake, lines = FakeChorus(), []
    code = check("sandbox", _secrets(tmp_path), http=httpx.Client(transport=httpx.MockTransport(fake)),
                 out=lines.append)
    assert code == 0, lines
    assert fake.requests[0].url.host == "sandbox-oauth.piste.gouv.fr"
    assert "Tout fonctionne" in lines[-1]


def test_check_explains_a_refusal(tmp_path):
    lines = []
    transport = httpx.MockTransport(lambda request: httpx.Response(401))
    assert check("sandbox", _secrets(tmp_path), http=httpx.Client(transport=transport), out=lines.append) == 1
    assert "identifiants refusés" in lines[-1]


def test_check_without_credentials(tmp_path, monkeypatch):
    for name in ("CLIENT_ID", "CLIENT_SECRET", "LOGIN", "PASSWORD"):
        monkeypatch.delenv(f"CHORUS_API_{name}", raising=False)
    lines = []
    assert check("sandbox", tmp_path / "absent.toml", out=lines.append) == 2
    assert "[chorus_api]" in lines[0]


def test_staff_see_every_supplier_of_a_number_or_one_siret():
    fake = FakeChorus([invoice(), invoice(siret=OTHER_SIRET, designationFournisseur="AUTRE")])
    client = client_for(fake)
    both = client.staff_lookup(number="F-2026-117")
    assert {i.supplier_id for i in both} == {SIRET, OTHER_SIRET}
    one = client.staff_lookup(number="F-2026-117", siret=OTHER_SIRET)
    assert [(i.supplier_name, i.status_code) for i in one] == [("AUTRE", "MISE_A_DISPOSITION")]


def test_staff_look_up_by_siret_alone_searches_recent_deposits():
    from datetime import date

    fake = FakeChorus([invoice(number="A-1"), invoice(number="B-2", siret=OTHER_SIRET)])
    found = client_for(fake).staff_lookup(number="", siret=SIRET, today=date(2026, 12, 1))
    assert [i.invoice_number for i in found] == ["A-1"]
    assert fake.bodies[-1]["periodeDateDepotDu"] == "2026-09-02"  # 90 days before
    assert "numeroFacture" not in fake.bodies[-1]
