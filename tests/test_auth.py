"""Sign-in (issue 7): optional OpenID Connect with ``st.login``, configured in the secrets.

AppTest runs the real app: without an ``[auth]`` table it runs open and says so on the
sidebar; with one, nobody sees a page before signing in; a signed-in user (AppTest's own
``at.user``, the documented way to test ``st.user``) owns what they save in the real SQLite
store, and another signed-in user sees it only once it is shared.
"""

from __future__ import annotations

import pytest
from app_helpers import APP, PAGES, texts
from streamlit.testing.v1 import AppTest

from planner.i18n import t
from planner.store import ScenarioStore
from planner.ui.auth import settings

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-long-random-cookie-secret-for-tests-only-0123456789",
        "client_id": "planner", "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
SCENARIOS = "planner/ui/scenarios_page.py"
LAN, MAI = "lan@sonoivu.example", "mai@sonoivu.example"

pytestmark = pytest.mark.slow


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'scenarios.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    return url


def app(*, auth: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if auth is not None:
        at.secrets["auth"] = auth
    if user is not None:
        at.user = user
    return at


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in (*at.sidebar.caption, *at.sidebar.markdown))


def shows_no_data(at: AppTest) -> None:
    assert not at.dataframe and not at.metric and not at.get("vega_lite_chart")
    assert not at.get("download_button")
    assert "967" not in texts(at) + sidebar_text(at)  # not even the sample's row count


# --- without sign-in --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_without_auth_settings_the_sidebar_says_the_app_is_open(lang):
    at = app()
    at.run()
    if lang == "en":
        at.sidebar.radio(key="w_lang").set_value("en").run()
    assert not at.exception
    assert t("auth.local_mode", lang) in sidebar_text(at)
    assert not [b for b in at.button if b.key in ("auth_sign_in", "auth_sign_out")]
    assert at.metric  # the Gaps page is there, with its figures
    for page in PAGES.values():
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.header, page


def test_without_auth_settings_the_store_gets_no_user(store_url):
    at = app()
    at.run()
    at.switch_page(SCENARIOS).run()
    assert t("store.ui.local_mode", "vi") in texts(at)
    assert at.checkbox(key="w_save_shared.0").disabled  # sharing needs sign-in


# --- sign-in configured, nobody signed in ------------------------------------------------------

@pytest.mark.parametrize("user", [None, {"is_logged_in": False}])
def test_with_auth_settings_only_the_sign_in_page_is_shown(user):
    at = app(auth=AUTH, user=user)
    at.run()
    assert not at.exception
    assert [b.key for b in at.button] == ["auth_sign_in"]
    assert at.button(key="auth_sign_in").label == t("auth.sign_in", "vi")
    assert t("auth.sign_in_text", "vi") in texts(at)
    assert t("auth.local_mode", "vi") not in sidebar_text(at)
    shows_no_data(at)
    for page in (*PAGES.values(), SCENARIOS):  # a page's own address does not get round it
        at.switch_page(page).run()
        assert [b.key for b in at.button] == ["auth_sign_in"], page
        shows_no_data(at)


def test_an_incomplete_auth_table_shows_what_is_missing_and_nothing_else():
    broken = {k: v for k, v in AUTH.items() if k != "client_secret"}
    at = app(auth=broken)
    at.run()
    assert at.error and "client_secret" in at.error[0].value
    assert not at.button
    shows_no_data(at)


def test_auth_settings_shapes():
    assert not settings({}).on or settings({}).missing  # an empty table is not usable
    assert settings(AUTH).usable and settings(AUTH).provider is None
    named = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"],
             "microsoft": {k: AUTH[k] for k in ("client_id", "client_secret",
                                                "server_metadata_url")}}
    assert settings(named).usable and settings(named).provider == "microsoft"
    del named["microsoft"]["server_metadata_url"]
    assert settings(named).missing == ("microsoft.server_metadata_url",)
    assert settings({"client_id": "x"}).missing == ("redirect_uri", "cookie_secret",
                                                    "client_secret", "server_metadata_url")


# --- signed in ---------------------------------------------------------------------------------

def signed_in(email: str, page: str | None = None) -> AppTest:
    at = app(auth=AUTH, user={"is_logged_in": True, "email": email, "name": email[:3]})
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_signed_in_user_sees_the_pages_and_can_sign_out():
    at = signed_in(LAN)
    assert at.metric
    assert t("auth.signed_in_as", "vi", user=LAN) in sidebar_text(at)
    at.switch_page(PAGES["data"]).run()
    assert at.header and not at.exception
    at.sidebar.button(key="auth_sign_out").click().run()
    at.run()  # the browser reloads after sign-out
    assert [b.key for b in at.button] == ["auth_sign_in"]
    shows_no_data(at)


def save(at: AppTest, name: str, *, shared: bool) -> None:
    try:
        v = at.session_state["store_form_version"]
    except KeyError:
        v = 0
    at.text_input(key=f"w_save_name.{v}").input(name)
    if shared:
        at.checkbox(key=f"w_save_shared.{v}").check()
    at.button(key=f"FormSubmitter:store_save_form.{v}-Lưu").click().run()
    assert not at.exception, [e.message for e in at.exception]


def listed(at: AppTest) -> list[str]:
    if not at.dataframe:
        return []
    return list(at.dataframe[0].value["Tên phương án"])


def test_scenarios_belong_to_the_signed_in_user(store_url):
    lan = signed_in(LAN, SCENARIOS)
    assert t("store.ui.signed_in", "vi", user=LAN) in texts(lan)
    save(lan, "Của Lan, riêng", shared=False)
    save(lan, "Của Lan, chia sẻ", shared=True)
    by_name = {i.name: i for i in ScenarioStore(store_url).list()}
    assert by_name["Của Lan, riêng"].owner == LAN and not by_name["Của Lan, riêng"].shared
    assert by_name["Của Lan, chia sẻ"].owner == LAN and by_name["Của Lan, chia sẻ"].shared
    assert sorted(listed(lan)) == ["Của Lan, chia sẻ", "Của Lan, riêng"]

    mai = signed_in(MAI, SCENARIOS)  # another officer, another browser
    assert listed(mai) == ["Của Lan, chia sẻ"]
    picked = mai.selectbox(key="w_store_pick")
    assert picked.value == by_name["Của Lan, chia sẻ"].id
    assert mai.button(key="store_delete").disabled  # not hers to delete
    assert t("store.ui.not_yours", "vi", owner=LAN) in texts(mai)

    # Lan shares the private one: now Mai sees both
    lan.selectbox(key="w_store_pick").set_value(by_name["Của Lan, riêng"].id).run()
    lan.button(key="store_share").click().run()
    assert not lan.exception
    mai.run()
    assert sorted(listed(mai)) == ["Của Lan, chia sẻ", "Của Lan, riêng"]
