import calendar
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAbsorbedCharges(ResellerCase):
    def absorbed(self, user, accounts=None):
        domain = [("account_id", "in", accounts.ids)] if accounts else []
        rows = (
            self.env["comms.absorbed.charge.report"]
            .with_user(user)
            .search(domain, order="month, id")
        )
        return [(r.month, r.product_id.name, r.days, r.amount) for r in rows]

    def test_suspension_over_a_month_end_then_resumed(self):
        with freeze_time("2026-01-10"):
            account = self.create_account(
                "Paused", status="production", lines=[self.plan, self.option_paid]
            )
            # Invoiced in advance: 10 January to 9 February.
            self.run_invoicing_cron()
        with freeze_time("2026-01-25"):
            account.with_user(self.user_a).action_suspend()
        for day in ("2026-02-10", "2026-03-10"):
            with freeze_time(day):
                self.run_invoicing_cron()
        with freeze_time("2026-03-15"):
            account.with_user(self.user_a).action_production()
            self.run_invoicing_cron()
        self.assertEqual(
            [inv.invoice_date for inv in self.invoices_of(account)],
            [date(2026, 1, 10), date(2026, 3, 15)],
        )
        # Not invoiced: 10 February to 14 March, 19 days of 28 and 14 of 31.
        self.assertEqual(
            self.absorbed(self.user_a, account),
            [
                (date(2026, 2, 1), "Plan 30", 19, 20.36),
                (date(2026, 2, 1), "Fax option", 19, 6.79),
                (date(2026, 3, 1), "Plan 30", 14, 13.55),
                (date(2026, 3, 1), "Fax option", 14, 4.52),
            ],
        )
        by_month = self.env["comms.absorbed.charge.report"]._read_group(
            [("account_id", "=", account.id)], ["month:month"], ["amount:sum"]
        )
        self.assertEqual(
            [(month, total) for month, total in by_month],
            [(date(2026, 2, 1), 27.15), (date(2026, 3, 1), 18.07)],
        )
        suspension = self.env["comms.account.suspension"].search(
            [("account_id", "=", account.id)]
        )
        self.assertRecordValues(
            suspension,
            [
                {
                    "date_suspended": date(2026, 1, 25),
                    "date_start": date(2026, 2, 10),
                    "date_end": date(2026, 3, 15),
                    "end_status": "production",
                }
            ],
        )

    def test_resumed_within_the_invoiced_period_absorbs_nothing(self):
        with freeze_time("2026-01-10"):
            account = self.create_account(
                "Short pause", status="production", lines=[self.plan]
            )
            self.run_invoicing_cron()
        with freeze_time("2026-01-20"):
            account.action_suspend()
        with freeze_time("2026-02-01"):
            account.action_production()
        self.assertEqual(self.absorbed(self.user_a, account), [])

    def test_unsubscribed_while_suspended_ends_the_period(self):
        with freeze_time("2026-05-30"):
            account = self.create_account(
                "Gone", status="production", lines=[self.plan]
            )
            account.action_suspend()
        with freeze_time("2026-06-03"):
            account.action_unsubscribe()
        # Nothing was invoiced: absorbed from the suspension day, 30 May to 2 June.
        self.assertEqual(
            self.absorbed(self.user_a, account),
            [
                (date(2026, 5, 1), "Plan 30", 2, 1.94),
                (date(2026, 6, 1), "Plan 30", 2, 2.0),
            ],
        )
        self.assertEqual(
            self.env["comms.account.suspension"]
            .search([("account_id", "=", account.id)])
            .end_status,
            "unsubscribed",
        )

    def test_ongoing_suspension_counts_up_to_today(self):
        account = self.create_account("Ongoing", status="production", lines=[self.plan])
        account.action_suspend()
        today = fields.Date.today()
        month_days = calendar.monthrange(today.year, today.month)[1]
        self.assertEqual(
            self.absorbed(self.user_a, account),
            [(today.replace(day=1), "Plan 30", 1, round(30 / month_days, 2))],
        )

    def test_each_reseller_sees_only_their_absorbed_charges(self):
        with freeze_time("2026-01-10"):
            account_a = self.create_account(
                "Client of A", status="production", lines=[self.plan]
            )
            account_b = self.create_account(
                "Client of B",
                company=self.reseller_b,
                status="production",
                lines=[self.plan_b_only],
            )
            (account_a | account_b).action_suspend()
        with freeze_time("2026-01-20"):
            (account_a | account_b).action_production()
        self.assertEqual(
            self.absorbed(self.user_a), [(date(2026, 1, 1), "Plan 30", 10, 9.68)]
        )
        self.assertEqual(
            self.absorbed(self.user_b), [(date(2026, 1, 1), "Plan B", 10, 1.61)]
        )
        Suspension = self.env["comms.account.suspension"]
        self.assertEqual(
            Suspension.with_user(self.user_b).search([]).account_id, account_b
        )
        self.assertEqual(
            len(self.absorbed(self.sysadmin, account_a | account_b)),
            2,
            "the database administrator sees all",
        )
