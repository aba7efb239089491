"""Live look-up of an invoice's status in Chorus Pro, through the PISTE API (httpx).

Off by default: it works only when the office puts its Chorus Pro technical account in the
secrets (`[chorus_api]` in .streamlit/secrets.toml, or CHORUS_API_* environment variables).
Without them `load_settings()` returns None and the kiosk offers the status decoder alone.

API shapes (domain facts 3.3; request and response fields as published by the AIFE and used by
public clients):
- Token: OAuth2 client credentials, `POST https://oauth.piste.gouv.fr/api/oauth/token` (sandbox
  `https://sandbox-oauth.piste.gouv.fr/api/oauth/token`), form `grant_type=client_credentials`,
  `client_id`, `client_secret`, `scope=openid`; answer `access_token`, `expires_in` (~3600 s).
  Sources: github.com/OCA/l10n-france `l10n_fr_chorus_account/models/res_company.py`;
  github.com/antoine2116/go-choruspro `client.go`.
- Every call: `Authorization: Bearer <token>` and `cpro-account: base64(login:password)` of the
  Chorus Pro *compte technique* (same sources).
- rechercherFactureParRecipiendaire: `POST {base}/cpro/factures/v1/rechercher/recipiendaire`,
  body `{"numeroFacture": …, "paramRecherche": {"nbResultatsParPage": n, "pageResultatDemandee": 1}}`
  (optionally `idDestinataire`); answer `{"codeRetour", "libelle", "listeFactures": [{"numeroFacture",
  "codeFournisseur", "typeIdentifiantFournisseur", "statut", "dateDepot", "dateHeureEtatCourant", …}]}`.
  Source: github.com/antoine2116/go-choruspro `factures_recherches.go` (RechercherFactureParRecipiendaire
  and its test), `pagination.go` (paramRecherche).
  Assumption [I]: an empty or missing `listeFactures` means no invoice, whatever `codeRetour` says.

Privacy: the search runs by invoice number; an invoice is returned only when the supplier's SIRET
(`codeFournisseur`, identifier type SIRET) and the number both match. A number that exists for
another supplier answers exactly like a number that does not exist. Only the status and its dates
leave this module, nothing else about the invoice.
"""

from __future__ import annotations

import base64
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx

log = logging.getLogger(__name__)

ENVIRONMENTS = {
    "production": ("https://api.piste.gouv.fr", "https://oauth.piste.gouv.fr/api/oauth/token"),
    "sandbox": ("https://sandbox-api.piste.gouv.fr", "https://sandbox-oauth.piste.gouv.fr/api/oauth/token"),
}
SEARCH_PATH = "/cpro/factures/v1/rechercher/recipiendaire"
TOKEN_MARGIN_S = 60  # renew a token this long before it expires
DEFAULT_TIMEOUT_S = 10.0
MAX_RESULTS = 20
STAFF_SIRET_DAYS = 90  # staff look-up by SIRET alone: invoices deposited in the last 90 days
STAFF_SIRET_RESULTS = 100
ENV_PREFIX = "CHORUS_API_"


class ChorusApiError(Exception):
    """The look-up could not be done. `kind`: timeout, rate_limited, unavailable, auth, forbidden,
    bad_response, limit (our own rate limit)."""

    def __init__(self, kind: str, detail: str = "", retry_after: float | None = None):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.detail, self.retry_after = kind, detail, retry_after


class ChorusConfigError(ValueError):
    """The [chorus_api] secrets are incomplete or wrong (French message for the office)."""


@dataclass(frozen=True)
class ApiSettings:
    client_id: str
    client_secret: str
    login: str  # Chorus Pro technical account
    password: str
    environment: str = "production"
    id_destinataire: int | None = None  # the office's idStructureCPP, narrows the search (optional)
    base_url: str | None = None  # overrides, for tests
    token_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def api_base(self) -> str:
        return (self.base_url or ENVIRONMENTS[self.environment][0]).rstrip("/")

    @property
    def oauth_url(self) -> str:
        return self.token_url or ENVIRONMENTS[self.environment][1]

    @property
    def cpro_account(self) -> str:
        return base64.b64encode(f"{self.login}:{self.password}".encode()).decode("ascii")

    def __repr__(self) -> str:  # never print secrets
        return f"ApiSettings(environment={self.environment!r}, login={self.login!r})"


