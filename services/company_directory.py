"""Look an establishment up in the French public company directory.

The directory is the « API Recherche d'entreprises » (no key). A 14-digit `q` returns
the company with that one establishment in `matching_etablissements`; a 9-digit `q`
returns the company and its head office (`siege`), never the list of its
establishments. Non-diffusible companies are not returned at all.

The kiosk must stay pleasant when the directory is away (this machine has no
internet): every call has a total time budget of a few seconds, and whatever goes
wrong (unreachable, slow, 4xx, 5xx, garbage) becomes a `LookupResult` with status
"unavailable" and a French message, never an exception. Politeness: a process-wide
token bucket keeps this server under its share of the published 7 requests/s (the limit
is per address of the host: with KIOSK_SERVERS servers, each takes 7 // KIOSK_SERVERS, see
services/servers.py), a 429's Retry-After is
honoured (we wait when it is short, otherwise stop asking until it has passed),
and answers are cached for hours (not-found answers briefly).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Literal

import httpx

from services.servers import server_share
from services.siret import SIREN_LENGTH, SIRET_LENGTH, compact_identifier, format_display

Status = Literal["found", "not_found", "unavailable", "invalid"]

# The public page of a company on the directory's website (lists all its establishments).
COMPANY_PAGE_URL = "https://annuaire-entreprises.data.gouv.fr/entreprise/{siren}"
PUBLISHED_RATE_LIMIT = 7.0  # requests per second per IP address
MAX_BODY_BYTES = 2_000_000

UNAVAILABLE = (
    "Vérification en ligne indisponible pour le moment : l'annuaire des entreprises ne répond pas. "
    "Seule la clé de contrôle du numéro a été vérifiée."
)
UNAVAILABLE_BUSY = (
    "Vérification en ligne indisponible pour le moment : l'annuaire des entreprises reçoit trop de "
    "demandes. Réessayez dans {seconds} s. Seule la clé de contrôle du numéro a été vérifiée."
)
CLOSED_WARNING = "Chorus Pro refusera ce SIRET : utilisez celui de votre établissement actif."
CEASED_WARNING = (
    "Chorus Pro refusera ce SIRET : l'entreprise est fermée (cessée) dans le répertoire Sirene de l'Insee."
)


@dataclass(frozen=True)
class Establishment:
    siret: str
    name: str  # the company's name as the directory shows it
    sign: str | None  # the establishment's own trading name (enseigne), if any
    address: str
    active: bool  # établissement etat_administratif "A" (else "F", fermé)
    is_siege: bool
    closed_on: str | None  # ISO date, when closed

    @property
    def siret_display(self) -> str:
        return format_display(self.siret)


@dataclass(frozen=True)
class Company:
    siren: str
    name: str
    active: bool  # unité légale etat_administratif "A" (else "C", cessée)
    ceased_on: str | None
    open_establishments: int | None
    siege: Establishment | None

    @property
    def page_url(self) -> str:
        """The directory's public page listing every establishment of the company."""
        return COMPANY_PAGE_URL.format(siren=self.siren)


@dataclass(frozen=True)
class LookupResult:
    """The directory's answer about one SIRET or SIREN, ready to show."""

    status: Status
    query: str  # the compact number asked for
    message: str  # French, plain words
    company: Company | None = None
    establishment: Establishment | None = None  # the establishment asked for (SIRET queries)
    alternatives: tuple[Establishment, ...] = ()  # other active establishments of the same company
    warning: str = ""  # French: why Chorus Pro will refuse this number, if it will
    cached: bool = False

    @property
    def accepted_by_chorus(self) -> bool | None:
        """True/False when the directory tells; None when it cannot (not found, unavailable)."""
        if self.status != "found" or self.establishment is None or self.company is None:
            return None
        return self.establishment.active and self.company.active


# --- rate limit -------------------------------------------------------------------

