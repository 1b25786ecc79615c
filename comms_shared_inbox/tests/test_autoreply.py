from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestAutoReply(CommsCase):
    def test_received_email_autoreply_once_per_period(self):
        self.switch_autoreply(self.group, "received", "email")
        with self.mock_mail_gateway():
            self.deliver_email(subject="first")
            self.deliver_email(subject="second")
        replies = [m for m in self._mails if m["subject"] == "We received your message"]
        self.assertEqual(len(replies), 1)
        self.assertEqual(
            replies[0]["email_to"], ['"Garage Martin" <atelier@garage.example.com>']
        )
        self.assertEqual(replies[0]["headers"].get("Auto-Submitted"), "auto-replied")
        self.assertIn(f'"Lyon" <{self.alias_email}>', replies[0]["email_from"])
        conversation = self.conversation_of(email="atelier@garage.example.com")
        conversation.sudo().last_autoreply_date = fields.Datetime.now() - timedelta(
            hours=25
        )
        with self.mock_mail_gateway():
            self.deliver_email(subject="next day")
        self.assertEqual(
            len([m for m in self._mails if m["subject"] == "We received your message"]),
            1,
        )

    def test_no_autoreply_to_automatic_mail(self):
        self.switch_autoreply(self.group, "received", "email")
        with self.mock_mail_gateway():
            self.deliver_email(
                subject="Out of office", extra="Auto-Submitted: auto-replied\n"
            )
            self.deliver_email(subject="Newsletter", extra="Precedence: bulk\n")
        self.assertFalse(
            [m for m in self._mails if m["subject"] == "We received your message"]
        )
        self.assertEqual(
            len(
                self.conversation_of(email="atelier@garage.example.com").message_log_ids
            ),
            2,
        )

    def test_no_autoreply_to_any_kind_of_machine_mail(self):
        """RFC 3834 and common practice, one case each; Auto-Submitted: no is a
        person and gets the reply."""
        self.switch_autoreply(self.group, "received", "email")
        cases = [
            ({"extra": "Auto-Submitted: auto-generated\n"}, False),
            ({"extra": "Precedence: list\n"}, False),
            ({"extra": "Precedence: junk\n"}, False),
            ({"extra": "List-Id: <news.supplier.example>\n"}, False),
            ({"extra": "List-Unsubscribe: <mailto:u@supplier.example>\n"}, False),
            ({"extra": "X-Auto-Response-Suppress: OOF\n"}, False),
            ({"return_path": "<>"}, False),
            ({"return_path": None}, False),
            ({"email_from": "MAILER-DAEMON@mx.example.com"}, False),
            ({"email_from": "postmaster@client.example"}, False),
            ({"email_from": "Shop <no-reply@shop.example>"}, False),
            ({"email_from": "Shop <noreply@shop.example>"}, False),
            ({"email_from": "Bank <do-not-reply@bank.example>"}, False),
            ({"extra": "Auto-Submitted: no\n"}, True),
        ]
        for index, (headers, answered) in enumerate(cases):
            with self.subTest(headers=headers):
                conversations = self.env["comms.conversation"].search([])
                conversations.sudo().last_autoreply_date = False
                with self.mock_mail_gateway():
                    self.deliver_email(subject=f"case {index}", **headers)
                replies = [
                    m for m in self._mails if m["subject"] == "We received your message"
                ]
                self.assertEqual(bool(replies), answered)
                kept = self.env["comms.message"].search_count(
                    [("subject", "=", f"case {index}")]
                ) or self.env["comms.inbound.error"].search_count(
                    [("summary", "like", f"case {index}")]
                )
                self.assertTrue(kept, "in the inbox, or with the bounces")

    def test_autoreply_switched_off(self):
        with self.mock_mail_gateway():
            self.deliver_email()
        self.assertFalse(
            [m for m in self._mails if m["subject"] == "We received your message"]
        )

    def test_received_sms_autoreply(self):
        self.switch_autoreply(self.group, "received", "sms")
        with self.mockSMSGateway():
            self.group._receive_sms("+33612345678", "Bonjour", "SMa1")
            self.group._receive_sms("+33612345678", "Encore", "SMa2")
        conversation = self.conversation_of(phone="+33612345678")
        self.assertEqual(len(self._sms), 1)
        self.assertEqual(self._sms[0]["number"], "+33612345678")
        self.assertIn("Thanks for your message to Lyon", self._sms[0]["body"])
        out = conversation.message_log_ids.filtered(lambda m: m.direction == "out")
        self.assertEqual(out.channel, "sms")
        self.assertFalse(
            conversation.last_reply_date, "an auto-reply is not a member's reply"
        )

    def test_claimed_autoreply_on_the_customer_channel(self):
        self.switch_autoreply(self.group, "claimed", "sms")
        self.switch_autoreply(self.group, "claimed", "email")
        self.group._receive_sms("+33612345678", "Bonjour", "SMa3")
        conversation = self.conversation_of(phone="+33612345678")
        with self.mockSMSGateway(), self.mock_mail_gateway():
            conversation.with_user(self.member).action_claim()
        self.assertEqual(len(self._sms), 1)
        self.assertIn(
            "Marie Member of Lyon is handling your message", self._sms[0]["body"]
        )
        self.assertFalse(self._mails)

    def test_never_for_fax(self):
        self.group.autoreply_ids.active = True
        with self.mockSMSGateway(), self.mock_mail_gateway():
            self.group._receive_by_phone(
                "fax", "+33612345678", "fax", "FAX1", {"page_count": 2}
            )
        self.assertFalse(self._sms)
        self.assertFalse(self._mails)
        log = self.conversation_of(phone="+33612345678").message_log_ids
        self.assertEqual((log.channel, log.page_count), ("fax", 2))

    def test_an_autoreply_that_is_on_needs_its_template(self):
        autoreply = self.group.autoreply_ids.filtered(
            lambda a: (a.event, a.channel) == ("claimed", "sms")
        )
        with self.assertRaisesRegex(ValidationError, "needs a template"):
            autoreply.write({"active": True, "sms_template_id": False})
