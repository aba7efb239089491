"""Staff sign-in: who may open /agents, session expiry, and slowing down password guessing.

Plain Python (no Streamlit): the UI layer (ui/staff_login.py) passes in the secrets, the
environment and the clock, so everything here is testable with fakes.

Where the staff accounts come from (first one found wins):
1. `.streamlit/secrets.toml`, section [staff.users]: one line per person, name = argon2 hash.
2. The environment variable KIOSK_STAFF_USERS: "name:hash" pairs separated by ";" or
   whitespace (an argon2 hash contains "," and "$" but never ";" or spaces; quote the value
   with single quotes in a shell so "$" is kept).
No account is ever built in: with neither, the staff space says it is not configured.

Streamlit's OIDC login (st.login) is offered instead when secrets.toml has an [auth] section;
[staff] allowed_emails / allowed_domains then say which signed-in accounts are staff.

Wrong passwords are counted in the database (`LoginThrottle`, table login_failures), so
the delays hold across every server of the kiosk and across restarts.

Make a hash with:  python -m services.staff_auth hash
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import math
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.models import LoginFailure

ENV_USERS = "KIOSK_STAFF_USERS"
DEFAULT_IDLE_MINUTES = 30
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
_HASHER = PasswordHasher()  # argon2id with the library's recommended cost


class StaffConfigError(ValueError):
    """The staff accounts are configured, but wrongly (the message says what to fix, in French)."""


@dataclass(frozen=True)
class OidcConfig:
    """Streamlit's [auth] section is present: st.login can be offered."""

    providers: tuple[str | None, ...]  # None = the default provider ([auth] holds client_id itself)
    allowed_emails: frozenset[str]
    allowed_domains: frozenset[str]

    def allows(self, email: str | None) -> bool:
        if not email:
            return False
        email = email.strip().lower()
        domain = email.rpartition("@")[2]
        return email in self.allowed_emails or (bool(domain) and domain in self.allowed_domains)


@dataclass(frozen=True)
class StaffConfig:
    users: Mapping[str, str]  # username -> argon2 hash
    source: str | None  # "secrets", "env" or None
    oidc: OidcConfig | None
    idle_minutes: int = DEFAULT_IDLE_MINUTES

    @property
    def configured(self) -> bool:
        return bool(self.users) or self.oidc is not None


@dataclass(frozen=True)
class StaffSession:
    """A signed-in member of staff. Times come from the injected clock (seconds)."""

    username: str
    method: str  # "password" or "oidc"
    signed_in_at: float
    last_seen_at: float


# --- Passwords -------------------------------------------------------------------------


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("empty password")
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True if `password` matches; False for a wrong password or an unreadable hash."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def is_argon2_hash(value: str) -> bool:
    try:
        extract_parameters(value)
    except (InvalidHashError, ValueError):
        return False
    return True


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int, hash_len: int, salt_len: int) -> str:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism,
                            hash_len=hash_len, salt_len=salt_len)
    return hasher.hash("no such user: this hash only costs time")


def _dummy_for(users: Mapping[str, str]) -> str:
    """A hash with the same cost as the configured ones, so an unknown name costs the same time."""
    sample = next(iter(users.values()), None)
    p = extract_parameters(sample) if sample else _HASHER
    return _dummy_hash(p.time_cost, p.memory_cost, p.parallelism, p.hash_len, p.salt_len)


def normalize_username(username: str) -> str:
    return username.strip().lower()


def check_credentials(users: Mapping[str, str], username: str, password: str) -> str | None:
    """The canonical username if the pair is right, else None.

    Every configured name is compared in constant time (no early exit), and an unknown
    name is verified against a dummy hash of the same cost as the real ones.
    """
    wanted = normalize_username(username).encode("utf-8")
    match: str | None = None
    for name in users:
        if hmac.compare_digest(name.encode("utf-8"), wanted):
            match = name
    stored = users[match] if match is not None else _dummy_for(users)
    ok = verify_password(stored, password)
    return match if ok and match is not None else None


