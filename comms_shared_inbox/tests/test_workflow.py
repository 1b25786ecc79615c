from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestWorkflow(CommsCase):
    def setUp(self):
        super().setUp()
        self.group._receive_sms("+33612345678", "Bonjour", "SMw1")
        self.conversation = self.conversation_of(phone="+33612345678").with_user(
            self.member
        )

    def test_acknowledge_claim_close(self):
        self.conversation.sudo().inbox_date = fields.Datetime.now() - timedelta(
            minutes=7
        )
        self.conversation.action_acknowledge()
        self.assertEqual(self.conversation.state, "acknowledged")
        self.conversation.action_claim()
        self.assertEqual(
            (self.conversation.state, self.conversation.user_id),
            ("claimed", self.member),
        )
        self.assertAlmostEqual(self.conversation.time_to_claim, 7, delta=0.5)
        self.conversation.action_close()
        self.assertEqual(self.conversation.state, "closed")

    def test_forbidden_state_changes_are_refused(self):
        self.conversation.action_claim()
        with self.assertRaisesRegex(
            UserError, "Claiming is not possible .* it is Claimed"
        ):
            self.conversation.with_user(self.member2).action_claim()
        with self.assertRaisesRegex(UserError, "Acknowledging is not possible"):
            self.conversation.action_acknowledge()
        self.conversation.action_close()
        with self.assertRaisesRegex(UserError, "Ignoring is not possible"):
            self.conversation._ignore("spam")
        self.assertEqual(self.conversation.user_id, self.member)

    def test_transfer_to_another_member(self):
        self.conversation.action_claim()
        action = self.conversation.action_transfer()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.member)
            .with_context(**action["context"])
        )
        wizard.user_id = self.member2
        wizard.save().action_transfer()
        self.assertEqual(self.conversation.user_id, self.member2)
        self.assertIn(
            "Transferred from Marie Member to Paul Member",
            self.conversation.message_ids[0].body,
        )

    def test_transfer_outside_group_is_refused(self):
        with self.assertRaisesRegex(UserError, "not a member of Lyon"):
            self.conversation._transfer_to(self.outsider)

    def test_ignore_needs_a_reason_and_tells_no_customer(self):
        with self.assertRaisesRegex(UserError, "Say why"):
            self.conversation._ignore("  ")
        with self.mockSMSGateway(), self.mock_mail_gateway():
            self.conversation._ignore("Wrong number")
        self.assertEqual(self.conversation.state, "ignored")
        self.assertEqual(self.conversation.ignore_reason, "Wrong number")
        self.assertFalse(self._sms)
        self.assertFalse(self._mails)
        self.assertEqual(
            self.conversation.message_ids[0].subtype_id, self.env.ref("mail.mt_note")
        )

    def test_ignored_conversation_comes_back_when_customer_writes(self):
        self.conversation._ignore("Spam?")
        self.group._receive_sms("+33612345678", "Not spam!", "SMw2")
        self.assertEqual(self.conversation.state, "new")

    def test_unanswered_claim_returns_to_inbox(self):
        self.group.return_to_inbox_minutes = 15
        self.conversation.action_claim()
        self.conversation.sudo().claim_date = fields.Datetime.now() - timedelta(
            minutes=16
        )
        self.env["comms.conversation"]._cron_return_to_inbox()
        self.assertEqual(self.conversation.state, "new")
        self.assertFalse(self.conversation.user_id)
        self.assertIn(
            "no reply within 15 minutes", self.conversation.message_ids[0].body
        )

    def test_answered_or_recent_claims_stay(self):
        self.group.return_to_inbox_minutes = 15
        self.conversation.action_claim()
        self.env["comms.conversation"]._cron_return_to_inbox()  # recent claim
        self.assertEqual(self.conversation.state, "claimed")
        self.conversation.sudo().claim_date = fields.Datetime.now() - timedelta(
            minutes=16
        )
        with self.mock_mail_gateway():
            self.conversation.message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.env["comms.conversation"]._cron_return_to_inbox()
        self.assertEqual(self.conversation.state, "claimed")

    def test_return_to_inbox_off_by_default(self):
        self.conversation.action_claim()
        self.conversation.sudo().claim_date = fields.Datetime.now() - timedelta(days=2)
        self.env["comms.conversation"]._cron_return_to_inbox()
        self.assertEqual(self.conversation.state, "claimed")
