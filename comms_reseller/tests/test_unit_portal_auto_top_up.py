from xmlrpc.client import Fault

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.sms.tests.common import MockSMS

from .test_unit_auto_top_up import MemberTextsCase
from .test_unit_group_portal import UnitGroupHttpCase


@tagged("post_install", "-at_install")
class TestUnitPortalAutoTopUp(MemberTextsCase, MockSMS, UnitGroupHttpCase):
    """The owner keeps a member at N units, at most M a month, from its portal
    group page; members and strangers can neither see nor change it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_member_desk()

    def set_auto_top_up(self, keep_at, cap, membership=None, group=None):
        membership = membership or self.membership
        group = group or self.group
        return self.post(
            f"/my/units-group/{group.id}/auto-top-up",
            {
                "membership_id": str(membership.id),
                "keep_at_units": keep_at,
                "monthly_top_up_cap": cap,
            },
        )

    def settings(self, membership=None):
        membership = membership or self.membership
        self.env.invalidate_all()
        return (membership.keep_at_units, membership.monthly_top_up_cap)

    def test_owner_keeps_a_member_at_20_up_to_100_a_month(self):
        self.give(self.wallet, 200)
        self.give(self.member_wallet, 25)
        self.authenticate(self.owner_admin.login, self.owner_admin.login)
        page = self.url_open("/my/units-group")
        self.assertRegex(page.text, r"o_comms_units_auto_top_up[^>]*>\s*Off")
        saved = self.set_auto_top_up("20", "100")
        self.assertEqual(saved.status_code, 200)
        self.assertIn("The automatic top-up of Member Ltd is saved", saved.text)
        self.assertEqual(self.settings(), (20, 100))
        self.assertEqual(self.settings(self.second_membership), (0, 0))
        # The member sends a text (10 units): 15 left, topped up to 20.
        self.text()
        self.assertEqual(self.member_wallet.balance, 20)
        self.assertEqual(self.wallet.balance, 195)
        self.text()
        self.assertEqual(self.member_wallet.balance, 20)
        self.assertEqual(self.wallet.balance, 185)
        page = self.url_open("/my/units-group")
        self.assertRegex(
            " ".join(page.text.split()),
            r"Keeps at <strong>20</strong>, up to <strong>100</strong> / month "
            r"\(15 used this month\)",
        )
        # The reseller reads who set it on the group's chatter, an internal
        # note.
        note = self.group.message_ids.filtered(
            lambda m: "kept at 20 units, up to 100 a month" in m.body
        )
        self.assertEqual(note.author_id, self.owner_admin.partner_id)
        self.assertTrue(note.is_internal)
        # 0 and 0 switch it off: the next text is not topped up.
        self.set_auto_top_up("0", "0")
        self.assertEqual(self.settings(), (0, 0))
        self.text()
        self.assertEqual(self.member_wallet.balance, 10)
        self.assertEqual(self.wallet.balance, 185)
        self.assertLedgerConsistent(self.wallet, self.member_wallet)

    def test_bad_input_is_refused_with_its_reason(self):
        self.membership.write({"keep_at_units": 20, "monthly_top_up_cap": 100})
        self.authenticate(self.owner_admin.login, self.owner_admin.login)
        for keep_at, cap, message in (
            ("2.5", "100", "whole numbers, 0 or more: “2.5” is not one"),
            ("20", "-3", "whole numbers, 0 or more: “-3” is not one"),
            ("twenty", "100", "“twenty” is not one"),
            ("20", "0", "kept at 20 units with a monthly cap of 0"),
            ("0", "50", "a monthly cap of 50 alone tops up nothing"),
        ):
            with self.subTest(keep_at=keep_at, cap=cap):
                refused = self.set_auto_top_up(keep_at, cap)
                self.assertEqual(refused.status_code, 400)
                self.assertIn("o_comms_units_error", refused.text)
                self.assertIn(message, refused.text)
                self.assertEqual(self.settings(), (20, 100))
        # A cap below the amount is a monthly budget, accepted.
        self.set_auto_top_up("50", "30")
        self.assertEqual(self.settings(), (50, 30))

    def test_member_can_neither_see_nor_set_it(self):
        self.membership.write({"keep_at_units": 20, "monthly_top_up_cap": 100})
        self.authenticate(self.member_admin.login, self.member_admin.login)
        page = self.url_open("/my/units-group")
        self.assertIn("Groups I belong to", page.text)
        self.assertNotIn("Keeps at", page.text)
        self.assertNotIn("auto-top-up", page.text)
        self.assertNotIn('name="keep_at_units"', page.text)
        refused = self.set_auto_top_up("500", "5000")
        self.assertNotIn("is saved", refused.text)
        self.set_auto_top_up("500", "5000", membership=self.second_membership)
        self.assertEqual(self.settings(), (20, 100))
        self.assertEqual(self.settings(self.second_membership), (0, 0))
        # Over RPC: the member reads its membership, not what the owner pays.
        with self.assertRaisesRegex(Fault, "keep_at_units|not allowed|access"):
            self.rpc(
                self.member_admin,
                "comms.unit.group.member",
                "read",
                self.membership.ids,
                ["keep_at_units", "monthly_top_up_cap"],
            )
        rows = self.rpc(
            self.member_admin,
            "comms.unit.group.member",
            "search_read",
            [],
            fields=[],
        )
        self.assertEqual([row["id"] for row in rows], self.membership.ids)
        self.assertNotIn("keep_at_units", rows[0])
        self.assertNotIn("auto_topped_up_units", rows[0])
        # Nor owner nor member writes it outside the portal page.
        for user in (self.member_admin, self.owner_admin):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(Fault, "access|not allowed"):
                    self.rpc(
                        user,
                        "comms.unit.group.member",
                        "write",
                        self.membership.ids,
                        {"keep_at_units": 500, "monthly_top_up_cap": 5000},
                    )
        self.assertEqual(self.settings(), (20, 100))
        self.assertFalse(
            self.group.message_ids.filtered(lambda m: "500" in (m.body or ""))
        )

    def test_strangers_and_forged_memberships_are_refused(self):
        outsider_membership = self.join(self.other_group, self.member)
        # The owner of another group posts on this group's page.
        self.authenticate(self.outsider_admin.login, self.outsider_admin.login)
        refused = self.set_auto_top_up("20", "100")
        self.assertNotIn("is saved", refused.text)
        self.assertEqual(self.settings(), (0, 0))
        # This group's owner names a membership of the other group.
        self.authenticate(self.owner_admin.login, self.owner_admin.login)
        forged = self.set_auto_top_up("20", "100", membership=outsider_membership)
        self.assertEqual(forged.status_code, 400)
        self.assertIn("for the active members of Owner Ltd only", forged.text)
        self.assertEqual(self.settings(outsider_membership), (0, 0))
        # ... or posts on the other group's page.
        self.set_auto_top_up(
            "20", "100", membership=outsider_membership, group=self.other_group
        )
        self.assertEqual(self.settings(outsider_membership), (0, 0))
        # A removed member is no longer kept topped up.
        self.second_membership._remove()
        removed = self.set_auto_top_up("20", "100", membership=self.second_membership)
        self.assertEqual(removed.status_code, 400)
        self.assertEqual(self.settings(self.second_membership), (0, 0))

    def test_reseller_sets_it_in_the_back_office_within_its_companies(self):
        membership = self.membership.with_user(self.user_a)
        membership.write({"keep_at_units": 20, "monthly_top_up_cap": 100})
        self.assertEqual(self.settings(), (20, 100))
        with self.assertRefused(ValidationError, "monthly cap of 0"):
            membership.write({"monthly_top_up_cap": 0})
        with self.assertRefused(AccessError, "not allowed|access"):
            self.membership.with_user(self.user_b).write({"keep_at_units": 5})
        self.assertEqual(self.settings(), (20, 100))
