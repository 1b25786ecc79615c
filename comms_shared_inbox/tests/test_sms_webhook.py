from werkzeug.urls import url_encode

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.comms_shared_inbox.controllers.sms_webhook import twilio_signature

TOKEN = "0123456789abcdef0123456789abcdef"
PATH = "/comms/sms/twilio/inbound"


@tagged("post_install", "-at_install")
class TestSmsWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.sudo().write(
            {"sms_provider": "twilio", "sms_twilio_auth_token": TOKEN}
        )
        cls.group = cls.env["comms.group"].create(
            {"name": "Lyon", "sms_number": "+33472112233"}
        )

    def post(
        self,
        sid="SM0001",
        sender="+33612345678",
        body="Bonjour",
        to="+33472112233",
        token=TOKEN,
        signature=None,
        drop=(),
    ):
        params = {
            "MessageSid": sid,
            "AccountSid": "AC" + "0" * 32,
            "From": sender,
            "To": to,
            "Body": body,
            "NumMedia": "0",
        }
        for key in drop:
            params.pop(key)
        url = self.base_url() + PATH
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        headers["X-Twilio-Signature"] = signature or twilio_signature(
            token, url, params
        )
        return self.url_open(PATH, data=url_encode(params), headers=headers)

    def messages(self):
        return self.env["comms.message"].search([("group_id", "=", self.group.id)])

    def test_signed_sms_lands_in_conversation(self):
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertIn("<Response/>", response.text)
        message = self.messages()
        self.assertEqual((message.channel, message.direction), ("sms", "in"))
        self.assertEqual(message.provider_ref, "SM0001")
        self.assertEqual(message.partner_id.phone_sanitized, "+33612345678")
        self.assertEqual(message.conversation_id.state, "new")
        self.assertIn("Bonjour", message.mail_message_id.body)

    def test_duplicate_delivery_creates_one_message(self):
        self.post()
        self.assertEqual(self.post().status_code, 200)
        self.assertEqual(len(self.messages()), 1)
        self.assertEqual(
            len(
                self.env["comms.conversation"].search(
                    [("group_id", "=", self.group.id)]
                )
            ),
            1,
        )

    @mute_logger("odoo.addons.comms_shared_inbox.controllers.sms_webhook")
    def test_bad_signature_is_403_and_stores_nothing(self):
        partners = self.env["res.partner"].search_count([])
        self.assertEqual(
            self.post(token="wrong-token-wrong-token-wrong-00").status_code, 403
        )
        self.assertEqual(self.post(signature="forged").status_code, 403)
        self.assertFalse(self.messages())
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_unknown_number_is_404(self):
        response = self.post(to="+33499999999")
        self.assertEqual(response.status_code, 404)
        self.assertIn("+33499999999", response.text)
        self.assertFalse(self.messages())

    def test_malformed_payload_is_400(self):
        response = self.post(drop=("From",))
        self.assertEqual(response.status_code, 400)
        self.assertIn("From, To and MessageSid are required", response.text)

    @mute_logger("odoo.addons.comms_shared_inbox.models.comms_inbound_error")
    def test_invalid_sender_is_kept_with_its_error(self):
        partners = self.env["res.partner"].search_count([])
        response = self.post(sender="not-a-number", sid="SMbad")
        self.assertEqual(response.status_code, 422)
        self.assertIn("not a valid phone number", response.text)
        self.assertFalse(self.messages())
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        error = self.env["comms.inbound.error"].search([("reference", "=", "SMbad")])
        self.assertEqual(error.source, "twilio_sms")
        self.assertIn("not-a-number", error.payload)
