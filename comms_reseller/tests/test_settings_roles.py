from xmlrpc.client import Fault

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged

from .common import ResellerCase

COMPANY_SETTINGS = {
    "shared_contacts_limit_override": True,
    "shared_contacts_limit_custom": 40,
    "forbid_user_management": True,
    "voicemail_transcription": "google",
    "url_web_portal": "https://portal.victor.example.com",
    "url_after_logout": "https://victor.example.com/bye",
    "sip_username": "victor.pbx",
    "sip_password_new": "Victor-SIP-secret-1",
}
PROFESSIONAL_SETTINGS = {
    "faxes_limit_override": True,
    "faxes_limit_custom": 12,
    "contacts_limit_override": True,
    "contacts_limit_custom": 2500,
    "assistant_stays_on_received": True,
    "assistant_stays_on_made": True,
    "managed_by_admin": True,
    "caller_id_name": "Whiskey Law",
    "pin_new": "90210",
    "pin_confirm": "90210",
}


@tagged("post_install", "-at_install")
class TestSettingsRoles(ResellerCase, HttpCase):
    """Every setting: the account's reseller changes it; reseller B, the
    account's portal administrator, another portal user and the public cannot,
    over the ORM and over XML-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop = cls.create_account("Victor Shop", status="production", users=2)
        cls.pro = cls.create_account("Whiskey Pro", kind="professional")
        cls.portal_admin = cls.shop.admin_user_id
        cls.portal_other = cls.shop.user_ids[1].user_id
        cls.pro_user = cls.pro.admin_user_id
        for user in (cls.user_a, cls.user_b, cls.portal_admin, cls.portal_other):
            user.password = user.login

    def rpc(self, user, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            user.id,
            user.login,
            "comms.account",
            method,
            list(args),
            kwargs,
        )

    def _cases(self):
        return ((self.shop, COMPANY_SETTINGS), (self.pro, PROFESSIONAL_SETTINGS))

    def _assert_unchanged(self, account):
        self.assertFalse(account.forbid_user_management or account.managed_by_admin)
        self.assertEqual(account.voicemail_transcription, "mutare")
        self.assertFalse(account.faxes_limit_override)
        self.assertFalse(account.pin_set or account.sip_password_set)

    def test_reseller_a_changes_every_setting_over_rpc(self):
        for account, values in self._cases():
            with self.subTest(account=account.name):
                self.rpc(self.user_a, "write", account.ids, values)
        self.assertEqual(self.shop.shared_contacts_limit, 40)
        self.assertTrue(self.shop.forbid_user_management)
        self.assertEqual(self.shop.voicemail_transcription, "google")
        self.assertEqual(self.shop.sudo().sip_password, "Victor-SIP-secret-1")
        self.assertEqual(self.pro.faxes_limit, 12)
        self.assertEqual(self.pro.contacts_limit, 2500)
        self.assertTrue(self.pro.managed_by_admin)
        self.assertTrue(self.pro._check_pin("90210"))

    def test_reseller_b_changes_nothing(self):
        for account, values in self._cases():
            with self.subTest(account=account.name):
                with self.assertRaises(AccessError):
                    account.with_user(self.user_b).write(values)
                with self.assertRaisesRegex(Fault, "read|write"):
                    self.rpc(self.user_b, "write", account.ids, values)
                self._assert_unchanged(account)

    def test_portal_users_and_public_change_nothing(self):
        public = self.env.ref("base.public_user")
        for account, values in self._cases():
            admin = account.sudo().admin_user_id
            for user in (admin, self.portal_other, public):
                with self.subTest(account=account.name, user=user.id):
                    with self.assertRaises(AccessError):
                        account.with_user(user).write(values)
            with self.subTest(account=account.name, over="rpc"):
                admin.password = admin.login
                with self.assertRaisesRegex(Fault, "not allowed to modify"):
                    self.rpc(admin, "write", account.ids, values)
            self._assert_unchanged(account)
        # The other portal user does not even see the account.
        with self.assertRaises(AccessError):
            self.shop.with_user(self.portal_other).read(["voicemail_transcription"])
        # The administrator reads the plain settings of their own account, not
        # the credentials.
        shop = self.shop.with_user(self.portal_admin)
        self.assertEqual(
            shop.read(["voicemail_transcription"])[0]["voicemail_transcription"],
            "mutare",
        )
        with self.assertRaises(AccessError):
            shop.read(["sip_username"])

    def test_only_administrators_change_the_defaults(self):
        with self.assertRaises(AccessError):
            self.reseller_a.with_user(self.user_a).comms_default_faxes_limit = 3
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager_a).create(
                {"comms_default_faxes_limit": 3}
            )
        self.assertEqual(self.pro.faxes_limit, 25)
        # Through the Settings screen, as an administrator does it.
        with Form(self.env["res.config.settings"].with_user(self.sysadmin)) as form:
            self.assertEqual(form.comms_default_faxes_limit, 25)
            form.comms_default_faxes_limit = 3
            form.comms_provisioning_ftp_url = "ftp://prov.example.com"
        form.record.execute()
        self.assertEqual(self.pro.faxes_limit, 3)
        self.assertEqual(self.pro.provisioning_ftp_url, "ftp://prov.example.com")

    def test_shared_contacts_of_the_reseller_only(self):
        Contact = self.env["comms.account.contact"]
        contact = Contact.with_user(self.user_a).create(
            {"account_id": self.shop.id, "name": "Lab", "phone": "+12025550177"}
        )
        self.assertFalse(Contact.with_user(self.user_b).search([]))
        with self.assertRaises(AccessError):
            contact.with_user(self.user_b).read(["name"])
        with self.assertRaises(AccessError):
            Contact.with_user(self.user_b).create(
                {"account_id": self.shop.id, "name": "X", "phone": "+12025550178"}
            )
        for user in (self.portal_admin, self.env.ref("base.public_user")):
            with self.subTest(user=user.id), self.assertRaises(AccessError):
                contact.with_user(user).read(["name"])
        self.assertEqual(self.shop.shared_contacts_usage, 1)
