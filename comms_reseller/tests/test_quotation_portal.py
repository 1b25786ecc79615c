from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ResellerCase
from .test_quotation import SIGNATURE


@tagged("post_install", "-at_install")
class TestQuotationPortal(ResellerCase, HttpCase):
    """The client accepts the quotation on Odoo's portal page: signs, pays and
    saves the card (payment_demo, which tokenizes and pays offline); the monthly
    invoices are then charged to that card."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reseller_a.write(
            {
                "portal_confirmation_sign": True,
                "portal_confirmation_pay": True,
                "prepayment_percent": 1.0,
            }
        )
        cls.provider = (
            cls.env.ref("payment.payment_provider_demo")
            .sudo()
            .copy(
                {
                    "name": "Demo cards A",
                    "company_id": cls.reseller_a.id,
                    "state": "test",
                    "allow_tokenization": True,
                }
            )
        )
        cls.demo_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.account = cls.create_account(
            "Quebec Dental", lines=[cls.plan, cls.option_free]
        )
        cls.account.user_id = cls.user_a
        cls.client_user = cls.account.admin_user_id
        cls.client_user.password = cls.client_user.login

    def _quotation(self):
        action = self.account.with_user(self.user_a).action_production()
        return self.env["sale.order"].browse(action["res_id"])

    def _send(self, order):
        """The reseller's Send by email, Odoo's own."""
        action = order.with_user(self.user_a).action_quotation_send()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.user_a)
            .with_context(**action["context"])
            .create({})
        )
        composer.action_send_mail()

    def _accept_and_pay(self, order, save_card=True):
        self.authenticate(self.client_user.login, self.client_user.login)
        url = order.get_portal_url()
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Plan 30", page.text)
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order.access_token,
                "name": "Quebec Admin",
                "signature": SIGNATURE,
            },
        )
        self.assertIn("allow_payment=yes", result["redirect_url"])
        # Signed, not paid yet: still in trial.
        self.assertEqual(self.account.billing_status, "trial")
        payment_page = self.url_open(result["redirect_url"])
        processing = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/transaction",
            {
                "access_token": order.access_token,
                "provider_id": self.provider.id,
                "payment_method_id": self.demo_method.id,
                "token_id": None,
                "amount": order.amount_total,
                "flow": "direct",
                "tokenization_requested": save_card,
                "landing_route": url,
            },
        )
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": processing["reference"],
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )
        # What the payment status page does once the client is back from paying.
        self.make_jsonrpc_request("/payment/status/poll", {})
        return payment_page

    def _charge_cron(self):
        self.env.ref(
            "comms_reseller.ir_cron_charge_card_invoices"
        ).method_direct_trigger()

    def test_client_accepts_pays_and_is_charged_monthly_by_card(self):
        order = self._quotation()
        self._send(order)
        self.assertEqual(order.state, "sent")
        sent = order.message_ids[:1]
        self.assertIn(self.account.partner_id, sent.partner_ids)
        self.assertIn(self.client_user.partner_id, sent.notified_partner_ids)
        self.authenticate(self.client_user.login, self.client_user.login)
        self.assertIn(order.name, self.url_open("/my/quotes").text)
        payment_page = self._accept_and_pay(order)
        self.assertIn("Save my payment details", payment_page.text)
        self.assertEqual(order.signed_by, "Quebec Admin")
        self.assertEqual(order.state, "sale")
        account = self.account
        self.assertEqual(account.billing_status, "production")
        token = account.sudo().payment_token_id
        self.assertEqual(account.payment_mode, "card")
        self.assertEqual(token.provider_id, self.provider)
        self.assertEqual(token.partner_id, self.client_user.partner_id)
        self.assertIn("4242", token.payment_details)
        contract = account.sudo().contract_id
        self.assertEqual(contract.contract_line_ids.mapped("price_unit"), [30.0, 0.0])
        # First month: paid by the quotation's payment, nothing charged again.
        today = fields.Date.today()
        self.run_invoicing_cron()
        self.run_invoicing_cron()
        self._charge_cron()
        first = self.invoices_of(account)
        self.assertEqual(len(first), 1)
        self.assertEqual(first.amount_total, order.amount_total)
        self.assertIn(first.payment_state, ("paid", "in_payment"))
        self.assertFalse(first.transaction_ids)
        # Second month: charged to the card, once.
        with freeze_time(today + relativedelta(months=1)):
            self.run_invoicing_cron()
            self._charge_cron()
            self._charge_cron()
        second = self.invoices_of(account) - first
        self.assertEqual(len(second), 1)
        self.assertEqual(second.state, "posted")
        self.assertEqual(len(second.transaction_ids), 1)
        tx = second.transaction_ids
        self.assertEqual(
            (tx.operation, tx.state, tx.token_id, tx.amount),
            ("offline", "done", token, second.amount_total),
        )
        self.assertIn(second.payment_state, ("paid", "in_payment"))
        # Third month: the card is refused; the invoice stays open, the account
        # manager gets an activity, and the card is not charged again.
        token.demo_simulated_state = "error"
        with freeze_time(today + relativedelta(months=2)):
            self.run_invoicing_cron()
            self._charge_cron()
            self._charge_cron()
        third = self.invoices_of(account) - first - second
        self.assertEqual(len(third.transaction_ids), 1)
        self.assertEqual(third.transaction_ids.state, "error")
        self.assertEqual(third.payment_state, "not_paid")
        self.assertEqual(third.activity_ids.user_id, self.user_a)
        self.assertEqual(third.activity_ids.summary, "Card on file not charged")

    def test_card_mode_without_a_card_is_not_charged(self):
        self.account.with_user(self.manager_a).action_production_direct()
        self.account.with_user(self.user_a).payment_mode = "card"
        self.run_invoicing_cron()
        self._charge_cron()
        self._charge_cron()
        invoice = self.invoices_of(self.account)
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.transaction_ids)
        self.assertEqual(len(invoice.activity_ids), 1)
        self.assertEqual(invoice.activity_ids.user_id, self.user_a)
        self.assertIn("no active card on file", invoice.activity_ids.note)

    def test_without_a_tokenizing_provider_the_account_pays_by_invoice(self):
        self.provider.allow_tokenization = False
        order = self._quotation()
        payment_page = self._accept_and_pay(order)
        self.assertNotIn("Save my payment details", payment_page.text)
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.account.billing_status, "production")
        self.assertEqual(self.account.payment_mode, "invoice")
        self.assertFalse(self.account.sudo().payment_token_id)
        self.run_invoicing_cron()
        self._charge_cron()
        invoice = self.invoices_of(self.account)
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.transaction_ids)

    def test_another_client_cannot_accept_the_quotation(self):
        order = self._quotation()
        other = self.create_account("Romeo Clinic")
        intruder = other.admin_user_id
        intruder.password = intruder.login
        self.authenticate(intruder.login, intruder.login)
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertNotIn("Plan 30", page.text)
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"name": "Intruder", "signature": SIGNATURE},
        )
        self.assertEqual(result, {"error": "Invalid order."})
        self.assertFalse(order.signature)
        self.assertEqual(self.account.billing_status, "trial")

    def test_an_invoice_older_than_the_card_is_not_charged(self):
        """Switching an account to card does not charge what it owed before."""
        self.account.with_user(self.manager_a).action_production_direct()
        self.run_invoicing_cron()
        invoice = self.invoices_of(self.account)
        self.env.cr.execute(
            "UPDATE account_move SET create_date = create_date - interval '1 day' "
            "WHERE id = %s",
            [invoice.id],
        )
        invoice.invalidate_recordset(["create_date"])
        token = self.env["payment.token"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.demo_method.id,
                "partner_id": self.client_user.partner_id.id,
                "provider_ref": "card-saved-later",
                "payment_details": "4242",
            }
        )
        self.account.sudo().write(
            {"payment_mode": "card", "payment_token_id": token.id}
        )
        self._charge_cron()
        self._charge_cron()
        self.assertFalse(invoice.transaction_ids)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(invoice.activity_ids.user_id, self.user_a)
        self.assertIn("made before the card was saved", invoice.activity_ids.note)
