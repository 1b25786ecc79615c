from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import ResellerCase, RpcAsUser


@tagged("post_install", "-at_install")
class TestRpc(RpcAsUser, ResellerCase, HttpCase):
    """The same rules over XML-RPC, as external clients see them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_a = cls.create_account("Uniform", status="production")
        cls.account_b = cls.create_account(
            "Victor", company=cls.reseller_b, status="production"
        )

    def test_reseller_b_over_rpc(self):
        found = self.rpc(
            self.user_b, "comms.account", "search_read", [], fields=["cid", "name"]
        )
        self.assertEqual([row["id"] for row in found], self.account_b.ids)
        with self.assertRaisesRegex(Fault, "doesn't have 'read' access"):
            self.rpc(self.user_b, "comms.account", "read", self.account_a.ids, ["name"])
        with self.assertRaisesRegex(Fault, "doesn't have '(read|write)' access"):
            self.rpc(
                self.user_b,
                "comms.account",
                "write",
                self.account_a.ids,
                {"billing_status": "suspended"},
            )
        self.assertEqual(self.account_a.billing_status, "production")

    def test_refused_transition_over_rpc(self):
        with self.assertRaisesRegex(Fault, "cannot go from Production to Free Trial"):
            self.rpc(
                self.user_a,
                "comms.account",
                "write",
                self.account_a.ids,
                {"billing_status": "trial"},
            )
        with self.assertRaisesRegex(Fault, "CID and the CAN"):
            self.rpc(
                self.user_a, "comms.account", "write", self.account_a.ids, {"can": "1"}
            )
        self.rpc(self.user_a, "comms.account", "action_suspend", self.account_a.ids)
        self.assertEqual(self.account_a.billing_status, "suspended")

    def test_portal_administrator_over_rpc(self):
        admin = self.account_a.admin_user_id
        admin.password = admin.login
        found = self.rpc(admin, "comms.account", "search_read", [], fields=["cid"])
        self.assertEqual([row["id"] for row in found], self.account_a.ids)
        with self.assertRaisesRegex(
            Fault, "not allowed to modify 'Subscriber Account'"
        ):
            self.rpc(admin, "comms.account", "action_suspend", self.account_a.ids)
        self.assertEqual(self.account_a.billing_status, "production")
