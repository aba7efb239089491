"""How many kiosk servers run side by side, for the limits outside services set per address.

The public company directory (7 requests/s) and Chorus Pro's PISTE API (the kiosk's own 30
look-ups a minute) count what comes from the office's host, whichever server sends it. Each
server takes an equal share of such a limit, in whole requests rounded down (7/s with two
servers: 3/s each); `KIOSK_SERVERS` (default 1) says how many servers share it.

Why a share rather than one counter in the database: it needs no coordination (no database
write per SIRET typed, nothing to wait for when the database is slow or away, and the SIRET
check works without a database), and the shares never add up to more than the limit. The price
is that a busy server cannot borrow an idle one's share, which the kiosk's traffic (a few
look-ups a minute) never notices. Set it to the number of servers behind the proxy, or more:
too high only slows look-ups; too low could exceed the limit (the directory then answers 429,
whose Retry-After the client honours).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

log = logging.getLogger(__name__)

ENV_SERVERS = "KIOSK_SERVERS"


def server_count(environ: Mapping[str, str]) -> int:
    """KIOSK_SERVERS as a whole number of at least 1 (a mistyped value is logged and read as 1)."""
    raw = (environ.get(ENV_SERVERS) or "").strip()
    if not raw:
        return 1
    try:
        count = int(raw)
    except ValueError:
        count = 0
    if count < 1:
        log.warning("%s=%r is not a whole number of servers; 1 is used", ENV_SERVERS, raw)
        return 1
    return count


def server_share(limit: float, environ: Mapping[str, str]) -> int:
    """This server's share of a limit counted for the whole host, in whole requests, rounded
    down: a limit counted per window (7 in any one second) holds only if the servers' shares
    add up to no more than it (7 with two servers: 3 each). At least 1, so with more servers
    than the limit allows the sum may exceed it: keep KIOSK_SERVERS at or below the limit."""
    return max(1, int(limit) // server_count(environ))
