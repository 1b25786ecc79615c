from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestNumber(ResellerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Golf", status="production", lines=[cls.plan])
        cls.other = cls.create_account("Hotel", status="production", lines=[cls.plan])

    def test_e164(self):
        # The North American example of the E.164 recommendation's format.
        cases = {
            ("(202) 555-0123", "base.us"): "+12025550123",
            ("202.555.0124", "base.us"): "+12025550124",
            ("+33 1 23 45 67 89", "base.us"): "+33123456789",
            ("01 23 45 67 88", "base.fr"): "+33123456788",
        }
        for (raw, country), expected in cases.items():
            with self.subTest(raw=raw):
                number = self.env["comms.number"].create(
                    {"name": raw, "country_id": self.env.ref(country).id}
                )
                self.assertEqual(number.name, expected)
        number.name = "01 23 45 67 87"
        self.assertEqual(number.name, "+33123456787")
        with self.assertRefused(ValidationError, "not a valid phone number"):
            self.env["comms.number"].create({"name": "12"})

    def test_state_follows_account(self):
        number = self.create_number("+12025550130")
        self.assertEqual(number.state, "available")
        number.action_assign(self.account)
        self.assertEqual(number.state, "assigned")
        self.assertEqual(self.account.number_ids, number)
        with self.assertRefused(UserError, "not available"):
            number.action_assign(self.other)
        with self.assertRefused(UserError, "Take the number off"):
            number.action_release()
        number.action_unassign()
        self.assertEqual(number.state, "available")
        self.assertFalse(number.account_id)
        number.action_release()
        self.assertEqual(number.state, "released")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            number.write({"state": "assigned"})
            number.flush_recordset()

    def test_one_account_at_a_time(self):
        self.create_number("+12025550140", account=self.account)
        # The same number for another account, however it is written.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.create_number("(202) 555-0140", account=self.other)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.create_number("+12025550140")
        self.assertEqual(
            self.env["comms.number"].search([("name", "=", "+12025550140")]).account_id,
            self.account,
        )

    def test_released_number_can_come_back(self):
        number = self.create_number("+12025550150")
        number.action_release()
        again = self.create_number("+12025550150", account=self.other)
        self.assertEqual(again.state, "assigned")
        self.assertEqual(number.state, "released")

    def test_number_of_another_reseller_refused(self):
        number_b = self.create_number("+12025550160", company=self.reseller_b)
        with self.assertRefused(
            UserError, "belong to different companies|[Ii]ncompatible companies"
        ):
            number_b.account_id = self.account

    def test_number_of_an_account_not_taken_over(self):
        number = self.create_number("+12025550170", account=self.account)
        with self.assertRefused(UserError, r"assigned to .*Golf.*take it off"):
            number.with_user(self.user_a).account_id = self.other
        self.assertEqual(number.account_id, self.account)
        number.with_user(self.user_a).action_unassign()
        number.with_user(self.user_a).account_id = self.other
        self.assertEqual(number.account_id, self.other)

    def test_released_number_not_assigned_again(self):
        number = self.create_number("+12025550171")
        number.action_release()
        with self.assertRefused(UserError, "given back to the carrier"):
            number.account_id = self.account
        self.assertEqual(number.state, "released")
