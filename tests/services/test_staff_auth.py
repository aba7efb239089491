import threading

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from services import staff_auth
from services.models import LoginFailure
from services.staff_auth import (
    ENV_USERS,
    LoginThrottle,
    StaffConfigError,
    check_credentials,
    format_wait,
    hash_password,
    is_expired,
    load_staff_config,
    parse_env_users,
    session_end_reason,
    start_session,
    throttle_keys,
    touch,
    verify_password,
)

# Cheap argon2 parameters keep the tests fast; the code reads the cost from each hash.
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct horse battery staple"
HASH = CHEAP.hash(PASSWORD)
OTHER_HASH = CHEAP.hash("another long password")


class FakeClock:
    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# --- Passwords -----------------------------------------------------------------------


def test_hash_then_verify():
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD + "!")
    assert not verify_password("not a hash", PASSWORD)
    with pytest.raises(ValueError):
        hash_password("")


def test_credentials_right_wrong_and_unknown():
    users = {"carpentier": HASH, "martin": OTHER_HASH}
    assert check_credentials(users, "carpentier", PASSWORD) == "carpentier"
    assert check_credentials(users, "  Carpentier ", PASSWORD) == "carpentier"  # typed with a capital
    assert check_credentials(users, "carpentier", "wrong") is None
    assert check_credentials(users, "martin", PASSWORD) is None  # someone else's password
    assert check_credentials(users, "nobody", PASSWORD) is None
    assert check_credentials({}, "carpentier", PASSWORD) is None


def test_unknown_user_is_verified_against_a_hash_of_the_same_cost(monkeypatch):
    """Same work for an unknown name as for a wrong password: no way to tell who exists."""
    seen = []
    real = staff_auth.verify_password
    monkeypatch.setattr(staff_auth, "verify_password", lambda h, p: seen.append(h) or real(h, p))
    users = {"carpentier": HASH}
    check_credentials(users, "carpentier", "wrong")
    check_credentials(users, "intrus", "wrong")
    assert len(seen) == 2
    assert seen[1] != HASH
    assert extract_parameters(seen[1]) == extract_parameters(HASH)


# --- Configuration -------------------------------------------------------------------


def test_env_users_separated_by_semicolons_or_whitespace():
    value = f"carpentier:{HASH}; Martin:{OTHER_HASH}\n"
    assert parse_env_users(value) == {"carpentier": HASH, "martin": OTHER_HASH}
    assert parse_env_users(f"carpentier:{HASH} martin:{OTHER_HASH}") == {"carpentier": HASH, "martin": OTHER_HASH}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("carpentier", "identifiant:hash"),
        ("carpentier:motdepasse123", "python -m services.staff_auth hash"),
        (f"carpentier:{HASH};carpentier:{OTHER_HASH}", "deux fois"),
        (f"bad/name:{HASH}", "invalide"),
    ],
)
def test_env_users_mistakes_are_explained(value, words):
    with pytest.raises(StaffConfigError, match=words):
        parse_env_users(value)


def test_secrets_come_first_then_the_environment():
    env = {ENV_USERS: f"martin:{OTHER_HASH}"}
    from_secrets = load_staff_config(secrets={"staff": {"users": {"carpentier": HASH}}}, environ=env)
    assert dict(from_secrets.users) == {"carpentier": HASH} and from_secrets.source == "secrets"
    from_env = load_staff_config(secrets={}, environ=env)
    assert dict(from_env.users) == {"martin": OTHER_HASH} and from_env.source == "env"
    nothing = load_staff_config(secrets={}, environ={})
    assert not nothing.configured and nothing.oidc is None


def test_a_clear_password_in_secrets_is_refused():
    with pytest.raises(StaffConfigError, match="hash argon2"):
        load_staff_config(secrets={"staff": {"users": {"carpentier": "hunter2"}}}, environ={})


@pytest.mark.parametrize("idle", [0, -5, "30", True, 100_000])
def test_idle_minutes_must_be_a_sane_integer(idle):
    with pytest.raises(StaffConfigError, match="idle_minutes"):
        load_staff_config(secrets={"staff": {"users": {"carpentier": HASH}, "idle_minutes": idle}}, environ={})


