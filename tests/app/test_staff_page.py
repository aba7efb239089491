"""/agents: nothing before sign-in, wrong/right password, throttling, expiry, sign-out."""

import pytest
import streamlit as st
from argon2 import PasswordHasher

import ui.staff_login as staff_login
from services.guides import guide_slugs, load_guide
from services.office import get_office
from services.staff_auth import ENV_USERS
from tests.app.conftest import open_page, texts

PAGE = "pages/staff.py"
PASSWORD = "un mot de passe assez long"
HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


class FakeClock:
    def __init__(self):
        self.now = 50_000.0

    def __call__(self):
        return self.now


@pytest.fixture(autouse=True)
def clean_staff_state(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_USERS, raising=False)
    # The failure counters live in the database: each test gets its own, empty.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'kiosk.db'}")
    clock = FakeClock()
    monkeypatch.setattr(staff_login, "clock", clock)
    return clock


@pytest.fixture
def clock(clean_staff_state):
    return clean_staff_state


def staff_content_shown(at) -> bool:
    return "Présentations et fiches" in texts(at) or bool(at.get("download_button"))


def configured(app, **staff):
    app.secrets["staff"] = {"users": {"carpentier": HASH}, **staff}
    return app


def sign_in(at, username="carpentier", password=PASSWORD):
    at.text_input(key=staff_login.USERNAME_KEY).input(username)
    at.text_input(key=staff_login.PASSWORD_KEY).input(password)
    return next(b for b in at.button if b.label == "Se connecter").click().run()


def test_not_configured_says_so_and_shows_nothing_else(app):
    at = open_page(app, PAGE)
    assert not at.exception
    assert [t.value for t in at.title] == ["Espace agents"]
    assert "pas encore configuré" in at.info[0].value
    assert "python -m services.staff_auth hash" in texts(at)
    assert not at.text_input and not at.button and not at.get("download_button") and not at.header
    assert not staff_content_shown(at)


def test_sign_in_form_before_anything(app):
    at = open_page(configured(app), PAGE)
    assert not at.exception
    assert len(at.text_input) == 2
    assert at.text_input(key=staff_login.PASSWORD_KEY).proto.type == at.text_input(
        key=staff_login.PASSWORD_KEY).proto.PASSWORD
    assert not staff_content_shown(at)


def test_wrong_password_is_refused_and_the_name_is_kept(app):
    at = open_page(configured(app), PAGE)
    at = sign_in(at, password="pas le bon")
    assert not at.exception
    assert at.error[0].value == "Identifiant ou mot de passe incorrect."
    assert at.text_input(key=staff_login.USERNAME_KEY).value == "carpentier"
    assert at.text_input(key=staff_login.PASSWORD_KEY).value == ""
    assert not staff_content_shown(at)


def test_unknown_user_gets_the_same_answer(app):
    at = sign_in(open_page(configured(app), PAGE), username="intrus", password=PASSWORD)
    assert at.error[0].value == "Identifiant ou mot de passe incorrect."
    assert not staff_content_shown(at)


def test_repeated_wrong_passwords_are_slowed_down(app, clock):
    at = open_page(configured(app), PAGE)
    for _ in range(3):
        at = sign_in(at, password="pas le bon")
        assert not at.warning
    at = sign_in(at, password="toujours pas")
    assert "attendez 5 secondes" in at.warning[0].value
    # While locked, even the right password is not checked.
    at = sign_in(at, password=PASSWORD)
    assert at.error[0].value == "Trop d'essais manqués."
    assert "attendez" in at.warning[0].value
    assert not staff_content_shown(at)
    clock.now += 6
    at = sign_in(at, password=PASSWORD)
    assert staff_content_shown(at)


