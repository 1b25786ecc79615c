from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAccess(ResellerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_a = cls.create_account(
            "Romeo", status="production", users=2, lines=[cls.plan]
        )
        cls.number_a = cls.create_number("+12025550180", account=cls.account_a)
        cls.stock_a = cls.create_number("+12025550181")
        cls.account_b = cls.create_account(
            "Sierra", company=cls.reseller_b, status="production", lines=[cls.plan]
        )
        cls.number_b = cls.create_number("+12025550182", account=cls.account_b)
        cls.portal_admin_a = cls.account_a.admin_user_id
        cls.portal_other_a = (
            cls.account_a.user_ids - cls.account_a.user_ids[0]
        ).user_id
        cls.portal_admin_b = cls.account_b.admin_user_id

    def _visible(self, user, model):
        return self.env[model].with_user(user).search([])

    def test_reseller_staff_see_their_company_only(self):
        for user in (self.user_a, self.manager_a):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user, "comms.account"), self.account_a)
                self.assertEqual(
                    self._visible(user, "comms.number"), self.number_a | self.stock_a
                )
                self.assertEqual(
                    self._visible(user, "comms.account.user"), self.account_a.user_ids
                )
                self.assertEqual(
                    self._visible(user, "comms.account.line"), self.account_a.line_ids
                )
        self.assertEqual(self._visible(self.user_b, "comms.account"), self.account_b)
        self.assertEqual(self._visible(self.user_b, "comms.number"), self.number_b)

    def test_reseller_b_cannot_touch_a(self):
        for record in (
            self.account_a,
            self.number_a,
            self.account_a.user_ids[0],
            self.account_a.line_ids,
        ):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.user_b).read(["display_name"])
        with self.assertRaises(AccessError):
            self.account_a.with_user(self.user_b).action_suspend()
        with self.assertRaises(AccessError):
            self.number_a.with_user(self.user_b).action_unassign()
        self.assertEqual(self.account_a.billing_status, "production")
        self.assertEqual(self.number_a.state, "assigned")

    def test_database_administrator_sees_all(self):
        every_account = self.env["comms.account"].sudo().search([])
        self.assertIn(self.account_b, every_account)
        Account = self.env["comms.account"].with_user(self.sysadmin)
        self.assertEqual(Account.search([]), every_account)
        # Even with only one of the resellers selected in the company switcher.
        Account = Account.with_context(allowed_company_ids=self.reseller_a.ids)
        self.assertEqual(Account.search([]), every_account)
        self.account_b.with_user(self.sysadmin).action_suspend()
        self.assertEqual(self.account_b.billing_status, "suspended")

    def test_reseller_user_rights(self):
        account = self.account_a.with_user(self.user_a)
        account.name = "Romeo Renamed"
        with self.assertRaises(AccessError):
            self.env["comms.number"].with_user(self.user_a).create(
                {"name": "+12025550190"}
            )
        # Delete unsubscribes: a manager's decision.
        with self.assertRaises(AccessError):
            account.unlink()
        with self.assertRaises(AccessError):
            account.action_unsubscribe()
        self.assertEqual(self.account_a.billing_status, "production")
        self.account_a.with_user(self.manager_a).unlink()
        self.assertEqual(self.account_a.billing_status, "unsubscribed")

    def test_portal_account_administrator_reads_own_account_only(self):
        user = self.portal_admin_a
        self.assertEqual(self._visible(user, "comms.account"), self.account_a)
        self.assertEqual(self._visible(user, "comms.number"), self.number_a)
        self.assertEqual(
            self._visible(user, "comms.account.user"), self.account_a.user_ids
        )
        with self.assertRaises(AccessError):
            self.account_b.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.account_a.with_user(user).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.account_a.with_user(user).action_suspend()
        self.assertEqual(
            self._visible(self.portal_admin_b, "comms.account"), self.account_b
        )

    def test_other_portal_users_see_nothing(self):
        stranger = new_test_user(self.env, login="stranger", groups="base.group_portal")
        for user in (self.portal_other_a, stranger):
            for model in ("comms.account", "comms.number", "comms.account.user"):
                with self.subTest(user=user.login, model=model):
                    self.assertFalse(self._visible(user, model))

    def test_plain_employee_has_no_access(self):
        employee = new_test_user(self.env, login="employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["comms.account"].with_user(employee).search([])
