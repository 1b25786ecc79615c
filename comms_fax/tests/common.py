"""Shared fixtures: a local server speaking Telnyx's and Sinch's fax APIs over real
HTTP on loopback, provider accounts and lines pointing at it, PDFs and signed
webhooks."""

import base64
import email
import email.policy
import io
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from odoo.tests import HttpCase

from odoo.addons.comms_shared_inbox.tests.common import CommsCase

TELNYX_KEY = "KEY0123456789ABCDEF"
SINCH_PROJECT = "c6d1b3f1-project"
SINCH_AUTH = ("sinch-key-id", "sinch-key-secret")
SINCH_TOKEN = "sinch-callback-token-0123456789"


def make_pdf(pages=1, text="Fax page"):
    """A real PDF with `pages` pages, each saying `text` and its number."""
    output = io.BytesIO()
    page = canvas.Canvas(output, pagesize=A4)
    for number in range(1, pages + 1):
        page.drawString(72, 770, f"{text} {number}/{pages}")
        page.showPage()
    page.save()
    return output.getvalue()


def make_blank_pdf(pages):
    writer = PdfWriter()
    for _index in range(pages):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def make_tiff(pages):
    """A multi-page black and white TIFF, as fax machines produce."""
    frames = [Image.new("1", (1728, 2200), color=1) for _index in range(pages)]
    output = io.BytesIO()
    frames[0].save(output, "TIFF", save_all=True, append_images=frames[1:])
    return output.getvalue()


def pdf_pages(data):
    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_text(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def parse_multipart(content_type, body):
    message = email.message_from_bytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body,
        policy=email.policy.HTTP,
    )
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename():
            files[name] = part.get_payload(decode=True)
        else:
            fields[name] = part.get_payload(decode=True).decode()
    return fields, files


