import json

import odoo
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestSupportAccess(ResellerCase, HttpCase):
    """Access the account directly: a reseller user signs in as the client's
    administrator (OCA impersonate_login), logged, noted and told."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Quebec Optics", status="production")
        cls.admin = cls.account.admin_user_id
        cls.user_a.password = cls.user_a.login
        cls.user_a.groups_id |= cls.env.ref("impersonate_login.group_impersonate_login")

    def _call_button(self, model, method, records):
        response = self.url_open(
            "/web/dataset/call_button",
            data=json.dumps(
                {
                    "params": {
                        "model": model,
                        "method": method,
                        "args": [records.ids],
                        "kwargs": {},
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def _access(self, account):
        return self._call_button("comms.account", "action_access_account", account)

    def _session_uid(self):
        return odoo.http.root.session_store.get(self.session.sid).uid

    def test_access_logged_noted_told_and_back(self):
        self.authenticate(self.user_a.login, self.user_a.login)
        self.assertNotIn("error", self._access(self.account))
        self.assertEqual(self._session_uid(), self.admin.id)
        page = self.url_open("/my/subscription").text
        self.assertIn("Support access: you are signed in as", page)
        self.assertIn(self.admin.name, page)
        log = self.env["impersonate.log"].search(
            [("impersonated_partner_id", "=", self.admin.partner_id.id)]
        )
        self.assertEqual(log.user_id, self.user_a)
        self.assertFalse(log.date_end)
        told = self.account.message_ids.filtered(
            lambda m: m.subject
            == f"Your reseller accessed your account {self.account.cid} for support"
        )
        self.assertEqual(told.author_id, self.user_a.partner_id)
        self.assertIn(
            self.admin.partner_id,
            told.notification_ids.filtered(
                lambda n: n.notification_type == "email"
            ).res_partner_id,
        )
        response = self.url_open("/my/support-access/end", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._session_uid(), self.user_a.id)
        log.invalidate_recordset()
        self.assertTrue(log.date_end)
        page = self.url_open("/my").text
        self.assertNotIn("Support access: you are signed in as", page)

    def test_only_with_the_right_to_impersonate(self):
        self.manager_a.password = self.manager_a.login
        self.authenticate(self.manager_a.login, self.manager_a.login)
        error = self._access(self.account)["error"]
        self.assertIn("right to impersonate users", error["data"]["message"])
        self.assertEqual(self._session_uid(), self.manager_a.id)
        with self.assertRaises(AccessError):
            self.account.with_user(self.manager_a).action_access_account()

    def test_never_staff_another_reseller_nor_an_archived_administrator(self):
        staff_account = self.create_account("Romeo Staff", status="production")
        staff_account.user_ids.user_id.groups_id = self.env.ref("base.group_user")
        unsubscribed = self.create_account("Sierra", status="production")
        unsubscribed.action_unsubscribe()
        for account in (staff_account, unsubscribed):
            with self.subTest(account=account.name), self.assertRaises(UserError):
                account.with_user(self.user_a).action_access_account()
        other_reseller = self.create_account(
            "Tango B", company=self.reseller_b, status="production"
        )
        with self.assertRaises(AccessError):
            other_reseller.with_user(self.user_a).action_access_account()
        self.assertFalse(
            self.env["impersonate.log"].search([("user_id", "=", self.user_a.id)])
        )

    def test_administrators_are_never_impersonated(self):
        self.authenticate(self.user_a.login, self.user_a.login)
        response = self._call_button(
            "res.users", "impersonate_login", self.env.ref("base.user_admin")
        )
        self.assertIn("cannot impersonate users", response["error"]["data"]["message"])
        self.assertEqual(self._session_uid(), self.user_a.id)
