from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import PortalForms, ResellerCase


@tagged("post_install", "-at_install")
class TestPortalRestrictions(PortalForms, ResellerCase, HttpCase):
    """Forbid user management (company) and managed by the administrator
    (professional): the portal hides the forms and refuses forged requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop = cls.create_account("Romeo Shop", status="production", users=2)
        cls.pro = cls.create_account("Sierra Pro", kind="professional")
        for user in (cls.shop.admin_user_id, cls.pro.admin_user_id):
            user.password = user.login

    def test_forbidden_user_management_on_a_company_account(self):
        self.shop.with_user(self.user_a).forbid_user_management = True
        self._login(self.shop.admin_user_id)
        page = self.url_open(f"/my/subscription/{self.shop.id}")
        self.assertNotIn("Add user", page.text)
        self.assertNotIn("o_comms_user_form", page.text)
        response = self._post(
            f"/my/subscription/{self.shop.id}/user/new",
            name="Tango New",
            email="tango@romeo.example.com",
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("User management is turned off", response.text)
        second = self.shop.user_ids[1]
        response = self._post(
            f"/my/subscription/{self.shop.id}/user/{second.id}",
            name="Renamed",
            email="renamed@romeo.example.com",
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(len(self.shop.user_ids), 2)
        self.assertNotEqual(second.name, "Renamed")
        # Refused on the server whatever the caller.
        with self.assertRaisesRegex(AccessError, "User management is turned off"):
            self.shop.sudo()._portal_save_user(
                None, {"name": "X", "email": "x@romeo.example.com", "lang": "en_US"}
            )
        # Allowed again: the administrator adds a user.
        self.shop.forbid_user_management = False
        self._post(
            f"/my/subscription/{self.shop.id}/user/new",
            name="Tango New",
            email="tango@romeo.example.com",
        )
        self.assertIn("Tango New", self.shop.user_ids.mapped("name"))

    def test_professional_managed_by_the_administrator(self):
        user = self.pro.user_ids
        self._login(self.pro.admin_user_id)
        # Not managed: the professional edits their own user.
        self._post(
            f"/my/subscription/{self.pro.id}/user/{user.id}",
            name="Sierra Renamed",
            email=user.email,
        )
        self.assertEqual(user.name, "Sierra Renamed")
        self.pro.with_user(self.user_a).managed_by_admin = True
        page = self.url_open(f"/my/subscription/{self.pro.id}")
        self.assertNotIn("o_comms_user_form", page.text)
        response = self._post(
            f"/my/subscription/{self.pro.id}/user/{user.id}",
            name="Changed Again",
            email="changed@sierra.example.com",
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("managed by your provider", response.text)
        self.assertEqual(user.name, "Sierra Renamed")
        self.assertNotEqual(user.email, "changed@sierra.example.com")

    def test_the_account_user_cannot_lift_the_restriction(self):
        for account, fname in (
            (self.shop, "forbid_user_management"),
            (self.pro, "managed_by_admin"),
        ):
            account[fname] = True
            with self.subTest(field=fname), self.assertRaises(AccessError):
                account.with_user(account.admin_user_id).write({fname: False})
            with self.subTest(field=fname), self.assertRaises(AccessError):
                account.with_user(self.user_b).write({fname: False})
            self.assertTrue(account[fname])

    def test_professional_sets_the_pin_twice_on_the_portal(self):
        self._login(self.pro.admin_user_id)
        path = f"/my/subscription/{self.pro.id}/pin"
        page = self.url_open(f"/my/subscription/{self.pro.id}")
        self.assertIn("o_comms_pin_form", page.text)
        response = self._post(path, pin="5551", pin_confirm="5552")
        self.assertEqual(response.status_code, 400)
        self.assertIn("two PINs differ", response.text)
        self.assertFalse(self.pro.pin_set)
        response = self._post(path, pin="5551", pin_confirm="5551")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your PIN was changed", response.text)
        self.assertNotIn("5551", response.text)
        self.assertTrue(self.pro._check_pin("5551"))
        # Managed by the administrator: the PIN cannot be changed either.
        self.pro.managed_by_admin = True
        page = self.url_open(f"/my/subscription/{self.pro.id}")
        self.assertNotIn("o_comms_pin_form", page.text)
        response = self._post(path, pin="7777", pin_confirm="7777")
        self.assertEqual(response.status_code, 403)
        self.assertTrue(self.pro._check_pin("5551"))
        # A company account has no PIN; another account's administrator cannot
        # set this one's.
        self._login(self.shop.admin_user_id)
        response = self._post(
            f"/my/subscription/{self.shop.id}/pin", pin="1234", pin_confirm="1234"
        )
        self.assertEqual(response.status_code, 403)
        self.pro.managed_by_admin = False
        self._post(path, pin="8888", pin_confirm="8888")
        self.assertTrue(self.pro._check_pin("5551"))
