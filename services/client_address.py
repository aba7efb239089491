"""Who is asking: the client's address, as the kiosk's own reverse proxy saw it.

The limits that must hold across several servers (staff sign-in, callback requests) cannot
rest on the browser session alone: a Streamlit session lives on one server, and a browser that
lands on another one (a restart, the proxy moving it) starts a new session. The client's address
is the same whichever server answers.

Streamlit sees the TCP peer. Behind the reverse proxy that peer is the proxy, and the client is
the last address of X-Forwarded-For that is not a trusted proxy: the proxy appends the address it
saw, and whatever stands before it was written by the client, so it is never believed. A peer
that is not a trusted proxy is the client itself, and its X-Forwarded-For is ignored.

`KIOSK_TRUSTED_PROXIES`: the proxies' addresses or networks, separated by commas (default:
loopback, a proxy on the same machine). An IPv6 client counts as its /64 network, which one
subscriber usually holds whole.

Plain Python: the UI layer (ui/client.py) passes in the peer and the header.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from ipaddress import IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

log = logging.getLogger(__name__)

ENV_TRUSTED = "KIOSK_TRUSTED_PROXIES"
DEFAULT_TRUSTED = "127.0.0.0/8,::1"
Network = IPv4Network | IPv6Network


def trusted_proxies(environ: Mapping[str, str]) -> tuple[Network, ...]:
    """The networks of KIOSK_TRUSTED_PROXIES (a mistyped entry is logged and left out)."""
    networks = []
    for item in (environ.get(ENV_TRUSTED) or DEFAULT_TRUSTED).split(","):
        if not item.strip():
            continue
        try:
            networks.append(ip_network(item.strip(), strict=False))
        except ValueError:
            log.warning("%s: %r is not an address or a network; ignored", ENV_TRUSTED, item.strip())
    return tuple(networks)


def _parse(text: str | None):
    try:
        ip = ip_address((text or "").strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _as_key(ip) -> str:
    if isinstance(ip, IPv6Address):
        return str(ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str | None:
    """The client's address (an IPv6 client as its /64), or None when it cannot be told: no
    peer, a peer that is a proxy without a usable X-Forwarded-For, or a garbled header."""
    ip = _parse(peer)
    if ip is None:
        return None
    if not any(ip in net for net in trusted):
        return _as_key(ip)
    for item in reversed((forwarded_for or "").split(",")):
        if not item.strip():
            continue
        hop = _parse(item)
        if hop is None:
            return None  # garbled: guess nothing rather than believe the client's part
        if not any(hop in net for net in trusted):
            return _as_key(hop)
    return None
