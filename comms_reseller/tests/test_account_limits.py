from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.comms_fax.tests.common import make_pdf, pdf_text

from .common import FaxLineCase


@tagged("post_install", "-at_install")
class TestAccountLimits(FaxLineCase):
    """Limits follow the reseller's defaults unless the account overrides them;
    faxes on disk is the document limit of a professional's fax lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pro = cls.create_account(
            "Lena Notary", kind="professional", status="production"
        )
        cls.pro_line = cls._fax_line(cls.pro, "+12025550171")
        cls.shop = cls.create_account("Mango Shop", status="production")
        cls.shop_line = cls._fax_line(cls.shop, "+12025550172")

    @classmethod
    def _fax_line(cls, account, number):
        return cls.create_fax_line(account, number, f"{account.name} fax")

    def _receive(self, line, count, start=0):
        # Deliveries come from the provider's webhook, run as the superuser.
        return [
            line.sudo()._receive_fax(
                "+33612345678", make_pdf(1, f"Fax {i}"), f"{line.number}-{i}"
            )
            for i in range(start, start + count)
        ]

    def _kept(self, faxes):
        return [
            pdf_text(f.attachment_id.raw)[0].strip() for f in faxes if f.attachment_id
        ]

    def test_evatel_defaults_shown_as_followed(self):
        self.assertEqual(
            [
                self.pro.contacts_limit,
                self.pro.voice_directory_limit,
                self.pro.downloaded_messages_limit,
                self.pro.voicemails_limit,
                self.pro.faxes_limit,
            ],
            [500, 500, 50, 25, 25],
        )
        self.assertFalse(self.pro.faxes_limit_override)
        self.assertEqual(self.pro_line.document_limit, 25)

    def test_settings_default_followed_until_overridden_then_reset(self):
        settings = self.env["res.config.settings"].with_user(self.sysadmin).create({})
        settings.comms_default_faxes_limit = 3
        settings.comms_default_contacts_limit = 800
        settings.execute()
        self.assertEqual(self.reseller_a.comms_default_faxes_limit, 3)
        self.assertEqual(self.pro.faxes_limit, 3)
        self.assertEqual(self.pro.contacts_limit, 800)
        self.assertEqual(self.pro_line.document_limit, 3)
        # Reseller B's defaults are its own.
        pro_b = self.create_account(
            "Nina B", company=self.reseller_b, kind="professional"
        )
        self.assertEqual(pro_b.faxes_limit, 25)

        with Form(self.pro.with_user(self.user_a)) as form:
            form.faxes_limit_override = True
            # Overriding starts from the default followed until then.
            self.assertEqual(form.faxes_limit_custom, 3)
            form.faxes_limit_custom = 10
        self.assertEqual(self.pro.faxes_limit, 10)
        self.assertEqual(self.pro_line.document_limit, 10)
        # A new default no longer moves the overridden limit, only the others.
        self.reseller_a.comms_default_faxes_limit = 5
        self.reseller_a.comms_default_contacts_limit = 700
        self.assertEqual(self.pro.faxes_limit, 10)
        self.assertEqual(self.pro.contacts_limit, 700)

        self.pro.with_user(self.user_a).with_context(
            comms_limit="faxes"
        ).action_reset_limit()
        self.assertFalse(self.pro.faxes_limit_override)
        self.assertEqual(self.pro.faxes_limit, 5)
        self.assertEqual(self.pro_line.document_limit, 5)

    def test_contacts_at_most_3000(self):
        with self.assertRefused(ValidationError, "between 1 and 3000"):
            self.pro.write(
                {"contacts_limit_override": True, "contacts_limit_custom": 3001}
            )
        with self.assertRefused(ValidationError, "at least 1"):
            self.pro.write({"faxes_limit_override": True, "faxes_limit_custom": 0})
        with self.assertRefused(ValidationError, "at most 3000 contacts"):
            self.reseller_a.comms_default_contacts_limit = 5000
        self.pro.write({"contacts_limit_override": True, "contacts_limit_custom": 3000})
        self.assertEqual(self.pro.contacts_limit, 3000)

    def test_faxes_on_disk_removes_the_oldest_documents(self):
        self.pro.write({"faxes_limit_override": True, "faxes_limit_custom": 3})
        faxes = self._receive(self.pro_line, 5)
        self.assertEqual(self._kept(faxes), ["Fax 2 1/1", "Fax 3 1/1", "Fax 4 1/1"])
        self.assertEqual(
            [f.document_purged for f in faxes], [True, True, False, False, False]
        )
        # The faxes and their log stay.
        self.assertEqual(self.pro_line.fax_count, 5)
        self.assertEqual(self.pro.faxes_usage, 3)
        # Lowering the limit removes the oldest kept document at once.
        self.pro.with_user(self.user_a).faxes_limit_custom = 2
        self.assertEqual(self._kept(faxes), ["Fax 3 1/1", "Fax 4 1/1"])
        self.assertEqual(self.pro.faxes_usage, 2)
        # The account's form shows it too.
        form = Form(self.pro.with_user(self.user_a))
        self.assertEqual(form.faxes_usage, 2)
        form.contacts_limit_override = True
        self.assertEqual(form.contacts_limit_custom, 500)
        self.assertEqual(form.faxes_usage, 2)
        # Back to the reseller's default, then a lower default: applied at once.
        self.pro.with_context(comms_limit="faxes").action_reset_limit()
        self.assertEqual(self._kept(faxes), ["Fax 3 1/1", "Fax 4 1/1"])
        self.reseller_a.comms_default_faxes_limit = 1
        self.assertEqual(self.pro_line.document_limit, 1)
        self.assertEqual(self._kept(faxes), ["Fax 4 1/1"])
        # A company account's line keeps its own limit.
        self.assertEqual(self.shop_line.document_limit, 25)
        shop_faxes = self._receive(self.shop_line, 3)
        self.assertEqual(len(self._kept(shop_faxes)), 3)

    def test_accounts_at_80_percent_of_a_limit(self):
        Account = self.env["comms.account"].with_user(self.user_a)
        self.pro.write({"faxes_limit_override": True, "faxes_limit_custom": 5})
        self._receive(self.pro_line, 3)
        self.shop.write(
            {"shared_contacts_limit_override": True, "shared_contacts_limit_custom": 5}
        )
        self._share(self.shop, 3)
        self.assertFalse(Account.search([("limit_alert", "=", True)]))
        self._receive(self.pro_line, 1, start=3)  # 4 of 5
        self.assertEqual(Account.search([("limit_alert", "=", True)]), self.pro)
        self._share(self.shop, 1, start=3)
        self.assertEqual(
            Account.search([("limit_alert", "=", True)]), self.pro | self.shop
        )
        self.assertNotIn(self.pro, Account.search([("limit_alert", "=", False)]))
        # The menu's list opens with that filter.
        action = self.env.ref("comms_reseller.comms_account_action_limits")
        self.assertIn("search_default_limit_alert", action.context)
        # Reseller B sees none of reseller A's accounts there.
        self.assertFalse(
            self.env["comms.account"]
            .with_user(self.user_b)
            .search([("limit_alert", "=", True)])
        )

    def _share(self, account, count, start=0):
        return (
            self.env["comms.account.contact"]
            .with_user(self.user_a)
            .create(
                [
                    {
                        "account_id": account.id,
                        "name": f"Contact {i}",
                        "phone": f"+1 202 555 01{i:02d}",
                    }
                    for i in range(start, start + count)
                ]
            )
        )

    def test_shared_contacts_beyond_the_limit_refused(self):
        self.shop.write(
            {"shared_contacts_limit_override": True, "shared_contacts_limit_custom": 2}
        )
        contacts = self._share(self.shop, 2)
        self.assertEqual(contacts.mapped("phone"), ["+12025550100", "+12025550101"])
        with self.assertRefused(ValidationError, "at most 2 contacts"):
            self._share(self.shop, 1, start=2)
        self.assertEqual(self.shop.shared_contacts_usage, 2)
        # Raising the limit lets it in.
        self.shop.shared_contacts_limit_custom = 3
        self._share(self.shop, 1, start=2)
        self.assertEqual(self.shop.shared_contacts_usage, 3)
        with self.assertRefused(ValidationError, "Only company accounts"):
            self._share(self.pro, 1, start=5)
        with self.assertRefused(ValidationError, "phone|number"):
            self._share_raw(self.shop, "not a number")

    def _share_raw(self, account, phone):
        return self.env["comms.account.contact"].create(
            {"account_id": account.id, "name": "Bad", "phone": phone}
        )
