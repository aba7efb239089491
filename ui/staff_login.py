"""The gate in front of the staff space: sign-in form, OIDC button, expiry, sign-out.

A staff page starts with `staff = require_staff()`: unless someone is signed in, the call
renders the sign-in form (or the "not configured" notice) and stops the script, so nothing
below it ever runs for a visitor.
"""

from __future__ import annotations

import logging
import os
import secrets as token_source
import time
from collections.abc import Callable

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from services.staff_auth import (
    LoginThrottle,
    StaffConfig,
    StaffConfigError,
    StaffSession,
    check_credentials,
    format_wait,
    is_expired,
    load_staff_config,
    session_end_reason,
    start_session,
    throttle_keys,
    touch,
)
from ui.client import current_client_address

log = logging.getLogger(__name__)

# The clock used for expiry and throttling; tests replace it (monkeypatch ui.staff_login.clock).
# Wall time, not monotonic: the throttle's lock times are shared by every server through the database.
clock: Callable[[], float] = time.time

SESSION_KEY = "staff_session"
NOTICE_KEY = "staff_notice"
ERROR_KEY = "staff_login_error"
CLIENT_KEY = "staff_client_id"
USERNAME_KEY = "staff_login_username"
PASSWORD_KEY = "staff_login_password"


def login_throttle() -> LoginThrottle:
    """The failure counters, in the database: shared by every session of every server. A thin
    object over the database's sessions: built on each use, never cached apart from the database."""
    from ui.db import get_database

    return LoginThrottle(get_database().sessions, clock=lambda: clock())


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError as exc:
        if "pars" in str(exc).lower():  # the file exists but is not valid TOML
            raise StaffConfigError(f"Le fichier secrets.toml est illisible : {exc}") from None
        return {}  # no secrets.toml at all: not configured


def staff_config() -> StaffConfig:
    """The staff accounts; a configuration mistake stops the page with a French message."""
    try:
        return load_staff_config(secrets=_secrets(), environ=os.environ)
    except StaffConfigError as exc:
        st.title("Espace agents")
        st.error(f"L'accès des agents est mal configuré. {exc}")
        st.stop()
        raise  # unreachable


def _not_configured() -> None:
    st.title("Espace agents")
    st.info(
        "**L'espace agents n'est pas encore configuré.** Aucun compte n'existe, "
        "donc rien n'est affiché ici."
    )
    st.markdown(
        "Pour l'ouvrir, la personne qui installe le kiosque :\n"
        "1. crée l'empreinte (hash) d'un mot de passe avec la commande "
        "`python -m services.staff_auth hash` ;\n"
        "2. la colle dans le fichier `.streamlit/secrets.toml`, section `[staff.users]`, "
        "sous la forme `prenom.nom = \"$argon2id$…\"` "
        "(ou dans la variable d'environnement `KIOSK_STAFF_USERS`, forme `identifiant:hash`) ;\n"
        "3. redémarre le kiosque.\n\n"
        "Une connexion par le compte de l'office (OIDC, section `[auth]`) est aussi possible. "
        "Le modèle est dans `.streamlit/secrets.toml.example`."
    )


def _session_id() -> str:
    if CLIENT_KEY not in st.session_state:
        st.session_state[CLIENT_KEY] = token_source.token_urlsafe(16)
    return st.session_state[CLIENT_KEY]


def _on_submit(config: StaffConfig) -> None:
    """Form callback: check the password (or refuse while locked), then clear it."""
    username = st.session_state.get(USERNAME_KEY, "") or ""
    password = st.session_state.get(PASSWORD_KEY, "") or ""
    st.session_state[PASSWORD_KEY] = ""
    st.session_state[ERROR_KEY] = None
    if not username.strip() or not password:
        st.session_state[ERROR_KEY] = ("Tapez votre identifiant et votre mot de passe.", None)
        return
    try:
        throttle = login_throttle()
        keys = throttle_keys(username, _session_id(), current_client_address())
        wait = throttle.wait_seconds(keys)
    except Exception:  # noqa: BLE001 - without its counters, no password is checked (fail closed)
        log.exception("sign-in throttle unavailable")
        st.session_state[ERROR_KEY] = (
            "Connexion impossible pour le moment : la base de données ne répond pas.",
            "Réessayez dans un instant. Si cela dure, prévenez la personne qui gère le kiosque.")
        return
    if wait > 0:
        st.session_state[ERROR_KEY] = (
            "Trop d'essais manqués.", f"Pour votre sécurité, attendez {format_wait(wait)} avant de réessayer."
        )
        return
    user = check_credentials(config.users, username, password)
    if user is None:
        try:
            wait = throttle.record_failure(keys)
        except Exception:  # noqa: BLE001 - refused all the same; only this failure goes uncounted
            log.exception("sign-in failure not counted")
            wait = 0.0
        hint = f"Trop d'essais manqués : attendez {format_wait(wait)} avant de réessayer." if wait > 0 else None
        st.session_state[ERROR_KEY] = ("Identifiant ou mot de passe incorrect.", hint)
        return
    try:
        throttle.record_success(keys)
    except Exception:  # noqa: BLE001 - the right password still signs in; old failures fade in an hour
        log.exception("sign-in failures not cleared")
    st.session_state[SESSION_KEY] = start_session(user, "password", clock())
    st.session_state[NOTICE_KEY] = None


