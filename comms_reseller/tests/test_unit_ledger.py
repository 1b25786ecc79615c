from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ResellerCase


class UnitsCase(ResellerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.create_account("Owner Ltd", status="production")
        cls.member = cls.create_account("Member Ltd", status="production")
        cls.account_b = cls.create_account("Bravo Ltd", company=cls.reseller_b)
        cls.wallet = cls.owner._units_wallet()
        cls.member_wallet = cls.member._units_wallet()
        cls.wallet_b = cls.account_b._units_wallet()

    def give(self, wallet, units, promotional=False):
        kind = "promotional" if promotional else "correction"
        return wallet._credit(kind, units, promotional=promotional)

    def ledger_sum(self, wallet):
        moves = (
            self.env["comms.unit.move"].sudo().search([("wallet_id", "=", wallet.id)])
        )
        return sum(moves.mapped("amount"))

    def assertLedgerConsistent(self, *wallets):
        self.env.invalidate_all()
        for wallet in wallets:
            self.assertEqual(wallet.balance, self.ledger_sum(wallet))


@tagged("post_install", "-at_install")
class TestUnitLedger(UnitsCase):
    def test_every_account_has_one_wallet(self):
        self.assertEqual(len(self.owner.unit_wallet_ids), 1)
        self.assertEqual(self.wallet.company_id, self.reseller_a)
        self.assertEqual(self.wallet_b.company_id, self.reseller_b)
        self.assertEqual(self.owner._units_wallet(), self.wallet)
        self.assertEqual(self.wallet.balance, 0)

    def test_transfer_moves_units_with_two_ledger_lines(self):
        self.give(self.wallet, 100)
        debit_id = self.wallet.with_user(self.user_a).transfer_units(
            self.member_wallet.id, 30, idempotency_key="req-1"
        )
        self.assertEqual(self.wallet.balance, 70)
        self.assertEqual(self.member_wallet.balance, 30)
        self.assertEqual(self.owner.unit_balance, 70)
        debit = self.env["comms.unit.move"].browse(debit_id)
        self.assertRecordValues(
            debit,
            [
                {
                    "kind": "transfer_out",
                    "amount": -30,
                    "balance_after": 70,
                    "account_id": self.owner.id,
                    "counterpart_wallet_id": self.member_wallet.id,
                    "user_id": self.user_a.id,
                }
            ],
        )
        credit = self.member_wallet.move_ids
        self.assertRecordValues(
            credit,
            [
                {
                    "kind": "transfer_in",
                    "amount": 30,
                    "balance_after": 30,
                    "counterpart_wallet_id": self.wallet.id,
                    "source_ref": debit,
                    "user_id": self.user_a.id,
                }
            ],
        )
        self.assertLedgerConsistent(self.wallet, self.member_wallet)

    def test_retried_transfer_applies_once(self):
        self.give(self.wallet, 50)
        first = self.wallet.transfer_units(self.member_wallet.id, 20, "order-42")
        again = self.wallet.transfer_units(self.member_wallet.id, 20, "order-42")
        self.assertEqual(first, again)
        self.assertEqual(self.wallet.balance, 30)
        self.assertEqual(self.member_wallet.balance, 20)
        self.assertEqual(len(self.wallet.move_ids.filtered("idempotency_key")), 1)
        with self.assertRefused(UserError, "order-42 was already used"):
            self.wallet.transfer_units(self.member_wallet.id, 25, "order-42")
        self.assertEqual(self.wallet.balance, 30)
        # Without a key, each call is a new transfer.
        self.wallet.transfer_units(self.member_wallet.id, 5)
        self.wallet.transfer_units(self.member_wallet.id, 5)
        self.assertEqual(self.member_wallet.balance, 30)
        self.assertLedgerConsistent(self.wallet, self.member_wallet)

    def test_bad_units_are_refused(self):
        self.give(self.wallet, 50)
        for units in (0, -5, 2.5, 3.0, "4", True):
            with (
                self.subTest(units=units),
                self.assertRefused(UserError, "Units are whole and positive"),
            ):
                self.wallet.transfer_units(self.member_wallet.id, units)
        with self.assertRefused(UserError, r"has 50 units: 51 are needed"):
            self.wallet.transfer_units(self.member_wallet.id, 51)
        with self.assertRefused(UserError, "different resellers"):
            self.wallet.transfer_units(self.wallet_b.id, 10)
        with self.assertRefused(UserError, "to itself"):
            self.wallet.transfer_units(self.wallet.id, 10)
        with self.assertRefused(UserError, "does not exist"):
            self.wallet.transfer_units(999999, 10)
        self.assertEqual(self.wallet.balance, 50)
        self.assertFalse(self.member_wallet.move_ids)

    def test_promotional_units_are_spent_first_and_not_transferred(self):
        self.give(self.wallet, 10, promotional=True)
        self.give(self.wallet, 30)
        self.assertEqual(self.wallet.promotional_balance, 10)
        self.assertEqual(self.wallet.transferable_balance, 30)
        with self.assertRefused(UserError, "30 transferable units .*10 of its 40"):
            self.wallet.transfer_units(self.member_wallet.id, 35)
        self.wallet._debit("consumption", 4)
        self.assertEqual(
            (self.wallet.balance, self.wallet.promotional_balance), (36, 6)
        )
        self.assertEqual(self.wallet.move_ids[0].promotional_amount, -4)
        self.wallet._debit("consumption", 8)
        self.assertEqual(
            (self.wallet.balance, self.wallet.promotional_balance), (28, 0)
        )
        self.wallet.transfer_units(self.member_wallet.id, 28)
        self.assertEqual(self.wallet.balance, 0)
        self.assertEqual(self.member_wallet.transferable_balance, 28)
        self.assertLedgerConsistent(self.wallet, self.member_wallet)

    def test_debit_refused_beyond_balance_unless_debt(self):
        self.give(self.wallet, 5)
        with self.assertRefused(UserError, "has 5 units: 6 are needed"):
            self.wallet._debit("consumption", 6)
        self.wallet._debit("refund", 8, allow_debt=True)
        self.assertEqual(self.wallet.balance, -3)
        with self.assertRefused(UserError, "has -3 units: 1 are needed"):
            self.wallet._debit("consumption", 1)
        self.assertLedgerConsistent(self.wallet)

    def test_ledger_is_append_only_even_for_the_administrator(self):
        self.give(self.wallet, 20)
        move = self.wallet.move_ids
        for env in (self.env(user=self.sysadmin), self.env(su=True)):
            with self.subTest(su=env.su):
                with self.assertRefused(UserError, "cannot be changed"):
                    move.with_env(env).write({"amount": 2000})
                # Without the right to delete, or refused by the ledger itself.
                with self.assertRefused(
                    AccessError if not env.su else UserError,
                    "not allowed to delete" if not env.su else "cannot be deleted",
                ):
                    move.with_env(env).unlink()
                with self.assertRefused(UserError, "written by the wallet"):
                    env["comms.unit.move"].create(
                        {"wallet_id": self.wallet.id, "kind": "correction", "amount": 5}
                    )
        with self.assertRaises(AccessError):
            self.env["comms.unit.move"].with_user(self.sysadmin).with_context(
                comms_unit_ledger=True
            ).create({"wallet_id": self.wallet.id, "kind": "correction", "amount": 5})
        with self.assertRefused(UserError, "only changes through its ledger"):
            self.wallet.with_user(self.sysadmin).write({"balance": 1000})
        self.assertEqual(self.wallet.balance, 20)
        self.assertLedgerConsistent(self.wallet)

    def test_an_account_with_a_ledger_is_not_deleted(self):
        self.give(self.member_wallet, 1)
        self.member.action_unsubscribe()
        with self.assertRefused(UserError, "has a units ledger"):
            self.member.unlink()
        self.assertTrue(self.member_wallet.exists())

    def test_low_balance_emails_the_administrator_once(self):
        self.wallet.low_balance_threshold = 20
        self.give(self.wallet, 50)
        admin_partner = self.owner.admin_user_id.partner_id

        def low_balance_mails():
            return self.env["mail.mail"].search(
                [
                    ("model", "=", "comms.unit.wallet"),
                    ("res_id", "=", self.wallet.id),
                    ("recipient_ids", "in", admin_partner.ids),
                ]
            )

        self.wallet._debit("consumption", 25)
        self.assertFalse(low_balance_mails())
        self.wallet._debit("consumption", 10)
        self.assertEqual(len(low_balance_mails()), 1)
        self.assertIn("15 units left", low_balance_mails().subject)
        self.wallet._debit("consumption", 5)
        self.wallet._debit("consumption", 5)
        self.assertEqual(len(low_balance_mails()), 1)
        self.give(self.wallet, 30)  # back above: 35
        self.wallet._debit("consumption", 20)
        self.assertEqual(len(low_balance_mails()), 2)


@tagged("post_install", "-at_install")
class TestUnitAccess(UnitsCase):
    def test_reseller_staff_see_their_company_wallets_only(self):
        self.give(self.wallet, 10)
        self.give(self.wallet_b, 10)
        for user in (self.user_a, self.manager_a):
            with self.subTest(user=user.login):
                wallets = self.env["comms.unit.wallet"].with_user(user).search([])
                self.assertEqual(wallets, self.wallet | self.member_wallet)
                moves = self.env["comms.unit.move"].with_user(user).search([])
                self.assertEqual(moves, self.wallet.move_ids)
        moves_b = self.env["comms.unit.move"].with_user(self.user_b).search([])
        self.assertEqual(moves_b, self.wallet_b.move_ids)
        all_wallets = self.env["comms.unit.wallet"].with_user(self.sysadmin).search([])
        self.assertLessEqual(self.wallet | self.wallet_b, all_wallets)

    def test_reseller_b_cannot_move_a_units(self):
        self.give(self.wallet, 10)
        with self.assertRaises(AccessError):
            self.wallet.with_user(self.user_b).transfer_units(self.member_wallet.id, 5)
        with self.assertRaises(AccessError):
            self.wallet.with_user(self.user_b).read(["balance"])
        with self.assertRaises(AccessError):
            self.wallet_b.with_user(self.user_a).read(["balance"])
        self.assertEqual(self.wallet.balance, 10)

    def test_reseller_user_sets_the_threshold_not_the_balance(self):
        wallet = self.wallet.with_user(self.user_a)
        wallet.low_balance_threshold = 15
        self.assertEqual(self.wallet.low_balance_threshold, 15)
        with self.assertRefused(UserError, "only changes through its ledger"):
            wallet.write({"balance": 500, "promotional_balance": 500})
        with self.assertRaises(AccessError):
            self.env["comms.unit.wallet"].with_user(self.user_a).create(
                {"account_id": self.owner.id}
            )

    def test_portal_administrator_reads_their_own_wallet_only(self):
        self.give(self.wallet, 10)
        self.give(self.member_wallet, 10)
        portal_admin = self.owner.admin_user_id
        self.assertTrue(portal_admin.share)
        wallets = self.env["comms.unit.wallet"].with_user(portal_admin).search([])
        self.assertEqual(wallets, self.wallet)
        self.assertEqual(wallets.balance, 10)
        moves = self.env["comms.unit.move"].with_user(portal_admin).search([])
        self.assertEqual(moves, self.wallet.move_ids)
        with self.assertRaises(AccessError):
            self.member_wallet.with_user(portal_admin).read(["balance"])
        # Reading is all: no transfer, not even out of their own wallet.
        with self.assertRaises(AccessError):
            self.wallet.with_user(portal_admin).transfer_units(self.member_wallet.id, 5)
        with self.assertRaises(AccessError):
            self.wallet.with_user(portal_admin).low_balance_threshold = 3
        self.assertEqual(self.wallet.balance, 10)


@tagged("post_install", "-at_install")
class TestUnitWizards(UnitsCase):
    def test_transfer_form_submitted_twice_transfers_once(self):
        self.give(self.wallet, 40)
        wizard = (
            self.env["comms.unit.transfer"]
            .with_user(self.user_a)
            .create(
                {
                    "wallet_id": self.wallet.id,
                    "target_wallet_id": self.member_wallet.id,
                    "units": 25,
                }
            )
        )
        self.assertIn("25 units will leave Owner Ltd", wizard.summary)
        self.assertIn("cannot be undone", wizard.summary)
        wizard.action_transfer()
        wizard.action_transfer()  # a double click, or the request replayed
        self.assertEqual((self.wallet.balance, self.member_wallet.balance), (15, 25))

    def test_manager_corrects_with_compensating_lines(self):
        self.give(self.wallet, 10)

        def correct(units, promotional=False, user=None):
            self.env["comms.unit.correction"].with_user(user or self.manager_a).create(
                {
                    "wallet_id": self.wallet.id,
                    "units": units,
                    "promotional": promotional,
                    "note": "Goodwill",
                }
            ).action_correct()

        correct(-4)
        correct(5, promotional=True)
        self.assertEqual(
            (self.wallet.balance, self.wallet.promotional_balance), (11, 5)
        )
        self.assertRecordValues(
            self.wallet.move_ids[:2],
            [
                {"kind": "promotional", "amount": 5, "note": "Goodwill"},
                {"kind": "correction", "amount": -4, "note": "Goodwill"},
            ],
        )
        self.assertEqual(self.wallet.move_ids[:2].user_id, self.manager_a)
        with self.assertRefused(UserError, "has 11 units: 12 are needed"):
            correct(-12)
        with self.assertRefused(UserError, "whole number of units, not 0"):
            correct(0)
        with self.assertRaises(AccessError):
            correct(100, user=self.user_a)
        with self.assertRaises(AccessError):
            self.wallet.with_user(self.user_a)._correct(100, "Myself")
        with self.assertRaises(AccessError):
            self.wallet_b.with_user(self.manager_a)._correct(100, "Other reseller")
        self.assertEqual(self.wallet.balance, 11)
        self.assertLedgerConsistent(self.wallet, self.wallet_b)
