"""The company directory client, against recorded-shape answers served by httpx.MockTransport."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from services.company_directory import (
    CLOSED_WARNING,
    CEASED_WARNING,
    CompanyDirectory,
    TokenBucket,
    parse_retry_after,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "recherche_entreprises"
BASE = "https://recherche-entreprises.test"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


class FakeClock:
    """Monotonic time that only moves when the code sleeps (or a test says so)."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make(handler, clock: FakeClock | None = None, **kwargs) -> tuple[CompanyDirectory, FakeClock, list]:
    clock = clock or FakeClock()
    seen: list[tuple[float, httpx.Request]] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append((clock(), request))
        return handler(request)

    kwargs.setdefault("bucket", TokenBucket(rate=7, clock=clock))
    directory = CompanyDirectory(BASE, transport=httpx.MockTransport(recording), clock=clock,
                                 sleep=clock.sleep, user_agent="kiosque-test/1.0 (tests)", **kwargs)
    return directory, clock, seen


def serve(name: str):
    return lambda request: httpx.Response(200, content=fixture(name),
                                          headers={"Content-Type": "application/json"})


def test_fixtures_have_the_documented_shape():
    for path in FIXTURES.glob("*.json"):
        if path.name == "malformed.json":
            with pytest.raises(json.JSONDecodeError):
                json.loads(path.read_text())
            continue
        data = json.loads(path.read_text())
        assert set(data) == {"results", "total_results", "page", "per_page", "total_pages"}, path.name
        for result in data["results"]:
            for key in ("siren", "nom_complet", "siege", "etat_administratif", "matching_etablissements",
                        "nombre_etablissements_ouverts", "complements", "tva"):
                assert key in result, (path.name, key)
            assert result["etat_administratif"] in ("A", "C")
            for est in [result["siege"], *result["matching_etablissements"]]:
                assert est["etat_administratif"] in ("A", "F")
                assert len(est["siret"]) == 14 and est["siret"].startswith(result["siren"])


def test_active_establishment():
    directory, _, seen = make(serve("siret_active"))
    result = directory.lookup("512 345 679 00025")
    assert result.status == "found"
    assert result.accepted_by_chorus is True
    assert result.establishment.siret == "51234567900025"
    assert result.establishment.name == "GITES DE L'ARTOIS"
    assert result.establishment.sign == "LES GITES DU LOUVRE"
    assert result.establishment.address == "8 RUE DE LA GARE 62300 LENS"
    assert result.establishment.active and not result.establishment.is_siege
    assert result.warning == ""
    assert "Établissement actif" in result.message and "62300 LENS" in result.message
    # The head office is another active establishment of the same SIREN.
    assert [e.siret for e in result.alternatives] == ["51234567900017"]
    request = seen[0][1]
    assert request.url.path == "/search"
    assert request.url.params["q"] == "51234567900025"
    assert request.headers["User-Agent"] == "kiosque-test/1.0 (tests)"


def test_closed_establishment_points_to_the_active_one():
    directory, _, _ = make(serve("siret_closed"))
    result = directory.lookup("82345678500018")
    assert result.status == "found"
    assert result.accepted_by_chorus is False
    assert not result.establishment.active
    assert result.establishment.closed_on == "2021-06-30"
    assert "fermé depuis le 30/06/2021" in result.message
    assert result.warning == CLOSED_WARNING
    assert "Chorus Pro refusera ce SIRET : utilisez celui de votre établissement actif" in result.warning
    assert [(e.siret, e.active, e.is_siege) for e in result.alternatives] == [("82345678500034", True, True)]
    assert result.company.open_establishments == 2
    assert result.company.page_url.endswith("/entreprise/823456785")


def test_ceased_company():
    directory, _, _ = make(serve("siret_company_ceased"))
    result = directory.lookup("79012345900014")
    assert result.status == "found"
    assert result.accepted_by_chorus is False
    assert not result.company.active
    assert result.warning == CEASED_WARNING
    assert result.alternatives == ()


def test_not_found():
    directory, _, _ = make(serve("not_found"))
    result = directory.lookup("43456789700021")
    assert result.status == "not_found"
    assert result.accepted_by_chorus is None
    assert "n'est pas dans l'annuaire" in result.message
    assert "ne pas être diffusée" in result.message


