"""The HTML page Streamlit serves for every address, made French.

Streamlit answers every page address with the same static index.html, `<html lang="en">`,
and draws its own chrome in English ("Skip to main content", "Collapse sidebar"…). A screen
reader then reads the whole kiosk with English pronunciation (RGAA 8.3). `install()` wraps
Streamlit's static file handler so that this page, whatever the address, says `lang="fr"`,
wraps its English <noscript> note in `lang="en"`, and carries ui/static/kiosk_fr.js (the
chrome's words in French, one live region for announcements) and kiosk_fr.css.
An unknown address of two segments (/aide/xyz), which Streamlit would answer with a blank page,
is redirected to « Page introuvable » (ui/not_found.py).

ui/serve.py calls `install()` before the server starts: whoever serves the kiosk through
ui.serve (make run, the tests, production) gets it. tests/e2e/test_french_browser.py fails if
a Streamlit upgrade stops the rewrite from applying.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

from ui.not_found import NOT_FOUND_PATH

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
_HTML_LANG = re.compile(rb'<html\b([^>]*?)\blang="en"')
_NOSCRIPT_FR = "<noscript><p>Activez JavaScript dans votre navigateur pour utiliser ce kiosque.</p><div lang=\"en\">".encode()


@functools.cache
def _head_additions() -> bytes:
    css = (STATIC / "kiosk_fr.css").read_text(encoding="utf-8")
    js = (STATIC / "kiosk_fr.js").read_text(encoding="utf-8")
    return f"<style>{css}</style>\n<script>{js}</script>\n".encode()


def frenchify_index(page: bytes) -> bytes:
    """Streamlit's index.html with lang="fr", the English note marked as such, our script and style."""
    page, langs = _HTML_LANG.subn(rb'<html\1lang="fr"', page, count=1)
    if not langs:
        log.warning("ui.french_index: no <html lang=\"en\"> in Streamlit's index.html; the page language is not set")
    # Streamlit's note for browsers without JavaScript stays, marked as English, after ours.
    page = page.replace(b"<noscript>", _NOSCRIPT_FR, 1).replace(b"</noscript>", b"</div></noscript>", 1)
    return page.replace(b"</head>", _head_additions() + b"</head>", 1)


_DROPPED = {"headers": []}  # the index.html answer replaced by a redirect


def _nested(scope) -> bool:
    """An address of two segments or more (/aide/xyz) that is no file: Streamlit answers it with
    index.html, whose relative script addresses then point under /aide/ and fail: a blank page."""
    root = scope.get("root_path", "")
    path = scope.get("path", "")
    relative = path[len(root):] if root and path.startswith(root) else path
    return "/" in relative.strip("/")


def _to_not_found(scope) -> dict:
    location = scope.get("root_path", "").rstrip("/") + "/" + NOT_FOUND_PATH
    return {"type": "http.response.start", "status": 302,
            "headers": [(b"location", location.encode()), (b"content-length", b"0"), (b"cache-control", b"no-cache")]}


class FrenchIndex:
    """ASGI wrapper around Streamlit's static files: HTML answers go through frenchify_index."""

    def __init__(self, app):
        self.app = app

    def __getattr__(self, name):  # what Streamlit may read from its handler
        return getattr(self.app, name)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        chunks: list[bytes] = []

        async def send_french(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/html") and message.get("status") == 200:
                    if _nested(scope):
                        await send(_to_not_found(scope))
                        start = _DROPPED
                        return
                    start = message  # held until the whole body is here
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is _DROPPED:
                if not message.get("more_body"):
                    await send({"type": "http.response.body", "body": b""})
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = frenchify_index(b"".join(chunks)) if scope.get("method") != "HEAD" else b""
                # Our page is not the file on disk: its ETag and date would let a browser keep
                # an old rewrite; index.html is small and never cached anyway.
                headers = [(k, v) for k, v in start["headers"]
                           if k.lower() not in (b"content-length", b"etag", b"last-modified")]
                if scope.get("method") != "HEAD":
                    headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        await self.app(scope, receive, send_french)


def install() -> bool:
    """Wrap Streamlit's static handler (call before the server starts); False if Streamlit changed."""
    try:
        from streamlit.web.server.starlette import starlette_static_routes as routes
    except ImportError:
        log.warning("ui.french_index: Streamlit's static routes moved; pages stay lang=\"en\"")
        return False
    original = getattr(routes, "create_streamlit_static_handler", None)
    if original is None:
        log.warning("ui.french_index: create_streamlit_static_handler is gone; pages stay lang=\"en\"")
        return False
    if getattr(original, "kiosk_french", False):
        return True

    @functools.wraps(original)
    def french_handler(*args, **kwargs):
        return FrenchIndex(original(*args, **kwargs))

    french_handler.kiosk_french = True
    routes.create_streamlit_static_handler = french_handler
    return True