_FIELDS = ("client_id", "client_secret", "login", "password")


def load_settings(secrets: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
                  *, environment: str | None = None) -> ApiSettings | None:
    """Settings from the secrets' [chorus_api] table, else CHORUS_API_* variables; None when
    neither holds any credential (the live look-up is off). ChorusConfigError when half-filled."""
    environ = os.environ if environ is None else environ
    section = dict((secrets or {}).get("chorus_api") or {})
    source = "secrets.toml [chorus_api]"
    if not any(section.get(k) for k in _FIELDS):
        section = {k: environ.get(ENV_PREFIX + k.upper(), "") for k in
                   (*_FIELDS, "environment", "id_destinataire", "base_url", "token_url", "timeout")}
        source = "variables CHORUS_API_*"
        if not any(section.get(k) for k in _FIELDS):
            return None
    missing = [k for k in _FIELDS if not str(section.get(k) or "").strip()]
    if missing:
        raise ChorusConfigError(f"{source} : il manque {', '.join(missing)}.")
    env = environment or str(section.get("environment") or "production")
    if env not in ENVIRONMENTS:
        raise ChorusConfigError(f"{source} : environment doit être « production » ou « sandbox ».")
    id_dest = section.get("id_destinataire")
    try:
        id_dest = int(id_dest) if id_dest not in (None, "") else None
        timeout = float(section.get("timeout") or DEFAULT_TIMEOUT_S)
    except (TypeError, ValueError):
        raise ChorusConfigError(f"{source} : id_destinataire et timeout sont des nombres.") from None
    return ApiSettings(
        client_id=str(section["client_id"]).strip(), client_secret=str(section["client_secret"]).strip(),
        login=str(section["login"]).strip(), password=str(section["password"]),
        environment=env, id_destinataire=id_dest,
        base_url=str(section.get("base_url") or "") or None, token_url=str(section.get("token_url") or "") or None,
        timeout=timeout,
    )


@dataclass(frozen=True)
class InvoiceStatus:
    """What the kiosk may show: the status and its dates, nothing else."""

    invoice_number: str
    status_code: str  # Chorus Pro's statutFacture, e.g. MISE_A_DISPOSITION
    status_date: date | None
    deposit_date: date | None


