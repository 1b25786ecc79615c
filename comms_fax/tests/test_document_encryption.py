from odoo.tests import tagged

from .common import FaxCase, make_pdf, pdf_text

NOTE_TEXT = "Delivery note DN-7731"


@tagged("post_install", "-at_install")
class TestFaxEncryption(FaxCase):
    def filestore_bytes(self, attachment):
        attachment.invalidate_recordset()
        with open(attachment._full_path(attachment.store_fname), "rb") as handle:
            return handle.read()

    def assertEncryptedAtRest(self, attachment, text):
        stored = self.filestore_bytes(attachment)
        self.assertTrue(attachment.comms_encryption_key)
        self.assertNotIn(b"%PDF", stored)
        self.assertNotIn(text.encode(), stored)

    def test_received_fax_is_encrypted_and_downloaded_whole(self):
        document = make_pdf(3, NOTE_TEXT)
        fax = self.line._receive_fax("+33612345678", document, "enc-received-1")
        self.assertEncryptedAtRest(fax.attachment_id, NOTE_TEXT)
        self.assertEqual(fax.attachment_id.raw, document)
        self.authenticate(self.member.login, self.member.login)
        response = self.url_open(f"/web/content/{fax.attachment_id.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, document)

    def test_provider_receives_the_plain_document(self):
        customer = self.env["res.partner"].create(
            {"name": "Garage Martin", "phone": "+33 4 78 55 66 77"}
        )
        conversation = self.env["comms.conversation"].create(
            {"group_id": self.group.id, "partner_id": customer.id}
        )
        action = conversation.with_user(self.member).action_send_fax()
        wizard = (
            self.env["comms.fax.send"]
            .with_user(self.member)
            .with_context(**action["context"])
            .create({"cover_page": False})
        )
        wizard.attachment_ids = self.new_pdf_attachment(2, NOTE_TEXT)
        fax = self.env["comms.fax"].browse(wizard.action_send()["res_id"])
        self.assertEncryptedAtRest(fax.attachment_id, NOTE_TEXT)
        self.send_queue()
        [request] = self.sent_requests()
        sent = request["files"]["contents"]
        self.assertTrue(sent.startswith(b"%PDF"))
        self.assertEqual(
            [text.strip() for text in pdf_text(sent)],
            [f"{NOTE_TEXT} 1/2", f"{NOTE_TEXT} 2/2"],
        )
        self.assertEqual(sent, fax.attachment_id.raw)
