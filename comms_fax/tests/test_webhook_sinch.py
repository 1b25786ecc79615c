import base64
import io
import json

from PIL import Image

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FaxHttpCase, make_pdf, make_tiff, pdf_pages
from .test_pdf import CATALOG, KIDS, raw_pdf

CONTROLLER = "odoo.addons.comms_fax.controllers.fax_webhook"


@tagged("post_install", "-at_install")
class TestSinchWebhook(FaxHttpCase):
    def incoming(self, fax_id="01HSINCH0001", sender="+33612345678", **overrides):
        fax = {
            "id": fax_id,
            "direction": "INBOUND",
            "from": sender,
            "to": overrides.pop("to", self.other_line.number),
            "numberOfPages": 1,
            "status": "COMPLETED",
            "projectId": "c6d1b3f1-project",
        }
        return {
            "event": "INCOMING_FAX",
            "eventTime": "2026-11-22T09:00:00Z",
            "fax": fax,
        }

    def post_multipart(self, document, filename="fax.pdf", token=None, **kwargs):
        payload = self.incoming(**kwargs)
        data = {"event": payload["event"], "fax": json.dumps(payload["fax"])}
        files = {"file": (filename, document, "application/pdf")}
        return self.post_sinch(data=data, files=files, token=token or self.token)

    @property
    def token(self):
        return self.sinch.webhook_token

    def test_multipart_incoming_fax(self):
        response = self.post_multipart(make_pdf(3))
        self.assertEqual(response.status_code, 200, response.text)
        fax = self.faxes(self.other_line)
        self.assertEqual((fax.state, fax.page_count), ("received", 3))
        self.assertEqual(fax.group_id, self.other_group)
        self.assertEqual(fax.comms_message_id.page_count, 3)
        self.assertEqual(fax.conversation_id.group_id, self.other_group)

    @mute_logger("pypdf._reader", "odoo.addons.comms_fax.tools.pdf")
    def test_fax_with_a_broken_page_tree_is_counted(self):
        # Its page tree names itself: pypdf gives up, poppler's pdfinfo reads 4 pages.
        document = raw_pdf(
            CATALOG, b"<< /Type /Pages /Kids [%(kids)s 2 0 R] /Count 4 >>", KIDS
        )
        response = self.post_multipart(document, fax_id="01HSINCHTREE")
        self.assertEqual(response.status_code, 200, response.text)
        fax = self.faxes(self.other_line)
        self.assertEqual((fax.page_count, fax.page_count_unknown), (4, False))
        self.assertEqual(fax.attachment_id.raw, document, "kept as it came")

    def test_json_incoming_fax_with_base64_file(self):
        payload = self.incoming(fax_id="01HSINCHJSON")
        payload.update(fileType="PDF", file=base64.b64encode(make_pdf(2)).decode())
        response = self.post_sinch(json_body=payload)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.faxes(self.other_line).page_count, 2)

    def test_tiff_is_converted_to_pdf(self):
        frames = [Image.new("1", (1728, 2200), color=1) for _index in range(2)]
        tiff = io.BytesIO()
        frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:])
        payload = self.incoming(fax_id="01HSINCHTIFF")
        payload.update(fileType="TIF", file=base64.b64encode(tiff.getvalue()).decode())
        self.assertEqual(self.post_sinch(json_body=payload).status_code, 200)
        fax = self.faxes(self.other_line)
        self.assertEqual(fax.page_count, 2)
        self.assertEqual(pdf_pages(fax.attachment_id.raw), 2)

    @mute_logger(CONTROLLER)
    def test_wrong_token_is_403_and_stores_nothing(self):
        response = self.post_multipart(make_pdf(1), token="guessed-token")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.faxes(self.other_line))

    def test_duplicate_callback_makes_one_fax(self):
        self.post_multipart(make_pdf(1))
        self.assertEqual(self.post_multipart(make_pdf(1)).status_code, 200)
        self.assertEqual(len(self.faxes(self.other_line)), 1)

    def test_unknown_line_is_404(self):
        response = self.post_multipart(make_pdf(1), to="+33155555555")
        self.assertEqual(response.status_code, 404)
        self.assertIn("+33155555555", response.text)

    def test_withheld_caller_id_is_received(self):
        response = self.post_multipart(make_pdf(1), sender="restricted")
        self.assertEqual(response.status_code, 200, response.text)
        payload = self.incoming(fax_id="01HSINCHNOFROM")
        del payload["fax"]["from"]
        payload.update(fileType="PDF", file=base64.b64encode(make_pdf(2)).decode())
        response = self.post_sinch(json_body=payload)
        self.assertEqual(response.status_code, 200, response.text)
        faxes = self.faxes(self.other_line)
        self.assertEqual(sorted(faxes.mapped("page_count")), [1, 2])
        self.assertEqual(
            faxes.conversation_id.partner_id,
            self.env.ref("comms_shared_inbox.partner_unknown_sender"),
        )
        self.assertEqual(set(faxes.mapped("remote_label")), {"number withheld"})

    def test_tiff_pages_are_counted(self):
        payload = self.incoming(fax_id="01HSINCHTIFF5")
        payload.update(fileType="TIF", file=base64.b64encode(make_tiff(5)).decode())
        self.assertEqual(self.post_sinch(json_body=payload).status_code, 200)
        fax = self.faxes(self.other_line)
        self.assertEqual((fax.page_count, fax.page_count_unknown), (5, False))
        self.assertEqual(fax.comms_message_id.page_count, 5)

    def test_malformed_callback_is_400(self):
        response = self.post_sinch(json_body={"event": "INCOMING_FAX", "fax": {}})
        self.assertEqual(response.status_code, 400)

    def test_fax_completed_failure(self):
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "state": "sending",
                "line_id": self.other_line.id,
                "remote_number": "+33478123456",
                "provider_ref": "01HSINCHOUT",
            }
        )
        callback = {
            "event": "FAX_COMPLETED",
            "fax": {
                "id": "01HSINCHOUT",
                "status": "FAILURE",
                "errorType": "CALL_ERROR",
                "errorMessage": "No answer from the remote fax machine",
            },
        }
        self.assertEqual(self.post_sinch(json_body=callback).status_code, 200)
        self.assertEqual(fax.state, "failed")
        self.assertEqual(fax.error_message, "No answer from the remote fax machine")
