"""The client's address for the current script run (services/client_address.py decides)."""

from __future__ import annotations

import logging
import os

import streamlit as st

from services.client_address import client_address, trusted_proxies

log = logging.getLogger(__name__)


def current_client_address() -> str | None:
    """The visitor's address, or None when it cannot be told (a local run, AppTest)."""
    try:
        # st.context.ip_address is None for a loopback peer: that is a proxy on this machine
        # (or a local visitor), so the peer is taken as 127.0.0.1 and X-Forwarded-For decides.
        peer = st.context.ip_address or "127.0.0.1"
        forwarded = st.context.headers.get("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - no request context (AppTest): nothing to tell
        return None
    return client_address(peer, forwarded, trusted_proxies(os.environ))