def _day(value: Any) -> date | None:
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _same_number(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def pick_invoice(payload: Any, *, siret: str, number: str) -> InvoiceStatus | None:
    """The one invoice of a search answer whose number and supplier SIRET both match."""
    if not isinstance(payload, dict):
        raise ChorusApiError("bad_response", "not a JSON object")
    items = payload.get("listeFactures") or []
    if not isinstance(items, list):
        raise ChorusApiError("bad_response", "listeFactures is not a list")
    for item in items:
        if not isinstance(item, dict):
            continue
        kind = item.get("typeIdentifiantFournisseur")
        if kind not in (None, "", "SIRET"):
            continue
        if str(item.get("codeFournisseur") or "").replace(" ", "") != siret:
            continue
        if not _same_number(str(item.get("numeroFacture") or ""), number):
            continue
        status = str(item.get("statut") or "").strip().upper()
        if not status:
            raise ChorusApiError("bad_response", "invoice without statut")
        return InvoiceStatus(str(item.get("numeroFacture")), status, _day(item.get("dateHeureEtatCourant")),
                             _day(item.get("dateDepot")))
    return None


@dataclass(frozen=True)
class ReceivedInvoice:
    """An invoice as the office's staff see it (they are its recipient): who sent it and where it is."""

    invoice_number: str
    supplier_name: str
    supplier_id: str  # codeFournisseur: the SIRET for a French supplier
    status_code: str
    status_date: date | None
    deposit_date: date | None


def received_invoices(payload: Any, *, siret: str | None = None) -> list[ReceivedInvoice]:
    """Every invoice of a search answer, for the staff; only the supplier `siret`'s when given."""
    if not isinstance(payload, dict) or not isinstance(payload.get("listeFactures") or [], list):
        raise ChorusApiError("bad_response", "unexpected search answer")
    found = []
    for item in payload.get("listeFactures") or []:
        if not isinstance(item, dict):
            continue
        supplier = str(item.get("codeFournisseur") or "").replace(" ", "")
        if siret and supplier != siret:
            continue
        found.append(ReceivedInvoice(str(item.get("numeroFacture") or ""), str(item.get("designationFournisseur") or ""),
                                     supplier, str(item.get("statut") or "").upper(),
                                     _day(item.get("dateHeureEtatCourant")), _day(item.get("dateDepot"))))
    return found


# The kiosk's own politeness towards PISTE: look-ups per visitor per 10 minutes, and for the whole
# kiosk per minute (with several servers, each takes its share: services.servers).
PER_VISITOR_LOOKUPS = 5
KIOSK_LOOKUPS_PER_MINUTE = 30


class RateLimiter:
    """At most `limit` calls per `window` seconds for each key (sliding window)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """0 when the call may go (and counts it), else the seconds to wait."""
        with self._lock:
            now = self.clock()
            calls = self._calls.setdefault(key, deque())
            while calls and now - calls[0] >= self.window:
                calls.popleft()
            if len(calls) >= self.limit:
                return max(0.0, self.window - (now - calls[0]))
            calls.append(now)
            return 0.0


class ChorusClient:
    """Token cached until shortly before it expires; one retry with a new token on a 401."""

    def __init__(self, settings: ApiSettings, *, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 per_session: RateLimiter | None = None, overall: RateLimiter | None = None,
                 overall_limit: int = KIOSK_LOOKUPS_PER_MINUTE):
        self.settings = settings
        self.http = http or httpx.Client(timeout=settings.timeout)
        self.clock = clock
        self.per_session = per_session or RateLimiter(PER_VISITOR_LOOKUPS, 600, clock)
        # With several kiosk servers, `overall_limit` is this one's share (services.servers).
        self.overall = overall or RateLimiter(overall_limit, 60, clock)
        self._token: str | None = None
        self._token_until = 0.0
        self._cool_down_until = 0.0  # after a 429 from PISTE
        self._lock = threading.Lock()

    # --- token -------------------------------------------------------------------------------
    def token(self, *, force: bool = False) -> str:
        with self._lock:
            if not force and self._token and self.clock() < self._token_until:
                return self._token
            data = {"grant_type": "client_credentials", "client_id": self.settings.client_id,
                    "client_secret": self.settings.client_secret, "scope": "openid"}
            response = self._send("POST", self.settings.oauth_url, data=data)
            if response.status_code in (400, 401, 403):
                raise ChorusApiError("auth", f"token endpoint answered {response.status_code}")
            self._check(response)
            body = self._json(response)
            token = body.get("access_token") if isinstance(body, dict) else None
            if not token:
                raise ChorusApiError("bad_response", "no access_token")
            try:
                lifetime = float(body.get("expires_in") or 3600)
            except (TypeError, ValueError):
                lifetime = 3600.0
            self._token = str(token)
            self._token_until = self.clock() + max(lifetime - TOKEN_MARGIN_S, 0)
            return self._token

    # --- search ------------------------------------------------------------------------------
    def search(self, number: str | None, *, deposited_since: date | None = None, max_results: int = MAX_RESULTS) -> Any:
        """The raw answer of rechercherFactureParRecipiendaire: one invoice number, or (staff, by
        supplier) the invoices deposited since a date (`periodeDateDepotDu`, yyyy-mm-dd)."""
        body: dict[str, Any] = {"paramRecherche": {"nbResultatsParPage": max_results, "pageResultatDemandee": 1}}
        if number:
            body["numeroFacture"] = number
        if deposited_since:
            body["periodeDateDepotDu"] = deposited_since.isoformat()
        if self.settings.id_destinataire:
            body["idDestinataire"] = self.settings.id_destinataire
        url = self.settings.api_base + SEARCH_PATH
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token(force=attempt == 2)}",
                       "cpro-account": self.settings.cpro_account,
                       "Content-Type": "application/json;charset=utf-8", "Accept": "application/json"}
            response = self._send("POST", url, json=body, headers=headers)
            if response.status_code == 401 and attempt == 1:
                log.info("Chorus Pro answered 401: token renewed once")
                continue
            if response.status_code == 401:
                raise ChorusApiError("auth", "401 after a fresh token")
            self._check(response)
            return self._json(response)
        raise AssertionError("unreachable")

    def find_invoice(self, *, siret: str, number: str, session_key: str = "cli") -> InvoiceStatus | None:
        """The status of the invoice `number` of the supplier `siret`, or None (no such invoice
        for this supplier). ChorusApiError when it cannot be known now."""
        wait = max(self._cool_down_until - self.clock(), 0.0)
        if wait:
            raise ChorusApiError("rate_limited", "cooling down after a 429", retry_after=wait)
        for limiter, key in ((self.per_session, session_key), (self.overall, "all")):
            wait = limiter.acquire(key)
            if wait:
                raise ChorusApiError("limit", f"kiosk limit ({key})", retry_after=wait)
        number = number.strip()
        return pick_invoice(self.search(number), siret=siret, number=number)

    def staff_lookup(self, *, number: str | None, siret: str | None = None, today: date | None = None,
                     session_key: str = "staff") -> list[ReceivedInvoice]:
        """For the office's staff: the invoices received under this number (one supplier's when
        `siret` is given), or without a number the supplier's invoices deposited in the last
        STAFF_SIRET_DAYS days (at most STAFF_SIRET_RESULTS, newest page only)."""
        if not (number or "").strip() and not siret:
            raise ValueError("a number or a SIRET")
        wait = max(self._cool_down_until - self.clock(), 0.0)
        if wait:
            raise ChorusApiError("rate_limited", "cooling down after a 429", retry_after=wait)
        wait = self.overall.acquire("all")
        if wait:
            raise ChorusApiError("limit", "kiosk limit (all)", retry_after=wait)
        if (number or "").strip():
            return received_invoices(self.search(number.strip()), siret=siret)
        since = (today or date.today()) - timedelta(days=STAFF_SIRET_DAYS)
        answer = self.search(None, deposited_since=since, max_results=STAFF_SIRET_RESULTS)
        return received_invoices(answer, siret=siret)

    # --- plumbing ----------------------------------------------------------------------------
    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            return self.http.request(method, url, timeout=self.settings.timeout, **kwargs)
        except httpx.TimeoutException as exc:
            raise ChorusApiError("timeout", type(exc).__name__) from None
        except httpx.HTTPError as exc:
            raise ChorusApiError("unavailable", type(exc).__name__) from None

    def _check(self, response: httpx.Response) -> None:
        code = response.status_code
        if code == 429:
            retry = _retry_after(response.headers.get("Retry-After"))
            self._cool_down_until = self.clock() + (retry or 60.0)
            raise ChorusApiError("rate_limited", "429", retry_after=retry)
        if code == 403:
            raise ChorusApiError("forbidden", "403")
        if code >= 500:
            raise ChorusApiError("unavailable", str(code))
        if code >= 400:
            raise ChorusApiError("bad_response", str(code))

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ChorusApiError("bad_response", "not JSON") from None


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


# --- French messages -----------------------------------------------------------------------

MANUAL_WAY = ("Vous pouvez voir le statut vous-même dans Chorus Pro, menu « Factures émises », "
              "ou le demander à ClaudIA, l'assistant de Chorus Pro, avec le numéro de la facture.")


def message_for(error: ChorusApiError) -> str:
    """What to tell the supplier when the look-up fails (the manual way follows on the page)."""
    if error.kind == "limit":
        minutes = max(1, round((error.retry_after or 60) / 60))
        return f"Vous avez fait beaucoup de recherches. Réessayez dans {minutes} minute{'s' if minutes > 1 else ''}."
    if error.kind == "rate_limited":
        return "Chorus Pro reçoit trop de demandes en ce moment. Réessayez dans quelques minutes."
    if error.kind == "timeout":
        return "Chorus Pro ne répond pas assez vite en ce moment. Réessayez plus tard."
    if error.kind in ("auth", "forbidden"):
        return "La recherche en direct ne fonctionne pas en ce moment (accès de l'office à Chorus Pro)."
    return "Chorus Pro n'est pas joignable en ce moment. Réessayez plus tard."
