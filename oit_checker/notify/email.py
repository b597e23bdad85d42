"""E-mail over SMTP: STARTTLS (default), implicit TLS (``ssl``) or plain (a local relay only).

The password comes from an environment variable; it is never logged, stored or shown in
``repr``. Certificates are verified (``ca_file`` adds a private CA).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .interface import Channel, NotifyError
from .message import Message


class EmailChannel(Channel):
    """See ``Channel``."""

    name = "email"

    def __init__(self, host: str, port: int, *, security: str, sender: str, to: tuple[str, ...],
                 username: str = "", password: str | None = None, ca_file: str = "", timeout: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.security = security
        self.sender = sender
        self.to = to
        self.username = username
        self._password = password
        self.ca_file = ca_file
        self.timeout = timeout

    def __repr__(self) -> str:
        return (f"EmailChannel({self.host!r}, {self.port}, security={self.security!r}, "
                f"username={self.username!r}, password={'***' if self._password else None})")

    def message(self, notice: Message) -> EmailMessage:
        """The e-mail for ``notice`` (UTF-8 text; Thai subject encoded per RFC 2047)."""
        mail = EmailMessage()
        mail["Subject"] = notice.subject()
        mail["From"] = self.sender
        mail["To"] = ", ".join(self.to)
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = make_msgid(domain="oit-checker.local")
        mail["X-OIT-Checker-Run"] = notice.run_id
        mail.set_content(notice.text(), charset="utf-8")
        return mail

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.ca_file:
            context.load_verify_locations(cafile=self.ca_file)
        return context

    def send(self, notice: Message) -> str:
        """See ``Channel.send``."""
        if not self.to:
            raise NotifyError("email: no recipients ([notify.email] to)")
        if self.username and not self._password:
            raise NotifyError(f"email: {self.username} needs a password in the environment variable "
                              "named by [notify.email] password_env")
        mail = self.message(notice)
        try:
            if self.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                        context=self._context())
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                client.ehlo()
                if self.security == "starttls":
                    client.starttls(context=self._context())
                    client.ehlo()
                if self.username:
                    client.login(self.username, self._password or "")
                refused = client.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            raise NotifyError(f"email {self.host}:{self.port}: login refused ({exc.smtp_code})") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise NotifyError(f"email {self.host}:{self.port}: {type(exc).__name__}: {exc}"[:300]) from exc
        if refused:
            raise NotifyError(f"email: refused recipients {', '.join(sorted(refused))}")
        return f"{self.host}:{self.port} → {len(self.to)}"
