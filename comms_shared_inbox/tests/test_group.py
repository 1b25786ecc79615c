import ast

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestGroup(CommsCase):
    def test_sms_number_is_stored_in_e164(self):
        self.assertEqual(self.group.sms_number, "+33472112233")
        self.group.sms_number = (
            "04 72 99 88 77"  # national, read with the company's country
        )
        self.assertEqual(self.group.sms_number, "+33472998877")

    def test_invalid_sms_number_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid phone number"):
            self.group.sms_number = "12345"
        self.assertEqual(self.group.sms_number, "+33472112233")

    def test_second_number_means_a_new_group(self):
        with self.assertRaisesRegex(ValidationError, "exactly one SMS number"):
            self.group.sms_number = "+33 4 72 11 22 33, +33 4 72 11 22 34"

    def test_second_address_means_a_new_group(self):
        with self.assertRaisesRegex(
            ValidationError, "exactly one shared email address"
        ):
            self.group.alias_name = "orders@x.com, sales@x.com"

    def test_number_belongs_to_one_group(self):
        with self.assertRaisesRegex(
            ValidationError, "already belongs to the group Lyon"
        ):
            self.other_group.sms_number = "04 72 11 22 33"
        self.assertEqual(self.other_group.sms_number, "+33140000000")

    def test_alias_routes_to_group_conversations(self):
        self.assertEqual(self.group.alias_email, self.alias_email)
        self.assertEqual(self.group.alias_id.alias_model_id.model, "comms.conversation")
        self.assertEqual(
            ast.literal_eval(self.group.alias_defaults), {"group_id": self.group.id}
        )

    def test_return_to_inbox_limits(self):
        self.group.return_to_inbox_minutes = 5
        self.group.return_to_inbox_minutes = 60
        self.group.return_to_inbox_minutes = 0
        for minutes in (4, 61):
            with self.assertRaisesRegex(ValidationError, "between 5 and 60"):
                self.group.return_to_inbox_minutes = minutes

    def test_managers_are_members(self):
        self.assertIn(self.manager, self.group.user_ids)

    def test_dashboard_counters(self):
        self.group._receive_sms("+33612345678", "one", "SM1")
        self.group._receive_sms("+33612345679", "two", "SM2")
        claimed = self.conversation_of(phone="+33612345679")
        claimed.with_user(self.member).action_claim()
        group = self.group.with_user(self.member)
        self.assertEqual(
            (group.new_count, group.claimed_count, group.my_claimed_count), (1, 1, 1)
        )
        self.assertEqual(self.group.with_user(self.member2).my_claimed_count, 0)
