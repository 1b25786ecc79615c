from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTour(HttpCase):
    def test_member_claims_from_dashboard(self):
        member = new_test_user(
            self.env, login="tour_member", groups="comms_shared_inbox.group_comms_user"
        )
        group = self.env["comms.group"].create(
            {
                "name": "Tour location",
                "sms_number": "+33472555555",
                "user_ids": [(6, 0, member.ids)],
            }
        )
        self.env["res.partner"].create(
            {"name": "Tour Customer", "mobile": "+33612121212"}
        )
        group._receive_sms("+33612121212", "Where is my order?", "SMtour1")
        self.start_tour("/odoo", "comms_shared_inbox_claim", login="tour_member")
        conversation = self.env["comms.conversation"].search(
            [("group_id", "=", group.id)]
        )
        self.assertEqual(
            (conversation.state, conversation.user_id), ("claimed", member)
        )
