from werkzeug.urls import url_encode

from odoo.tests import BaseCase, HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.comms_shared_inbox.controllers.sms_webhook import twilio_signature

TOKEN = "0123456789abcdef0123456789abcdef"
PATH = "/comms/sms/twilio/inbound"


@tagged("post_install", "-at_install")
class TestTwilioSignature(BaseCase):
    """Twilio's own worked examples are the oracle, not the code under test."""

    def test_signature_of_twilios_security_docs_example(self):
        params = {
            "CallSid": "CA1234567890ABCDE",
            "Caller": "+14158675309",
            "Digits": "1234",
            "From": "+14158675309",
            "To": "+18005551212",
        }
        url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        self.assertEqual(
            twilio_signature("12345", url, params), "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        )

    def test_signature_of_twilio_ruby_voice_request_example(self):
        params = {
            "AccountSid": "ACba8bc05eacf94afdae398e642c9cc32d",
            "ApiVersion": "2010-04-01",
            "ApplicationSid": "AP44efecad51364e80b133bb7c07eb8204",
            "Called": "+14157669926",
            "CalledCity": "",
            "CalledCountry": "US",
            "CalledState": "California",
            "CalledZip": "",
            "Caller": "+14153595711",
            "CallerCity": "SAN FRANCISCO",
            "CallerCountry": "US",
            "CallerState": "CA",
            "CallerZip": "94108",
            "CallSid": "CA136d09cd59a3c0ec8dbff44da5c03f31",
            "CallStatus": "ringing",
            "Direction": "inbound",
            "From": "+14153595711",
            "FromCity": "SAN FRANCISCO",
            "FromCountry": "US",
            "FromState": "CA",
            "FromZip": "94108",
            "To": "+14157669926",
            "ToCity": "",
            "ToCountry": "US",
            "ToState": "California",
            "ToZip": "",
        }
        self.assertEqual(
            twilio_signature(
                "2bd9e9638872de601313dc77410d3b23",
                "http://twiliotests.heroku.com/validate/voice",
                params,
            ),
            "oVb2kXoVy8GEfwBDjR8bk/ZZ6eA=",
        )


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

    @mute_logger("odoo.addons.comms_shared_inbox.models.comms_inbound_error")
    def test_retried_failure_is_kept_once_with_readable_text(self):
        for _attempt in range(3):
            response = self.post(sender="+33 6 12 ab", sid="SMretry")
            self.assertEqual(response.status_code, 422)
        self.assertEqual(response.headers["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("“+33 6 12 ab” is not a valid phone number", response.text)
        error = self.env["comms.inbound.error"].search([("reference", "=", "SMretry")])
        self.assertEqual(len(error), 1, "Twilio's retries keep one copy")
        self.assertEqual(error.attempt_count, 3)

    def test_withheld_number_lands_in_unknown_sender_conversation(self):
        for sid, sender in (("SManon", "anonymous"), ("SMrestr", "Restricted")):
            self.assertEqual(self.post(sid=sid, sender=sender).status_code, 200)
        messages = self.messages()
        self.assertEqual(len(messages), 2)
        self.assertEqual(
            messages.partner_id,
            self.env.ref("comms_shared_inbox.partner_unknown_sender"),
        )
        self.assertEqual(set(messages.mapped("sender_display")), {"(number withheld)"})
        self.assertEqual(len(messages.conversation_id), 1)
