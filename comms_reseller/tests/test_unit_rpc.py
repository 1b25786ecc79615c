from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import RpcAsUser
from .test_unit_ledger import UnitsCase


@tagged("post_install", "-at_install")
class TestUnitRpc(RpcAsUser, UnitsCase, HttpCase):
    """Units over XML-RPC, as external clients see them: the reseller's staff
    transfer within their company, nobody else moves a unit."""

    def transfer(self, user, wallet, target, units, key=None):
        key_args = [key] if key else []
        return self.rpc(
            user,
            "comms.unit.wallet",
            "transfer_units",
            wallet.ids,
            target.id,
            units,
            *key_args,
        )

    def test_reseller_staff_transfer_once_per_key(self):
        self.give(self.wallet, 30)
        first = self.transfer(self.user_a, self.wallet, self.member_wallet, 10, "k-1")
        again = self.transfer(self.user_a, self.wallet, self.member_wallet, 10, "k-1")
        self.assertEqual(first, again)
        self.assertEqual((self.wallet.balance, self.member_wallet.balance), (20, 10))
        with self.assertRaisesRegex(Fault, "Units are whole and positive: 2.5"):
            self.transfer(self.user_a, self.wallet, self.member_wallet, 2.5)
        with self.assertRaisesRegex(Fault, "has 20 units: 50 are needed"):
            self.transfer(self.user_a, self.wallet, self.member_wallet, 50)
        # Reseller A's staff do not even see B's wallets; the database
        # administrator does, and is refused by the rule itself.
        with self.assertRaisesRegex(Fault, "doesn't have 'write' access"):
            self.transfer(self.user_a, self.wallet, self.wallet_b, 5)
        with self.assertRaisesRegex(Fault, "belong to different resellers"):
            self.transfer(self.sysadmin, self.wallet, self.wallet_b, 5)
        self.assertEqual(self.wallet_b.balance, 0)

    def test_others_move_no_unit_over_rpc(self):
        self.give(self.wallet, 30)
        portal_admin = self.owner.admin_user_id
        portal_admin.password = portal_admin.login
        for user in (self.user_b, portal_admin):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(
                    Fault, "(read|write|modify).*access|not allowed"
                ):
                    self.transfer(user, self.wallet, self.member_wallet, 5)
                with self.assertRaisesRegex(
                    Fault, "not allowed|access|written by the wallet's movements"
                ):
                    self.rpc(
                        user,
                        "comms.unit.move",
                        "create",
                        {"wallet_id": self.wallet.id, "kind": "purchase", "amount": 99},
                    )
                with self.assertRaisesRegex(Fault, "(_post_movement|private)"):
                    self.rpc(
                        user,
                        "comms.unit.wallet",
                        "_post_movement",
                        self.wallet.ids,
                        "purchase",
                        99,
                    )
        self.assertEqual(self.wallet.balance, 30)
        self.assertEqual(len(self.wallet.move_ids), 1)
        # The portal administrator reads their wallet and its ledger.
        rows = self.rpc(
            portal_admin, "comms.unit.wallet", "search_read", [], fields=["balance"]
        )
        self.assertEqual(rows, [{"id": self.wallet.id, "balance": 30}])