class FakeProviderHandler(BaseHTTPRequestHandler):
    """Telnyx (/v2/faxes, media) and Sinch (/v3/projects/<id>/faxes) as documented,
    including their error replies."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def _handle(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        record = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers),
            "body": body,
        }
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            record["fields"], record["files"] = parse_multipart(content_type, body)
        server.requests.append(record)
        self.record = record
        if server.mode == "slow":
            time.sleep(server.delay)
        if server.mode == "500":
            return self._send(500, b"upstream connect error", "text/plain")
        path = self.path.split("?")[0]
        if path.startswith("/media/"):
            return self._media(path[len("/media/") :])
        if path == "/v2/faxes":
            return self._telnyx()
        if re.fullmatch(r"/v3/projects/[^/]+/faxes", path):
            return self._sinch(path.split("/")[3])
        return self._send(404, b"not found", "text/plain")

    def _media(self, name):
        if name not in self.server.media:
            return self._send(404, b"NoSuchKey", "application/xml")
        return self._send(200, self.server.media[name], "application/pdf")

    def _telnyx(self):
        if self.headers.get("Authorization") != f"Bearer {TELNYX_KEY}":
            return self._json(
                401,
                {
                    "errors": [
                        {
                            "code": "10009",
                            "title": "Authentication failed",
                            "detail": "The API key provided is invalid or expired.",
                        }
                    ]
                },
            )
        if self.command == "GET":
            return self._json(200, {"data": [], "meta": {"page_size": 1}})
        fax_id = str(uuid.uuid4())
        self.record["fax_id"] = fax_id
        return self._json(
            202,
            {
                "data": {
                    "id": fax_id,
                    "record_type": "fax",
                    "direction": "outbound",
                    "status": "queued",
                }
            },
        )

    def _sinch(self, project):
        expected = "Basic " + base64.b64encode(":".join(SINCH_AUTH).encode()).decode()
        if project != SINCH_PROJECT or self.headers.get("Authorization") != expected:
            return self._json(
                401,
                {
                    "code": 401,
                    "status": "UNAUTHENTICATED",
                    "message": "Invalid key or secret for this project.",
                },
            )
        if self.command == "GET":
            return self._json(200, {"faxes": [], "totalItems": 0})
        fax_id = "01H" + uuid.uuid4().hex[:23].upper()
        self.record["fax_id"] = fax_id
        return self._json(
            200,
            {
                "id": fax_id,
                "direction": "OUTBOUND",
                "status": "QUEUED",
            },
        )

    def _json(self, status, data):
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class FakeProviderServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeProviderHandler)
        self.requests = []
        self.media = {}
        self.mode = "ok"
        self.delay = 0
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()

    def handle_error(self, request, client_address):
        # A client that gave up on a slow reply (the timeout tests) is expected.
        pass

    def reset(self):
        self.requests.clear()
        self.mode, self.delay = "ok", 0


class FaxFixtures:
    """Provider accounts on the fake server and a Telnyx signing key pair."""

    @classmethod
    def _setup_fax(cls, group, other_group):
        cls.server = FakeProviderServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.signing_key = Ed25519PrivateKey.generate()
        public = cls.signing_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        cls.telnyx = cls.env["comms.fax.provider"].create(
            {
                "name": "Telnyx test",
                "provider_type": "telnyx",
                "base_url": cls.server.url,
                "api_key": TELNYX_KEY,
                "public_key": base64.b64encode(public).decode(),
                "connection_id": "1684641123236054244",
                "timeout": 10,
            }
        )
        cls.sinch = cls.env["comms.fax.provider"].create(
            {
                "name": "Sinch test",
                "provider_type": "sinch",
                "base_url": cls.server.url,
                "project_id": SINCH_PROJECT,
                "key_id": SINCH_AUTH[0],
                "key_secret": SINCH_AUTH[1],
                "webhook_token": SINCH_TOKEN,
                "timeout": 10,
            }
        )
        cls.line = cls.env["comms.fax.line"].create(
            {
                "number": "+33 4 72 99 00 01",
                "group_id": group.id,
                "provider_id": cls.telnyx.id,
            }
        )
        cls.other_line = cls.env["comms.fax.line"].create(
            {
                "number": "+33 1 40 99 00 02",
                "group_id": other_group.id,
                "provider_id": cls.sinch.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.server.reset()

    def send_queue(self):
        """What the cron does when triggered: send the queued faxes."""
        self.env["comms.fax"]._cron_send_queued()

    def sent_requests(self):
        """The faxes the provider accepted (not the connection tests)."""
        return [r for r in self.server.requests if r["method"] == "POST"]

    def faxes(self, line=None, **domain):
        return self.env["comms.fax"].search(
            [("line_id", "=", (line or self.line).id)]
            + [(key, "=", value) for key, value in domain.items()]
        )

    # Telnyx webhooks, signed as Telnyx signs them
    def telnyx_body(self, event_type, payload, event_id=None):
        return json.dumps(
            {
                "data": {
                    "event_type": event_type,
                    "id": event_id or str(uuid.uuid4()),
                    "occurred_at": "2026-11-22T09:00:00.000000Z",
                    "payload": payload,
                    "record_type": "event",
                },
                "meta": {"attempt": 1, "delivered_to": "https://example.com/hook"},
            }
        ).encode()

    def telnyx_headers(self, body, timestamp=None, key=None):
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = (key or self.signing_key).sign(timestamp.encode() + b"|" + body)
        return {
            "Content-Type": "application/json",
            "telnyx-signature-ed25519": base64.b64encode(signature).decode(),
            "telnyx-timestamp": timestamp,
        }

    def telnyx_received(self, fax_id, pages=2, sender="+33612345678", **media):
        """The payload of a fax.received whose PDF the fake server serves."""
        self.server.media[f"{fax_id}.pdf"] = media.get("document") or make_pdf(pages)
        return {
            "call_duration_secs": 35,
            "connection_id": "1684641123236054244",
            "direction": "inbound",
            "fax_id": fax_id,
            "from": sender,
            "to": media.get("to", self.line.number),
            "media_url": f"{self.server.url}/media/{fax_id}.pdf",
            "page_count": 1,
            "partial_content": False,
            "status": "received",
        }


class FaxCase(FaxFixtures, CommsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fax(cls.group, cls.other_group)

    def new_pdf_attachment(self, pages, text="Document", name=None):
        return self.env["ir.attachment"].create(
            {
                "name": name or f"{text}.pdf",
                "raw": make_pdf(pages, text),
                "mimetype": "application/pdf",
            }
        )


class FaxHttpCase(FaxFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.fr")
        groups = cls.env["comms.group"]
        cls.group = groups.create({"name": "Lyon", "sms_number": "+33472112233"})
        cls.other_group = groups.create({"name": "Paris", "sms_number": "+33140000000"})
        cls._setup_fax(cls.group, cls.other_group)

    def post_telnyx(self, body, headers=None, provider=None):
        url = f"/comms/fax/telnyx/{(provider or self.telnyx).id}"
        return self.url_open(url, data=body, headers=headers or {})

    def post_sinch(self, data=None, files=None, token=SINCH_TOKEN, json_body=None):
        url = f"/comms/fax/sinch/{self.sinch.id}/{token}"
        if json_body is not None:
            return self.url_open(
                url,
                data=json.dumps(json_body),
                headers={"Content-Type": "application/json"},
            )
        return self.url_open(url, data=data, files=files)