# --- Configuration ---------------------------------------------------------------------


def _check_user(name: object, stored: object, where: str) -> tuple[str, str]:
    if not isinstance(name, str) or not USERNAME_RE.match(normalize_username(name)):
        raise StaffConfigError(
            f"{where} : identifiant « {str(name)[:40]} » invalide (lettres minuscules, chiffres, . _ - @)."
        )
    if not isinstance(stored, str) or not is_argon2_hash(stored.strip()):
        raise StaffConfigError(
            f"{where} : le mot de passe de « {name} » n'est pas un hash argon2. "
            "Ne mettez jamais un mot de passe en clair : créez le hash avec "
            "« python -m services.staff_auth hash »."
        )
    return normalize_username(name), stored.strip()


def parse_env_users(value: str) -> dict[str, str]:
    """Parse KIOSK_STAFF_USERS: "name:hash" pairs separated by ";" or whitespace."""
    users: dict[str, str] = {}
    for item in re.split(r"[;\s]+", value.strip()):
        if not item:
            continue
        name, sep, stored = item.partition(":")
        if not sep:
            raise StaffConfigError(f"{ENV_USERS} : « {item[:20]}… » doit avoir la forme identifiant:hash.")
        name, stored = _check_user(name, stored, ENV_USERS)
        if name in users:
            raise StaffConfigError(f"{ENV_USERS} : l'identifiant « {name} » apparaît deux fois.")
        users[name] = stored
    return users


def parse_secrets_users(staff_section: Mapping) -> dict[str, str]:
    """Parse the [staff.users] table of secrets.toml."""
    raw = staff_section.get("users")
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise StaffConfigError("secrets.toml : [staff.users] doit être une table identifiant = \"hash\".")
    users: dict[str, str] = {}
    for name, stored in raw.items():
        name, stored = _check_user(name, stored, "secrets.toml [staff.users]")
        if name in users:
            raise StaffConfigError(f"secrets.toml [staff.users] : l'identifiant « {name} » apparaît deux fois.")
        users[name] = stored
    return users


def _string_list(section: Mapping, key: str) -> frozenset[str]:
    value = section.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or not all(isinstance(v, str) for v in value):
        raise StaffConfigError(f"secrets.toml [staff] : {key} doit être une liste de textes.")
    return frozenset(v.strip().lower().lstrip("@") for v in value if v.strip())


