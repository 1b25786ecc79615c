import base64
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from ..tools import keyring
from .common import KNOWN_TEXT, EncryptionCase, make_pdf


@tagged("post_install", "-at_install")
class TestStorage(EncryptionCase):
    def test_document_is_encrypted_in_the_filestore_and_read_in_clear(self):
        document = make_pdf(3)
        self.assertIn(KNOWN_TEXT.encode(), document, "the oracle is readable in clear")
        attachment = self.attach(document)
        self.assertTrue(attachment.comms_encryption_key)
        self.assertNoPlaintext(self.stored_bytes(attachment), document)
        self.assertEqual(attachment.raw, document)
        self.assertEqual(base64.b64decode(attachment.datas), document)
        self.assertEqual(attachment.checksum, self.sha1(document))
        self.assertEqual(attachment.file_size, len(document))
        self.assertFalse(attachment.index_content)

    def test_each_file_has_its_own_nonce(self):
        first = self.stored_bytes(self.attach(make_pdf(1, "First letter")))
        second = self.stored_bytes(self.attach(make_pdf(1, "Second letter")))
        self.assertNotEqual(first[12:24], second[12:24])

    def test_identical_documents_share_one_file(self):
        document = make_pdf(2)
        first = self.attach(document)
        second = self.attach(document, record=self.other_partner)
        self.assertEqual(first.store_fname, second.store_fname)
        self.assertEqual(second.raw, document)
        found = self.env["ir.attachment"].search(
            [("checksum", "=", self.sha1(document)), ("res_model", "=", "res.partner")]
        )
        self.assertEqual(found, first | second)

    def test_documents_of_other_models_stay_in_clear(self):
        document = make_pdf(1)
        attachment = self.env["ir.attachment"].create(
            {"name": "logo.pdf", "raw": document, "res_model": "res.company"}
        )
        self.assertFalse(attachment.comms_encryption_key)
        self.assertEqual(self.stored_bytes(attachment), document)

    def test_kind_switched_off_writes_in_clear_and_cron_decrypts(self):
        document = make_pdf(1)
        encrypted = self.attach(document)
        self.kind.encrypted = False
        self.assertEqual(self.stored_bytes(self.attach(document)), document)
        self.env["ir.attachment"]._cron_comms_encrypt_documents()
        self.assertFalse(encrypted.comms_encryption_key)
        self.assertEqual(self.stored_bytes(encrypted), document)

    def test_document_moved_to_an_encrypted_record_is_encrypted(self):
        """As mail does with the files uploaded in a composer."""
        document = make_pdf(1)
        upload = self.env["ir.attachment"].create(
            {"name": "reply.pdf", "raw": document, "res_model": "res.company"}
        )
        upload.write({"res_model": "res.partner", "res_id": self.partner.id})
        self.assertTrue(upload.comms_encryption_key)
        self.assertNoPlaintext(self.stored_bytes(upload), document)
        self.assertEqual(upload.raw, document)

    def test_existing_documents_are_encrypted_by_the_cron(self):
        self.kind.encrypted = False
        documents = [make_pdf(pages) for pages in (1, 2, 3)]
        attachments = self.env["ir.attachment"].browse(
            [self.attach(document).id for document in documents]
        )
        self.assertEqual(self.stored_bytes(attachments[0]), documents[0])
        self.kind.encrypted = True
        progress = []
        cron = self.env.registry["ir.cron"]
        with patch.object(
            cron,
            "_notify_progress",
            lambda _self, **kw: progress.append(kw),
            create=True,
        ):
            while not progress or progress[-1]["remaining"]:
                self.env["ir.attachment"]._cron_comms_encrypt_documents(batch_size=2)
        self.assertTrue(all(report["done"] == 2 for report in progress[:-1]))
        remaining = [report["remaining"] for report in progress]
        self.assertEqual(remaining, sorted(remaining, reverse=True))
        for attachment, document in zip(attachments, documents, strict=True):
            self.assertNoPlaintext(self.stored_bytes(attachment), document)
            self.assertEqual(attachment.raw, document)

    def test_declaring_a_kind_schedules_encrypting_its_documents(self):
        document = make_pdf(1, "Company letterhead")
        letter = self.env["ir.attachment"].create(
            {"name": "letterhead.pdf", "raw": document, "res_model": "res.company"}
        )
        cron = self.env.ref("comms_document_encryption.ir_cron_comms_document_encrypt")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.env["comms.document.kind"].create(
            {
                "name": "Company documents",
                "model_id": self.env.ref("base.model_res_company").id,
            }
        )
        new_triggers = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id), ("id", "not in", triggers.ids)]
        )
        self.assertTrue(new_triggers, "the scheduled action runs in the background")
        self.assertFalse(letter.comms_encryption_key, "not in the user's request")
        pending = self.env["ir.attachment"]._comms_pending_domain(
            keyring.load().current_label
        )
        while self.env["ir.attachment"].search_count(pending):
            self.env["ir.attachment"]._cron_comms_encrypt_documents()
        self.assertNoPlaintext(self.stored_bytes(letter), document)
        self.assertEqual(letter.raw, document)

    def test_database_storage_is_encrypted_too(self):
        self.env["ir.config_parameter"].set_param("ir_attachment.location", "db")
        document = make_pdf(2)
        attachment = self.attach(document)
        self.assertFalse(attachment.store_fname)
        self.assertNoPlaintext(self.stored_bytes(attachment), document)
        self.assertEqual(attachment.raw, document)

    def test_field_attachments_are_encrypted(self):
        """Binary fields stored as attachments (res_field) are documents too."""
        image = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
            "hKmMIQAAAABJRU5ErkJggg=="
        )
        self.partner.image_1920 = base64.b64encode(image)
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.partner.id),
                ("res_field", "=", "image_1920"),
            ]
        )
        self.assertTrue(attachment.comms_encryption_key)
        self.assertNotIn(b"PNG", self.stored_bytes(attachment))
        self.assertEqual(base64.b64decode(self.partner.image_1920)[:8], image[:8])


@tagged("post_install", "-at_install")
class TestDownload(HttpCase, EncryptionCase):
    def test_web_client_downloads_the_original_bytes(self):
        document = make_pdf(4)
        attachment = self.attach(document)
        self.assertNoPlaintext(self.stored_bytes(attachment), document)
        self.authenticate("admin", "admin")
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, document)
        self.assertIn("invoice.pdf", response.headers["Content-Disposition"])
        again = self.url_open(
            f"/web/content/{attachment.id}",
            headers={"If-None-Match": response.headers["ETag"]},
        )
        self.assertEqual(again.status_code, 304, "the checksum still serves as ETag")