def _sign_in_form(config: StaffConfig) -> None:
    st.title("Espace agents")
    st.markdown("Réservé au personnel de l'office. Connectez-vous pour continuer.")
    if st.session_state.get(NOTICE_KEY):
        st.info(st.session_state[NOTICE_KEY])
    if config.oidc:
        for provider in config.oidc.providers:
            label = "Se connecter avec le compte de l'office" + (f" ({provider})" if provider else "")
            if st.button(label, key=f"staff_oidc_{provider or 'default'}", type="primary"):
                if provider:
                    st.login(provider)
                else:
                    st.login()
        if config.users:
            st.markdown("Ou avec un identifiant et un mot de passe :")
    if config.users:
        error = st.session_state.get(ERROR_KEY)
        if error:
            st.error(error[0])
            if error[1]:
                st.warning(error[1])
        with st.form("staff_login_form", clear_on_submit=False, enter_to_submit=True):
            st.text_input("Identifiant", key=USERNAME_KEY, autocomplete="username", max_chars=64)
            st.text_input("Mot de passe", key=PASSWORD_KEY, type="password", autocomplete="current-password",
                          max_chars=256)
            st.form_submit_button("Se connecter", type="primary", on_click=_on_submit, args=(config,))


def _sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state[NOTICE_KEY] = "Vous êtes déconnecté(e)."


def _oidc_session(config: StaffConfig, now: float) -> StaffSession | None:
    """A session for an account signed in with st.login, if the allow-list accepts it."""
    if not config.oidc or not _oidc_signed_in():
        return None
    email = str(st.user.get("email") or "")
    if config.oidc.allows(email):
        st.session_state[NOTICE_KEY] = None
        return start_session(email.lower(), "oidc", now)
    st.title("Espace agents")
    st.error(f"Le compte {email or '(sans adresse email)'} n'est pas autorisé dans l'espace agents. "
             "Demandez à l'administrateur de l'ajouter dans [staff] allowed_emails.")
    if st.button("Se déconnecter", key="staff_oidc_logout"):
        st.logout()
    st.stop()
    return None  # unreachable


def _oidc_signed_in() -> bool:
    # st.user has no is_logged_in key at all when no identity provider answered (e.g. AppTest).
    return bool(st.user.get("is_logged_in", False))


@st.fragment(run_every=60)
def _expiry_watch(idle_minutes: int) -> None:
    """Signs out an idle screen on its own: personal data does not stay on a screen left open."""
    session = st.session_state.get(SESSION_KEY)
    if session is not None and is_expired(session, clock(), idle_minutes):
        st.rerun()


def require_staff() -> StaffSession:
    """The signed-in member of staff; otherwise render the way in and stop the script."""
    config = staff_config()
    if not config.configured:
        _not_configured()
        st.stop()
    now = clock()
    session: StaffSession | None = st.session_state.get(SESSION_KEY)
    reason = session_end_reason(session, config, now) if session is not None else None
    if reason:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state[NOTICE_KEY] = reason
        if session.method == "oidc" and _oidc_signed_in():
            st.logout()
        session = None
    if session is None:
        session = _oidc_session(config, now)
    if session is None:
        _sign_in_form(config)
        st.stop()
    session = touch(session, now)
    st.session_state[SESSION_KEY] = session
    with st.sidebar:
        st.markdown(f"Connecté(e) : **{session.username}**")
        if session.method == "oidc":
            if st.button("Se déconnecter", key="staff_logout"):
                st.session_state.pop(SESSION_KEY, None)
                st.logout()
        else:
            st.button("Se déconnecter", key="staff_logout", on_click=_sign_out)
    _expiry_watch(config.idle_minutes)
    return session
