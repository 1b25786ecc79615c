from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMemberDayTour(HttpCase):
    """A member's day in the browser: previews, a colleague's presence, a reply in
    the customer's email thread, claim, close and next conversation by keyboard."""

    def setUp(self):
        super().setUp()
        inbox_user = "comms_shared_inbox.group_comms_user"
        self.member = new_test_user(
            self.env, login="day_member", name="Marie Member", groups=inbox_user
        )
        self.colleague = new_test_user(
            self.env, login="day_colleague", name="Paul Colleague", groups=inbox_user
        )
        self.group = self.env["comms.group"].create(
            {
                "name": "Day location",
                "sms_number": "+33472555556",
                "user_ids": [(6, 0, (self.member | self.colleague).ids)],
            }
        )
        self.baker = self.env["res.partner"].create(
            {"name": "Boulangerie Dupont", "email": "commandes@dupont.example"}
        )
        self.garage = self.env["res.partner"].create(
            {"name": "Garage Martin", "mobile": "+33612121299"}
        )
        self.group._receive_sms(
            "+33612121299", "Où en est ma commande ?\nMerci", "SMday1"
        )
        Conversation = self.env["comms.conversation"]
        self.garage_conversation = Conversation._get_for_customer(
            self.group, self.garage
        )
        self.garage_conversation.waiting_since = fields.Datetime.now() - timedelta(
            hours=2
        )
        self.baker_conversation = Conversation._get_for_customer(self.group, self.baker)
        self.baker_conversation.with_context(from_alias=True)._post_and_log(
            "email",
            "in",
            {"sender": "Boulangerie Dupont <commandes@dupont.example>"},
            subject="Farine T65, 40 sacs",
            body="Bonjour,\nil nous faut 40 sacs de T65 pour jeudi.",
            author_id=self.baker.id,
            email_from="Boulangerie Dupont <commandes@dupont.example>",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )

    def test_member_day(self):
        self.authenticate("day_colleague", "day_colleague")
        self.make_jsonrpc_request(
            "/comms_shared_inbox/presence",
            {"conversation_id": self.baker_conversation.id, "state": "viewing"},
        )
        self.start_tour("/odoo", "comms_shared_inbox_member_day", login="day_member")
        baker = self.baker_conversation
        self.assertEqual((baker.state, baker.user_id), ("closed", self.member))
        reply = baker.message_ids.filtered(lambda m: "Livraison jeudi" in m.body)
        self.assertEqual(reply.author_id, self.member.partner_id)
        self.assertIn(self.member, baker.seen_user_ids)
        self.assertNotIn(self.colleague, baker.seen_user_ids)