def test_siren_with_several_establishments_gives_the_head_office():
    directory, _, seen = make(serve("siren_several_establishments"))
    result = directory.lookup("434 567 897")
    assert seen[0][1].url.params["q"] == "434567897"
    assert result.status == "found"
    assert result.establishment is None
    assert result.company.name == "TRANSPORTS DUBOIS ET FILS"
    assert result.company.open_establishments == 3
    assert result.company.siege.siret == "43456789700039"
    assert [e.siret for e in result.alternatives] == ["43456789700039"]
    assert "434 567 897 00039" in result.message


def test_siret_of_a_known_company_but_unknown_establishment():
    # The directory answers with the company but not that establishment.
    directory, _, _ = make(serve("siren_several_establishments"))
    result = directory.lookup("43456789700013")
    assert result.status == "not_found"
    assert result.company.siren == "434567897"
    assert "5 derniers chiffres" in result.message
    assert [e.siret for e in result.alternatives] == ["43456789700039"]


def test_429_then_success_waits_retry_after():
    answers = iter([
        httpx.Response(429, headers={"Retry-After": "1"}, json={"erreur": "Too Many Requests"}),
        httpx.Response(200, content=fixture("siret_active")),
    ])
    directory, clock, seen = make(lambda request: next(answers))
    result = directory.lookup("51234567900025")
    assert result.status == "found"
    assert len(seen) == 2
    assert seen[1][0] - seen[0][0] >= 1.0  # waited as asked before asking again


def test_429_with_a_long_retry_after_stops_asking_until_then():
    directory, clock, seen = make(lambda request: httpx.Response(429, headers={"Retry-After": "30"}))
    result = directory.lookup("51234567900025")
    assert result.status == "unavailable"
    assert "trop de demandes" in result.message and "30 s" in result.message
    assert len(seen) == 1
    # Another number, even with refresh: the directory asked us to wait, we wait.
    again = directory.lookup("82345678500018", refresh=True)
    assert again.status == "unavailable" and len(seen) == 1
    clock.now += 31
    directory_ok = directory  # same process-wide state
    assert directory_ok.lookup("82345678500018", refresh=True).status == "unavailable"  # still 429
    assert len(seen) == 2


def test_500_is_retried_with_backoff_then_given_up():
    directory, clock, seen = make(lambda request: httpx.Response(500, text="Internal Server Error"))
    result = directory.lookup("51234567900025")
    assert result.status == "unavailable"
    assert "vérification en ligne indisponible" in result.message.lower()
    assert len(seen) == 3  # first try + 2 retries
    gaps = [b[0] - a[0] for a, b in zip(seen, seen[1:])]
    assert gaps[1] > gaps[0] > 0  # growing backoff


def test_503_then_success():
    answers = iter([httpx.Response(503), httpx.Response(200, content=fixture("siret_closed"))])
    directory, _, seen = make(lambda request: next(answers))
    assert directory.lookup("82345678500018").status == "found"
    assert len(seen) == 2


def test_timeout_is_unavailable_and_pauses_further_calls():
    def slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    directory, clock, seen = make(slow)
    result = directory.lookup("51234567900025")
    assert result.status == "unavailable"
    assert "Vérification en ligne indisponible" in result.message
    assert "clé de contrôle" in result.message
    # A second number right after does not wait for the network again…
    assert directory.lookup("82345678500018").status == "unavailable"
    assert len(seen) == 1
    # …unless the person asks to retry.
    directory.lookup("82345678500018", refresh=True)
    assert len(seen) == 2


def test_connection_refused_is_unavailable():
    def refused(request):
        raise httpx.ConnectError("Connection refused", request=request)

    directory, _, _ = make(refused)
    assert directory.lookup("51234567900025").status == "unavailable"


@pytest.mark.parametrize("response", [
    httpx.Response(200, content=fixture("malformed")),
    httpx.Response(200, text="<html><body>Service en maintenance</body></html>"),
    httpx.Response(200, json={"unexpected": True}),
    httpx.Response(200, json={"results": [{"siren": 512345679, "siege": "nope"}]}),
    httpx.Response(200, json=[1, 2, 3]),
    httpx.Response(400, json={"erreur": "Veuillez indiquer au moins un paramètre de recherche."}),
    httpx.Response(404, text="Not Found"),
], ids=["truncated-json", "html", "no-results", "wrong-types", "list", "400", "404"])
def test_garbage_and_4xx_are_unavailable(response):
    directory, _, seen = make(lambda request: response)
    result = directory.lookup("51234567900025")
    assert result.status == "unavailable"
    assert "indisponible" in result.message
    assert len(seen) == 1  # not retried