class TokenBucket:
    """A token bucket shared by every lookup of the process (thread-safe)."""

    def __init__(self, rate: float, capacity: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self.rate, self.capacity, self.clock = rate, capacity, clock
        self._tokens = capacity
        self._stamp = clock()
        self._lock = threading.Lock()

    def try_acquire(self, max_wait: float) -> float | None:
        """Reserve one request; return how long to wait before sending it, or None
        (nothing reserved) if that wait would exceed `max_wait`."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
            if wait > max_wait:
                return None
            self._tokens -= 1
            return wait


# One bucket per process: the directory's limit is per IP address, whoever asks; with several
# servers on the host, each takes its share (services.servers), so their sum stays under it.
# Capacity 1 spaces requests by 1/rate s, so no one-second window ever holds more than `rate`.
SHARED_BUCKET = TokenBucket(rate=float(server_share(PUBLISHED_RATE_LIMIT, os.environ)), capacity=1.0)


# --- answers -----------------------------------------------------------------------

class _Garbage(Exception):
    """The directory answered something we cannot read."""


def _text(node: dict, key: str) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Garbage(f"{key} is not a string")
    return value.strip() or None


def _establishment(node: Any, company_name: str) -> Establishment:
    if not isinstance(node, dict):
        raise _Garbage("establishment is not an object")
    siret = _text(node, "siret")
    if not siret or not siret.isdigit() or len(siret) != SIRET_LENGTH:
        raise _Garbage("establishment without a SIRET")
    signs = node.get("liste_enseignes") or []
    sign = _text(node, "nom_commercial") or (signs[0] if isinstance(signs, list) and signs
                                             and isinstance(signs[0], str) else None)
    return Establishment(
        siret=siret,
        name=company_name,
        sign=sign,
        address=_text(node, "adresse") or "",
        active=_text(node, "etat_administratif") != "F",
        is_siege=node.get("est_siege") is True,
        closed_on=_text(node, "date_fermeture"),
    )


def _company(node: Any) -> tuple[Company, list[Establishment]]:
    if not isinstance(node, dict):
        raise _Garbage("result is not an object")
    siren = _text(node, "siren")
    if not siren:
        raise _Garbage("result without a SIREN")
    name = _text(node, "nom_complet") or _text(node, "nom_raison_sociale") or "Nom inconnu"
    siege = _establishment(node["siege"], name) if isinstance(node.get("siege"), dict) and node["siege"] else None
    matching = node.get("matching_etablissements") or []
    if not isinstance(matching, list):
        raise _Garbage("matching_etablissements is not a list")
    opened = node.get("nombre_etablissements_ouverts")
    company = Company(
        siren=siren,
        name=name,
        active=_text(node, "etat_administratif") != "C",
        ceased_on=_text(node, "date_fermeture"),
        open_establishments=opened if isinstance(opened, int) and not isinstance(opened, bool) else None,
        siege=siege,
    )
    return company, [_establishment(item, name) for item in matching]


def _french_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.strptime(iso[:10], "%Y-%m-%d").strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _where(est: Establishment) -> str:
    sign = f" ({est.sign})" if est.sign else ""
    address = f", {est.address}" if est.address else ""
    return f"{est.name}{sign}{address}"


def interpret(number: str, payload: Any) -> LookupResult:
    """Turn the directory's JSON answer for `number` (a SIRET or SIREN) into a LookupResult.

    Raises _Garbage when the answer does not have the documented shape.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise _Garbage("no results list")
    siren = number[:SIREN_LENGTH]
    parsed = [_company(node) for node in payload["results"]]
    match = next(((c, m) for c, m in parsed if c.siren == siren), None)
    if match is None:
        what = "Ce SIRET" if len(number) == SIRET_LENGTH else "Ce SIREN"
        return LookupResult(
            "not_found", number,
            f"{what} n'est pas dans l'annuaire des entreprises. Vérifiez chaque chiffre. "
            "S'il est juste, l'entreprise a peut-être demandé à ne pas être diffusée : "
            "Chorus Pro l'acceptera quand même s'il est actif à l'Insee.",
        )
    company, matching = match
    known = list(matching)
    if company.siege and all(e.siret != company.siege.siret for e in known):
        known.append(company.siege)

    if len(number) == SIREN_LENGTH:
        alternatives = tuple(e for e in known if e.active)
        if company.siege and company.siege.active:
            message = (f"Entreprise trouvée : {company.name}. Le SIRET de son siège est "
                       f"{company.siege.siret_display} ({company.siege.address}). "
                       "Si vous facturez depuis le siège, c'est ce SIRET qu'il faut taper.")
        else:
            message = f"Entreprise trouvée : {company.name}."
        return LookupResult("found", number, message, company=company, alternatives=alternatives,
                            warning="" if company.active else CEASED_WARNING)

    establishment = next((e for e in known if e.siret == number), None)
    alternatives = tuple(e for e in known if e.active and e.siret != number)
    if establishment is None:
        return LookupResult(
            "not_found", number,
            f"L'entreprise {company.name} est dans l'annuaire, mais pas cet établissement. "
            "Vérifiez les 5 derniers chiffres.",
            company=company, alternatives=alternatives,
        )
    if not company.active:
        since = f" depuis le {_french_date(company.ceased_on)}" if company.ceased_on else ""
        return LookupResult("found", number, f"{_where(establishment)}. Entreprise fermée{since}.",
                            company=company, establishment=establishment, warning=CEASED_WARNING)
    if not establishment.active:
        since = f" depuis le {_french_date(establishment.closed_on)}" if establishment.closed_on else ""
        return LookupResult("found", number, f"{_where(establishment)}. Établissement fermé{since}.",
                            company=company, establishment=establishment, alternatives=alternatives,
                            warning=CLOSED_WARNING)
    siege = " (siège)" if establishment.is_siege else ""
    return LookupResult("found", number,
                        f"Établissement actif{siege} : {_where(establishment)}. "
                        "Vous pouvez taper ce SIRET sur Chorus Pro.",
                        company=company, establishment=establishment, alternatives=alternatives)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP date); None if absent/unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def make_user_agent(organisation: str) -> str:
    return (f"kiosque-aide-chorus-pro/1.0 (aide aux fournisseurs de {organisation}; "
            f"python-httpx/{httpx.__version__})")


