from unittest.mock import patch

import requests

from odoo.tests import tagged

from .common import CommsCase


class FakeResponse:
    ok = True

    def json(self):
        return {"sid": "SMreply"}


@tagged("post_install", "-at_install")
class TestSmsReply(CommsCase):
    def test_sms_reply_goes_out_from_the_group_number(self):
        self.env.company.sudo().write(
            {
                "sms_provider": "twilio",
                "sms_twilio_account_sid": "AC" + "a" * 32,
                "sms_twilio_auth_token": "b" * 32,
            }
        )
        self.env["sms.twilio.number"].sudo().create(
            {"number": "+33100000000", "country_id": self.env.ref("base.fr").id}
        )
        self.group._receive_sms("+33612345678", "Bonjour", "SMr1")
        conversation = self.conversation_of(phone="+33612345678").with_user(self.member)
        action = conversation.action_send_sms()
        composer = (
            self.env["sms.composer"]
            .with_user(self.member)
            .with_context(**action["context"])
            .create({"body": "Votre commande part jeudi."})
        )
        sent = []
        with patch.object(
            requests.Session,
            "post",
            autospec=True,
            side_effect=lambda session, url, data, **kw: sent.append(data)
            or FakeResponse(),
        ):
            composer.action_send_sms()
            self.env["sms.sms"].sudo().search([("state", "=", "outgoing")]).send()
        self.assertEqual(len(sent), 1)
        self.assertEqual(
            sent[0]["From"], "+33472112233", "the group's number, not the company's"
        )
        self.assertEqual(sent[0]["To"], "+33612345678")
        out = conversation.message_log_ids.filtered(lambda m: m.direction == "out")
        self.assertEqual((out.channel, out.user_id), ("sms", self.member))
        self.assertTrue(conversation.last_reply_date)
