"""Optional sign-in with OpenID Connect (``st.login``), configured in the server's secrets.

Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` table (Streamlit's own shape):
``redirect_uri`` (the app's URL ending in ``/oauth2callback``), ``cookie_secret``, and the
provider's ``client_id``, ``client_secret`` and ``server_metadata_url``, either in ``[auth]``
itself or in one named table ``[auth.<provider>]``. Then every page needs sign-in and the
signed-in user (their e-mail, else the provider's subject id) owns the scenarios they save.
Without an ``[auth]`` table the app runs open and says so on its sidebar: "for local use" when
the server listens on loopback only and accepts only loopback host names (the project's
``.streamlit/config.toml``), otherwise that it is open to other computers (:func:`runs_locally`).

An ``[auth]`` table that is incomplete does not fall back to open use: the app shows which
setting is missing and nothing else (a typo must not publish the department's plans).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from planner.i18n import t
from planner.ui import state

#: Settings every ``[auth]`` table needs, and those of the identity provider.
SHARED_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class AuthSettings:
    """What the secrets say about sign-in: ``on`` and, when something is missing, what."""

    on: bool
    provider: str | None = None  # None: the provider's settings are in [auth] itself
    missing: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.on and not self.missing


def tx(key: str, /, **params: Any) -> str:
    """A message of the ``[auth]`` table in the session's language."""
    return t(f"auth.{key}", state.lang(), **params)


def _auth_section() -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError)
        return None
    return section if isinstance(section, Mapping) else None


def settings(section: Mapping[str, Any] | None = None) -> AuthSettings:
    """Read the ``[auth]`` table (default: the app's secrets)."""
    if section is None:
        section = _auth_section()
    if section is None:
        return AuthSettings(on=False)
    missing = [k for k in SHARED_KEYS if not section.get(k)]
    providers = [name for name, value in section.items() if isinstance(value, Mapping)]
    provider = None
    if not all(section.get(k) for k in PROVIDER_KEYS) and providers:
        provider = providers[0]
        missing += [f"{provider}.{k}" for k in PROVIDER_KEYS if not section[provider].get(k)]
    else:
        missing += [k for k in PROVIDER_KEYS if not section.get(k)]
    return AuthSettings(on=True, provider=provider, missing=tuple(missing))


def _logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except (AttributeError, KeyError, StreamlitAPIException):
        return False


def identity() -> str | None:
    """The signed-in user's e-mail (or the provider's subject id), whatever the settings."""
    if not _logged_in():
        return None
    value = str(st.user.get("email") or st.user.get("sub") or "").strip()
    return value or None


def current_user() -> str | None:
    """The user the scenario store sees: the signed-in identity, or None without sign-in."""
    if not settings().usable:
        return None
    return identity()


def gate() -> bool:
    """True when the app may show its pages; otherwise the sign-in page (or the settings
    error) is shown, and nothing else."""
    cfg = settings()
    if not cfg.on:
        return True
    st.title(t("ui.app.title", state.lang()))
    if cfg.missing:
        st.error(tx("misconfigured", keys=", ".join(cfg.missing)), icon=":material/lock:")
        return False
    if identity() is not None:
        return True
    st.markdown(tx("sign_in_text"))
    if st.button(tx("sign_in"), key="auth_sign_in", type="primary", icon=":material/login:"):
        st.login(cfg.provider) if cfg.provider else st.login()
    return False


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def runs_locally(address: str | None, allowed_hosts: list[str] | None) -> bool:
    """True when only this computer can use the app: the server listens on a loopback address
    (unset means every interface) and WebSockets are accepted for loopback host names only
    (an empty list means any host name, e.g. forwarded by a proxy)."""
    if not address or not (address in LOOPBACK_NAMES or address.startswith("127.")):
        return False
    hosts = [h.strip().lower() for h in allowed_hosts or []]
    return bool(hosts) and all(h in LOOPBACK_NAMES or h.startswith("127.") for h in hosts)


def account_panel() -> None:
    """The sidebar's line about sign-in: who is signed in and a sign-out button, or that the
    app runs without sign-in (for local use, or open to other computers)."""
    box = st.sidebar.container(border=True)
    user = current_user()
    if user is None:
        local = runs_locally(st.get_option("server.address"),
                             st.get_option("server.allowedHosts"))
        box.caption(tx("local_mode" if local else "open_mode"))
        return
    box.caption(tx("signed_in_as", user=user))
    if box.button(tx("sign_out"), key="auth_sign_out", icon=":material/logout:"):
        st.logout()
