import re
from xmlrpc.client import Fault

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import RpcAsUser
from .test_unit_group import UnitGroupCase


class UnitGroupHttpCase(RpcAsUser, UnitGroupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.owner_admin, cls.member_admin, cls.outsider_admin):
            user.password = user.login

    def csrf(self, path):
        page = self.url_open(path)
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def post(self, path, data, page="/my/units-group"):
        return self.url_open(path, data={"csrf_token": self.csrf(page), **data})


@tagged("post_install", "-at_install")
class TestUnitGroupInvitationLink(UnitGroupHttpCase):
    """The Accept / Decline links of an invitation email, without logging in."""

    def setUp(self):
        super().setUp()
        self.invitation = self.group._invite(self.outsider_admin.email)

    def link(self, answer="accept"):
        email = self.emails_to(self.outsider, "invites you")
        self.assertEqual(len(email), 1)
        match = re.search(
            rf'href="[^"]*(/units/invitation/[^"?]+)\?answer={answer}"',
            email.body_html,
        )
        self.assertTrue(match, email.body_html)
        return match.group(1)

    def answer(self, path, answer):
        return self.post(path, {"answer": answer}, page=path)

    def test_accept_then_replay(self):
        path = self.link()
        page = self.url_open(f"{path}?answer=accept")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Owner Ltd", page.text)
        self.assertIn("Outsider Ltd", page.text)
        # The page shows the group and who invites, nothing of its members.
        self.assertNotIn("Member Ltd", page.text)
        self.assertNotIn("Second Ltd", page.text)
        self.assertEqual(self.invitation.state, "invited")
        done = self.answer(path, "accept")
        self.assertIn("You joined", done.text)
        self.assertEqual(self.invitation.state, "active")
        replay = self.answer(path, "decline")
        self.assertEqual(replay.status_code, 403)
        self.assertIn("already answered", replay.text)
        self.assertEqual(self.invitation.state, "active")

    def test_decline(self):
        path = self.link("decline")
        done = self.answer(path, "decline")
        self.assertIn("You declined", done.text)
        self.assertEqual(self.invitation.state, "declined")
        self.assertNotIn(self.outsider, self.group.member_ids.account_id)

    def test_tampered_and_guessed_links(self):
        path = self.link()
        _prefix, member_id, expires, token = path.rsplit("/", 3)
        other = self.group._invite(self.account_b.admin_user_id.email) or None
        self.assertIsNone(other)
        tampered = [
            f"/units/invitation/{member_id}/{expires}/{token[:-2]}00",
            f"/units/invitation/{member_id}/{int(expires) + 86400}/{token}",
            f"/units/invitation/{self.membership.id}/{expires}/{token}",
            f"/units/invitation/999999/{expires}/{token}",
        ]
        for bad in tampered:
            with self.subTest(path=bad):
                page = self.url_open(bad)
                self.assertEqual(page.status_code, 403)
                self.assertIn("This link is not valid", page.text)
                refused = self.answer(bad, "accept")
                self.assertEqual(refused.status_code, 403)
        self.assertEqual(self.invitation.state, "invited")
        self.assertEqual(self.membership.state, "active")

    def test_expired_link(self):
        path = self.link()
        with freeze_time(self.invitation.invite_date) as frozen:
            frozen.tick(15 * 86400)
            page = self.url_open(path)
            self.assertEqual(page.status_code, 403)
            self.assertIn("This invitation has expired", page.text)
            self.answer(path, "accept")
        self.assertEqual(self.invitation.state, "invited")


