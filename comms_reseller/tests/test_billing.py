from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestBilling(ResellerCase):
    def invoice_summary(self, account):
        return [
            (invoice.invoice_date, invoice.amount_untaxed)
            for invoice in self.invoices_of(account)
        ]

    def test_trial_is_not_invoiced(self):
        account = self.create_account("Trial", lines=[self.plan])
        self.run_invoicing_cron()
        self.assertFalse(account.sudo().contract_id)
        self.assertEqual(account.invoice_count, 0)

    def test_invoiced_once_per_period(self):
        with freeze_time("2026-01-05"):
            account = self.create_account(
                "Monthly", status="production", lines=[self.plan, self.option_paid]
            )
            contract = account.sudo().contract_id
            self.assertEqual(contract.partner_id, account.partner_id)
            self.assertEqual(contract.company_id, self.reseller_a)
            self.assertEqual(
                contract.contract_line_ids.mapped("price_unit"), [30.0, 10.0]
            )
            self.run_invoicing_cron()
            self.run_invoicing_cron()
            self.assertEqual(self.invoice_summary(account), [(date(2026, 1, 5), 40.0)])
            invoice = self.invoices_of(account)
            self.assertEqual(invoice.partner_id, account.partner_id)
            self.assertEqual(invoice.company_id, self.reseller_a)
            self.assertIn("01/05/2026 - 02/04/2026", invoice.invoice_line_ids[0].name)
        with freeze_time("2026-01-31"):
            self.run_invoicing_cron()
            self.assertEqual(len(self.invoices_of(account)), 1)
        with freeze_time("2026-02-05"):
            self.run_invoicing_cron()
            self.run_invoicing_cron()
            self.assertEqual(
                self.invoice_summary(account),
                [(date(2026, 1, 5), 40.0), (date(2026, 2, 5), 40.0)],
            )
            self.assertEqual(account.invoice_count, 2)

    def test_invoice_chatter_names_its_contract(self):
        first = self.create_account("First", status="production", lines=[self.plan])
        second = self.create_account("Second", status="production", lines=[self.plan])
        self.run_invoicing_cron()
        for account in (first, second):
            contract = account.sudo().contract_id
            notes = self.invoices_of(account).message_ids.filtered(
                lambda m, c=contract: f'data-oe-id="{c.id}"' in m.body
                and 'data-oe-model="contract.contract"' in m.body
            )
            self.assertEqual(len(notes), 1, "one note per invoice, naming its contract")
            self.assertIn("by contract <a", notes.body)
            self.assertIn(contract.display_name, notes.body)
            self.assertEqual(notes.subtype_id, self.env.ref("mail.mt_note"))

    def test_suspended_not_invoiced_and_no_catch_up(self):
        with freeze_time("2026-01-05"):
            account = self.create_account(
                "Suspended", status="production", lines=[self.plan]
            )
            self.run_invoicing_cron()
        with freeze_time("2026-02-05"):
            self.run_invoicing_cron()
        with freeze_time("2026-02-10"):
            account.with_user(self.user_a).action_suspend()
        for day in ("2026-03-05", "2026-04-05", "2026-04-19"):
            with freeze_time(day):
                self.run_invoicing_cron()
        self.assertEqual(len(self.invoices_of(account)), 2)
        with freeze_time("2026-04-20"):
            account.with_user(self.user_a).action_production()
            self.run_invoicing_cron()
            self.run_invoicing_cron()
        with freeze_time("2026-05-20"):
            self.run_invoicing_cron()
        self.assertEqual(
            self.invoice_summary(account),
            [
                (date(2026, 1, 5), 30.0),
                (date(2026, 2, 5), 30.0),
                # Nothing for March and April, then from the day it came back.
                (date(2026, 4, 20), 30.0),
                (date(2026, 5, 20), 30.0),
            ],
        )
        self.assertIn(
            "04/20/2026 - 05/19/2026",
            self.invoices_of(account)[2].invoice_line_ids.name,
        )

    def test_back_within_a_paid_period_is_not_billed_twice(self):
        with freeze_time("2026-01-05"):
            account = self.create_account(
                "Paid", status="production", lines=[self.plan]
            )
            self.run_invoicing_cron()
        with freeze_time("2026-01-10"):
            account.action_suspend()
        with freeze_time("2026-01-20"):
            account.action_production()
            self.run_invoicing_cron()
            self.assertEqual(len(self.invoices_of(account)), 1)
        with freeze_time("2026-02-05"):
            self.run_invoicing_cron()
        self.assertEqual(
            self.invoice_summary(account),
            [(date(2026, 1, 5), 30.0), (date(2026, 2, 5), 30.0)],
        )

    def test_plan_lines_changed_in_production(self):
        with freeze_time("2026-01-05"):
            account = self.create_account(
                "Lines", status="production", lines=[self.plan]
            )
            self.run_invoicing_cron()
        with freeze_time("2026-01-15"):
            account.line_ids = [Command.create({"product_id": self.option_paid.id})]
            self.run_invoicing_cron()
        with freeze_time("2026-02-05"):
            account.line_ids.filtered(
                lambda line: line.product_id == self.plan
            ).unlink()
            self.run_invoicing_cron()
        with freeze_time("2026-02-15"):
            self.run_invoicing_cron()
        self.assertEqual(
            self.invoice_summary(account),
            [
                (date(2026, 1, 5), 30.0),
                (date(2026, 1, 15), 10.0),
                (date(2026, 2, 15), 10.0),
            ],
        )

    def test_only_allowed_products(self):
        account_a = self.create_account("Allowed A", lines=[self.plan])
        account_b = self.create_account("Allowed B", company=self.reseller_b)
        self.assertEqual(
            account_a.with_user(self.user_a).allowed_product_ids,
            (self.plan | self.option_paid | self.option_free).product_tmpl_id,
        )
        with self.assertRefused(
            AccessError, "Reseller A is not allowed to sell Plan B"
        ):
            account_a.with_user(self.user_a).line_ids = [
                Command.create({"product_id": self.plan_b_only.id})
            ]
        with self.assertRefused(AccessError, "not allowed to sell Plan B"):
            self.env["comms.account.line"].with_user(self.manager_a).create(
                {"account_id": account_a.id, "product_id": self.plan_b_only.id}
            )
        # Another line's product cannot be switched to a forbidden one either.
        with self.assertRefused(AccessError, "not allowed to sell Plan B"):
            account_a.line_ids.with_user(self.user_a).product_id = self.plan_b_only
        account_b.with_user(self.user_b).line_ids = [
            Command.create({"product_id": self.plan_b_only.id})
        ]
        self.assertEqual(account_b.line_ids.product_id, self.plan_b_only)
        # Only the database administrator decides.
        with self.assertRaises(AccessError):
            self.reseller_a.with_user(self.manager_a).comms_allowed_product_ids = [
                Command.link(self.plan_b_only.product_tmpl_id.id)
            ]
        with self.assertRaises(AccessError):
            self.reseller_a.with_user(self.manager_a).read(
                ["comms_allowed_product_ids"]
            )
        self.reseller_a.with_user(self.sysadmin).comms_allowed_product_ids = [
            Command.link(self.plan_b_only.product_tmpl_id.id)
        ]
        account_a.with_user(self.user_a).line_ids = [
            Command.create({"product_id": self.plan_b_only.id})
        ]
        self.assertIn(self.plan_b_only, account_a.line_ids.product_id)

    def test_plan_line_changed_while_invoiced(self):
        with freeze_time("2026-01-05"):
            account = self.create_account(
                "Changed", status="production", lines=[self.plan]
            )
            self.run_invoicing_cron()
        with freeze_time("2026-01-20"):
            account.line_ids.with_user(self.user_a).write(
                {"quantity": 3, "price_unit": 28.0}
            )
            self.run_invoicing_cron()
        self.assertEqual(self.invoice_summary(account), [(date(2026, 1, 5), 30.0)])
        with freeze_time("2026-02-05"):
            self.run_invoicing_cron()
            self.run_invoicing_cron()
        # The paid month is neither billed again nor prorated: the change is
        # billed from the next period.
        self.assertEqual(
            self.invoice_summary(account),
            [(date(2026, 1, 5), 30.0), (date(2026, 2, 5), 84.0)],
        )
        self.assertIn(
            "02/05/2026 - 03/04/2026",
            self.invoices_of(account)[1].invoice_line_ids.name,
        )

    def test_a_period_with_nothing_to_pay_makes_no_invoice(self):
        with freeze_time("2026-01-05"):
            account = self.create_account(
                "Free", status="production", lines=[self.plan]
            )
            account.line_ids.price_unit = 0.0
            self.run_invoicing_cron()
            self.assertFalse(self.invoices_of(account))
        with freeze_time("2026-01-20"):
            account.line_ids.price_unit = 25.0
        with freeze_time("2026-02-05"):
            self.run_invoicing_cron()
            self.run_invoicing_cron()
        # January was free; February is billed once, without a catch-up.
        self.assertEqual(self.invoice_summary(account), [(date(2026, 2, 5), 25.0)])

    def test_plan_line_changed_before_its_first_invoice(self):
        with freeze_time("2026-01-05"):
            account = self.create_account("Later", lines=[self.plan])
            account.invoice_trial_days = 15
            account.action_production_direct()
        with freeze_time("2026-01-10"):
            account.line_ids.with_user(self.user_a).product_id = self.option_paid
            self.run_invoicing_cron()
            self.assertFalse(self.invoices_of(account))
        with freeze_time("2026-01-20"):
            self.run_invoicing_cron()
            self.run_invoicing_cron()
        self.assertEqual(self.invoice_summary(account), [(date(2026, 1, 20), 10.0)])
        self.assertEqual(
            self.invoices_of(account).invoice_line_ids.product_id, self.option_paid
        )