def parse_oidc(secrets: Mapping, staff_section: Mapping) -> OidcConfig | None:
    """Detect a usable [auth] section (what st.login needs) and the staff allow-list."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping) or not auth:
        return None
    providers: list[str | None] = []
    if "client_id" in auth:
        providers.append(None)
    providers += sorted(k for k, v in auth.items() if isinstance(v, Mapping) and "client_id" in v)
    if not providers:
        return None
    missing = [k for k in ("redirect_uri", "cookie_secret") if not auth.get(k)]
    if missing:
        raise StaffConfigError(f"secrets.toml [auth] : il manque {', '.join(missing)} pour la connexion OIDC.")
    return OidcConfig(
        providers=tuple(providers),
        allowed_emails=_string_list(staff_section, "allowed_emails"),
        allowed_domains=_string_list(staff_section, "allowed_domains"),
    )


def load_staff_config(*, secrets: Mapping, environ: Mapping[str, str]) -> StaffConfig:
    """Read the staff accounts from secrets (first) or the environment. Raises StaffConfigError."""
    staff_section = secrets.get("staff") or {}
    if not isinstance(staff_section, Mapping):
        raise StaffConfigError("secrets.toml : [staff] doit être une section.")
    idle = staff_section.get("idle_minutes", DEFAULT_IDLE_MINUTES)
    if isinstance(idle, bool) or not isinstance(idle, int) or not 1 <= idle <= 24 * 60:
        raise StaffConfigError("secrets.toml [staff] : idle_minutes doit être un nombre entier de 1 à 1440.")
    users = parse_secrets_users(staff_section)
    source = "secrets" if users else None
    if not users and environ.get(ENV_USERS, "").strip():
        users = parse_env_users(environ[ENV_USERS])
        source = "env"
    return StaffConfig(users=users, source=source, oidc=parse_oidc(secrets, staff_section), idle_minutes=idle)


# --- Sessions --------------------------------------------------------------------------


def start_session(username: str, method: str, now: float) -> StaffSession:
    return StaffSession(username=username, method=method, signed_in_at=now, last_seen_at=now)


def is_expired(session: StaffSession, now: float, idle_minutes: int = DEFAULT_IDLE_MINUTES) -> bool:
    return now - session.last_seen_at >= idle_minutes * 60


def touch(session: StaffSession, now: float) -> StaffSession:
    return replace(session, last_seen_at=now)


def session_end_reason(session: StaffSession, config: StaffConfig, now: float) -> str | None:
    """Why this session must end now (French, shown above the sign-in form), or None."""
    if is_expired(session, now, config.idle_minutes):
        return f"Session fermée après {config.idle_minutes} minutes sans activité. Reconnectez-vous."
    if session.method == "password":
        still_allowed = session.username in config.users
    else:
        still_allowed = config.oidc is not None and config.oidc.allows(session.username)
    if not still_allowed:
        return "Ce compte n'a plus accès à l'espace agents."
    return None


# --- Throttling wrong passwords --------------------------------------------------------


class LoginThrottle:
    """Counts wrong passwords per key (a username, a browser session, a client address) and
    locks for a while.

    The first `free_attempts` failures cost nothing (`address_free_attempts` for a client
    address, which a whole office behind one router may share); the n-th one after that locks
    the key for `base_delay * 2**(n - free - 1)` seconds, capped at `max_delay`. A key's
    failures are forgotten `forget_after` seconds after the last one (once it is unlocked),
    and on a right password.

    The counters are rows of `login_failures`, shared by every server of the kiosk, so an
    attacker gains nothing by alternating servers, and a restart forgets nothing. Only a hash
    of each key is stored. Each failure is one upsert per key (INSERT … ON CONFLICT DO UPDATE),
    atomic on PostgreSQL (row lock) and on SQLite (one writer at a time). `clock` gives wall
    time in seconds since the epoch: every server must agree on it.
    """

    def __init__(self, sessions: Callable[[], Session], *, clock: Callable[[], float] = time.time,
                 free_attempts: int = 3, address_free_attempts: int = 10, base_delay: float = 5.0,
                 max_delay: float = 15 * 60, forget_after: float = 60 * 60):
        self.sessions, self.clock = sessions, clock
        self.free_attempts, self.address_free_attempts = free_attempts, address_free_attempts
        self.base_delay, self.max_delay, self.forget_after = base_delay, max_delay, forget_after

    def free_for(self, key: str) -> int:
        return self.address_free_attempts if key.startswith(ADDRESS_PREFIX) else self.free_attempts

    def delay_after(self, failures: int, free: int | None = None) -> float:
        free = self.free_attempts if free is None else free
        if failures <= free:
            return 0.0
        return min(self.max_delay, self.base_delay * 2 ** min(failures - free - 1, 64))  # no float overflow

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    def wait_seconds(self, keys: Iterable[str]) -> float:
        """How long these keys must wait before the next try (0: they may try now)."""
        now = self._now()
        hashes = [key_hash(k) for k in keys]
        with self.sessions() as session:
            until = session.scalar(select(func.max(LoginFailure.locked_until))
                                   .where(LoginFailure.key_hash.in_(hashes)))
            session.rollback()
        return max(0.0, (until - now).total_seconds()) if until is not None else 0.0

    def record_failure(self, keys: Iterable[str]) -> float:
        """Count a wrong password for each key; returns the resulting wait in seconds."""
        now = self._now()
        forgotten = now - timedelta(seconds=self.forget_after)
        # Always the same order: two servers counting the same keys never wait for each other in a circle.
        by_hash = sorted({key_hash(k): k for k in keys}.items())
        wait = 0.0
        with self.sessions() as session:
            try:
                for hashed, key in by_hash:
                    count = session.scalar(_upsert_failure(session, hashed, now, forgotten))
                    until = now + timedelta(seconds=self.delay_after(count, self.free_for(key)))
                    session.execute(update(LoginFailure).where(LoginFailure.key_hash == hashed)
                                    .values(locked_until=until))
                    wait = max(wait, (until - now).total_seconds())
                session.commit()
            except BaseException:
                session.rollback()
                raise
        self.forget_stale()
        return wait

    def record_success(self, keys: Iterable[str]) -> None:
        with self.sessions() as session:
            for hashed in sorted({key_hash(k) for k in keys}):  # the order record_failure locks them in
                session.execute(delete(LoginFailure).where(LoginFailure.key_hash == hashed))
            session.commit()

    def failures(self, key: str) -> int:
        with self.sessions() as session:
            count = session.scalar(select(LoginFailure.failures).where(LoginFailure.key_hash == key_hash(key)))
            session.rollback()
        return count or 0

    def forget_stale(self) -> int:
        """Delete the rows whose failures are forgotten anyway (unlocked, last one long ago).
        Rows another server is updating at this instant are skipped, never waited for."""
        now = self._now()
        stale = (select(LoginFailure.key_hash)
                 .where(LoginFailure.last_failure_at < now - timedelta(seconds=self.forget_after),
                        LoginFailure.locked_until <= now)
                 .with_for_update(skip_locked=True))
        with self.sessions() as session:
            deleted = session.execute(delete(LoginFailure).where(LoginFailure.key_hash.in_(stale))).rowcount
            session.commit()
        return deleted or 0

    def clear(self) -> None:
        """Forget every failure (tests; an administrator unlocking everyone)."""
        with self.sessions() as session:
            session.execute(delete(LoginFailure))
            session.commit()


def _upsert_failure(session: Session, hashed: str, now: datetime, forgotten: datetime):
    """INSERT the key's first failure, or add one to its count (from 1 again when the last
    failure is forgotten and no lock runs); RETURNING the new count."""
    table = LoginFailure.__table__
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).values(key_hash=hashed, failures=1, last_failure_at=now, locked_until=now)
    fresh_start = and_(table.c.last_failure_at < forgotten, table.c.locked_until <= now)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.key_hash],
        set_={"failures": case((fresh_start, 1), else_=table.c.failures + 1), "last_failure_at": now},
    ).returning(table.c.failures)


ADDRESS_PREFIX = "addr:"


def key_hash(key: str) -> str:
    """The stored form of a throttle key (never the name, session or address itself)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def throttle_keys(username: str, session_id: str, address: str | None = None) -> tuple[str, ...]:
    """The keys one sign-in attempt counts against: the name typed (whoever types it), the
    browser session, and the client's address when it is known (services.client_address).

    The name stops guessing one account's password from anywhere. The session alone is weak:
    Streamlit keeps it on one server, and a reload or another server gives a new one; the
    address is what stops one client from trying many names, whichever server it lands on."""
    keys = (f"user:{normalize_username(username)}", f"session:{session_id}")
    return keys + (f"{ADDRESS_PREFIX}{address}",) if address else keys


def format_wait(seconds: float) -> str:
    """French: how long to wait, rounded up ("30 secondes", "2 minutes")."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


# --- Command line ----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["hash"]:
        print("Usage : python -m services.staff_auth hash", file=sys.stderr)
        return 2
    password = getpass.getpass("Mot de passe : ")
    if len(password) < 12:
        print("Trop court : au moins 12 caractères.", file=sys.stderr)
        return 1
    if getpass.getpass("Encore une fois : ") != password:
        print("Les deux saisies diffèrent.", file=sys.stderr)
        return 1
    print(hash_password(password))
    print("À coller dans .streamlit/secrets.toml, section [staff.users] : identifiant = \"<le hash>\"",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