@tagged("post_install", "-at_install")
class TestUnitGroupPortal(UnitGroupHttpCase):
    """The group page: the owner manages, members see their side only."""

    def test_owner_page_invite_transfer_top_up_remove(self):
        self.give(self.wallet, 100)
        self.give(self.second_wallet, 5)
        self.authenticate(self.owner_admin.login, self.owner_admin.login)
        home = self.url_open("/my/home")
        self.assertIn("/my/units-group", home.text)
        page = self.url_open("/my/units-group")
        for text in ("Member Ltd", "Second Ltd", "Trial", "Active"):
            self.assertIn(text, page.text)
        base = f"/my/units-group/{self.group.id}"
        invited = self.post(f"{base}/invite", {"email": self.outsider_admin.email})
        self.assertIn("is invited", invited.text)
        self.assertEqual(
            self.group.membership_ids.filtered(
                lambda m: m.state == "invited"
            ).account_id,
            self.outsider,
        )
        # Transfer: a confirmation repeating the amount, then the transfer.
        members = [str(self.membership.id), str(self.second_membership.id)]
        confirm = self.post(
            f"{base}/transfer",
            {"mode": "transfer", "units": "10", "membership_ids": members},
        )
        self.assertIn(
            "10 units will go to each of the 2 selected members", confirm.text
        )
        self.assertIn("20 units in all", confirm.text)
        self.assertIn("cannot be undone", confirm.text)
        self.assertEqual(self.member_wallet.balance, 0)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', confirm.text)[1]
        data = {
            "mode": "transfer",
            "units": "10",
            "membership_ids": members,
            "confirmed": "1",
            "idempotency_key": key,
        }
        self.post(f"{base}/transfer", data)
        self.post(f"{base}/transfer", data)  # the form submitted twice
        self.assertEqual(
            (self.member_wallet.balance, self.second_wallet.balance), (10, 15)
        )
        self.assertEqual(self.wallet.balance, 80)
        self.assertEqual(
            self.wallet.move_ids.filtered(lambda m: m.kind == "transfer_out").user_id,
            self.owner_admin,
            "the ledger names the owner's administrator as who transferred",
        )
        # Top up to 25: computed when confirmed.
        self.post(
            f"{base}/transfer",
            dict(data, mode="top_up", units="25", idempotency_key="portal-top-up"),
        )
        self.assertEqual(
            (self.member_wallet.balance, self.second_wallet.balance), (25, 25)
        )
        self.assertEqual(self.wallet.balance, 55)
        refused = self.post(
            f"{base}/transfer",
            {"mode": "transfer", "units": "2.5", "membership_ids": members},
        )
        self.assertIn("Units are whole and positive", refused.text)
        self.post(
            f"{base}/remove", {"membership_ids": [str(self.second_membership.id)]}
        )
        self.assertEqual(self.second_membership.state, "removed")
        page = self.url_open("/my/units-group")
        self.assertIn("o_comms_units_transfers", page.text)

    def test_owner_creates_an_account_paid_with_units(self):
        self.give(self.wallet, 50)
        self.authenticate(self.owner_admin.login, self.owner_admin.login)
        base = f"/my/units-group/{self.group.id}"
        offer = self.post(f"{base}/invite", {"email": "zoe@newcomer.example.com"})
        self.assertIn("Nobody subscribes with", offer.text)
        self.assertIn("Plan 30 (40 units)", offer.text)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', offer.text)[1]
        data = {
            "email": "zoe@newcomer.example.com",
            "name": "Zoe Newcomer",
            "plan_id": str(self.plan.id),
            "idempotency_key": key,
        }
        done = self.post(f"{base}/new-account", data)
        self.assertIn("paid with your units", done.text)
        self.post(f"{base}/new-account", data)
        account = self.env["comms.account"].search([("name", "=", "Zoe Newcomer")])
        self.assertEqual(len(account), 1)
        self.assertIn(account, self.group.member_ids.account_id)
        self.assertEqual(self.wallet.balance, 10)
        poor = self.post(
            f"{base}/new-account",
            dict(data, email="yan@newcomer.example.com", idempotency_key="k2"),
        )
        self.assertIn("has 10 units: 40 are needed", poor.text)
        self.assertFalse(
            self.env["res.users"].search([("login", "=", "yan@newcomer.example.com")])
        )

    def test_member_sees_only_what_it_received(self):
        self.give(self.wallet, 100)
        self.give(self.second_wallet, 33)
        self.group._transfer_to_members(self.membership, 12, "m-1")
        self.authenticate(self.member_admin.login, self.member_admin.login)
        page = self.url_open("/my/units-group")
        self.assertIn("Groups I belong to", page.text)
        self.assertIn("Owner Ltd", page.text)  # the group's name
        self.assertRegex(page.text, r'o_comms_units_received"[^>]*>12<')
        self.assertNotIn("Second Ltd", page.text)
        self.assertNotIn("o_comms_units_balance", page.text)
        self.assertNotIn('o_comms_units_members"', page.text)
        self.assertNotIn(f"/my/units-group/{self.group.id}/transfer", page.text)
        # Owner operations posted by a member are refused, nothing moves.
        base = f"/my/units-group/{self.group.id}"
        for operation, data in (
            (
                "transfer",
                {
                    "mode": "transfer",
                    "units": "5",
                    "confirmed": "1",
                    "membership_ids": [str(self.membership.id)],
                },
            ),
            ("remove", {"membership_ids": [str(self.second_membership.id)]}),
            ("rename", {"name": "Mine now"}),
            ("invite", {"email": self.outsider_admin.email}),
        ):
            with self.subTest(operation=operation):
                self.post(f"{base}/{operation}", data)
        self.assertEqual((self.wallet.balance, self.member_wallet.balance), (88, 12))
        self.assertEqual(self.second_membership.state, "active")
        self.assertEqual(self.group.name, "Owner Ltd")
        self.assertEqual(len(self.group.membership_ids), 2)
        # The member leaves.
        self.post(f"/my/units-group/membership/{self.membership.id}/leave", {})
        self.assertEqual(self.membership.state, "left")

    def test_owner_cannot_leave_and_others_see_nothing(self):
        self.authenticate(self.owner_admin.login, self.owner_admin.login)
        refused = self.post(
            f"/my/units-group/membership/{self.membership.id}/leave", {}
        )
        self.assertIn("an owner cannot leave its own group", refused.text)
        self.assertEqual(self.membership.state, "active")
        self.authenticate(self.outsider_admin.login, self.outsider_admin.login)
        page = self.url_open("/my/units-group")
        self.assertNotIn("Member Ltd", page.text)
        self.post(f"/my/units-group/membership/{self.membership.id}/leave", {})
        self.assertEqual(self.membership.state, "active")
        self.post(
            f"/my/units-group/{self.group.id}/remove",
            {"membership_ids": [str(self.membership.id)]},
        )
        self.assertEqual(self.membership.state, "active")

    def test_public_is_sent_to_login(self):
        page = self.url_open("/my/units-group")
        self.assertIn("/web/login", page.url)


