"""Real local receivers for notifications: an SMTP server (aiosmtpd) and a webhook endpoint.

``SmtpServer`` speaks STARTTLS (required) or implicit TLS with a certificate made for the test,
and accepts AUTH LOGIN/PLAIN for one user only, so a test proves the password really came from
the environment. ``WebhookReceiver`` records every POST (headers and raw body) and can be told
to answer 500 a number of times.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

SMTP_USER = "oit-bot@example.go.th"
SMTP_PASSWORD = "correct horse battery staple"  # noqa: S105 - a test server's password


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert, key), made with the openssl CLI."""
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage
    authenticated: bool
    tls: bool

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())


@dataclass
class _Handler:
    inbox: list[Mail] = field(default_factory=list)
    received: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.inbox.append(Mail(str(envelope.mail_from), [str(r) for r in envelope.rcpt_tos], message,
                               bool(session.authenticated),
                               session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None))
        self.received.set()
        return "250 OK"


def _authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == SMTP_USER.encode() and data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


class SmtpServer:
    """aiosmtpd on 127.0.0.1 in its own thread; ``mode`` is ``starttls`` or ``ssl``."""

    def __init__(self, cert: Path, key: Path, mode: str = "starttls") -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.mode = mode
        self.handler = _Handler()
        self.port = free_port()
        options: dict[str, Any] = {"authenticator": _authenticate, "auth_require_tls": True}
        if mode == "ssl":  # implicit TLS: aiosmtpd's auth_require_tls only knows STARTTLS
            options |= {"ssl_context": context, "auth_require_tls": False}
        else:
            options |= {"tls_context": context, "require_starttls": True}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    @property
    def inbox(self) -> list[Mail]:
        return self.handler.inbox

    def close(self) -> None:
        self.controller.stop()


@dataclass
class Hook:
    path: str
    headers: dict[str, str]
    body: bytes


class _WebhookHandler(BaseHTTPRequestHandler):
    server: WebhookReceiver

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.attempts += 1
            failing = self.server.fail_next > 0
            if failing:
                self.server.fail_next -= 1
            else:
                self.server.hooks.append(Hook(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        status = 500 if failing else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class WebhookReceiver(ThreadingHTTPServer):
    """Records POSTs on 127.0.0.1; ``fail_next`` answers that many requests with 500 first."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _WebhookHandler)
        self.hooks: list[Hook] = []
        self.attempts = 0
        self.fail_next = 0
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/oit?token=abc123"

    def close(self) -> None:
        self.shutdown()
        self.server_close()
