from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestGroupOwnership(ResellerCase):
    """Shared-inbox groups and fax lines owned by a subscriber account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Groups and fax lines are set up by the shared inbox's administrator.
        cls.env.user.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_admin")
        cls.account = cls.create_account("Golf Clinic", status="production")
        cls.sms = cls.create_number("+12025550140", account=cls.account)
        cls.fax_number = cls.create_number(
            "+12025550141", account=cls.account, option_fax=True
        )
        cls.other = cls.create_account("Hotel Law", status="production")
        cls.other_number = cls.create_number("+12025550142", account=cls.other)
        cls.stock_number = cls.create_number("+12025550143")
        cls.provider = cls.env["comms.fax.provider"].create(
            {"name": "Fax carrier", "company_id": cls.reseller_a.id}
        )

    def _group(self, sms_number=False, account=None):
        return self.env["comms.group"].create(
            {
                "name": "Front desk",
                "company_id": self.reseller_a.id,
                "comms_account_id": (account or self.account).id,
                "sms_number": sms_number,
            }
        )

    def _fax_line(self, group, number):
        return self.env["comms.fax.line"].create(
            {"number": number, "group_id": group.id, "provider_id": self.provider.id}
        )

    def test_group_and_fax_line_use_the_account_numbers(self):
        group = self._group("+12025550140")
        line = self._fax_line(group, "+12025550141")
        self.assertEqual(line.comms_account_id, self.account)
        self.assertEqual(group.sms_number, self.sms.name)

    def test_numbers_of_another_account_or_of_the_stock_are_refused(self):
        for number in ("+12025550142", "+12025550143"):
            with self.subTest(number=number):
                with self.assertRefused(ValidationError, "must be numbers of"):
                    self._group(number)
                group = self._group()
                with self.assertRefused(ValidationError, number.replace("+", r"\+")):
                    self._fax_line(group, number)

    def test_giving_a_group_to_an_account_checks_its_numbers(self):
        group = self._group("+12025550140")
        with self.assertRefused(ValidationError, "must be numbers of"):
            group.comms_account_id = self.other
        group.comms_account_id = False
        # A group of the reseller itself is not restricted.
        group.sms_number = "+12025550143"
        self.assertEqual(group.sms_number, "+12025550143")

    def test_unassigned_number_leaves_group_and_fax_line(self):
        group = self._group("+12025550140")
        line = self._fax_line(group, "+12025550141")
        (self.sms | self.fax_number).with_user(self.manager_a).action_unassign()
        self.assertFalse(group.sms_number)
        self.assertFalse(line.exists())
        self.assertEqual(group.comms_account_id, self.account)

    def test_number_taken_off_in_the_account_form_leaves_the_group(self):
        group = self._group("+12025550140")
        self.account.write({"number_ids": [(3, self.sms.id)]})
        self.assertFalse(self.sms.account_id)
        self.assertFalse(group.sms_number)

    def test_unsubscribe_unlinks_groups_and_fax_lines(self):
        group = self._group("+12025550140")
        line = self._fax_line(group, "+12025550141")
        fax = self.env["comms.fax"].create(
            {
                "direction": "in",
                "state": "received",
                "line_id": line.id,
                "remote_number": "+12025550199",
            }
        )
        self.account.with_user(self.manager_a).action_unsubscribe()
        self.assertFalse(group.comms_account_id)
        self.assertFalse(group.sms_number)
        # The line keeps its faxes' history, out of use.
        self.assertFalse(line.active)
        self.assertFalse(line.comms_account_id)
        self.assertEqual(fax.line_id, line)
        self.assertEqual(self.sms.state, "available")
        # The released SMS number serves another account's group at once.
        self.sms.action_assign(self.other)
        other_group = self._group("+12025550140", account=self.other)
        self.assertEqual(other_group.sms_number, "+12025550140")

    def test_unsubscribed_account_cannot_own_a_group(self):
        self.other.action_unsubscribe()
        with self.assertRefused(ValidationError, "unsubscribed"):
            self._group(account=self.other)
