from xmlrpc.client import Fault

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ResellerCase, RpcAsUser

SETTINGS = {
    "extension_length": 3,
    "extension_user_start": 200,
    "extension_user_end": 299,
    "extension_group_start": 500,
    "extension_group_end": 599,
    "extension_service_start": 700,
    "extension_service_end": 799,
}


class ExtensionRolesCase(ResellerCase):
    """An organization of reseller A with one affiliated account, an outsider of
    A, an account of reseller B; the portal users of the branch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.organization = cls.create_account("Romeo Group", users=2)
        cls.branch = cls.create_account("Romeo South", users=2)
        cls.outsider = cls.create_account("Sierra Shop")
        cls.account_b = cls.create_account("Tango B", company=cls.reseller_b)
        cls.env["comms.account.affiliate"].create(
            {"account_id": cls.branch.id, "organization_id": cls.organization.id}
        ).action_continue()
        cls.branch_admin = cls.branch.admin_user_id
        cls.branch_other = (cls.branch.user_ids - cls.branch.user_ids[:1]).user_id
        cls.public = cls.env.ref("base.public_user")
        cls.stranger = new_test_user(
            cls.env, login="portal_stranger", groups="base.group_portal"
        )
        for user in (cls.branch_admin, cls.branch_other, cls.stranger):
            user.password = user.login


@tagged("post_install", "-at_install")
class TestExtensionAccess(ExtensionRolesCase):
    def test_reseller_a_sets_extensions_and_affiliates(self):
        self.organization.with_user(self.user_a).write(SETTINGS)
        self.assertEqual(self.organization.extension_user_start, 200)
        wizard = (
            self.env["comms.account.affiliate"]
            .with_user(self.user_a)
            .create(
                {
                    "account_id": self.outsider.id,
                    "organization_id": self.organization.id,
                }
            )
        )
        self.assertEqual(wizard.line_ids.mapped("new_extension"), ["200"])
        wizard.action_continue()
        self.assertEqual(self.outsider.orgid, self.organization.cid)

    def test_reseller_b_cannot_touch_a_nor_join_its_organization(self):
        organization = self.organization.with_user(self.user_b)
        with self.assertRaises(AccessError):
            organization.read(["extension_length", "extension_user_start"])
        with self.assertRaises(AccessError):
            organization.write(SETTINGS)
        with self.assertRaises(AccessError):
            organization.action_view_directory()
        with self.assertRefused(UserError, r"Incompatible compan|top-secret"):
            self.env["comms.account.affiliate"].with_user(self.user_b).create(
                {
                    "account_id": self.account_b.id,
                    "organization_id": self.organization.id,
                }
            ).action_continue()
        with self.assertRefused(UserError, r"Incompatible compan|top-secret"):
            self.account_b.with_user(self.user_b).organization_id = self.organization
        with self.assertRaises(AccessError):
            self.env["comms.account.unaffiliate"].with_user(self.user_b).create(
                {"account_id": self.branch.id}
            ).action_continue()
        self.assertFalse(self.account_b.organization_id)
        self.assertEqual(self.branch.organization_id, self.organization)
        found = (
            self.env["comms.account.user"]
            .with_user(self.user_b)
            .search([("orgid", "=", self.organization.cid)])
        )
        self.assertFalse(found)

    def test_the_database_administrator_cannot_mix_resellers(self):
        self.account_b.user_ids.extension = "150"
        with self.assertRefused(UserError, r"[Ii]ncompatible compan"):
            self.account_b.with_user(self.sysadmin).organization_id = self.organization

    def test_portal_administrator_reads_but_never_changes_settings(self):
        branch = self.branch.with_user(self.branch_admin)
        self.assertEqual(branch.extension_length, 3)
        with self.assertRaises(AccessError):
            branch.write(SETTINGS)
        with self.assertRaises(AccessError):
            branch.user_ids[0].extension = "150"
        for model in ("comms.account.affiliate", "comms.account.unaffiliate"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.branch_admin).create(
                    {"account_id": self.branch.id}
                )
        # Over the ORM the administrator reads their own account's users only;
        # the organization's directory is on their portal page.
        found = self.env["comms.account.user"].with_user(self.branch_admin).search([])
        self.assertEqual(found, self.branch.user_ids)

    def test_other_portal_users_and_public_see_nothing(self):
        for user in (self.branch_other, self.stranger, self.public):
            with self.subTest(user=user.id):
                Account = self.env["comms.account"].with_user(user)
                AccountUser = self.env["comms.account.user"].with_user(user)
                if user == self.public:
                    with self.assertRaises(AccessError):
                        Account.search([])
                    with self.assertRaises(AccessError):
                        AccountUser.search([])
                else:
                    self.assertFalse(Account.search([]))
                    self.assertFalse(AccountUser.search([]))
                with self.assertRaises(AccessError):
                    self.branch.with_user(user).read(["extension_length"])
                with self.assertRaises(AccessError):
                    self.branch.with_user(user).write(SETTINGS)


@tagged("post_install", "-at_install")
class TestExtensionRpc(RpcAsUser, ExtensionRolesCase, HttpCase):
    """The same roles over XML-RPC and on the portal."""

    def test_reseller_b_over_rpc(self):
        with self.assertRaisesRegex(Fault, "(read|write)' access"):
            self.rpc(
                self.user_b, "comms.account", "write", self.organization.ids, SETTINGS
            )
        with self.assertRaisesRegex(Fault, "[Ii]ncompatible compan|access"):
            self.rpc(
                self.user_b,
                "comms.account",
                "write",
                self.account_b.ids,
                {"organization_id": self.organization.id},
            )
        with self.assertRaisesRegex(Fault, "access|Incompatible compan"):
            self.rpc(
                self.user_b,
                "comms.account.affiliate",
                "create",
                {
                    "account_id": self.account_b.id,
                    "organization_id": self.organization.id,
                },
            )
        found = self.rpc(
            self.user_b,
            "comms.account.user",
            "search_read",
            [("orgid", "=", self.organization.cid)],
            fields=["extension"],
        )
        self.assertEqual(found, [])
        self.assertFalse(self.account_b.organization_id)
        self.assertEqual(self.organization.extension_user_start, 100)

    def test_portal_administrator_over_rpc(self):
        rows = self.rpc(
            self.branch_admin,
            "comms.account",
            "read",
            self.branch.ids,
            ["extension_length", "orgid"],
        )
        self.assertEqual(rows[0]["orgid"], self.organization.cid)
        with self.assertRaisesRegex(Fault, "not allowed to modify"):
            self.rpc(
                self.branch_admin, "comms.account", "write", self.branch.ids, SETTINGS
            )
        with self.assertRaisesRegex(Fault, "not allowed to"):
            self.rpc(
                self.branch_admin,
                "comms.account",
                "action_unaffiliate",
                self.branch.ids,
            )
        with self.assertRaisesRegex(Fault, "not allowed to"):
            self.rpc(
                self.branch_admin,
                "comms.account.unaffiliate",
                "create",
                {"account_id": self.branch.id},
            )
        users = self.rpc(
            self.branch_admin,
            "comms.account.user",
            "search_read",
            [],
            fields=["extension"],
        )
        self.assertEqual({row["id"] for row in users}, set(self.branch.user_ids.ids))
        self.assertEqual(self.branch.organization_id, self.organization)

    def test_other_portal_user_over_rpc(self):
        found = self.rpc(
            self.branch_other, "comms.account.user", "search_read", [], fields=["name"]
        )
        self.assertEqual(found, [])
        with self.assertRaisesRegex(Fault, "access|not allowed"):
            self.rpc(
                self.branch_other,
                "comms.account",
                "read",
                self.branch.ids,
                ["extension_length"],
            )

    def test_portal_directory_is_the_administrators_organization(self):
        self.authenticate(self.branch_admin.login, self.branch_admin.login)
        page = self.url_open(f"/my/subscription/{self.branch.id}")
        self.assertEqual(page.status_code, 200)
        directory = page.text[page.text.index("o_comms_directory") :]
        for member in self.organization.user_ids | self.branch.user_ids:
            self.assertIn(member.name, directory)
            self.assertIn(f"<td>{member.extension}</td>", directory)
        self.assertNotIn(self.outsider.user_ids.name, page.text)
        self.assertNotIn(self.organization.user_ids[0].email, page.text)
        for user in (self.branch_other, self.stranger):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                page = self.url_open(f"/my/subscription/{self.branch.id}")
                self.assertNotIn("o_comms_directory", page.text)
                self.assertNotIn(self.organization.user_ids[0].name, page.text)
