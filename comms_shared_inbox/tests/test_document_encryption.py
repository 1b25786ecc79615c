from email.message import EmailMessage

from odoo.tests import tagged

from odoo.addons.comms_document_encryption.tests.common import make_pdf

from .common import CommsCase

QUOTE_TEXT = "Quote Q-5518 for brake discs, valid 30 days"


@tagged("post_install", "-at_install")
class TestInboundAttachmentEncryption(CommsCase):
    def test_inbound_email_attachment_is_encrypted_at_rest(self):
        quote = make_pdf(2, QUOTE_TEXT)
        message = EmailMessage()
        message["From"] = "Garage Martin <atelier@garage.example.com>"
        message["To"] = self.alias_email
        message["Subject"] = "Our quote"
        message["Message-ID"] = "<quote-5518@garage.example.com>"
        message.set_content("Please find our quote attached.")
        message.add_attachment(
            quote, maintype="application", subtype="pdf", filename="quote.pdf"
        )
        self.env["mail.thread"].sudo().message_process(None, message.as_bytes())
        conversation = self.conversation_of(email="atelier@garage.example.com")
        attachment = conversation.message_ids[0].attachment_ids
        self.assertEqual(attachment.res_model, "comms.conversation")
        self.assertTrue(attachment.comms_encryption_key)
        with open(attachment._full_path(attachment.store_fname), "rb") as handle:
            stored = handle.read()
        self.assertNotIn(b"%PDF", stored)
        self.assertNotIn(QUOTE_TEXT.encode(), stored)
        self.assertEqual(attachment.with_user(self.member).raw, quote)
