from odoo.tests import HttpCase, new_test_user, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestPortal(ResellerCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account(
            "Portal One", status="production", users=2, lines=[cls.plan]
        )
        cls.number = cls.create_number("+12025550195", account=cls.account)
        cls.other = cls.create_account("Portal Two", status="production")
        cls.admin = cls.account.admin_user_id
        cls.admin.password = cls.admin.login
        cls.second = cls.account.user_ids[1].user_id
        cls.second.password = cls.second.login

    def test_administrator_sees_their_subscription(self):
        self.authenticate(self.admin.login, self.admin.login)
        home = self.url_open("/my/home")
        self.assertIn("/my/subscription", home.text)
        page = self.url_open("/my/subscription")
        self.assertTrue(page.url.endswith(f"/my/subscription/{self.account.id}"))
        for text in (
            self.account.cid,
            self.account.can,
            "+12025550195",
            "Plan 30",
            "portalone.1@client.example.com",
        ):
            self.assertIn(text, page.text)
        self.assertNotIn(self.other.cid, page.text)

    def test_other_accounts_are_not_shown(self):
        self.authenticate(self.admin.login, self.admin.login)
        for account_id in (self.other.id, 999999999):
            page = self.url_open(f"/my/subscription/{account_id}")
            self.assertTrue(page.url.endswith("/my"), page.url)
            self.assertNotIn(self.other.cid, page.text)

    def test_users_who_are_not_administrators(self):
        stranger = new_test_user(
            self.env, login="portal_stranger", groups="base.group_portal"
        )
        for user in (self.second, stranger):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                page = self.url_open("/my/subscription")
                self.assertIn("You do not administer any subscriber account", page.text)
                self.assertNotIn(self.account.cid, page.text)
                detail = self.url_open(f"/my/subscription/{self.account.id}")
                self.assertTrue(detail.url.endswith("/my"), detail.url)
