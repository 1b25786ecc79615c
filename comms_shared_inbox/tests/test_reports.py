from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestReports(CommsCase):
    def test_export_has_channel_column(self):
        self.group._receive_sms("+33612345678", "Bonjour", "SMe1")
        self.deliver_email()
        self.manager.groups_id |= self.env.ref("base.group_allow_export")
        messages = (
            self.env["comms.message"].with_user(self.manager).search([], order="id")
        )
        rows = messages.export_data(["channel", "direction", "group_id", "partner_id"])[
            "datas"
        ]
        self.assertEqual([row[0] for row in rows], ["SMS", "Email"])
        self.assertEqual({row[2] for row in rows}, {"Lyon"})

    def test_channel_icon_opens_the_conversation(self):
        self.group._receive_sms("+33612345678", "Bonjour", "SMo1")
        message = self.env["comms.message"].with_user(self.member).search([])
        action = message.action_open_conversation()
        self.assertEqual(action["res_model"], "comms.conversation")
        self.assertEqual(
            action["res_id"], self.conversation_of(phone="+33612345678").id
        )

    def test_average_time_to_claim_by_location_user_customer(self):
        now = fields.Datetime.now()
        for number, minutes, user in (
            ("+33612345601", 10, self.member),
            ("+33612345602", 30, self.member),
            ("+33612345603", 5, self.member2),
        ):
            self.group._receive_sms(number, "hi", f"SM{number}")
            conversation = self.conversation_of(phone=number)
            conversation.inbox_date = now - timedelta(minutes=minutes)
            conversation.with_user(user).action_claim()
        report = self.env["comms.conversation"].with_user(self.manager)
        by_user = dict(
            report._read_group(
                [("claim_date", "!=", False)], ["user_id"], ["time_to_claim:avg"]
            )
        )
        self.assertAlmostEqual(by_user[self.member], 20, delta=0.5)
        self.assertAlmostEqual(by_user[self.member2], 5, delta=0.5)
        by_group = dict(
            report._read_group(
                [("claim_date", "!=", False)], ["group_id"], ["time_to_claim:avg"]
            )
        )
        self.assertAlmostEqual(by_group[self.group], 15, delta=0.5)
        by_customer = report._read_group(
            [("claim_date", "!=", False)], ["partner_id"], ["time_to_claim:avg"]
        )
        self.assertEqual(len(by_customer), 3)
