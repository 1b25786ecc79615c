from odoo.tests import HttpCase, tagged

from odoo.addons.auth_signup.models.res_partner import SignupError


@tagged("post_install", "-at_install")
class TestSignup(HttpCase):
    def test_signup_by_invitation_only(self):
        Users = self.env["res.users"].with_context(active_test=False)
        count = Users.search_count([])
        response = self.url_open(
            "/web/signup?login=intruder@example.com&name=Intruder&password=pass1234"
        )
        self.assertEqual(response.status_code, 404)
        with self.assertRaisesRegex(SignupError, "not allowed for uninvited users"):
            self.env["res.users"].signup(
                {"login": "intruder@example.com", "name": "Intruder", "password": "x"}
            )
        self.assertEqual(Users.search_count([]), count)
        self.assertFalse(Users.search([("login", "=", "intruder@example.com")]))
