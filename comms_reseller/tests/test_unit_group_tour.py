from odoo.tests import tagged

from .test_unit_group_portal import UnitGroupHttpCase


@tagged("post_install", "-at_install")
class TestUnitGroupTour(UnitGroupHttpCase):
    def test_owner_shares_units_and_member_sees_them_arrive(self):
        self.give(self.wallet, 100)
        self.start_tour(
            "/my/units-group",
            "comms_reseller_units_group_owner",
            login=self.owner_admin.login,
        )
        self.assertEqual(
            self.group.membership_ids.filtered(
                lambda m: m.state == "invited"
            ).account_id,
            self.outsider,
        )
        newcomer = self.env["comms.account"].search([("name", "=", "Zoe Newcomer")])
        self.assertIn(newcomer, self.group.member_ids.account_id)
        self.env.invalidate_all()
        # 40 for the new account, 10 transferred, 15 to top up to 25.
        self.assertEqual(self.wallet.balance, 35)
        self.assertEqual(self.member_wallet.balance, 25)
        # Kept at 20, at most 100 a month, set from the member's row.
        self.assertEqual(
            (self.membership.keep_at_units, self.membership.monthly_top_up_cap),
            (20, 100),
        )
        others = self.group.member_ids - self.membership
        self.assertEqual(others.mapped("keep_at_units"), [0, 0])
        self.start_tour(
            "/my/units-group",
            "comms_reseller_units_group_member",
            login=self.member_admin.login,
        )
