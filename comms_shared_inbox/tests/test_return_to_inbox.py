from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models import comms_conversation
from .common import CommsCase


@tagged("post_install", "-at_install")
class TestReturnToInboxCron(CommsCase):
    """Unanswered claims go back to the inbox in batches, oldest claim first, each
    batch in its own cron transaction with its progress reported."""

    def setUp(self):
        super().setUp()
        self.group.return_to_inbox_minutes = 15
        self.claims = self.env["comms.conversation"]
        for minutes, number in (
            (40, "+33612345671"),
            (20, "+33612345672"),
            (30, "+33612345673"),
        ):
            self.group._receive_sms(number, "Bonjour", f"SMr{number[-1]}")
            conversation = self.conversation_of(phone=number)
            conversation.with_user(self.member).action_claim()
            conversation.claim_date = fields.Datetime.now() - timedelta(minutes=minutes)
            self.claims |= conversation
        self.cron = self.env.ref("comms_shared_inbox.ir_cron_return_to_inbox")

    def run_cron(self):
        self.cron.method_direct_trigger()
        return self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.cron.id)], order="id desc", limit=1
        )

    def test_batches_oldest_claims_first_and_reports_progress(self):
        oldest, newest, middle = self.claims
        with patch.object(comms_conversation, "RETURN_BATCH", 2):
            progress = self.run_cron()
            self.assertEqual((progress.done, progress.remaining), (2, 1))
            self.assertEqual((oldest | middle).mapped("state"), ["new", "new"])
            self.assertEqual(newest.state, "claimed")
            progress = self.run_cron()
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(newest.state, "new")
        self.assertFalse(self.claims.user_id)
        for conversation in self.claims:
            notes = conversation.message_ids.filtered(
                lambda m: "no reply within 15 minutes" in m.body
            )
            self.assertEqual(len(notes), 1, "one note each, never twice")

    def test_a_second_run_acts_on_nothing_returned(self):
        self.run_cron()
        self.claims[0].with_user(self.member2).action_claim()
        progress = self.run_cron()
        self.assertEqual((progress.done, progress.remaining), (0, 0))
        self.assertEqual(self.claims[0].user_id, self.member2)