def test_answers_are_cached_for_hours_and_not_found_briefly():
    handlers = {"51234567900025": fixture("siret_active"), "43456789700021": fixture("not_found")}
    directory, clock, seen = make(lambda r: httpx.Response(200, content=handlers[r.url.params["q"]]))
    assert directory.lookup("51234567900025").cached is False
    assert directory.lookup("512 345 679 00025").cached is True
    directory.lookup("43456789700021")
    assert directory.lookup("43456789700021").cached is True
    assert len(seen) == 2
    clock.now += 15 * 60  # not-found answers expire after minutes
    directory.lookup("43456789700021")
    assert directory.lookup("51234567900025").cached is True
    assert len(seen) == 3
    clock.now += 7 * 3600  # found answers after hours
    directory.lookup("51234567900025")
    assert len(seen) == 4


def test_invalid_numbers_are_not_sent():
    directory, _, seen = make(serve("siret_active"))
    assert directory.lookup("1234").status == "invalid"
    assert directory.lookup("80938923A00020").status == "invalid"
    assert seen == []


def test_rate_limit_is_respected_process_wide():
    clock = FakeClock()
    bucket = TokenBucket(rate=7, clock=clock)
    numbers = [f"{i:014d}" for i in range(1, 30)]
    body = fixture("not_found")
    # Two clients sharing one bucket, like two sessions of one server process.
    first, _, seen1 = make(lambda r: httpx.Response(200, content=body), clock=clock, bucket=bucket)
    second, _, seen2 = make(lambda r: httpx.Response(200, content=body), clock=clock, bucket=bucket)
    for index, number in enumerate(numbers):
        (first if index % 2 else second).lookup(number)
    stamps = sorted(t for t, _ in seen1 + seen2)
    assert len(stamps) == len(numbers)
    for start in stamps:
        in_window = [t for t in stamps if start <= t < start + 1.0]
        assert len(in_window) <= 7


def test_token_bucket_refuses_a_wait_beyond_the_budget():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, clock=clock)
    assert bucket.try_acquire(max_wait=0) == 0
    assert bucket.try_acquire(max_wait=0.1) is None  # would need 0.5 s
    assert bucket.try_acquire(max_wait=1) == pytest.approx(0.5)


def test_parse_retry_after():
    from datetime import datetime, timezone

    now = datetime(2026, 11, 26, 14, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Thu, 26 Nov 2026 14:00:05 GMT", now=now) == 5.0
    assert parse_retry_after("Thu, 26 Nov 2026 13:59:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_a_server_that_never_answers_does_not_hang_the_caller():
    """Real sockets and real time: a listener that accepts and never replies."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def accept_forever():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    directory = CompanyDirectory(f"http://127.0.0.1:{port}", total_budget=1.5, bucket=TokenBucket(rate=7))
    try:
        started = time.monotonic()
        result = directory.lookup("51234567900025")
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()
        directory.close()
    assert result.status == "unavailable"
    assert accepted, "the request did reach the silent server"
    assert elapsed < 5  # generous bound: the budget is 1.5 s


def test_an_unreachable_port_answers_at_once():
    directory = CompanyDirectory("http://127.0.0.1:9", bucket=TokenBucket(rate=7))
    try:
        result = directory.lookup("51234567900025")
    finally:
        directory.close()
    assert result.status == "unavailable"


def test_a_call_stuck_below_httpx_timeouts_still_returns_in_time():
    """Where httpx's timeouts do not reach (a DNS lookup that hangs), the caller still gets an answer."""
    release = threading.Event()

    def stuck(request):
        release.wait(10)  # like getaddrinfo waiting for a resolver that never answers
        raise httpx.ConnectError("name resolution failed", request=request)

    directory = CompanyDirectory(BASE, transport=httpx.MockTransport(stuck), total_budget=1.0,
                                 bucket=TokenBucket(rate=7))
    try:
        started = time.monotonic()
        result = directory.lookup("51234567900025")
        elapsed = time.monotonic() - started
        # The next lookups do not queue behind the stuck one: they answer without asking.
        started = time.monotonic()
        others = [directory.lookup(f"{n:014d}").status for n in range(1, 9)]
        elapsed_others = time.monotonic() - started
    finally:
        release.set()
        directory.close()
    assert result.status == "unavailable"
    assert elapsed < 5  # generous: the budget is 1 s
    assert others == ["unavailable"] * 8
    assert elapsed_others < 1.0  # 8 lookups, none waiting for the stuck worker