# --- client ------------------------------------------------------------------------

class CompanyDirectory:
    """Client of the directory. One per process (the UI keeps it in st.cache_resource)."""

    def __init__(
        self,
        base_url: str,
        *,
        user_agent: str = make_user_agent("un organisme public"),
        transport: httpx.BaseTransport | None = None,
        total_budget: float = 3.0,
        connect_timeout: float = 1.5,
        read_timeout: float = 2.0,
        max_retries: int = 2,
        backoff: float = 0.3,
        retry_after_cap: float = 2.0,
        offline_pause: float = 15.0,
        found_ttl: float = 6 * 3600,
        not_found_ttl: float = 10 * 60,
        unavailable_ttl: float = 20.0,
        cache_size: int = 2048,
        bucket: TokenBucket | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.total_budget, self.connect_timeout, self.read_timeout = total_budget, connect_timeout, read_timeout
        self.max_retries, self.backoff, self.retry_after_cap = max_retries, backoff, retry_after_cap
        self.offline_pause = offline_pause
        self.ttl = {"found": found_ttl, "not_found": not_found_ttl, "unavailable": unavailable_ttl}
        self.cache_size = cache_size
        self.bucket = bucket or SHARED_BUCKET
        self.clock, self.sleep = clock, sleep
        self.requests_sent = 0  # for tests and diagnostics
        self._cache: OrderedDict[str, tuple[float, LookupResult]] = OrderedDict()
        self._lock = threading.Lock()
        self._blocked_until = 0.0  # the directory asked us to wait (429 Retry-After)
        self._offline_until = 0.0  # the host was unreachable: don't make every rerun wait for it
        # Requests run in these threads so that the caller's wait is bounded even where httpx's
        # timeouts do not reach (a DNS resolver that hangs blocks inside getaddrinfo).
        self._workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="company-directory")
        self._client = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            follow_redirects=False,
            trust_env=True,  # an office behind a proxy sets HTTPS_PROXY
        )

    def close(self) -> None:
        self._workers.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    # cache ------------------------------------------------------------------------
    def _cached(self, number: str) -> LookupResult | None:
        with self._lock:
            entry = self._cache.get(number)
            if entry is None:
                return None
            expires, result = entry
            if self.clock() >= expires:
                del self._cache[number]
                return None
            self._cache.move_to_end(number)
            return replace(result, cached=True)

    def _store(self, result: LookupResult) -> LookupResult:
        ttl = self.ttl.get(result.status, 0)
        if ttl > 0:
            with self._lock:
                self._cache[result.query] = (self.clock() + ttl, result)
                self._cache.move_to_end(result.query)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return result

    # lookup -----------------------------------------------------------------------
    def lookup(self, text: str, *, refresh: bool = False) -> LookupResult:
        """Look up a SIRET (14 digits) or SIREN (9 digits); spaces and dots are fine.

        Never raises and returns within about `total_budget` seconds. `refresh=True`
        (a « Réessayer » button) skips the cache and the pause after a network failure,
        but still honours a 429's Retry-After.
        """
        number = compact_identifier(text)
        if not number.isdigit() or len(number) not in (SIREN_LENGTH, SIRET_LENGTH):
            return LookupResult("invalid", number, "Numéro incomplet ou mal tapé : il n'a pas été recherché.")
        cached = None if refresh else self._cached(number)
        if cached is not None:
            return cached
        paused = self._paused(number, ignore_offline=refresh)
        if paused is not None:
            return self._store(paused)
        try:
            future = self._workers.submit(self._fetch, number)
            result = future.result(timeout=self.total_budget + 0.5)
        except FutureTimeout:
            self._pause("offline", self.offline_pause)
            result = LookupResult("unavailable", number, UNAVAILABLE)
        except Exception:  # noqa: BLE001 - the caller must never see an exception
            result = LookupResult("unavailable", number, UNAVAILABLE)
        return self._store(result)

    def _unavailable(self, number: str, busy_for: float | None = None) -> LookupResult:
        if busy_for:
            return LookupResult("unavailable", number, UNAVAILABLE_BUSY.format(seconds=max(1, round(busy_for))))
        return LookupResult("unavailable", number, UNAVAILABLE)

    def _paused(self, number: str, *, ignore_offline: bool) -> LookupResult | None:
        """An answer without asking, while the directory told us to wait or was unreachable."""
        now = self.clock()
        with self._lock:
            blocked = self._blocked_until - now
            offline = 0.0 if ignore_offline else self._offline_until - now
        if blocked > 0:
            return self._unavailable(number, busy_for=blocked)
        if offline > 0:
            return self._unavailable(number)
        return None

    def _fetch(self, number: str) -> LookupResult:
        deadline = self.clock() + self.total_budget
        attempt = 0
        while True:
            remaining = deadline - self.clock()
            wait = self.bucket.try_acquire(max_wait=max(0.0, remaining - 0.5))
            if wait is None:
                return self._unavailable(number, busy_for=1)
            if wait > 0:
                self.sleep(wait)
            try:
                status, body, headers = self._get(number, deadline)
            except (httpx.ConnectError, httpx.TimeoutException):
                # Unreachable or too slow: don't make every rerun of the page wait for it again.
                self._pause("offline", self.offline_pause)
                return self._unavailable(number)
            except (httpx.HTTPError, _Garbage):
                return self._unavailable(number)

            if status == 200:
                try:
                    return interpret(number, json.loads(body))
                except (ValueError, _Garbage, KeyError, TypeError):
                    return self._unavailable(number)
            if status != 429 and status < 500:
                return self._unavailable(number)  # 4xx: our request or the address is wrong

            if status == 429:
                delay = parse_retry_after(headers.get("Retry-After"))
                delay = self.backoff * 2 ** attempt if delay is None else delay
            else:
                delay = self.backoff * 2 ** attempt
            time_left = deadline - self.clock()
            if attempt >= self.max_retries or delay > self.retry_after_cap or delay > time_left - 0.5:
                if status == 429:
                    self._pause("blocked", delay)
                    return self._unavailable(number, busy_for=delay)
                return self._unavailable(number)
            self.sleep(delay)
            attempt += 1

    def _pause(self, which: str, seconds: float) -> None:
        attr = f"_{which}_until"
        with self._lock:
            setattr(self, attr, max(getattr(self, attr), self.clock() + seconds))

    def _get(self, number: str, deadline: float) -> tuple[int, bytes, httpx.Headers]:
        remaining = max(0.05, deadline - self.clock())
        timeout = httpx.Timeout(
            connect=min(self.connect_timeout, remaining),
            read=min(self.read_timeout, remaining),
            write=min(1.0, remaining),
            pool=min(1.0, remaining),
        )
        self.requests_sent += 1
        with self._client.stream("GET", "/search", params={"q": number, "page": 1, "per_page": 1},
                                 timeout=timeout) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise _Garbage("answer too large")
                if self.clock() > deadline:
                    raise httpx.ReadTimeout("total time budget spent")
                chunks.append(chunk)
            return response.status_code, b"".join(chunks), response.headers
