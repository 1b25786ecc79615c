from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestInboxPreview(CommsCase):
    def _reply(self, conversation, user, body="Bien reçu."):
        with self.mock_mail_gateway():
            conversation.with_user(user).message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def test_email_preview_shows_subject_sender_and_first_line(self):
        self.deliver_email(
            subject="PO-4471 brake pads",
            body="\nHello, any news on PO-4471?\nRegards, Garage Martin",
        )
        conversation = self.conversation_of(email="atelier@garage.example.com")
        self.assertEqual(
            (
                conversation.preview_channel,
                conversation.preview_title,
                conversation.preview_text,
            ),
            ("email", "PO-4471 brake pads", "Hello, any news on PO-4471?"),
        )
        self.assertIn("atelier@garage.example.com", conversation.preview_sender)

    def test_text_and_fax_previews(self):
        self.group._receive_sms("+33612345678", "Où est ma commande ?\nMerci", "SMp1")
        conversation = self.conversation_of(phone="+33612345678")
        self.assertEqual(
            (conversation.preview_channel, conversation.preview_text),
            ("sms", "Où est ma commande ?"),
        )
        self.assertFalse(conversation.preview_title)
        self.group._receive_by_phone(
            "fax", "+33612345678", "", "FAXp1", {"page_count": 3}
        )
        self.assertEqual(
            (conversation.preview_channel, conversation.preview_title),
            ("fax", "Fax · 3 pages"),
        )
        self.group._receive_by_phone(
            "fax", "+33612345678", "", "FAXp2", {"page_count": 1}
        )
        self.assertEqual(conversation.preview_title, "Fax · 1 page")

    def test_unread_until_each_member_opens_it(self):
        self.group._receive_sms("+33612345678", "Bonjour", "SMu1")
        conversation = self.conversation_of(phone="+33612345678")
        mine = conversation.with_user(self.member)
        self.assertTrue(mine.is_unread)
        self.assertEqual(self.group.with_user(self.member).unread_count, 1)
        mine._mark_seen()
        self.env.invalidate_all()  # the dashboard is read in a later request
        self.assertFalse(mine.is_unread)
        self.assertEqual(self.group.with_user(self.member).unread_count, 0)
        self.assertTrue(conversation.with_user(self.member2).is_unread)
        self.assertEqual(self.group.with_user(self.member2).unread_count, 1)
        self.group._receive_sms("+33612345678", "Vous êtes là ?", "SMu2")
        self.assertTrue(mine.is_unread, "a new message is unread again")
        unread = (
            self.env["comms.conversation"]
            .with_user(self.member)
            .search([("is_unread", "=", True)])
        )
        self.assertEqual(unread, conversation)

    def test_inbox_sorted_by_customers_last_message(self):
        self.group._receive_sms("+33612345601", "first", "SMs1")
        self.group._receive_sms("+33612345602", "second", "SMs2")
        first = self.conversation_of(phone="+33612345601")
        second = self.conversation_of(phone="+33612345602")
        first.last_inbound_date = fields.Datetime.now() - timedelta(hours=2)
        second.last_inbound_date = fields.Datetime.now() - timedelta(hours=1)
        # The group answers the older one: the customer's date still orders.
        self._reply(first, self.member)
        inbox = self.env["comms.conversation"].with_user(self.member).search([])
        self.assertEqual(inbox.ids, [second.id, first.id])

    def test_reply_ends_the_wait_and_moves_the_last_message_date(self):
        self.group._receive_sms("+33612345678", "Bonjour", "SMw1")
        conversation = self.conversation_of(phone="+33612345678")
        arrived = fields.Datetime.now() - timedelta(minutes=40)
        conversation.write({"waiting_since": arrived, "last_message_date": arrived})
        self._reply(conversation, self.member)
        self.assertFalse(conversation.waiting_since)
        self.assertGreater(conversation.last_message_date, arrived)
        self.assertEqual(conversation.preview_direction, "out")

    def test_replying_claims_an_unclaimed_conversation(self):
        self.group._receive_sms("+33612345678", "Bonjour", "SMc1")
        conversation = self.conversation_of(phone="+33612345678")
        self._reply(conversation, self.member)
        self.assertEqual(
            (conversation.state, conversation.user_id), ("claimed", self.member)
        )

    def test_reply_to_a_claimed_conversation_keeps_its_owner(self):
        self.group._receive_sms("+33612345678", "Bonjour", "SMc2")
        conversation = self.conversation_of(phone="+33612345678")
        conversation.with_user(self.member).action_claim()
        self._reply(conversation, self.member2)
        self.assertEqual(conversation.user_id, self.member)

    def test_next_conversation_is_the_unread_one_waiting_longest(self):
        for number, minutes in (("+33612345601", 5), ("+33612345602", 50)):
            self.group._receive_sms(number, "hi", f"SMn{number}")
            self.conversation_of(phone=number).waiting_since = (
                fields.Datetime.now() - timedelta(minutes=minutes)
            )
        self.group._receive_sms("+33612345603", "hi", "SMn3")
        current = self.conversation_of(phone="+33612345603").with_user(self.member)
        action = current.action_next_conversation()
        self.assertEqual(
            action["res_id"], self.conversation_of(phone="+33612345602").id
        )

    def test_reopen_closed_and_unignore(self):
        self.group._receive_sms("+33612345678", "Bonjour", "SMr1")
        conversation = self.conversation_of(phone="+33612345678").with_user(self.member)
        conversation.action_claim()
        conversation.action_close()
        conversation.action_reopen()
        self.assertEqual((conversation.state, conversation.user_id.id), ("new", False))
        conversation._ignore("Wrong number")
        conversation.action_reopen()
        self.assertEqual(conversation.state, "new")
        self.assertFalse(conversation.ignore_reason)
        self.assertIn("Reopened by Marie Member", conversation.message_ids[0].body)

    def test_message_log_smart_button_lists_this_conversation(self):
        self.group._receive_sms("+33612345678", "Bonjour", "SMl1")
        self.group._receive_sms("+33612345679", "Salut", "SMl2")
        conversation = self.conversation_of(phone="+33612345678")
        action = conversation.with_user(self.member).action_open_message_log()
        rows = self.env["comms.message"].with_user(self.member).search(action["domain"])
        self.assertEqual(rows.mapped("summary"), ["Bonjour"])
