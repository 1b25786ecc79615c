import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FaxHttpCase, make_blank_pdf, make_pdf

CONTROLLER = "odoo.addons.comms_fax.controllers.fax_webhook"


@tagged("post_install", "-at_install")
class TestTelnyxWebhook(FaxHttpCase):
    def receive(self, fax_id="fax-0001", event_id=None, timestamp=None, **kwargs):
        body = self.telnyx_body(
            "fax.received", self.telnyx_received(fax_id, **kwargs), event_id
        )
        return self.post_telnyx(body, self.telnyx_headers(body, timestamp))

    def test_received_fax_lands_in_the_conversation(self):
        sms_autoreply = self.group.autoreply_ids.filtered(
            lambda rule: (rule.event, rule.channel) == ("received", "sms")
        )
        sms_autoreply.active = True
        response = self.receive(pages=4)
        self.assertEqual(response.status_code, 200, response.text)
        fax = self.faxes()
        self.assertEqual((fax.direction, fax.state), ("in", "received"))
        self.assertEqual(fax.page_count, 4, "counted in the document, not the payload")
        self.assertFalse(fax.page_count_unknown)
        self.assertEqual(fax.remote_number, "+33612345678")
        self.assertEqual(fax.partner_id.phone_sanitized, "+33612345678")
        self.assertEqual(fax.attachment_id.mimetype, "application/pdf")
        self.assertEqual(fax.attachment_id.raw, self.server.media["fax-0001.pdf"])
        self.assertIn("/media/fax-0001.pdf", self.server.requests[0]["path"])
        conversation = fax.conversation_id
        self.assertEqual(
            (conversation.group_id, conversation.state), (self.group, "new")
        )
        self.assertEqual(conversation.last_channel, "fax")
        log = conversation.message_log_ids
        self.assertEqual((log.channel, log.direction, log.page_count), ("fax", "in", 4))
        self.assertEqual(log.provider_ref, "fax-0001")
        self.assertIn("4 page(s)", log.mail_message_id.body)
        self.assertEqual(log.mail_message_id.attachment_ids, fax.attachment_id)
        # No auto-reply for faxes, even with SMS auto-replies on.
        self.assertFalse(conversation.last_autoreply_date)
        self.assertEqual(len(conversation.message_log_ids), 1)
        admin = self.env.ref("base.user_admin")
        self.group.user_ids = [(4, admin.id)]
        conversation.with_user(admin).action_acknowledge()
        conversation.with_user(admin).action_claim()
        self.assertEqual((conversation.state, conversation.user_id), ("claimed", admin))

    def test_200_page_fax_is_counted(self):
        self.receive(document=make_blank_pdf(200))
        self.assertEqual(self.faxes().page_count, 200)

    @mute_logger(CONTROLLER)
    def test_bad_or_missing_signature_is_403_and_stores_nothing(self):
        partners = self.env["res.partner"].search_count([])
        body = self.telnyx_body("fax.received", self.telnyx_received("fax-bad"))
        forged = self.telnyx_headers(body, key=Ed25519PrivateKey.generate())
        self.assertEqual(self.post_telnyx(body, forged).status_code, 403)
        tampered = self.telnyx_headers(body)
        body = body.replace(b"+33612345678", b"+33699999999")
        self.assertEqual(self.post_telnyx(body, tampered).status_code, 403)
        unsigned = {"Content-Type": "application/json"}
        self.assertEqual(self.post_telnyx(body, unsigned).status_code, 403)
        self.assertFalse(self.faxes())
        self.assertFalse(self.server.requests, "nothing downloaded")
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertFalse(self.env["comms.fax.event"].search([]))

    def test_old_timestamp_is_ignored(self):
        response = self.receive(timestamp=int(time.time()) - 600)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Replayed", response.text)
        self.assertFalse(self.faxes())

    def test_same_event_again_is_ignored(self):
        self.receive(event_id="evt-1")
        self.receive(event_id="evt-1")
        response = self.receive(event_id="evt-1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.faxes()), 1)
        self.assertEqual(len(self.server.requests), 1, "downloaded once")

    def test_same_fax_in_two_events_makes_one_fax(self):
        self.receive(event_id="evt-1")
        self.assertEqual(self.receive(event_id="evt-2").status_code, 200)
        self.assertEqual(len(self.faxes()), 1)
        self.assertEqual(
            len(self.env["comms.message"].search([("provider_ref", "=", "fax-0001")])),
            1,
        )

    def test_unknown_line_is_404(self):
        response = self.receive(to="+33499999999")
        self.assertEqual(response.status_code, 404)
        self.assertIn("+33499999999", response.text)
        self.assertFalse(
            self.env["comms.fax"].search([("provider_ref", "=", "fax-0001")])
        )

    def test_withheld_caller_id_reaches_the_unknown_sender_conversation(self):
        unknown = self.env.ref("comms_shared_inbox.partner_unknown_sender")
        for index, sender in enumerate(("anonymous", "Restricted", "", None)):
            payload = self.telnyx_received(f"fax-withheld-{index}", sender=sender)
            if sender is None:
                del payload["from"]
            body = self.telnyx_body("fax.received", payload)
            response = self.post_telnyx(body, self.telnyx_headers(body))
            self.assertEqual(response.status_code, 200, f"{sender!r}: {response.text}")
        faxes = self.faxes()
        self.assertEqual(len(faxes), 4)
        self.assertEqual(faxes.conversation_id.partner_id, unknown)
        self.assertEqual(faxes.conversation_id.group_id, self.group)
        self.assertEqual(set(faxes.mapped("remote_label")), {"number withheld"})
        self.assertFalse(any(faxes.mapped("remote_number")))
        for fax in faxes:
            self.assertEqual(fax.page_count, 2)
            self.assertIn(
                "Fax received from number withheld",
                fax.comms_message_id.mail_message_id.body,
            )
        self.assertFalse(self.env["comms.inbound.error"].search([]))

    def test_error_replies_declare_their_charset(self):
        response = self.receive(to="+33 4 99 99 99 99 (Société)")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.headers["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("(Société)", response.text)

    def test_unknown_account_is_404(self):
        body = self.telnyx_body("fax.received", self.telnyx_received("fax-x"))
        response = self.post_telnyx(body, self.telnyx_headers(body), self.sinch)
        self.assertEqual(response.status_code, 404)

    def test_malformed_payload_is_400(self):
        body = b'{"data": {"event_type": "fax.received"}}'
        response = self.post_telnyx(body, self.telnyx_headers(body))
        self.assertEqual(response.status_code, 400)
        self.assertIn("data.id", response.text)

    @mute_logger(
        CONTROLLER,
        "odoo.addons.comms_shared_inbox.controllers.webhook",
        "odoo.addons.comms_shared_inbox.models.comms_inbound_error",
    )
    def test_media_download_failure_keeps_the_payload(self):
        body = self.telnyx_body("fax.received", self.telnyx_received("fax-lost"))
        self.server.media.clear()
        response = self.post_telnyx(body, self.telnyx_headers(body))
        self.assertEqual(response.status_code, 500)
        self.assertFalse(self.faxes())
        error = self.env["comms.inbound.error"].search([("reference", "=", "fax-lost")])
        self.assertEqual(error.source, "telnyx_fax")
        self.assertIn("NoSuchKey", error.error)
        self.assertIn("media_url", error.payload)
        # The provider retries once the media is there: the event was not consumed.
        self.server.media["fax-lost.pdf"] = make_pdf(1)
        self.assertEqual(
            self.post_telnyx(body, self.telnyx_headers(body)).status_code, 200
        )
        self.assertEqual(len(self.faxes()), 1)

    @mute_logger("pypdf._reader")
    def test_corrupt_pdf_is_delivered_with_unknown_page_count(self):
        self.receive(document=b"%PDF-1.4\n1 0 obj << /Type /Catalog >> broken")
        fax = self.faxes()
        self.assertTrue(fax.page_count_unknown)
        self.assertEqual(fax.page_count, 0)
        self.assertTrue(fax.attachment_id)
        self.assertEqual(fax.comms_message_id.page_count, 0)
        notes = fax.conversation_id.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        )
        self.assertIn("page count of fax", "".join(notes.mapped("body")))
        self.assertIn(
            "unknown number of pages", fax.comms_message_id.mail_message_id.body
        )

    def test_status_events_of_a_sent_fax(self):
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "state": "sending",
                "line_id": self.line.id,
                "remote_number": "+33478123456",
                "provider_ref": "out-1",
                "conversation_id": self.env["comms.conversation"]
                .create(
                    {
                        "group_id": self.group.id,
                        "partner_id": self.env["res.partner"]
                        .create({"name": "Garage", "phone": "+33478123456"})
                        .id,
                    }
                )
                .id,
            }
        )
        body = self.telnyx_body(
            "fax.failed", {"fax_id": "out-1", "failure_reason": "user_busy"}
        )
        self.assertEqual(
            self.post_telnyx(body, self.telnyx_headers(body)).status_code, 200
        )
        self.assertEqual((fax.state, fax.error_message), ("failed", "user_busy"))
        body = self.telnyx_body("fax.failed", {"fax_id": "out-unknown"})
        self.assertEqual(
            self.post_telnyx(body, self.telnyx_headers(body)).status_code, 404
        )
        body = self.telnyx_body("fax.media.processed", {"fax_id": "out-1"})
        self.assertEqual(
            self.post_telnyx(body, self.telnyx_headers(body)).status_code, 200
        )
        self.assertEqual(fax.state, "failed")
        body = self.telnyx_body("fax.email.delivered", {"fax_id": "out-1"})
        self.assertEqual(
            self.post_telnyx(body, self.telnyx_headers(body)).text, "Event ignored."
        )