@tagged("post_install", "-at_install")
class TestUnitGroupRpc(UnitGroupHttpCase):
    """Groups over XML-RPC: portal users read their side, change nothing."""

    def test_roles_over_rpc(self):
        self.give(self.wallet, 50)
        self.group._transfer_to_members(self.membership, 7, "rpc-1")
        rows = self.rpc(
            self.member_admin,
            "comms.unit.group.member",
            "search_read",
            [],
            fields=["group_id", "state", "received_units"],
        )
        self.assertEqual(
            rows,
            [
                {
                    "id": self.membership.id,
                    "group_id": [self.group.id, "Owner Ltd"],
                    "state": "active",
                    "received_units": 7,
                }
            ],
        )
        owner_rows = self.rpc(
            self.owner_admin,
            "comms.unit.group.member",
            "search_read",
            [],
            fields=["account_id", "units"],
        )
        self.assertEqual(len(owner_rows), 2)
        for user in (self.member_admin, self.owner_admin, self.outsider_admin):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(Fault, "private|_transfer_to_members"):
                    self.rpc(
                        user,
                        "comms.unit.group",
                        "_transfer_to_members",
                        self.group.ids,
                        self.membership.ids,
                        5,
                        "rpc-x",
                    )
                with self.assertRaisesRegex(Fault, "access|not allowed"):
                    self.rpc(
                        user,
                        "comms.unit.group.member",
                        "write",
                        self.second_membership.ids,
                        {"state": "removed"},
                    )
        self.assertFalse(
            self.rpc(
                self.outsider_admin,
                "comms.unit.group",
                "search_read",
                [("id", "=", self.group.id)],
                fields=["name"],
            )
        )
        self.assertFalse(
            self.rpc(
                self.user_b,
                "comms.unit.group",
                "search_read",
                [("id", "=", self.group.id)],
                fields=["name"],
            )
        )
        self.assertEqual(
            self.rpc(
                self.user_a,
                "comms.unit.group",
                "search_read",
                [("id", "=", self.group.id)],
                fields=["name"],
            ),
            [{"id": self.group.id, "name": "Owner Ltd"}],
        )
        self.assertEqual(self.wallet.balance, 43)
        self.assertEqual(self.second_membership.state, "active")
