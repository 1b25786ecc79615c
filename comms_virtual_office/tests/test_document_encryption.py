import re

from odoo.tests import tagged

from odoo.addons.comms_document_encryption.tests.common import make_pdf

from .common import VirtualOfficeCase

LETTER_TEXT = "Notice of assessment 2026 - taxpayer 81-442-907"


@tagged("post_install", "-at_install")
class TestScanEncryption(VirtualOfficeCase):
    def filestore_bytes(self, attachment):
        attachment.invalidate_recordset()
        with open(attachment._full_path(attachment.store_fname), "rb") as handle:
            return handle.read()

    def test_scan_is_encrypted_at_rest_and_whole_on_the_portal(self):
        letter = make_pdf(3, LETTER_TEXT)
        item = self.create_item(self.client_a, sender_name="Tax office")
        self.authenticate("portal_client_a", "portal_client_a")
        path = f"/my/mail/{item.id}/request_scan"
        page = self.url_open(path)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        with self.mockSMSGateway():
            self.url_open(path, data={"csrf_token": csrf})
        scan_request = self.env["comms.scan.request"].search(
            [("mail_item_id", "=", item.id)]
        )
        scan = self.env["ir.attachment"].create(
            {
                "name": "tax-notice.pdf",
                "raw": letter,
                "mimetype": "application/pdf",
                "res_model": "comms.scan.request",
                "res_id": scan_request.id,
            }
        )
        scan_request.write({"scan_ids": [(6, 0, scan.ids)]})
        scan_request.action_done()
        self.assertEqual((scan.res_model, scan.res_id), ("comms.mail.item", item.id))

        stored = self.filestore_bytes(scan)
        self.assertTrue(scan.comms_encryption_key)
        self.assertNotIn(b"%PDF", stored)
        self.assertNotIn(LETTER_TEXT.encode(), stored)
        download = self.url_open(f"/my/mail/{item.id}/scan/{scan.id}")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, letter)
        self.assertIn("tax-notice.pdf", download.headers["Content-Disposition"])
