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

Make a hash with:  python -m services.staff_auth hash
"""

from __future__ import annotations

import getpass
import hmac
import math
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

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


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


class LoginThrottle:
    """Counts wrong passwords per key (a username, a browser session) and locks for a while.

    The first `free_attempts` failures cost nothing; the n-th one after that locks the key for
    `base_delay * 2**(n - 1)` seconds, capped at `max_delay`. Shared by every
    session of the server (one instance in st.cache_resource), hence the lock.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, free_attempts: int = 3,
                 base_delay: float = 5.0, max_delay: float = 15 * 60, forget_after: float = 60 * 60,
                 max_keys: int = 10_000):
        self.clock = clock
        self.free_attempts, self.base_delay, self.max_delay = free_attempts, base_delay, max_delay
        self.forget_after, self.max_keys = forget_after, max_keys
        self._entries: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def delay_after(self, failures: int) -> float:
        if failures <= self.free_attempts:
            return 0.0
        return min(self.max_delay, self.base_delay * 2 ** (failures - self.free_attempts - 1))

    def wait_seconds(self, keys: Iterable[str]) -> float:
        """How long these keys must wait before the next try (0: they may try now)."""
        now = self.clock()
        with self._lock:
            waits = [e.locked_until - now for k in keys if (e := self._entries.get(k))]
        return max([0.0, *waits])

    def record_failure(self, keys: Iterable[str]) -> float:
        """Count a wrong password for each key; returns the resulting wait in seconds."""
        now = self.clock()
        with self._lock:
            self._prune(now)
            wait = 0.0
            for key in keys:
                entry = self._entries.setdefault(key, _Failures())
                if now - entry.last_failure > self.forget_after and entry.locked_until <= now:
                    entry.count = 0
                entry.count += 1
                entry.last_failure = now
                entry.locked_until = now + self.delay_after(entry.count)
                wait = max(wait, entry.locked_until - now)
            return wait

    def record_success(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)

    def failures(self, key: str) -> int:
        with self._lock:
            entry = self._entries.get(key)
            return entry.count if entry else 0

    def _prune(self, now: float) -> None:
        stale = [k for k, e in self._entries.items()
                 if e.locked_until <= now and now - e.last_failure > self.forget_after]
        for key in stale:
            del self._entries[key]
        if len(self._entries) >= self.max_keys:  # a flood of names: drop the oldest unlocked ones
            unlocked = sorted((e.last_failure, k) for k, e in self._entries.items() if e.locked_until <= now)
            for _, key in unlocked[: len(self._entries) - self.max_keys + 1]:
                del self._entries[key]


def throttle_keys(username: str, session_id: str) -> tuple[str, str]:
    return f"user:{normalize_username(username)}", f"session:{session_id}"


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
