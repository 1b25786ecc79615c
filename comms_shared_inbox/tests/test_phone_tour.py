from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.sms.tests.common import MockSMS


@tagged("post_install", "-at_install")
class TestPhoneTour(MockSMS, HttpCase):
    """At phone size the inbox, a conversation and a reply by text fit the screen."""

    browser_size = "390x844"
    touch_enabled = True

    def test_phone_inbox_conversation_and_text_reply(self):
        member = new_test_user(
            self.env,
            login="phone_member",
            name="Marie Member",
            groups="comms_shared_inbox.group_comms_user",
        )
        group = self.env["comms.group"].create(
            {
                "name": "Phone location",
                "sms_number": "+33472555557",
                "user_ids": [(6, 0, member.ids)],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Phone Customer", "mobile": "+33612121288"}
        )
        group._receive_sms("+33612121288", "Ma commande arrive quand ?", "SMphone1")
        with self.mockSMSGateway():
            self.start_tour("/odoo", "comms_shared_inbox_phone", login="phone_member")
        self.assertEqual(
            [(sms["number"], sms["body"]) for sms in self._sms],
            [(customer.mobile, "Demain matin.")],
        )
        conversation = self.env["comms.conversation"].search(
            [("group_id", "=", group.id)]
        )
        sent = conversation.message_log_ids.filtered(lambda m: m.direction == "out")
        self.assertEqual((sent.channel, sent.summary), ("sms", "Demain matin."))
