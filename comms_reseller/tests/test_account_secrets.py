import json
from xmlrpc.client import Fault

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from .common import ResellerCase

SIP_PASSWORD = "Sip-Pa55word!x"
PIN = "482915"
SECRET_FIELDS = ("sip_password", "provisioning_code", "pin_hash")


@tagged("post_install", "-at_install")
class TestAccountSecrets(ResellerCase, HttpCase):
    """SIP password, provisioning code and PIN: set by the account's reseller,
    used by the system, read back by database administrators only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pro = cls.create_account("Olga Pro", kind="professional")
        cls.shop = cls.create_account("Pablo Shop", users=2)
        cls.account_b = cls.create_account("Quebec B", company=cls.reseller_b)
        cls.reseller_a.comms_provisioning_ftp_url = "ftp://prov.reseller-a.example.com"
        cls.pro.with_user(cls.user_a).write(
            {"sip_username": "olga.pro", "sip_password_new": SIP_PASSWORD}
        )
        cls.portal_admin = cls.shop.admin_user_id
        cls.portal_other = cls.shop.user_ids[1].user_id
        for user in (cls.user_a, cls.user_b, cls.sysadmin, cls.portal_admin):
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

    def test_sip_password_kept_for_the_system_never_read_back(self):
        self.assertEqual(self.pro.sudo().sip_password, SIP_PASSWORD)
        self.assertTrue(self.pro.sip_password_set)
        self.user_a.groups_id |= self.env.ref("base.group_allow_export")
        account = self.pro.with_user(self.user_a)
        self.assertEqual(account.sip_username, "olga.pro")
        account.invalidate_recordset()
        self.assertFalse(account.sip_password_new)
        for fname in SECRET_FIELDS:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                account.read([fname])
            with self.subTest(field=fname), self.assertRaises(AccessError):
                account.export_data([fname])
        rows = account.search_read([("id", "=", self.pro.id)])
        self.assertNotIn(SIP_PASSWORD, json.dumps(rows, default=str))
        # Nor guessed by searching, sorting or grouping on it.
        Account = self.env["comms.account"].with_user(self.user_a)
        with self.assertRaises(AccessError):
            Account.search([("sip_password", "=like", "Sip%")])
        with self.assertRaises(AccessError):
            Account.search([], order="sip_password")
        with self.assertRaises(AccessError):
            Account.read_group([], ["sip_password"], ["sip_password"])
        # The database administrator reads it (as ir.mail_server.smtp_pass).
        self.assertEqual(
            self.pro.with_user(self.sysadmin).read(["sip_password"])[0]["sip_password"],
            SIP_PASSWORD,
        )

    def test_secrets_over_rpc(self):
        # With the right to export, so that the field is what refuses.
        self.user_a.groups_id |= self.env.ref("base.group_allow_export")
        for method, args, kwargs in (
            ("read", (self.pro.ids, ["sip_password"]), {}),
            ("search_read", ([("id", "=", self.pro.id)],), {"fields": ["pin_hash"]}),
            ("export_data", (self.pro.ids, ["provisioning_code"]), {}),
        ):
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(
                    Fault,
                    'enough rights to access the fields "(sip_password|pin_hash|'
                    'provisioning_code)"',
                ),
            ):
                self.rpc(self.user_a, method, *args, **kwargs)
        rows = self.rpc(self.user_a, "search_read", [("id", "=", self.pro.id)])
        self.assertNotIn(SIP_PASSWORD, json.dumps(rows, default=str))
        self.assertFalse(rows[0]["sip_password_new"])
        self.assertTrue(rows[0]["sip_password_set"])
        admin_rows = self.rpc(
            self.sysadmin, "read", self.pro.ids, ["sip_password", "sip_username"]
        )
        self.assertEqual(admin_rows[0]["sip_password"], SIP_PASSWORD)
        # Reseller B neither reads nor sets A's credentials.
        with self.assertRaisesRegex(Fault, "read|write"):
            self.rpc(self.user_b, "read", self.pro.ids, ["sip_username"])
        with self.assertRaisesRegex(Fault, "read|write"):
            self.rpc(self.user_b, "write", self.pro.ids, {"sip_password_new": "x"})
        self.assertEqual(self.pro.sudo().sip_password, SIP_PASSWORD)

    def test_portal_and_public_get_no_credentials(self):
        self.shop.with_user(self.user_a).sip_password_new = SIP_PASSWORD
        self.shop.with_user(self.user_a).action_generate_provisioning_code()
        code = self.shop.sudo().provisioning_code
        admin_account = self.shop.with_user(self.portal_admin)
        for fname in ("sip_username", "sip_password", "sip_password_new"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                admin_account.read([fname])
        with self.assertRaises(AccessError):
            admin_account.action_generate_provisioning_code()
        with self.assertRaisesRegex(Fault, "not allowed|access"):
            self.rpc(self.portal_admin, "read", self.shop.ids, ["sip_username"])
        self.assertEqual(self.shop.sudo().provisioning_code, code)
        # Another portal user of the account sees no account at all.
        self.assertFalse(
            self.env["comms.account"].with_user(self.portal_other).search([])
        )
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.env["comms.account"].with_user(public).search_read([], ["name"])
        # The portal page of the account shows none of them.
        self.authenticate(self.portal_admin.login, self.portal_admin.login)
        page = self.url_open(f"/my/subscription/{self.shop.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.shop.can, page.text)
        self.assertNotIn(SIP_PASSWORD, page.text)
        self.assertNotIn(code, page.text)

    def test_export_route_refuses_secrets(self):
        self.user_a.groups_id |= self.env.ref("base.group_allow_export")
        self.authenticate(self.user_a.login, self.user_a.login)
        token = self.url_open("/web/login").text.split('csrf_token: "')[1]
        data = {
            "model": "comms.account",
            "fields": [{"name": "sip_password", "label": "SIP Password"}],
            "ids": self.pro.ids,
            "domain": [],
            "import_compat": False,
        }
        with mute_logger("odoo.addons.web.controllers.export"):
            response = self.url_open(
                "/web/export/csv",
                data={"data": json.dumps(data), "csrf_token": token.split('"')[0]},
            )
        self.assertNotIn(SIP_PASSWORD, response.text)
        self.assertNotEqual(response.status_code, 200)

    def test_provisioning_code_shown_once_and_regenerated(self):
        account = self.pro.with_user(self.user_a)
        action = account.action_generate_provisioning_code()
        first = self.pro.sudo().provisioning_code
        self.assertEqual(len(first), 16)
        self.assertTrue(first.isalnum())
        # Shown in a dialog from the action's context, as Odoo shows an API key.
        self.assertEqual(action["res_model"], "comms.account.provisioning.code")
        shown = Form(
            self.env[action["res_model"]]
            .with_user(self.user_a)
            .with_context(**action["context"])
        )
        self.assertEqual(shown.code, first)
        self.assertEqual(shown.login, self.pro.can)
        self.assertEqual(shown.ftp_url, "ftp://prov.reseller-a.example.com")
        self.assertTrue(self.pro.provisioning_code_set)
        # Never again: the chatter only says a code was generated.
        self.assertNotIn(first, str(self.pro.message_ids.mapped("body")))
        account.action_generate_provisioning_code()
        second = self.pro.sudo().provisioning_code
        self.assertNotEqual(first, second)
        with self.assertRaises(AccessError):
            self.pro.with_user(self.user_b).action_generate_provisioning_code()

    def test_pin_set_twice_stored_hashed(self):
        account = self.pro.with_user(self.user_a)
        with self.assertRefused(UserError, "two PINs differ"):
            account.write({"pin_new": PIN, "pin_confirm": "482916"})
        with self.assertRefused(UserError, "4 to 8 digits"):
            account.write({"pin_new": "12ab", "pin_confirm": "12ab"})
        self.assertFalse(self.pro.pin_set)
        account.write({"pin_new": PIN, "pin_confirm": PIN})
        stored = self.pro.sudo().pin_hash
        self.assertNotIn(PIN, stored)
        self.assertTrue(stored.startswith("$pbkdf2-sha512$"))
        self.assertTrue(self.pro._check_pin(PIN))
        self.assertFalse(self.pro._check_pin("482916"))
        account.invalidate_recordset()
        self.assertFalse(account.pin_new)
        self.assertFalse(account.pin_confirm)
        with self.assertRefused(UserError, "Only a professional account"):
            self.shop.write({"pin_new": PIN, "pin_confirm": PIN})
