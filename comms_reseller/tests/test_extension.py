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
