"""A real SMTP server on loopback (aiosmtpd) for tests and benchmarks.

It speaks SMTP with AUTH LOGIN/PLAIN (and XOAUTH2, Google's and Microsoft's bearer
token sign-in, when given tokens), STARTTLS or implicit TLS (self-signed
certificate made on the spot), can refuse a password, a sender or a recipient with a
chosen code and text, and records what it received: envelope sender, recipients, the
message and the login, plus how many connections it accepted.
"""

import base64
import datetime
import email
import email.policy
import logging
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# aiosmtpd logs every SMTP command (and a deprecation of its own) on "mail.log"
logging.getLogger("mail.log").setLevel(logging.ERROR)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    message: email.message.EmailMessage
    login: str | None


@dataclass
class FakeSmtp:
    """`users` {login: password}; `refuse_senders` / `refuse_recipients`
    {address: "550 5.7.1 reason"}; `refuse_auth` replaces the 535 reply text.
    `tls`: None, "starttls" or "ssl"; `bind_port` to come back on a known port."""

    users: dict = field(default_factory=dict)
    oauth_tokens: dict = field(default_factory=dict)
    refuse_senders: dict = field(default_factory=dict)
    refuse_recipients: dict = field(default_factory=dict)
    refuse_auth: str | None = None
    tls: str | None = None
    max_size: int | None = None
    bind_port: int | None = None
    received: list = field(default_factory=list)
    logins: list = field(default_factory=list)
    connections: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._controller = None

    # aiosmtpd handler hooks

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.users and not session.authenticated:
            return "530 5.7.0 Authentication required"
        if address in self.refuse_senders:
            return self.refuse_senders[address]
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        with self._lock:
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    message,
                    getattr(session.auth_data, "login", b"").decode() or None,
                )
            )
        return "250 2.0.0 Message accepted"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        if self.users.get(login) == password and not self.refuse_auth:
            self.logins.append((mechanism, login))
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False, message=self.refuse_auth)

    async def auth_XOAUTH2(self, server, args):
        """SASL XOAUTH2 as Gmail and Outlook take it, initial response on the AUTH
        line: base64 of "user=<address>^Aauth=Bearer <access token>^A^A"."""
        try:
            parts = base64.b64decode(args[1]).decode().split("\x01")
            values = dict(part.split("=", 1) for part in parts if part)
        except (IndexError, ValueError):
            return AuthResult(success=False, handled=False)
        login = values.get("user", "")
        token = values.get("auth", "").removeprefix("Bearer ")
        if token and self.oauth_tokens.get(login) == token:
            self.logins.append(("XOAUTH2", login))
            auth_data = LoginPassword(login.encode(), token.encode())
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(
            success=False,
            handled=False,
            message="535 5.7.3 Authentication unsuccessful",
        )

    # lifecycle

    def start(self):
        context = self._ssl_context() if self.tls else None
        self.bind_port = self.bind_port or _free_port()
        fake = self

        class CountingController(Controller):
            def factory(self):
                with fake._lock:
                    fake.connections += 1
                return SMTP(self.handler, **self.SMTP_kwargs)

        smtp_kwargs = {
            "authenticator": self._authenticate,
            "auth_require_tls": False,
            "data_size_limit": self.max_size,
            "auth_exclude_mechanism": [] if self.oauth_tokens else ["XOAUTH2"],
        }
        if self.tls == "starttls":
            smtp_kwargs.update(tls_context=context, require_starttls=True)
        self._controller = CountingController(
            self,
            hostname="127.0.0.1",
            port=self.bind_port,
            ssl_context=context if self.tls == "ssl" else None,
            **smtp_kwargs,
        )
        self._controller.start()
        # start() makes one connection of its own to check the server is up
        self.connections = 0
        return self

    @property
    def port(self):
        return self.bind_port

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @staticmethod
    def _ssl_context():
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        with tempfile.NamedTemporaryFile(suffix=".pem") as pem:
            pem.write(certificate.public_bytes(serialization.Encoding.PEM))
            pem.write(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            pem.flush()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(pem.name)
        return context
