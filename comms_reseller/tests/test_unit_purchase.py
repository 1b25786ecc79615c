from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_unit_ledger import UnitsCase


class UnitPurchaseCase(UnitsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units_account = cls.env["account.account"].create(
            {
                "name": "Prepaid units",
                "code": "249100",
                "account_type": "liability_current",
                "company_ids": [Command.set(cls.reseller_a.ids)],
            }
        )
        cls.reseller_a.comms_units_account_id = cls.units_account
        Product = cls.env["product.product"]
        cls.pack_50 = Product.create(
            {
                "name": "50 units",
                "type": "service",
                "lst_price": 10,
                "comms_units_pack": True,
                "comms_units_per_pack": 50,
            }
        )
        cls.pack_100 = Product.create(
            {
                "name": "100 units",
                "type": "service",
                "lst_price": 18,
                "comms_units_pack": True,
                "comms_units_per_pack": 100,
            }
        )

    def buy(self, product, quantity, user=None):
        wizard = (
            self.env["comms.unit.buy"]
            .with_user(user or self.manager_a)
            .create(
                {
                    "account_id": self.owner.id,
                    "product_id": product.id,
                    "quantity": quantity,
                }
            )
        )
        action = wizard.action_create_invoice()
        return self.env["account.move"].browse(action["res_id"])

    def pay(self, invoice):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
            ._create_payments()
        )

    def credit_note(self, invoice, debt=False):
        refund = invoice._reverse_moves()
        refund.comms_units_debt_allowed = debt
        refund.action_post()
        return refund


@tagged("post_install", "-at_install")
class TestUnitPurchase(UnitPurchaseCase):
    def test_units_are_credited_when_the_invoice_is_paid(self):
        invoice = self.buy(self.pack_50, 2)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.comms_account_id, self.owner)
        self.assertEqual(invoice.partner_id, self.owner.partner_id)
        self.assertEqual(invoice.invoice_line_ids.account_id, self.units_account)
        self.assertEqual(invoice.amount_untaxed, 20)
        self.assertEqual(self.wallet.balance, 0, "not before it is paid")
        self.pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.wallet.balance, 100)
        self.assertRecordValues(
            self.wallet.move_ids,
            [
                {
                    "kind": "purchase",
                    "amount": 100,
                    "balance_after": 100,
                    "source_ref": invoice.invoice_line_ids,
                }
            ],
        )
        self.assertLedgerConsistent(self.wallet)

    def test_reconciling_the_payment_again_does_not_credit_twice(self):
        invoice = self.buy(self.pack_100, 1)
        payment = self.pay(invoice)
        receivable = payment.move_id.line_ids.filtered(
            lambda line: line.account_id
            == invoice.line_ids.filtered(
                lambda inv_line: inv_line.display_type == "payment_term"
            ).account_id
        )
        receivable.remove_move_reconcile()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self.wallet.balance, 100, "credited units stay")
        invoice.js_assign_outstanding_line(receivable.id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.wallet.balance, 100)
        self.assertEqual(len(self.wallet.move_ids), 1)

    def test_credit_note_takes_the_units_back(self):
        invoice = self.buy(self.pack_100, 1)
        self.pay(invoice)
        refund = self.credit_note(invoice)
        self.assertEqual(self.wallet.balance, 0)
        self.assertRecordValues(
            self.wallet.move_ids[0],
            [{"kind": "refund", "amount": -100, "source_ref": refund.invoice_line_ids}],
        )
        self.assertLedgerConsistent(self.wallet)

    def test_credit_note_of_an_unpaid_invoice_takes_nothing(self):
        invoice = self.buy(self.pack_100, 1)
        self.credit_note(invoice)
        self.assertEqual(self.wallet.balance, 0)
        self.assertFalse(self.wallet.move_ids)
        self.assertEqual(invoice.payment_state, "reversed")

    def test_spent_units_are_refused_then_recorded_as_debt(self):
        invoice = self.buy(self.pack_100, 1)
        self.pay(invoice)
        self.wallet._debit("consumption", 70)
        refund = invoice._reverse_moves()
        with self.assertRefused(UserError, "has 30 bought units left"):
            refund.action_post()
        self.assertEqual(refund.state, "draft")
        self.assertEqual(self.wallet.balance, 30)
        refund.comms_units_debt_allowed = True
        refund.action_post()
        self.assertEqual(self.wallet.balance, -70)
        with self.assertRefused(UserError, "has -70 units"):
            self.wallet._debit("consumption", 1)
        # The next purchase pays the debt first.
        self.pay(self.buy(self.pack_50, 2))
        self.assertEqual(self.wallet.balance, 30)
        self.assertEqual(self.wallet.move_ids[0].balance_after, 30)
        self.assertLedgerConsistent(self.wallet)

    def test_promotional_units_are_not_taken_back(self):
        self.give(self.wallet, 20, promotional=True)
        invoice = self.buy(self.pack_50, 1)
        self.pay(invoice)
        self.credit_note(invoice)
        self.assertEqual(
            (self.wallet.balance, self.wallet.promotional_balance), (20, 20)
        )

    def test_bad_purchases_are_refused(self):
        with self.assertRefused(UserError, "at least one pack"):
            self.buy(self.pack_50, 0)
        invoice = self.env["account.move"].create(
            self.env["account.move"]._comms_units_invoice_vals(
                self.owner, self.pack_50, 1.5
            )
        )
        with self.assertRefused(UserError, "sold whole: 1.5 packs"):
            invoice.action_post()
        self.reseller_a.comms_units_account_id = False
        with self.assertRefused(UserError, "no prepaid units account"):
            self.buy(self.pack_50, 1)
        with self.assertRefused(ValidationError, "at least one unit"):
            self.pack_50.comms_units_per_pack = 0

    def test_only_invoicing_users_buy_units(self):
        with self.assertRaises(AccessError):
            self.buy(self.pack_50, 1, user=self.user_a)
        with self.assertRaises(AccessError):
            self.buy(self.pack_50, 1, user=self.owner.admin_user_id)
