import re
import time

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAccountRequestLink(ResellerCase, HttpCase):
    """Send to client: the client finishes the wizard through a signed link."""

    def setUp(self):
        super().setUp()
        self.number = self.create_number("+15145550120")
        self.request = (
            self.env["comms.account.request"]
            .with_user(self.user_a)
            .create(
                {
                    "client_name": "Foxtrot Clinic",
                    "email": "fox@foxtrot.example.com",
                    "lang": "en_US",
                }
            )
        )
        self.request.action_next()  # the reseller filled in the client step

    def _sent_link(self):
        """Send the link and read it from the email, as the client would."""
        self.request.action_send_to_client()
        email = self.request.message_ids.filtered(
            lambda m: "Finish setting up" in (m.subject or "")
        )[:1]
        match = re.search(r'href="[^"]*(/reseller/new-account/[^"]+)"', email.body)
        self.assertTrue(match, email.body)
        return match.group(1)

    def _submit(self, path, **values):
        data = {
            "csrf_token": self._csrf(path),
            "plan_id": str(self.plan.id),
            "option_ids": [str(self.option_paid.id)],
            "number_ids": [str(self.number.id)],
            "billing_status": "production",
            "payment_mode": "invoice",
            **values,
        }
        return self.url_open(path, data=data)

    def _csrf(self, path):
        # Every page carries the session's token, the refusal pages too.
        page = self.url_open(path)
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def test_email_shows_expiry_and_client_sees_remaining_steps(self):
        path = self._sent_link()
        self.assertEqual(self.request.state, "sent")
        email = self.request.message_ids[:1]
        self.assertIn("This link is valid until", email.body)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200, page.text[-3000:])
        # The client step was done by the reseller: the client continues from
        # the plan.
        self.assertNotIn('name="client_name"', page.text)
        self.assertIn('name="plan_id"', page.text)
        self.assertIn("Plan 30", page.text)
        self.assertNotIn("Plan B", page.text)
        self.assertIn("+15145550120", page.text)

    def test_client_finishes_and_link_cannot_be_replayed(self):
        path = self._sent_link()
        page = self._submit(path)
        self.assertIn("Your account is created", page.text)
        account = self.request.account_id
        self.assertEqual(account.name, "Foxtrot Clinic")
        self.assertEqual(account.billing_status, "production")
        self.assertEqual(account.line_ids.product_id, self.plan | self.option_paid)
        self.assertEqual(self.number.account_id, account)
        self.assertEqual(account.user_id, self.user_a)
        welcome = account.message_ids.filtered(
            lambda m: "is ready" in (m.subject or "")
        )
        self.assertEqual(welcome.author_id, self.user_a.partner_id)
        # Replaying the link changes nothing.
        page = self.url_open(path)
        self.assertEqual(page.status_code, 403)
        self.assertIn("already used", page.text)
        page = self._submit(path, plan_id=str(self.plan.id))
        self.assertEqual(page.status_code, 403)
        self.assertIn("already used", page.text)
        self.assertEqual(
            self.env["comms.account"].search_count([("name", "=", "Foxtrot Clinic")]),
            1,
        )

    def test_client_cannot_choose_what_reseller_may_not_sell(self):
        path = self._sent_link()
        page = self._submit(path, plan_id=str(self.plan_b_only.id))
        self.assertIn("not allowed to sell Plan B", page.text)
        self.assertFalse(self.request.account_id)
        self.assertEqual(self.request.state, "sent")
        self.assertFalse(self.request.plan_id)

    def test_client_cannot_change_steps_already_done(self):
        path = self._sent_link()
        self._submit(path, client_name="Hijacked", email="evil@example.com")
        account = self.request.account_id
        self.assertEqual(account.name, "Foxtrot Clinic")
        self.assertEqual(account.admin_user_id.login, "fox@foxtrot.example.com")

    def test_tampered_link(self):
        path = self._sent_link()
        request_id, expires, token = path.rsplit("/", 3)[1:]
        for forged in (
            f"/reseller/new-account/{request_id}/{expires}/{token[:-2]}xx",
            f"/reseller/new-account/{request_id}/{int(expires) + 86400 * 365}/{token}",
            f"/reseller/new-account/{int(request_id) + 1}/{expires}/{token}",
        ):
            with self.subTest(forged=forged):
                page = self.url_open(forged)
                self.assertEqual(page.status_code, 403)
                self.assertIn("This link is not valid", page.text)
                page = self._submit(forged)
                self.assertEqual(page.status_code, 403)
        self.assertFalse(self.request.account_id)
        self.assertFalse(self.request.plan_id)

    def test_expired_link(self):
        with freeze_time(
            time.strftime("%Y-%m-%d", time.gmtime(time.time() - 8 * 86400))
        ):
            path = self._sent_link()
        page = self.url_open(path)
        self.assertEqual(page.status_code, 403)
        self.assertIn("This link has expired", page.text)
        page = self._submit(path)
        self.assertEqual(page.status_code, 403)
        self.assertIn("This link has expired", page.text)
        self.assertFalse(self.request.account_id)

    def test_resend_invalidates_previous_link(self):
        first = self._sent_link()
        second = self._sent_link()
        self.assertNotEqual(first, second)
        self.assertEqual(self.url_open(first).status_code, 403)
        self.assertEqual(self.url_open(second).status_code, 200)
