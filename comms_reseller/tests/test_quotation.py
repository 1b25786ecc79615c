from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ResellerCase

# A 2x2 PNG, as the portal's signature pad sends it.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAC0lEQVR4nGNgQAYAAA4AAamRc7EAAAAA"
    "SUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestQuotation(ResellerCase):
    """Free trial -> production through a quotation (sale.order, OCA
    product_contract) that becomes the account's one contract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reseller_a.write(
            {"portal_confirmation_sign": True, "portal_confirmation_pay": False}
        )

    def _quotation(self, account, user=None):
        action = account.with_user(user or self.user_a).action_production()
        self.assertEqual(action["res_model"], "sale.order")
        return self.env["sale.order"].browse(action["res_id"])

    def _sign(self, order):
        order.write({"signed_by": "Client", "signature": SIGNATURE})

    def invoice_summary(self, account):
        return [
            (invoice.invoice_date, invoice.amount_untaxed)
            for invoice in self.invoices_of(account)
        ]

    def test_quotation_made_of_the_plan_lines_once(self):
        account = self.create_account("Hotel", lines=[self.plan, self.option_free])
        account.line_ids[0].price_unit = 27.5
        order = self._quotation(account)
        self.assertEqual(order.partner_id, account.partner_id)
        self.assertEqual(order.company_id, self.reseller_a)
        self.assertEqual(order.comms_account_id, account)
        self.assertTrue(order.require_signature)
        self.assertEqual(
            [
                (line.product_id, line.product_uom_qty, line.price_unit)
                for line in order.order_line
            ],
            [(self.plan, 1.0, 27.5), (self.option_free, 1.0, 0.0)],
        )
        self.assertTrue(all(order.order_line.mapped("is_contract")))
        self.assertEqual(order.amount_untaxed, 27.5)
        # Clicking again opens the same quotation; the account is still in trial.
        self.assertEqual(self._quotation(account), order)
        self.assertEqual(account.quotation_count, 1)
        self.assertEqual(account.billing_status, "trial")
        self.assertFalse(account.sudo().contract_id)

    def test_account_without_plan_has_no_quotation(self):
        account = self.create_account("Empty")
        with self.assertRefused(UserError, "no plan line to put on its quotation"):
            account.with_user(self.user_a).action_production()

    def test_cancelled_or_expired_quotation_keeps_the_trial(self):
        account = self.create_account("India", lines=[self.plan])
        order = self._quotation(account)
        order.with_user(self.user_a)._action_cancel()
        self.assertEqual(account.billing_status, "trial")
        self.assertFalse(account.sudo().contract_id)
        second = self._quotation(account)
        self.assertNotEqual(second, order)
        second.validity_date = date(2020, 1, 1)
        third = self._quotation(account)
        self.assertNotIn(third, order | second)
        self.assertEqual(account.billing_status, "trial")
        # An old quotation cannot move the account once it is in production.
        self._sign(third)
        third.sudo().action_confirm()
        self.assertEqual(account.billing_status, "production")
        order.action_draft()
        self._sign(order)
        with self.assertRefused(UserError, "not in free trial any more"):
            order.sudo().action_confirm()

    def test_only_a_manager_skips_the_client_acceptance(self):
        account = self.create_account("Juliet", lines=[self.plan])
        with self.assertRefused(AccessError, "Only a reseller manager"):
            account.with_user(self.user_a).action_production_direct()
        with self.assertRefused(AccessError, "accepts its quotation"):
            account.with_user(self.user_a).billing_status = "production"
        order = self._quotation(account)
        with self.assertRefused(AccessError, "not accepted online"):
            order.with_user(self.user_a).action_confirm()
        self.assertEqual(account.billing_status, "trial")
        # A contract signed on paper: the manager confirms.
        order.with_user(self.manager_a).action_confirm()
        self.assertEqual(account.billing_status, "production")
        self.assertEqual(order.state, "sale")

    def test_direct_production_cancels_the_open_quotation(self):
        account = self.create_account("Juliet Paper", lines=[self.plan])
        order = self._quotation(account)
        account.with_user(self.manager_a).action_production_direct()
        self.assertEqual(account.billing_status, "production")
        # The client can no longer accept it: billed once, by the account.
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order._has_to_be_signed())
        self.assertEqual(len(account.sudo().contract_id.contract_line_ids), 1)

    def test_reseller_b_does_not_see_the_quotation(self):
        account = self.create_account("Kilo", lines=[self.plan])
        order = self._quotation(account)
        Order = self.env["sale.order"]
        self.assertFalse(Order.with_user(self.user_b).search([("id", "=", order.id)]))
        with self.assertRaises(AccessError):
            order.with_user(self.user_b).read(["name"])
        with self.assertRaises(AccessError):
            account.with_user(self.user_b).action_production()
        self.assertEqual(
            Order.with_user(self.manager_a).search(
                [("comms_account_id", "=", account.id)]
            ),
            order,
        )

    def test_accepted_quotation_is_the_monthly_invoicing(self):
        with freeze_time("2026-03-02"):
            account = self.create_account("Lima", lines=[self.plan, self.option_free])
            order = self._quotation(account)
        with freeze_time("2026-03-10"):
            # The reseller agrees a price and adds a paid option on the quotation.
            plan_line = order.order_line.filtered(
                lambda line: line.product_id == self.plan
            )
            plan_line.with_user(self.user_a).write(
                {"price_unit": 25.0, "product_uom_qty": 2}
            )
            order.with_user(self.user_a).order_line = [
                Command.create({"product_id": self.option_paid.id})
            ]
            self._sign(order)
            order.sudo().action_confirm()
            self.assertEqual(account.billing_status, "production")
            self.assertEqual(account.production_date, date(2026, 3, 10))
            contract = account.sudo().contract_id
            self.assertEqual(
                self.env["contract.contract"].search_count(
                    [("partner_id", "=", account.partner_id.id)]
                ),
                1,
            )
            self.assertEqual(
                sorted(
                    (cl.product_id.name, cl.quantity, cl.price_unit)
                    for cl in contract.contract_line_ids
                ),
                [
                    ("Fax option", 1.0, 10.0),
                    ("Plan 30", 2.0, 25.0),
                    ("Voicemail option", 1.0, 0.0),
                ],
            )
            self.assertEqual(
                sorted(
                    (line.product_id.name, line.quantity, line.price_unit)
                    for line in account.line_ids
                ),
                [
                    ("Fax option", 1.0, 10.0),
                    ("Plan 30", 2.0, 25.0),
                    ("Voicemail option", 1.0, 0.0),
                ],
            )
            self.assertEqual(
                account.sudo().line_ids.contract_line_id, contract.contract_line_ids
            )
            self.run_invoicing_cron()
            self.run_invoicing_cron()
            self.assertEqual(self.invoice_summary(account), [(date(2026, 3, 10), 60.0)])
            self.assertIn(
                "03/10/2026 - 04/09/2026",
                self.invoices_of(account).invoice_line_ids[0].name,
            )
            # Nothing left for the order itself to invoice.
            self.assertEqual(order.invoice_status, "no")
        with freeze_time("2026-04-10"):
            self.run_invoicing_cron()
            self.run_invoicing_cron()
        self.assertEqual(
            self.invoice_summary(account),
            [(date(2026, 3, 10), 60.0), (date(2026, 4, 10), 60.0)],
        )
        # Suspending and coming back still works on the same contract.
        with freeze_time("2026-04-20"):
            account.action_suspend()
        with freeze_time("2026-06-01"):
            account.action_production()
            self.run_invoicing_cron()
        self.assertEqual(self.invoice_summary(account)[-1], (date(2026, 6, 1), 60.0))
        self.assertEqual(len(self.invoices_of(account)), 3)

    def test_contract_made_even_when_the_company_does_not_on_confirmation(self):
        self.reseller_a.create_contract_at_sale_order_confirmation = False
        account = self.create_account("Tango", lines=[self.plan])
        order = self._quotation(account)
        self._sign(order)
        order.sudo().action_confirm()
        contract = account.sudo().contract_id
        self.assertEqual(
            contract.contract_line_ids.sale_order_line_id, order.order_line
        )
        self.assertEqual(
            account.sudo().line_ids.contract_line_id, contract.contract_line_ids
        )
        self.run_invoicing_cron()
        self.assertEqual(self.invoices_of(account).amount_untaxed, 30.0)

    def test_plan_line_left_out_of_the_quotation_is_removed(self):
        account = self.create_account("Mike", lines=[self.plan, self.option_free])
        order = self._quotation(account)
        order.order_line.filtered(
            lambda line: line.product_id == self.option_free
        ).unlink()
        order.with_user(self.manager_a).action_confirm()
        self.assertEqual(account.line_ids.product_id, self.plan)
        self.assertIn(
            "Voicemail option",
            account.message_ids.filtered(
                lambda m: "Removed from the plan" in (m.body or "")
            )[:1].body,
        )

    def test_trial_period_before_the_first_invoice(self):
        with self.assertRefused(ValidationError, "from 15 to 90 days"):
            self.create_account("November", lines=[self.plan]).invoice_trial_days = 10
        with freeze_time("2026-03-10"):
            account = self.create_account("Oscar", lines=[self.plan])
            account.invoice_trial_days = 30
            order = self._quotation(account)
            # The client reads when billing starts, if accepted today.
            self.assertIn("2026-04-09", order.order_line.name)
        with freeze_time("2026-03-12"):
            self._sign(order)
            order.sudo().action_confirm()
            # Accepted two days later: 30 days from then.
            self.assertEqual(order.order_line.date_start, date(2026, 4, 11))
            self.run_invoicing_cron()
            self.assertFalse(self.invoices_of(account))
        with freeze_time("2026-04-11"):
            self.run_invoicing_cron()
        self.assertEqual(self.invoice_summary(account), [(date(2026, 4, 11), 30.0)])
        # An account moved by a manager, and one made in production.
        with freeze_time("2026-05-01"):
            direct = self.create_account("Papa", lines=[self.plan])
            direct.invoice_trial_days = 15
            direct.with_user(self.manager_a).action_production_direct()
            created = self.env["comms.account"].create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "Quebec"}).id,
                    "billing_status": "production",
                    "invoice_trial_days": 20,
                    "user_ids": [
                        Command.create({"name": "Q", "email": "q@client.example.com"})
                    ],
                    "line_ids": [Command.create({"product_id": self.plan.id})],
                }
            )
            self.run_invoicing_cron()
            self.assertFalse(self.invoices_of(direct) | self.invoices_of(created))
        with freeze_time("2026-05-10"):
            # An option added during the trial period waits for it too.
            direct.line_ids = [Command.create({"product_id": self.option_paid.id})]
            self.run_invoicing_cron()
            self.assertFalse(self.invoices_of(direct))
        with freeze_time("2026-05-16"):
            self.run_invoicing_cron()
        with freeze_time("2026-05-21"):
            self.run_invoicing_cron()
        self.assertEqual(self.invoice_summary(direct), [(date(2026, 5, 16), 40.0)])
        self.assertEqual(self.invoice_summary(created), [(date(2026, 5, 21), 30.0)])
        self.assertEqual(created.first_invoice_date, date(2026, 5, 21))
        # Going back to production later starts billing that day: the trial
        # period is only before the first invoice.
        with freeze_time("2026-05-20"):
            direct.action_suspend()
        with freeze_time("2026-07-01"):
            direct.action_production()
            self.run_invoicing_cron()
        self.assertEqual(self.invoice_summary(direct)[-1], (date(2026, 7, 1), 40.0))

    def test_move_to_production_from_the_list(self):
        first = self.create_account("Sierra One", lines=[self.plan])
        second = self.create_account("Sierra Two", lines=[self.plan])
        suspended = self.create_account("Sierra Three", status="production")
        suspended.action_suspend()
        action = self.env.ref("comms_reseller.comms_account_action_server_production")
        result = (
            action.with_user(self.user_a)
            .with_context(
                active_model="comms.account",
                active_ids=(first | second | suspended).ids,
            )
            .run()
        )
        quotations = self.env["sale.order"].search(result["domain"])
        self.assertEqual(quotations.comms_account_id, first | second)
        self.assertEqual((first | second).mapped("billing_status"), ["trial"] * 2)
        self.assertEqual(suspended.billing_status, "production")
