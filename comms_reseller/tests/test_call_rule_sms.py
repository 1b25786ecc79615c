from unittest.mock import patch

import requests

from odoo.tests import tagged

from .common import ResellerCase


class FakeTwilioResponse:
    """Twilio's answer to POST /Messages.json (its documented success body)."""

    ok = True
    status_code = 201

    def json(self):
        return {"sid": "SM" + "1" * 32, "status": "queued"}


def send_text(conversation, body):
    """Send `body` from the conversation with Odoo's SMS composer and the queue
    at once, to a fake Twilio; returns the bodies posted to Twilio."""
    env = conversation.env
    action = conversation.action_send_sms()
    composer = (
        env["sms.composer"].with_context(**action["context"]).create({"body": body})
    )
    posted = []

    def post(session, url, data=None, **kwargs):
        posted.append(data)
        return FakeTwilioResponse()

    with patch.object(requests.Session, "post", autospec=True, side_effect=post):
        composer.action_send_sms()
        env["sms.sms"].sudo().search([("state", "=", "outgoing")]).send(
            unlink_sent=False
        )
    return posted


@tagged("post_install", "-at_install")
class TestCallRuleSms(ResellerCase):
    """Call restrictions refuse an account's texts before anything reaches
    Twilio: the text stays in the conversation, failed, with the rule's name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_admin")
        cls.reseller_a.sudo().write(
            {
                "sms_provider": "twilio",
                "sms_twilio_account_sid": "AC" + "a" * 32,
                "sms_twilio_auth_token": "b" * 32,
            }
        )
        cls.account = cls.create_account("Kilo Imports", status="production")
        cls.account.partner_id.country_id = cls.env.ref("base.us")
        cls.create_number("+12025550151", account=cls.account, option_sms=True)
        cls.group = cls.env["comms.group"].create(
            {
                "name": "Kilo front desk",
                "company_id": cls.reseller_a.id,
                "comms_account_id": cls.account.id,
                "sms_number": "+12025550151",
            }
        )
        cls.env["comms.call.rule"].create(
            {
                "name": "Cuba",
                "kind": "country",
                "action": "block",
                "country_id": cls.env.ref("base.cu").id,
                "company_id": cls.reseller_a.id,
            }
        )

    def _reply(self, customer_number, body):
        """A customer texts the group; the group answers in the conversation,
        through Odoo's SMS composer, and the queue is sent. Returns the reply's
        mail.message and what went to Twilio."""
        # sudo: as the SMS webhook does
        self.group.sudo()._receive_sms(
            customer_number, "Hola", f"SM{abs(hash(customer_number))}"
        )
        conversation = self.env["comms.conversation"].search(
            [("group_id", "=", self.group.id)], order="id desc", limit=1
        )
        posted = send_text(conversation, body)
        reply = conversation.message_ids.filtered(lambda m: m.body and body in m.body)
        return reply, posted

    def test_text_to_a_blocked_country_fails_unsent_with_the_rule(self):
        reply, posted = self._reply("+53 7 861 2345", "Su pedido sale el jueves")
        self.assertFalse(posted, "nothing reached Twilio")
        self.assertEqual(len(reply), 1, "the text stays in the conversation")
        notification = reply.notification_ids
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "comms_call_rule")
        self.assertIn("call restriction “Cuba”", notification.failure_reason)
        self.assertIn("Kilo Imports", notification.failure_reason)
        sms = self.env["sms.sms"].sudo().search([("number", "=", "+5378612345")])
        self.assertEqual((sms.state, sms.failure_type), ("error", "comms_call_rule"))
        # Odoo's "resend" wizard shows why, and resending refuses again.
        resend = (
            self.env["sms.resend"]
            .with_context(default_mail_message_id=reply.id)
            .create({})
        )
        self.assertIn("“Cuba”", resend.recipient_ids.failure_reason)
        with patch.object(requests.Session, "post", autospec=True) as post:
            resend.action_resend()
            self.env["sms.sms"].sudo().search([("state", "=", "outgoing")]).send()
        post.assert_not_called()
        self.assertEqual(notification.notification_status, "exception")

    def test_allowed_destination_and_account_exception_reach_twilio(self):
        __, posted = self._reply("(202) 555-0142", "Your order ships Thursday")
        self.assertEqual([p["To"] for p in posted], ["+12025550142"])
        self.assertEqual(posted[0]["From"], "+12025550151")
        self.env["comms.call.rule"].create(
            {
                "name": "Kilo texts Havana",
                "kind": "area_code",
                "value": "+537",
                "action": "allow",
                "account_id": self.account.id,
                "company_id": self.reseller_a.id,
            }
        )
        reply, posted = self._reply("+53 7 861 2345", "Su pedido sale el jueves")
        self.assertEqual([p["To"] for p in posted], ["+5378612345"])
        self.assertEqual(reply.notification_ids.notification_status, "pending")

    def test_rule_of_another_account_or_reseller_does_not_apply(self):
        other = self.create_account("Lima Foods", status="production")
        self.env["comms.call.rule"].create(
            {
                "name": "Lima: no Washington",
                "kind": "area_code",
                "value": "+1202",
                "account_id": other.id,
                "company_id": self.reseller_a.id,
            }
        )
        self.env["comms.call.rule"].create(
            {
                "name": "B: no United States",
                "kind": "country",
                "country_id": self.env.ref("base.us").id,
                "company_id": self.reseller_b.id,
            }
        )
        __, posted = self._reply("+1 202 555 0142", "Your order ships Thursday")
        self.assertEqual([p["To"] for p in posted], ["+12025550142"])