def test_oidc_is_detected_from_the_auth_section():
    auth = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
            "client_id": "kiosk", "client_secret": "x", "server_metadata_url": "https://idp/.well-known"}
    config = load_staff_config(
        secrets={"auth": auth, "staff": {"allowed_emails": ["Carpentier@Office.fr"], "allowed_domains": ["@mairie.fr"]}},
        environ={},
    )
    assert config.configured and not config.users
    assert config.oidc.providers == (None,)
    assert config.oidc.allows("carpentier@office.fr")
    assert config.oidc.allows("quelquun@mairie.fr")
    assert not config.oidc.allows("intrus@gmail.com")
    assert not config.oidc.allows(None)

    named = {"redirect_uri": "u", "cookie_secret": "c", "microsoft": {"client_id": "a"}, "google": {"client_id": "b"}}
    assert load_staff_config(secrets={"auth": named}, environ={}).oidc.providers == ("google", "microsoft")
    with pytest.raises(StaffConfigError, match="cookie_secret"):
        load_staff_config(secrets={"auth": {"redirect_uri": "u", "client_id": "a"}}, environ={})


def test_oidc_without_an_allow_list_lets_nobody_in():
    auth = {"redirect_uri": "u", "cookie_secret": "c", "client_id": "a"}
    config = load_staff_config(secrets={"auth": auth}, environ={})
    assert not config.oidc.allows("carpentier@office.fr")


# --- Sessions ------------------------------------------------------------------------


def test_session_expires_after_inactivity():
    clock = FakeClock()
    session = start_session("carpentier", "password", clock())
    clock.advance(29 * 60 + 59)
    assert not is_expired(session, clock(), idle_minutes=30)
    session = touch(session, clock())  # activity pushes the deadline back
    clock.advance(29 * 60)
    assert not is_expired(session, clock(), idle_minutes=30)
    clock.advance(60)
    assert is_expired(session, clock(), idle_minutes=30)


def test_why_a_session_ends():
    config = load_staff_config(secrets={"staff": {"users": {"carpentier": HASH}, "idle_minutes": 10}}, environ={})
    session = start_session("carpentier", "password", 0.0)
    assert session_end_reason(session, config, 9 * 60) is None
    assert "10 minutes sans activité" in session_end_reason(session, config, 10 * 60)
    gone = start_session("martin", "password", 0.0)
    assert session_end_reason(gone, config, 1) == "Ce compte n'a plus accès à l'espace agents."
    # An OIDC session ends when the allow-list no longer names it, or OIDC is switched off.
    auth = {"redirect_uri": "u", "cookie_secret": "c", "client_id": "a"}
    oidc = load_staff_config(secrets={"auth": auth, "staff": {"allowed_emails": ["a@office.fr"]}}, environ={})
    assert session_end_reason(start_session("a@office.fr", "oidc", 0.0), oidc, 1) is None
    assert session_end_reason(start_session("b@office.fr", "oidc", 0.0), oidc, 1) is not None
    assert session_end_reason(start_session("a@office.fr", "oidc", 0.0), config, 1) is not None


# --- Throttling ----------------------------------------------------------------------


@pytest.fixture
def make_throttle(session_factory):
    """A throttle on the test database (SQLite, then PostgreSQL) with its own fake clock."""
    def make(**policy):
        clock = FakeClock()
        return LoginThrottle(session_factory, clock=clock, **policy), clock
    return make


def test_wrong_passwords_lock_for_longer_and_longer(make_throttle):
    throttle, clock = make_throttle(free_attempts=3, base_delay=5, max_delay=60)
    keys = throttle_keys("carpentier", "session-a")
    assert [throttle.record_failure(keys) for _ in range(3)] == [0, 0, 0]
    assert throttle.wait_seconds(keys) == 0
    assert throttle.record_failure(keys) == 5
    assert throttle.wait_seconds(keys) == 5
    clock.advance(3)
    assert throttle.wait_seconds(keys) == 2
    clock.advance(2)
    assert throttle.wait_seconds(keys) == 0
    assert throttle.record_failure(keys) == 10
    assert throttle.record_failure(keys) == 20
    assert throttle.record_failure(keys) == 40
    assert throttle.record_failure(keys) == 60  # capped


def test_the_username_is_locked_whatever_the_session(make_throttle):
    throttle, _ = make_throttle(free_attempts=1, base_delay=5)
    throttle.record_failure(throttle_keys("Carpentier", "a"))
    throttle.record_failure(throttle_keys("carpentier", "b"))
    assert throttle.wait_seconds(throttle_keys("carpentier", "c")) == 5  # new session, same name
    assert throttle.wait_seconds(throttle_keys("martin", "c")) == 0
    assert throttle.wait_seconds(throttle_keys("martin", "b")) == 0  # session b: 1 failure, still free