def test_the_lock_follows_the_username_into_a_new_session(app, clock):
    from streamlit.testing.v1 import AppTest

    at = open_page(configured(app), PAGE)
    for _ in range(4):
        at = sign_in(at, password="pas le bon")
    # Another server (or this one restarted) starts with nothing in memory but the same database.
    st.cache_resource.clear()
    fresh = AppTest.from_file(app._script_path, default_timeout=30)
    fresh = open_page(configured(fresh), PAGE)
    fresh = sign_in(fresh, password=PASSWORD)
    assert fresh.error[0].value == "Trop d'essais manqués."
    assert not staff_content_shown(fresh)


def test_right_password_opens_the_staff_space(app):
    office = get_office()
    at = sign_in(open_page(configured(app), PAGE))
    assert not at.exception
    assert not at.error
    # several sections (the phone-support ones from branch `cases`): one tab each
    assert "Présentations et fiches" in [t.label for t in at.tabs]
    titles = [s.value for s in at.subheader]
    for slug in guide_slugs():
        assert load_guide(slug, office).title in titles
    assert len([b for b in at.get("download_button") if b.key.startswith("staff_handout_")]) == len(guide_slugs())
    assert "Connecté(e) : **carpentier**" in [m.value for m in at.sidebar.markdown]
    assert not [t for t in at.text_input if t.key.startswith("staff_login_")]  # the form is gone


def test_environment_variable_accounts(app, monkeypatch):
    monkeypatch.setenv(ENV_USERS, f"martin:{HASH}")
    at = sign_in(open_page(app, PAGE), username="martin")
    assert staff_content_shown(at)


def test_idle_session_expires(app, clock):
    at = sign_in(open_page(configured(app), PAGE))
    assert staff_content_shown(at)
    clock.now += 29 * 60  # activity within the limit keeps the session
    at = at.run()
    assert staff_content_shown(at)
    clock.now += 30 * 60
    at = at.run()
    assert not staff_content_shown(at)
    assert "30 minutes sans activité" in at.info[0].value
    assert len(at.text_input) == 2


def test_idle_limit_comes_from_secrets(app, clock):
    at = sign_in(open_page(configured(app, idle_minutes=5), PAGE))
    clock.now += 5 * 60
    at = at.run()
    assert "5 minutes sans activité" in at.info[0].value


def test_sign_out(app):
    at = sign_in(open_page(configured(app), PAGE))
    at = at.button(key="staff_logout").click().run()
    assert not staff_content_shown(at)
    assert at.info[0].value == "Vous êtes déconnecté(e)."


def test_removed_account_is_signed_out(app):
    at = sign_in(open_page(configured(app), PAGE))
    at.secrets["staff"] = {"users": {"martin": HASH}}
    at = at.run()
    assert not staff_content_shown(at)
    assert at.info[0].value == "Ce compte n'a plus accès à l'espace agents."


def test_configuration_mistake_is_explained(app):
    app.secrets["staff"] = {"users": {"carpentier": "motdepasse-en-clair"}}
    at = open_page(app, PAGE)
    assert not at.exception
    assert "mal configuré" in at.error[0].value and "hash argon2" in at.error[0].value
    assert not at.text_input and not staff_content_shown(at)


def test_oidc_is_offered_when_configured(app):
    """st.login itself needs a real identity provider: only the offer is tested here."""
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "client_id": "kiosk", "client_secret": "y",
                           "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
    app.secrets["staff"] = {"allowed_domains": ["office.example"]}
    at = open_page(app, PAGE)
    assert not at.exception
    assert [b.label for b in at.button] == ["Se connecter avec le compte de l'office"]
    assert not at.text_input and not staff_content_shown(at)


def test_other_pages_link_to_the_staff_space_discreetly(app):
    at = app.run()  # the home page
    assert not at.exception
    links = [link.proto for link in at.sidebar.get("page_link")]
    # Last thing in the sidebar, after the suppliers' own links.
    assert (links[-1].label, links[-1].page) == ("Espace agents", "agents")
    assert "Espace agents" not in [link.label for link in links[:-1]]
