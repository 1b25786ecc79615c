from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_unit_purchase import UnitPurchaseCase


@tagged("post_install", "-at_install")
class TestUnitRevenue(UnitPurchaseCase):
    """Units sold are owed to the clients until consumed: each month, the value of
    the bought units consumed moves from the prepaid units account to revenue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revenue_account = cls.env["account.account"].create(
            {
                "name": "Units revenue",
                "code": "706100",
                "account_type": "income",
                "company_ids": [Command.set(cls.reseller_a.ids)],
            }
        )
        cls.reseller_a.comms_units_revenue_account_id = cls.revenue_account

    def recognise(self):
        self.env["account.move"]._cron_comms_recognise_units()
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.reseller_a.id),
                ("comms_units_month", "!=", False),
            ],
            order="comms_units_month",
        )

    def account_balance(self, account):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return round(sum(lines.mapped("balance")), 2)

    def test_consumed_units_recognised_monthly_at_their_price(self):
        with freeze_time("2026-01-10"):
            self.pay(self.buy(self.pack_100, 2))  # 200 units for 36.00
            self.give(self.wallet, 50, promotional=True)
        with freeze_time("2026-01-15"):
            self.wallet._debit("consumption", 60)  # 50 promotional + 10 bought
            self.wallet.transfer_units(self.member_wallet.id, 40)
        with freeze_time("2026-01-20"):
            self.member_wallet._debit("consumption", 30)
        self.assertEqual(self.account_balance(self.units_account), -36.0)

        with freeze_time("2026-02-03"):
            entries = self.recognise()
            self.assertEqual(len(self.recognise()), 1, "once per month")
        # 40 bought units consumed at 0.18 each; the promotional ones are free.
        self.assertRecordValues(
            entries.line_ids.sorted("debit"),
            [
                {"account_id": self.revenue_account.id, "debit": 0, "credit": 7.2},
                {"account_id": self.units_account.id, "debit": 7.2, "credit": 0},
            ],
        )
        self.assertEqual(entries.date.isoformat(), "2026-01-31")
        self.assertEqual(entries.state, "posted")

        with freeze_time("2026-02-10"):
            self.pay(self.buy(self.pack_50, 1))  # 50 units for 10.00
            self.wallet._debit("consumption", 100)
        with freeze_time("2026-03-02"):
            entries = self.recognise()
        self.assertEqual(len(entries), 2)
        # 38.80 owed for 210 units, 100 of them consumed.
        self.assertEqual(entries[1].amount_total, 18.48)
        # What the accountant checks: the liability equals the bought units still
        # in the wallets at their average price.
        self.env.invalidate_all()
        bought_left = sum(
            (w.balance - w.promotional_balance)
            for w in self.wallet | self.member_wallet
        )
        self.assertEqual(bought_left, 110)
        self.assertEqual(self.account_balance(self.units_account), -20.32)
        self.assertEqual(self.account_balance(self.revenue_account), -25.68)

    def test_nothing_consumed_nothing_recognised(self):
        with freeze_time("2026-01-10"):
            self.pay(self.buy(self.pack_100, 1))
        with freeze_time("2026-03-02"):
            self.assertFalse(self.recognise())
        self.assertEqual(self.account_balance(self.units_account), -18.0)
