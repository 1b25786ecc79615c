from odoo.tests import HttpCase, tagged

from .common import PortalForms, ResellerCase


@tagged("post_install", "-at_install")
class TestPortalUsers(PortalForms, ResellerCase, HttpCase):
    """My subscription: the account administrator manages users and downloads
    the statement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account(
            "November Shop", status="production", users=2, lines=[cls.plan]
        )
        cls.other = cls.create_account("Oscar Shop", status="production")
        cls.professional = cls.create_account("Papa Pro", kind="professional")
        for user in (
            cls.account.admin_user_id,
            cls.account.user_ids[1].user_id,
            cls.professional.admin_user_id,
        ):
            user.password = user.login

    def test_administrator_adds_a_user(self):
        self._login(self.account.admin_user_id)
        response = self._post(
            f"/my/subscription/{self.account.id}/user/new",
            name="Quinn New",
            email="quinn@november.example.com",
        )
        self.assertEqual(response.status_code, 200)
        new_user = self.account.user_ids.filtered(lambda u: u.name == "Quinn New")
        self.assertEqual(new_user.email, "quinn@november.example.com")
        self.assertTrue(new_user.user_id._is_portal())
        self.assertEqual(new_user.user_id.login, "quinn@november.example.com")
        self.assertIn("Quinn New", response.text)

    def test_administrator_edits_a_user(self):
        self._login(self.account.admin_user_id)
        second = self.account.user_ids[1]
        self._post(
            f"/my/subscription/{self.account.id}/user/{second.id}",
            name="Renamed Second",
            email="second@november.example.com",
        )
        self.assertEqual(second.name, "Renamed Second")
        self.assertEqual(second.user_id.login, "second@november.example.com")

    def test_refused_changes_show_a_message_and_change_nothing(self):
        self._login(self.account.admin_user_id)
        second = self.account.user_ids[1]
        taken = self.other.admin_user_id.login
        for values, message in (
            ({"name": "X", "email": "not-an-email"}, "valid email"),
            ({"name": "", "email": "x@example.com"}, "name"),
            ({"name": "X", "email": taken}, "already exists"),
        ):
            with self.subTest(values=values):
                response = self._post(
                    f"/my/subscription/{self.account.id}/user/{second.id}", **values
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertNotEqual(second.name, "X")
        # A user of another account cannot be edited through this account.
        other_user = self.other.user_ids
        response = self._post(
            f"/my/subscription/{self.account.id}/user/{other_user.id}",
            name="Hijacked",
            email="hijacked@example.com",
        )
        self.assertIn("not a user of your account", response.text)
        self.assertNotEqual(other_user.name, "Hijacked")

    def test_professional_keeps_one_user(self):
        self._login(self.professional.admin_user_id)
        page = self.url_open(f"/my/subscription/{self.professional.id}")
        self.assertNotIn("Add user", page.text)
        response = self._post(
            f"/my/subscription/{self.professional.id}/user/new",
            name="Extra",
            email="extra@papa.example.com",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("exactly one user", response.text)
        self.assertEqual(len(self.professional.user_ids), 1)

    def test_only_the_administrator_of_the_account(self):
        second = self.account.user_ids[1].user_id
        self._login(second)
        response = self._post(
            f"/my/subscription/{self.account.id}/user/new",
            name="Intruder",
            email="intruder@example.com",
        )
        self.assertTrue(response.url.endswith("/my"), response.url)
        self._login(self.account.admin_user_id)
        self._post(
            f"/my/subscription/{self.other.id}/user/new",
            name="Intruder",
            email="intruder@example.com",
        )
        self.assertFalse(
            self.env["comms.account.user"].search([("name", "=", "Intruder")])
        )

    def test_download_statement(self):
        self._login(self.account.admin_user_id)
        page = self.url_open(f"/my/subscription/{self.account.id}")
        self.assertIn(f"/my/subscription/{self.account.id}/statement", page.text)
        response = self.url_open(f"/my/subscription/{self.account.id}/statement")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # Tests render the report as HTML instead of PDF.
        self.assertIn(self.account.can, response.text)
        self.assertIn("Plan 30", response.text)
        response = self.url_open(f"/my/subscription/{self.other.id}/statement")
        self.assertNotIn(self.other.can, response.text)
