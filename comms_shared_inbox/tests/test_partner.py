from odoo.tests import tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestPartner(CommsCase):
    def test_partner_lists_conversations_across_groups(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Garage",
                "email": "atelier@garage.example.com",
                "mobile": "+33612345678",
            }
        )
        self.deliver_email()
        self.other_group._receive_sms("+33612345678", "to Paris", "SMp1")
        self.assertEqual(partner.comms_conversation_count, 2)
        action = partner.action_open_comms_conversations()
        conversations = self.env["comms.conversation"].search(action["domain"])
        self.assertEqual(conversations.group_id, self.group | self.other_group)
        messages = self.env["comms.message"].search(
            partner.action_open_comms_messages()["domain"]
        )
        self.assertEqual(sorted(messages.mapped("channel")), ["email", "sms"])
