from odoo.tests import tagged

from .common import FaxCase, make_pdf


@tagged("post_install", "-at_install")
class TestDocumentLimit(FaxCase):
    def receive(self, count):
        return [
            self.line._receive_fax(f"+3361234567{index}", make_pdf(1), f"lim-{index}")
            for index in range(count)
        ]

    def test_oldest_documents_are_removed_beyond_the_limit(self):
        self.line.document_limit = 3
        faxes = self.receive(5)
        oldest, kept = faxes[:2], faxes[2:]
        for fax in oldest:
            self.assertTrue(fax.document_purged)
            self.assertFalse(fax.attachment_id)
            self.assertEqual(fax.page_count, 1, "the fax and its count stay")
            self.assertEqual(fax.comms_message_id.channel, "fax", "the log stays")
            self.assertTrue(fax.comms_message_id.mail_message_id.exists())
            self.assertFalse(fax.comms_message_id.mail_message_id.attachment_ids)
        for fax in kept:
            self.assertFalse(fax.document_purged)
            self.assertTrue(fax.attachment_id.raw)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "comms.fax"), ("res_id", "in", [f.id for f in faxes])]
        )
        self.assertEqual(len(attachments), 3)

    def test_faxes_waiting_to_be_sent_keep_their_document(self):
        self.line.document_limit = 1
        failed = self.env["comms.fax"].create(
            {
                "direction": "out",
                "state": "failed",
                "line_id": self.line.id,
                "remote_number": "+33478123456",
            }
        )
        failed._attach_document(make_pdf(1))
        self.receive(2)
        self.assertTrue(failed.attachment_id)
        self.assertFalse(failed.document_purged)
        self.assertEqual(len(self.faxes(document_purged=True)), 1)
