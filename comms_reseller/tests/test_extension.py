from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestExtension(ResellerCase):
    """Extensions of company accounts: length, ranges, the lowest free one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account("Kilo Dental", users=3)

    def add_user(self, name, account=None, **values):
        account = account or self.account
        login = name.lower().replace(" ", ".")
        account.user_ids = [
            Command.create(
                {"name": name, "email": f"{login}@kilo.example.com", **values}
            )
        ]
        return account.user_ids.filtered(lambda u: u.name == name)

    def extensions(self, account=None):
        return (account or self.account).user_ids.sorted("id").mapped("extension")

    def test_new_users_get_the_lowest_free_extension(self):
        self.assertEqual(self.extensions(), ["100", "101", "102"])
        self.account.user_ids.filtered(lambda u: u.extension == "101").unlink()
        self.assertEqual(self.add_user("Nina Lopez").extension, "101")
        self.assertEqual(self.add_user("Omar Haddad").extension, "103")
        professional = self.create_account("Lima Osteo", kind="professional")
        self.assertEqual(self.extensions(professional), ["100"])

    def test_a_user_added_on_the_portal_gets_the_next_extension(self):
        account_sudo = self.account.with_user(self.account.admin_user_id).sudo()
        added = account_sudo._portal_save_user(
            None, {"name": "Paula Portal", "email": "paula@kilo.example.com"}
        )
        self.assertEqual(added.extension, "103")

    def test_ranges_must_fit_the_length_and_not_overlap(self):
        with self.assertRefused(
            ValidationError,
            r"users range 100–299 and the groups range 250–599 overlap",
        ):
            self.account.extension_group_start = 250
        with self.assertRefused(ValidationError, r"services range 700–7999 must go"):
            self.account.extension_service_end = 7999
        with self.assertRefused(ValidationError, r"users range 100–299 must go .* 4"):
            self.account.extension_length = 4
        with self.assertRefused(ValidationError, r"from 2 to 6 digits, not 9"):
            self.account.extension_length = 9
        with self.assertRefused(ValidationError, r"groups range 599–500 must go"):
            self.account.write(
                {"extension_group_start": 599, "extension_group_end": 500}
            )
        self.account.write(
            {
                "extension_length": 4,
                "extension_user_start": 1000,
                "extension_user_end": 4999,
                "extension_group_start": 5000,
                "extension_group_end": 5999,
                "extension_service_start": 7000,
                "extension_service_end": 7999,
            }
        )
        self.assertEqual(self.account.extension_length, 4)

    def test_a_length_change_keeps_old_extensions_and_skips_their_prefixes(self):
        self.account.write(
            {
                "extension_length": 4,
                "extension_user_start": 1000,
                "extension_user_end": 2999,
                "extension_group_start": 5000,
                "extension_group_end": 5999,
                "extension_service_start": 7000,
                "extension_service_end": 7999,
            }
        )
        self.assertEqual(self.extensions(), ["100", "101", "102"])
        # 1000 to 1029 begin with 100, 101 or 102: a phone dialling them would
        # reach those users first.
        self.assertEqual(self.add_user("Nina Lopez").extension, "1030")
        first = self.account.user_ids.sorted("id")[0]
        first.extension = "2000"
        with self.assertRefused(
            ValidationError, r"200 of .* clashes with the extension 2000"
        ):
            self.add_user("Omar Haddad", extension="200")

    def test_a_range_change_applies_to_new_extensions_only(self):
        self.account.write({"extension_user_start": 150, "extension_user_end": 160})
        self.assertEqual(self.extensions(), ["100", "101", "102"])
        self.assertEqual(self.add_user("Nina Lopez").extension, "150")

    def test_a_hand_chosen_extension_is_free_and_in_the_users_range(self):
        user = self.account.user_ids.sorted("id")[0]
        user.extension = "250"
        self.assertEqual(user.extension, "250")
        with self.assertRefused(ValidationError, r"is not in the users range"):
            user.extension = "550"
        with self.assertRefused(ValidationError, r"is not in the users range"):
            user.extension = "12a"
        with self.assertRefused(ValidationError, r"101 of .* clashes with"):
            user.extension = "101"
        self.assertEqual(user.extension, "250")

    def test_a_full_users_range_is_refused_clearly(self):
        self.account.write({"extension_user_start": 100, "extension_user_end": 102})
        with self.assertRefused(UserError, r"100–102 of Kilo Dental has no free"):
            self.add_user("Nina Lopez")
        self.assertEqual(len(self.account.user_ids), 3)

    def test_users_from_before_extensions_get_one_on_update(self):
        self.account.user_ids.sorted("id")[1:]._write_extensions(
            dict.fromkeys(self.account.user_ids.ids, False)
        )
        self.env["comms.account.user"]._assign_missing_extensions()
        self.assertEqual(self.extensions(), ["100", "101", "102"])

    def test_an_update_leaves_users_without_room_visible_without_extension(self):
        other = self.create_account("Mike Small", users=2)
        users = (self.account | other).user_ids.sorted("id")
        users._write_extensions(dict.fromkeys(users.ids, False))
        self.account.write({"extension_user_start": 100, "extension_user_end": 101})
        with self.assertLogs(
            "odoo.addons.comms_reseller.models.comms_account_user", "WARNING"
        ) as logs:
            self.env["comms.account.user"]._assign_missing_extensions()
        self.assertIn(self.account.cid, logs.output[0])
        self.assertEqual(self.extensions(), [False, False, False])
        self.assertEqual(self.extensions(other), ["100", "101"])


@tagged("post_install", "-at_install")
class TestGroupExtension(ResellerCase):
    """The groups of an account take extensions of the groups range, in the
    same organization-wide plan as the users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Groups are set up by the shared inbox's administrator.
        cls.env.user.groups_id |= cls.env.ref("comms_shared_inbox.group_comms_admin")
        cls.organization = cls.create_account("Uniform Care", users=2)
        cls.branch = cls.create_account("Uniform West", users=1)

    def group(self, name, account):
        return self.env["comms.group"].create(
            {
                "name": name,
                "company_id": account.company_id.id,
                "comms_account_id": account.id,
            }
        )

    def test_groups_get_the_lowest_free_of_the_groups_range(self):
        front = self.group("Front desk", self.organization)
        billing = self.group("Billing", self.organization)
        self.assertEqual(
            (front.comms_extension, billing.comms_extension), ("500", "501")
        )
        unowned = self.env["comms.group"].create(
            {"name": "Internal", "company_id": self.reseller_a.id}
        )
        self.assertFalse(unowned.comms_extension)
        # Leaving the account frees the extension; the next group takes it.
        front.comms_account_id = False
        self.assertFalse(front.comms_extension)
        self.assertEqual(self.group("Lab", self.organization).comms_extension, "500")
        self.organization.write({"extension_group_start": 550})
        unowned.comms_account_id = self.organization
        self.assertEqual(unowned.comms_extension, "550")

    def test_affiliation_proposes_groups_and_users_apart(self):
        self.group("Front desk", self.organization)
        west_desk = self.group("West desk", self.branch)
        wizard = self.env["comms.account.affiliate"].create(
            {"account_id": self.branch.id, "organization_id": self.organization.id}
        )
        proposed = {
            line.name: (line.current_extension, line.new_extension)
            for line in wizard.line_ids
        }
        self.assertEqual(
            proposed,
            {
                "Uniform West user 0 (Uniform West)": ("100", "102"),
                "the group West desk (Uniform West)": ("500", "501"),
            },
        )
        wizard.action_continue()
        self.assertEqual(west_desk.comms_extension, "501")
        self.assertEqual(self.branch.user_ids.extension, "102")
        self.assertIn("West desk", self.branch.message_ids[0].body)

    def test_a_group_extension_never_clashes_with_a_user_one(self):
        self.group("Front desk", self.organization)
        self.organization.write(
            {
                "extension_length": 4,
                "extension_user_start": 5000,
                "extension_user_end": 5999,
                "extension_group_start": 6000,
                "extension_group_end": 6999,
                "extension_service_start": 7000,
                "extension_service_end": 7999,
            }
        )
        # 5000 to 5009 begin with the group's 500.
        self.organization.user_ids = [
            Command.create({"name": "Victor", "email": "victor@uniform.example.com"})
        ]
        self.assertEqual(self.organization.user_ids[-1:].extension, "5010")
        with self.assertRefused(
            ValidationError, r"5005 of .* clashes with the extension 500 of the group"
        ):
            self.organization.user_ids[-1:].extension = "5005"

    def test_a_full_groups_range_is_refused_clearly(self):
        self.organization.write({"extension_group_end": 500})
        self.group("Front desk", self.organization)
        with self.assertRefused(UserError, r"groups range 500–500 .* no free"):
            self.group("Billing", self.organization)
