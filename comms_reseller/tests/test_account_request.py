from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAccountRequest(ResellerCase):
    """The new account wizard, as the reseller's staff use it."""

    def _new_request(self, **values):
        Request = self.env["comms.account.request"].with_user(self.user_a)
        return Request.create(
            {
                "client_name": "Delta Dental",
                "admin_name": "Dana Delta",
                "email": "dana@deltadental.example.com",
                "street": "1 Main Street",
                "city": "Montreal",
                "zip": "H2X 1Y4",
                "country_id": self.env.ref("base.ca").id,
                "phone": "+15145550100",
                "lang": "en_US",
                "tz": "America/Montreal",
                **values,
            }
        )

    def test_steps_next_and_previous(self):
        request = self._new_request()
        self.assertEqual(request.step, "client")
        request.action_next()
        self.assertEqual(request.step, "plan")
        with self.assertRefused(UserError, "Fill in Plan"):
            request.action_next()
        request.plan_id = self.plan
        request.action_next()
        self.assertEqual(request.step, "numbers")
        request.action_previous()
        self.assertEqual(request.step, "plan")
        # What was entered is kept while moving between steps.
        self.assertEqual(request.plan_id, self.plan)
        self.assertEqual(request.client_name, "Delta Dental")

    def test_client_step_needs_name_and_email(self):
        request = self._new_request(email=False)
        with self.assertRefused(UserError, "Email"):
            request.action_next()
        self.assertEqual(request.step, "client")

    def test_form_shows_one_step_at_a_time(self):
        with Form(self.env["comms.account.request"].with_user(self.user_a)) as form:
            form.client_name = "Echo Law"
            form.email = "echo@echolaw.example.com"
            with self.assertRaises(AssertionError):
                # The plan is not on the client step.
                form.plan_id = self.plan
        self.assertEqual(form.record.step, "client")

    def test_create_company_account_in_trial(self):
        request = self._new_request(
            plan_id=self.plan.id, option_ids=[self.option_free.id]
        )
        request.step = "billing"
        action = request.action_create_account()
        account = request.account_id
        self.assertEqual(action["res_id"], account.id)
        self.assertEqual(request.state, "done")
        self.assertEqual(account.company_id, self.reseller_a)
        self.assertEqual(account.billing_status, "trial")
        self.assertEqual(account.kind, "company")
        self.assertEqual(account.user_id, self.user_a)
        partner = account.partner_id
        self.assertEqual(partner.name, "Delta Dental")
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.city, "Montreal")
        self.assertEqual(partner.tz, "America/Montreal")
        self.assertEqual(account.line_ids.product_id, self.plan | self.option_free)
        admin = account.admin_user_id
        self.assertEqual(admin.name, "Dana Delta")
        self.assertEqual(admin.login, "dana@deltadental.example.com")
        self.assertTrue(admin._is_portal())
        # The welcome email: identifiers and a set-password link, no password.
        welcome = account.message_ids.filtered(
            lambda m: "is ready" in (m.subject or "")
        )
        self.assertEqual(len(welcome), 1)
        self.assertIn(admin.partner_id, welcome.partner_ids)
        self.assertIn(account.cid, welcome.body)
        self.assertIn(account.can, welcome.body)
        self.assertIn("/web/signup?", welcome.body)
        self.assertIn("token=", welcome.body)
        # The link signs the administrator in to choose a password.
        token = welcome.body.split("token=")[1].split("&")[0].split('"')[0]
        self.assertEqual(
            self.env["res.partner"]._get_partner_from_token(token), admin.partner_id
        )

    def test_create_production_account_with_numbers_and_porting(self):
        number = self.create_number("+15145550111")
        request = self._new_request(
            kind="professional",
            plan_id=self.plan.id,
            option_ids=[self.option_paid.id],
            number_ids=[number.id],
            port_numbers="+15145550999",
            billing_status="production",
        )
        request.step = "billing"
        request.action_create_account()
        account = request.account_id
        self.assertEqual(account.billing_status, "production")
        self.assertEqual(account.kind, "professional")
        self.assertEqual(number.account_id, account)
        self.assertEqual(account.main_number_id, number)
        self.assertEqual(number.state, "assigned")
        self.assertTrue(account.sudo().contract_id)
        porting = account.activity_ids.filtered(
            lambda a: a.summary == "Port the client's numbers"
        )
        self.assertEqual(porting.user_id, self.user_a)
        self.assertIn("+15145550999", porting.note)

    def test_trial_refuses_numbers_and_paid_options(self):
        number = self.create_number("+15145550112")
        for values in (
            {"number_ids": [number.id]},
            {"option_ids": [self.option_paid.id]},
        ):
            with self.subTest(values=values):
                request = self._new_request(plan_id=self.plan.id, **values)
                request.step = "billing"
                with self.assertRefused(UserError, "free trial"):
                    request.action_create_account()
                self.assertFalse(request.account_id)
                self.assertEqual(number.state, "available")

    def test_products_not_allowed_are_refused(self):
        request = self._new_request(plan_id=self.plan_b_only.id)
        request.step = "plan"
        with self.assertRefused(UserError, "not allowed to sell Plan B"):
            request.action_next()

    def test_card_on_file_needs_a_tokenizing_provider(self):
        request = self._new_request(plan_id=self.plan.id, payment_mode="card")
        request.step = "billing"
        with self.assertRefused(ValidationError, "only be paid by monthly invoice"):
            request.action_create_account()
        provider = self.env["payment.provider"].create(
            {
                "name": "Cards",
                "code": "none",
                "state": "test",
                "allow_tokenization": True,
                "company_id": self.reseller_a.id,
            }
        )
        self.assertTrue(provider)
        request.action_create_account()
        self.assertEqual(request.account_id.payment_mode, "card")

    def test_number_taken_meanwhile(self):
        number = self.create_number("+15145550113")
        request = self._new_request(
            plan_id=self.plan.id, number_ids=[number.id], billing_status="production"
        )
        other = self.create_account("Other", status="production")
        number.action_assign(other)
        request.step = "billing"
        with self.assertRefused(UserError, "not available"):
            request.action_create_account()

    def test_closed_request_creates_nothing_more(self):
        request = self._new_request(plan_id=self.plan.id)
        request.action_create_account()
        with self.assertRefused(UserError, "already closed"):
            request.action_create_account()
        with self.assertRefused(UserError, "already closed"):
            request.action_send_to_client()

    def test_other_reseller_cannot_see_request(self):
        request = self._new_request()
        Request = self.env["comms.account.request"].with_user(self.user_b)
        self.assertFalse(Request.search([("id", "=", request.id)]))
