"""A real SMTP server for the tests (aiosmtpd, in a thread), recording what it receives.

    with SmtpTestServer() as server:          # on a free port of 127.0.0.1
        ... server.wait_for(2) ...            # the received messages, parsed
        server.refuse("x@y.fr")               # answer 550 to RCPT TO for this address
        server.stop(); server.start()         # down, then up again on the same port
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    at: float = 0.0  # time.monotonic() when the server accepted it

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"]).strip()

    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


class _Handler:
    def __init__(self, server: "SmtpTestServer"):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        if address.lower() in self.server.refused:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        with self.server.lock:
            self.server.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.content,
                                                   time.monotonic()))
            self.server.arrived.notify_all()
        return "250 2.0.0 Ok: queued"


def self_signed_certificate(folder) -> tuple[str, str]:
    """(certificate, key) for 127.0.0.1, made with Debian's openssl; the certificate is its own CA."""
    cert, key = f"{folder}/smtp-cert.pem", f"{folder}/smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


class SmtpTestServer:
    """tls: None (plain), "starttls" (required before AUTH/MAIL) or "ssl" (implicit TLS), with
    `certificate` = (cert, key) files. `users`: name → password accepted by AUTH (then required)."""

    def __init__(self, port: int | None = None, *, tls: str | None = None, certificate: tuple[str, str] | None = None,
                 users: dict[str, str] | None = None):
        self.tls, self.certificate, self.users = tls, certificate, users or {}
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.received: list[Received] = []
        self.refused: set[str] = set()
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self._controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            self.users.get(auth_data.login.decode()) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False)  # a failure answers 535

    def start(self) -> "SmtpTestServer":
        kwargs = {}
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self.certificate)
            if self.tls == "ssl":
                kwargs.update(ssl_context=context, auth_require_tls=False)  # aiosmtpd only counts STARTTLS as TLS
            else:
                kwargs.update(tls_context=context, require_starttls=True)
        if self.users:
            kwargs.update(authenticator=self._authenticate, auth_required=True)
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, address: str) -> None:
        self.refused.add(address.lower())

    def accept_all(self) -> None:
        self.refused.clear()

    def env(self) -> dict[str, str]:
        """Environment variables that point the kiosk at this server."""
        return {"KIOSK_SMTP_HOST": self.host, "KIOSK_SMTP_PORT": str(self.port), "KIOSK_SMTP_TLS": "none"}

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """At least `count` messages received (waits up to `timeout` s), all of them."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} messages, got {len(self.received)}")
                self.arrived.wait(left)
            return list(self.received)

    def __enter__(self) -> "SmtpTestServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
