import hashlib
import io
import os
import tempfile
from unittest.mock import patch

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from odoo.tests import TransactionCase

from ..tools import keyring

KNOWN_TEXT = "Invoice INV-2026-0042 due to Harbour Logistics"


def make_pdf(pages=1, text=KNOWN_TEXT):
    """A real PDF whose pages say `text` (reportlab keeps the text uncompressed)."""
    output = io.BytesIO()
    page = canvas.Canvas(output, pagesize=A4, pageCompression=0)
    for number in range(1, pages + 1):
        page.drawString(72, 770, f"{text} - page {number}/{pages}")
        page.showPage()
    page.save()
    return output.getvalue()


class EncryptionCase(TransactionCase):
    """The attachments of partners declared as an encrypted kind, with a key file of
    the test's own (never the server's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kind = cls.env["comms.document.kind"].create(
            {
                "name": "Partner documents",
                "model_id": cls.env.ref("base.model_res_partner").id,
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "Harbour Logistics"})
        cls.other_partner = cls.env["res.partner"].create({"name": "Quay Freight"})

    def setUp(self):
        super().setUp()
        self.key_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.key_dir.cleanup)
        self.key_file = os.path.join(self.key_dir.name, "comms_encryption.key")
        # The server's keys stay readable after the test's own, current key, as after
        # a rotation: documents stored before the test (demo faxes, scans) still open.
        server_keys = self.server_key_lines()
        self.use_key_file(self.key_file)
        keyring.create_key_file(self.key_file)
        if server_keys:
            with open(self.key_file, "a", encoding="ascii") as handle:
                handle.write("".join(f"{line}\n" for line in server_keys))
            keyring.forget()

    @staticmethod
    def server_key_lines():
        try:
            with open(keyring.key_file_path(), encoding="ascii") as handle:
                return [line.strip() for line in handle if line.strip()]
        except OSError:
            return []

    def use_key_file(self, path):
        environ = {"COMMS_ENCRYPTION_KEY_FILE": path}
        patcher = patch.dict(os.environ, environ)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.addCleanup(keyring.forget)
        os.environ.pop("COMMS_ENCRYPTION_KEY", None)

    def attach(self, data, record=None, name="invoice.pdf"):
        record = record or self.partner
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": data,
                "mimetype": "application/pdf",
                "res_model": record._name,
                "res_id": record.id,
            }
        )

    def stored_bytes(self, attachment):
        """What lies in the filestore (or the database) for `attachment`."""
        attachment.invalidate_recordset()
        if attachment.store_fname:
            with open(attachment._full_path(attachment.store_fname), "rb") as handle:
                return handle.read()
        return bytes(attachment.db_datas)

    def assertNoPlaintext(self, stored, document):
        self.assertNotIn(b"%PDF", stored)
        self.assertNotIn(KNOWN_TEXT.encode(), stored)
        self.assertNotIn(document[100:164], stored)

    @staticmethod
    def sha1(data):
        return hashlib.sha1(data).hexdigest()
