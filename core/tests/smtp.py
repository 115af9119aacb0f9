"""A real SMTP server inside the test (aiosmtpd on 127.0.0.1, a free port), and the settings
that send the app's email to it through Django's SMTP backend (as EMAIL_URL=smtp://… would)."""

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    """What the server was given: envelope recipients and the parsed message."""

    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        # Unfolded: a long encoded subject comes in folded lines.
        return " ".join(str(self.message["Subject"]).split())

    def part(self, subtype: str) -> str:
        return self.message.get_body(preferencelist=(subtype,)).get_content()


@dataclass
class Inbox:
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


class SmtpServer:
    """Start, stop and start again on the same port (the mail server going down for a while)."""

    def __init__(self):
        self.inbox = Inbox()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server on loopback; the app's email goes there (`.inbox.received`)."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "http://testserver"
    yield server
    server.stop()
