from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_unit_ledger import UnitsCase


class UnitGroupCase(UnitsCase):
    """An owner's group with two members, a third account invited elsewhere,
    and an account of reseller B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.comms_units_price = 40
        cls.second = cls.create_account("Second Ltd", status="trial")
        cls.outsider = cls.create_account("Outsider Ltd", status="production")
        cls.second_wallet = cls.second._units_wallet()
        cls.outsider_wallet = cls.outsider._units_wallet()
        cls.group = cls.env["comms.unit.group"]._for_owner(cls.owner)
        cls.other_group = cls.env["comms.unit.group"]._for_owner(cls.outsider)
        cls.membership = cls.join(cls.group, cls.member)
        cls.second_membership = cls.join(cls.group, cls.second)
        cls.owner_admin = cls.owner.admin_user_id
        cls.member_admin = cls.member.admin_user_id
        cls.outsider_admin = cls.outsider.admin_user_id

    @classmethod
    def join(cls, group, account):
        membership = group._invite(account.admin_user_id.email)
        membership._accept()
        return membership

    def emails_to(self, account, subject):
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", account.admin_user_id.partner_id.ids),
                ("subject", "ilike", subject),
            ]
        )


@tagged("post_install", "-at_install")
class TestUnitGroup(UnitGroupCase):
    def test_one_owned_group_named_after_its_owner(self):
        self.assertEqual(self.group.name, "Owner Ltd")
        self.assertEqual(
            self.env["comms.unit.group"]._for_owner(self.owner), self.group
        )
        with self.assertRefused(UserError, "Owner Ltd already owns a group"):
            self.env["comms.unit.group"].create({"owner_account_id": self.owner.id})
        self.group.name = "Owner's branches"
        self.assertEqual(self.group.name, "Owner's branches")
        # The owner of a group may be a member of another one.
        self.join(self.other_group, self.owner)
        self.assertEqual(self.other_group.member_ids.account_id, self.owner)

    def test_invitation_email_and_answers(self):
        address = self.outsider.admin_user_id.email
        invitation = self.group._invite(address.upper())
        self.assertRecordValues(
            invitation, [{"account_id": self.outsider.id, "state": "invited"}]
        )
        self.assertEqual((invitation.expiry_date - invitation.invite_date).days, 14)
        email = self.emails_to(self.outsider, "invites you")
        self.assertEqual(len(email), 1)
        self.assertIn("/units/invitation/", email.body_html)
        with self.assertRefused(UserError, "already invited to or a member"):
            self.group._invite(address)
        invitation._decline()
        self.assertEqual(invitation.state, "declined")
        with self.assertRefused(UserError, "is Declined: nothing was changed"):
            invitation._accept()
        # Re-inviting is the only way back in.
        again = self.group._invite(address)
        again._accept()
        self.assertIn(again, self.group.member_ids)

    def test_database_keeps_one_open_invitation_per_account(self):
        # Two invitations racing past the check in _invite: the partial unique
        # index refuses the second one.
        Member = self.env["comms.unit.group.member"]
        values = {"group_id": self.group.id, "account_id": self.outsider.id}
        Member.create(values)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Member.create(values)
                self.env.flush_all()
        # Closed ones do not count: a member who left is invited again.
        self.membership._leave()
        self.env.flush_all()
        Member.create({"group_id": self.group.id, "account_id": self.member.id})
        self.env.flush_all()

    def test_bad_invitations(self):
        with self.assertRefused(UserError, "cannot invite yourself"):
            self.group._invite(self.owner_admin.email)
        with self.assertRefused(UserError, "Enter a valid email address"):
            self.group._invite("not-an-address")
        # An address of reseller B's subscriber is unknown to reseller A.
        self.assertFalse(self.group._invite(self.account_b.admin_user_id.email))
        self.assertFalse(self.group._invite("nobody@unknown.example.com"))

    def test_invitation_expires_after_14_days(self):
        invitation = self.group._invite(self.outsider.admin_user_id.email)
        with freeze_time(invitation.invite_date.isoformat()) as frozen:
            frozen.tick(15 * 86400)
            with self.assertRefused(UserError, "This invitation has expired"):
                invitation._accept()
            self.env["comms.unit.group.member"]._cron_expire_invitations()
        self.assertEqual(invitation.state, "expired")

    def test_leave_and_remove(self):
        with self.assertRefused(UserError, "an owner cannot leave its own group"):
            self.group._leave(self.owner)
        with self.assertRefused(UserError, "You are not a member of"):
            self.group._leave(self.outsider)
        self.group._leave(self.member)
        self.assertEqual(self.membership.state, "left")
        self.assertTrue(self.membership.end_date)
        self.second_membership._remove()
        self.assertEqual(self.second_membership.state, "removed")
        self.assertFalse(self.group.member_ids)
        self.give(self.wallet, 10)
        with self.assertRefused(UserError, "Units go only to members"):
            self.group._transfer_to_members(self.membership, 5, "after-leave")
        self.assertEqual(self.member_wallet.balance, 0)

    def test_owner_sees_status_and_units(self):
        self.give(self.second_wallet, 7)
        self.assertRecordValues(
            self.group.member_ids.sorted("id"),
            [
                {"account_id": self.member.id, "account_status": "active", "units": 0},
                {"account_id": self.second.id, "account_status": "trial", "units": 7},
            ],
        )
        self.member.action_suspend()
        self.assertEqual(self.membership.account_status, "suspended")
        with freeze_time(self.second.trial_end_date.isoformat()) as frozen:
            frozen.tick(2 * 86400)
            self.second_membership.invalidate_recordset(["account_status"])
            self.assertEqual(self.second_membership.account_status, "expired")


@tagged("post_install", "-at_install")
class TestUnitGroupTransfer(UnitGroupCase):
    def test_transfer_to_selected_members_once_per_key(self):
        self.give(self.wallet, 100)
        members = self.membership | self.second_membership
        self.group._transfer_to_members(members, 15, "t-1")
        self.group._transfer_to_members(members, 15, "t-1")
        self.assertEqual(
            (
                self.wallet.balance,
                self.member_wallet.balance,
                self.second_wallet.balance,
            ),
            (70, 15, 15),
        )
        self.assertLedgerConsistent(self.wallet, self.member_wallet, self.second_wallet)
        self.assertEqual(len(self.group.transfer_move_ids), 2)
        self.assertEqual(self.membership.received_units, 15)
        history = self.group.history_html
        self.assertRegex(history, r"Transfer</td>\s*<td>Member Ltd</td>")
        self.assertRegex(history, r"Invitation</td>\s*<td>Second Ltd</td>")
        # Both sides get their receipt, once.
        self.assertEqual(len(self.emails_to(self.owner, "15 units sent to")), 2)
        self.assertEqual(len(self.emails_to(self.member, "15 units received")), 1)

    def test_units_report_by_owner_group(self):
        self.give(self.wallet, 100)
        self.give(self.outsider_wallet, 30)
        self.group._transfer_to_members(self.membership, 40, "t-report")
        self.member_wallet._debit("consumption", 6, key="fax-member")
        self.outsider_wallet._debit("consumption", 4, key="fax-outsider")
        transfer_lines = (self.wallet | self.member_wallet).move_ids.filtered(
            lambda m: m.kind in ("transfer_out", "transfer_in")
        )
        self.assertEqual(len(transfer_lines), 2)
        self.assertEqual(transfer_lines.group_id, self.group)
        consumed = dict(
            self.env["comms.unit.move"]._read_group(
                [("kind", "=", "consumption"), ("company_id", "=", self.reseller_a.id)],
                ["group_id"],
                ["amount:sum"],
            )
        )
        # The member's use counts for the group that pays for it.
        self.assertEqual(consumed, {self.group: -6, self.other_group: -4})

    def test_transfer_is_all_or_nothing_and_bounded(self):
        self.give(self.wallet, 20)
        members = self.membership | self.second_membership
        with self.assertRefused(UserError, "has 20 transferable units|20 units: 30"):
            self.group._transfer_to_members(members, 15, "t-2")
        self.assertEqual(self.member_wallet.balance, 0)
        for units in (0, -5, 2.5):
            with self.assertRefused(UserError, "Units are whole and positive"):
                self.group._transfer_to_members(members, units, f"bad-{units}")
        foreign = self.other_group._invite(self.second.admin_user_id.email)
        foreign._accept()
        with self.assertRefused(UserError, "Units go only to members of Owner Ltd"):
            self.group._transfer_to_members(foreign, 5, "foreign")
        self.assertEqual(self.wallet.balance, 20)

    def test_top_up_brings_each_member_up_to_the_amount(self):
        self.give(self.wallet, 100)
        self.give(self.second_wallet, 25)
        self.give(self.member_wallet, 5)
        members = self.membership | self.second_membership
        self.group._top_up_members(members, 20, "top-1")
        self.assertEqual(self.member_wallet.balance, 20)
        self.assertEqual(self.second_wallet.balance, 25)
        self.assertEqual(self.wallet.balance, 85)
        # The difference is read when the top-up runs: a retry does nothing,
        # a new top-up after usage pays the new difference only.
        self.group._top_up_members(members, 20, "top-1")
        self.member_wallet._debit("consumption", 8)
        self.group._top_up_members(members, 20, "top-2")
        self.assertEqual(self.member_wallet.balance, 20)
        self.assertEqual(self.wallet.balance, 77)
        self.assertLedgerConsistent(self.wallet, self.member_wallet, self.second_wallet)
        with self.assertRefused(UserError, "has 77 units: 155 are needed"):
            self.group._top_up_members(members, 100, "top-3")

    def test_units_never_go_back_to_the_owner(self):
        self.give(self.member_wallet, 10)
        with self.assertRefused(UserError, "never back"):
            self.member_wallet.with_user(self.user_a).transfer_units(
                self.wallet.id, 5, "back"
            )
        self.assertEqual(self.member_wallet.balance, 10)

    def test_new_account_paid_with_units(self):
        self.give(self.wallet, 30)
        with self.assertRefused(UserError, "has 30 units: 40 are needed"):
            self.group._create_member_account(
                "Jean Martin", "jean@newcomer.example.com", self.plan, "new-1"
            )
        self.assertFalse(
            self.env["comms.account"].search([("name", "=", "Jean Martin")])
        )
        self.give(self.wallet, 20)
        account = self.group._create_member_account(
            "Jean Martin", "jean@newcomer.example.com", self.plan, "new-1"
        )
        again = self.group._create_member_account(
            "Jean Martin", "jean@newcomer.example.com", self.plan, "new-1"
        )
        self.assertEqual(again, account)
        self.assertEqual(self.wallet.balance, 10)
        debit = self.wallet.move_ids.filtered(lambda m: m.kind == "consumption")
        self.assertRecordValues(debit, [{"amount": -40, "source_ref": account}])
        self.assertRecordValues(
            account,
            [{"billing_status": "production", "company_id": self.reseller_a.id}],
        )
        self.assertEqual(account.admin_user_id.login, "jean@newcomer.example.com")
        self.assertEqual(account.line_ids.price_unit, 0.0)
        self.assertIn(account, self.group.member_ids.account_id)
        with self.assertRefused(UserError, "already has an account: invite it"):
            self.group._create_member_account(
                "Jean", "jean@newcomer.example.com", self.plan, "new-2"
            )
        self.plan.comms_units_price = 0
        with self.assertRefused(UserError, "Choose a plan that .* sells for units"):
            self.group._create_member_account(
                "Anne", "anne@newcomer.example.com", self.plan, "new-3"
            )


@tagged("post_install", "-at_install")
class TestUnitGroupAccess(UnitGroupCase):
    """Who sees what of a group, over the ORM."""

    def test_owner_administrator_sees_members_status_and_units(self):
        self.give(self.member_wallet, 9)
        group = self.group.with_user(self.owner_admin)
        self.assertEqual(group.member_ids, self.membership | self.second_membership)
        self.assertEqual(group.member_ids.sorted("id")[0].units, 9)
        self.assertEqual(
            self.env["comms.unit.group"].with_user(self.owner_admin).search([]),
            self.group,
        )

    def test_member_sees_only_its_membership(self):
        self.give(self.wallet, 50)
        self.group._transfer_to_members(self.membership, 12, "m-1")
        Member = self.env["comms.unit.group.member"].with_user(self.member_admin)
        self.assertEqual(Member.search([]), self.membership)
        group = self.env["comms.unit.group"].with_user(self.member_admin).search([])
        self.assertEqual(group, self.group)
        self.assertEqual(group.member_ids, self.membership)
        self.assertEqual(
            self.membership.with_user(self.member_admin).received_units, 12
        )
        Wallet = self.env["comms.unit.wallet"].with_user(self.member_admin)
        self.assertEqual(Wallet.search([]), self.member_wallet)
        with self.assertRaises(AccessError):
            self.wallet.with_user(self.member_admin).read(["balance"])
        with self.assertRaises(AccessError):
            self.owner.with_user(self.member_admin).read(["billing_status"])
        with self.assertRaises(AccessError):
            self.second_membership.with_user(self.member_admin).read(["units"])

    def test_others_see_nothing(self):
        for user in (self.outsider_admin, self.user_b):
            with self.subTest(user=user.login):
                self.assertNotIn(
                    self.group,
                    self.env["comms.unit.group"].with_user(user).search([]),
                )
                self.assertFalse(
                    self.env["comms.unit.group.member"]
                    .with_user(user)
                    .search([("group_id", "=", self.group.id)])
                )
        self.assertEqual(
            self.env["comms.unit.group"]
            .with_user(self.user_a)
            .search([("id", "=", self.group.id)]),
            self.group,
        )

    def test_portal_users_cannot_write(self):
        for user in (self.owner_admin, self.member_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.group.with_user(user).write({"name": "Hijacked"})
                with self.assertRaises(AccessError):
                    self.membership.with_user(user).write({"state": "removed"})
                with self.assertRaises(AccessError):
                    self.env["comms.unit.group.member"].with_user(user).create(
                        {"group_id": self.group.id, "account_id": self.outsider.id}
                    )

    def test_reseller_staff_use_the_wizards(self):
        self.give(self.wallet, 50)
        wizard = (
            self.env["comms.unit.group.transfer"]
            .with_user(self.user_a)
            .create(
                {
                    "group_id": self.group.id,
                    "mode": "top_up",
                    "membership_ids": [(6, 0, self.membership.ids)],
                    "units": 30,
                }
            )
        )
        self.assertIn("brought up to 30 units", wizard.summary)
        self.assertIn("cannot be undone", wizard.summary)
        wizard.action_confirm()
        wizard.action_confirm()
        self.assertEqual(self.member_wallet.balance, 30)
        invite = (
            self.env["comms.unit.group.invite"]
            .with_user(self.user_a)
            .create({"group_id": self.group.id, "email": self.outsider_admin.email})
        )
        self.assertTrue(invite.is_subscriber)
        invite.action_invite()
        self.assertIn(
            self.outsider,
            self.group.membership_ids.filtered(
                lambda m: m.state == "invited"
            ).account_id,
        )
        with self.assertRaises(AccessError):
            self.env["comms.unit.group"].with_user(self.user_b).browse(
                self.group.id
            ).read(["name"])