def test_the_client_address_is_a_key_with_more_free_tries(make_throttle):
    throttle, _ = make_throttle(free_attempts=1, address_free_attempts=4, base_delay=5)
    assert throttle_keys("a", "s") == ("user:a", "session:s")  # address unknown: not a key
    for index in range(4):  # four names, four sessions, one address: still free
        assert throttle.record_failure(throttle_keys(f"name{index}", f"s{index}", "203.0.113.7")) == 0
    assert throttle.record_failure(throttle_keys("name9", "s9", "203.0.113.7")) == 5
    assert throttle.wait_seconds(throttle_keys("other", "new-session", "203.0.113.7")) == 5
    assert throttle.wait_seconds(throttle_keys("other", "new-session", "198.51.100.1")) == 0


def test_success_clears_and_old_failures_are_forgotten(make_throttle):
    throttle, clock = make_throttle(free_attempts=2, base_delay=5, forget_after=3600)
    keys = throttle_keys("carpentier", "a")
    throttle.record_failure(keys)
    throttle.record_failure(keys)
    throttle.record_success(keys)
    assert throttle.failures(keys[0]) == 0
    throttle.record_failure(keys)
    throttle.record_failure(keys)
    clock.advance(3601)
    assert throttle.record_failure(keys) == 0  # an hour later the count starts again
    assert throttle.failures(keys[0]) == 1


def test_a_running_lock_is_not_forgotten(make_throttle):
    throttle, clock = make_throttle(free_attempts=0, base_delay=7200, max_delay=7200, forget_after=3600)
    keys = ("user:carpentier",)
    assert throttle.record_failure(keys) == 7200
    clock.advance(3601)  # the last failure is an hour old, but the lock still runs
    assert throttle.forget_stale() == 0
    assert throttle.record_failure(keys) == 7200  # second failure: counted on, not from 1
    assert throttle.failures("user:carpentier") == 2


def test_only_hashes_are_stored_and_stale_rows_are_deleted(make_throttle, session):
    throttle, clock = make_throttle(free_attempts=10, forget_after=3600)
    for index in range(50):
        throttle.record_failure((f"user:name{index}",))
    stored = session.scalars(select(LoginFailure.key_hash)).all()
    session.rollback()
    assert len(stored) == 50 and all(len(h) == 64 and "name" not in h for h in stored)
    clock.advance(3601)
    throttle.record_failure(("user:late",))  # each failure also deletes the forgotten rows
    assert session.scalars(select(LoginFailure.key_hash)).all() == [staff_auth.key_hash("user:late")]


def test_throttle_counts_every_failure_under_concurrency(make_throttle):
    throttle, _ = make_throttle(free_attempts=10**9)
    keys = ("user:carpentier", "session:x")

    def hammer():
        for _ in range(40):
            throttle.record_failure(keys)

    threads = [threading.Thread(target=hammer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle.failures("user:carpentier") == 240
    assert throttle.failures("session:x") == 240


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0.2, "1 seconde"), (5, "5 secondes"), (59.5, "1 minute"), (60, "1 minute"), (61, "2 minutes"),
     (900, "15 minutes")],
)
def test_wait_in_words(seconds, words):
    assert format_wait(seconds) == words


# --- Command line --------------------------------------------------------------------


def test_cli_prints_a_hash_that_verifies(monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(staff_auth.getpass, "getpass", lambda prompt="": next(answers))
    assert staff_auth.main(["hash"]) == 0
    printed = capsys.readouterr().out.strip()
    assert verify_password(printed, PASSWORD)


@pytest.mark.parametrize(("answers", "code"), [(["court"], 1), ([PASSWORD, PASSWORD + "x"], 1)])
def test_cli_refuses_short_or_mismatched_passwords(monkeypatch, capsys, answers, code):
    replies = iter(answers)
    monkeypatch.setattr(staff_auth.getpass, "getpass", lambda prompt="": next(replies))
    assert staff_auth.main(["hash"]) == code
    assert "$argon2" not in capsys.readouterr().out


def test_cli_usage():
    assert staff_auth.main([]) == 2
    assert staff_auth.main(["verify"]) == 2
