from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MailCase

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAffiliation(ResellerCase, MailCase):
    """Affiliation of accounts to an organization: ORGID, the Affiliate and
    Unaffiliate wizards, the extensions proposed, the emails, the directory."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.organization = cls.create_account("Mike Clinics", users=3)
        cls.branch = cls.create_account("Mike North", users=2)
        cls.solo = cls.create_account("November Vet", kind="professional")

    def open_affiliate(self, account, organization, user=None):
        form = Form(
            self.env["comms.account.affiliate"]
            .with_user(user or self.user_a)
            .with_context(default_account_id=account.id)
        )
        form.organization_id = organization
        return form

    def affiliate(self, account, organization, notify=True):
        form = self.open_affiliate(account, organization)
        form.notify_organization = notify
        wizard = form.save()
        with self.mock_mail_gateway():
            wizard.action_continue()
        return wizard

    def extension_of(self, account, index):
        return account.user_ids.sorted("id")[index].extension

    def test_proposals_on_opening_applied_only_on_continue(self):
        wizard = self.open_affiliate(self.branch, self.organization).save()
        proposed = [
            (line._owner(), line.current_extension, line.new_extension)
            for line in wizard.line_ids
        ]
        first, second = self.branch.user_ids.sorted("id")
        self.assertEqual(proposed, [(first, "100", "103"), (second, "101", "104")])
        # Until Continue (Cancel just closes the wizard) nothing changed.
        self.assertEqual(self.branch.user_ids.mapped("extension"), ["100", "101"])
        self.assertFalse(self.branch.organization_id)
        self.assertEqual(self.branch.orgid, self.branch.cid)
        with self.mock_mail_gateway():
            wizard.action_continue()
        self.assertEqual(self.branch.organization_id, self.organization)
        self.assertEqual(self.branch.orgid, self.organization.cid)
        self.assertEqual(
            set(self.branch.user_ids.mapped("orgid")), {self.organization.cid}
        )
        self.assertEqual(
            sorted(self.branch.user_ids.mapped("extension")), ["103", "104"]
        )
        self.assertEqual(self.extension_of(self.organization, 0), "100")

    def test_organization_admin_and_renumbered_users_are_told(self):
        self.affiliate(self.branch, self.organization)
        admin_mail = self._new_mails.filtered(
            lambda m: self.organization.admin_user_id.partner_id in m.recipient_ids
        )
        self.assertEqual(len(admin_mail), 1)
        self.assertIn("Mike North", admin_mail.subject)
        for user_name, new in (
            ("Mike North user 0", "103"),
            ("Mike North user 1", "104"),
        ):
            self.assertIn(user_name, admin_mail.body_html)
            self.assertIn(new, admin_mail.body_html)
        for user in self.branch.user_ids:
            mail = self._new_mails.filtered(lambda m, u=user: m.email_to == u.email)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.subject, f"Your extension is now {user.extension}")
            self.assertIn("Mike Clinics", mail.body_html)
        for user in self.organization.user_ids:
            self.assertFalse(
                self._new_mails.filtered(lambda m, u=user: m.email_to == u.email)
            )

    def test_no_email_to_the_organization_when_unchecked(self):
        self.affiliate(self.branch, self.organization, notify=False)
        self.assertFalse(
            self._new_mails.filtered(
                lambda m: self.organization.admin_user_id.partner_id in m.recipient_ids
            )
        )
        self.assertEqual(len(self._new_mails.filtered("email_to")), 2)

    def test_proposals_rechecked_on_continue(self):
        wizard = self.open_affiliate(self.branch, self.organization).save()
        self.assertEqual(wizard.line_ids.mapped("new_extension"), ["103", "104"])
        # Meanwhile the organization's administrator adds a user: 103 is taken.
        self.organization.user_ids = [
            Command.create({"name": "Late Joiner", "email": "late@mike.example.com"})
        ]
        with self.assertRefused(UserError, r"changed since the proposals"):
            wizard.action_continue()
        self.assertFalse(self.branch.organization_id)
        self.assertEqual(self.branch.user_ids.mapped("extension"), ["100", "101"])
        # Opened again: new proposals, applied.
        self.affiliate(self.branch, self.organization)
        self.assertEqual(
            sorted(self.branch.user_ids.mapped("extension")), ["104", "105"]
        )

    def test_no_clash_no_change(self):
        self.branch.user_ids.sorted("id")[0].extension = "200"
        self.branch.user_ids.sorted("id")[1].extension = "201"
        form = self.open_affiliate(self.branch, self.organization)
        self.assertFalse(form.line_ids)
        form.save().action_continue()
        self.assertEqual(self.branch.user_ids.mapped("extension"), ["200", "201"])

    def test_a_professional_affiliates_and_new_users_follow_the_organization(self):
        self.affiliate(self.solo, self.organization)
        self.assertEqual(self.solo.orgid, self.organization.cid)
        self.assertEqual(self.solo.user_ids.extension, "103")
        self.organization.extension_user_start = 150
        self.branch.user_ids = [
            Command.create({"name": "Oscar", "email": "oscar@mike.example.com"})
        ]
        self.affiliate(self.branch, self.organization)
        # The branch's 100, 101 and 102 clash; new extensions come from the
        # organization's users range as it is now.
        self.assertEqual(
            sorted(self.branch.user_ids.mapped("extension")), ["150", "151", "152"]
        )
        self.organization.user_ids = [
            Command.create({"name": "Papa", "email": "papa@mike.example.com"})
        ]
        self.assertEqual(self.organization.user_ids[-1:].extension, "153")

    def test_only_company_accounts_are_organizations_and_no_chains(self):
        other = self.create_account("Oscar Labs")
        with self.assertRefused(ValidationError, r"November Vet is a professional"):
            other.organization_id = self.solo
        self.affiliate(self.branch, self.organization)
        with self.assertRefused(
            ValidationError, r"itself affiliated to .*Mike Clinics"
        ):
            other.organization_id = self.branch
        with self.assertRefused(ValidationError, r"organization of other accounts"):
            self.organization.organization_id = other
        # Through the wizard too, although the organization's extensions clash
        # with the other account's: the reason given is the real one.
        with self.assertRefused(ValidationError, r"organization of other accounts"):
            self.open_affiliate(self.organization, other).save().action_continue()
        with self.assertRefused(ValidationError, r"cannot be affiliated to itself"):
            other.organization_id = other
        with self.assertRefused(UserError, r"already affiliated"):
            self.open_affiliate(self.branch, other).save().action_continue()

    def test_a_direct_write_cannot_bring_clashing_extensions(self):
        with self.assertRefused(ValidationError, r"clashes with the extension"):
            self.branch.organization_id = self.organization
        self.assertEqual(self.branch.orgid, self.branch.cid)

    def test_unaffiliate_keeps_extensions_and_tells_everyone_if_asked(self):
        self.affiliate(self.branch, self.organization)
        extensions = self.branch.user_ids.mapped("extension")
        form = Form(
            self.env["comms.account.unaffiliate"]
            .with_user(self.user_a)
            .with_context(default_account_id=self.branch.id)
        )
        self.assertEqual(form.organization_id, self.organization)
        form.notify_all = True
        with self.mock_mail_gateway():
            form.save().action_continue()
        self.assertFalse(self.branch.organization_id)
        self.assertEqual(self.branch.orgid, self.branch.cid)
        self.assertEqual(self.branch.user_ids.mapped("extension"), extensions)
        for user in self.branch.user_ids:
            mail = self._new_mails.filtered(lambda m, u=user: m.email_to == u.email)
            self.assertIn("left the organization Mike Clinics", mail.subject)
        self.assertIn(
            "Mike North left this organization", self.organization.message_ids[0].body
        )

    def test_unaffiliate_without_notification_emails_no_one(self):
        self.affiliate(self.branch, self.organization)
        wizard = (
            self.env["comms.account.unaffiliate"]
            .with_user(self.user_a)
            .create({"account_id": self.branch.id})
        )
        with self.mock_mail_gateway():
            wizard.action_continue()
        self.assertFalse(self.branch.organization_id)
        self.assertFalse(self._new_mails)

    def test_directory_lists_all_the_organizations_users(self):
        self.affiliate(self.branch, self.organization)
        self.affiliate(self.solo, self.organization)
        outsider = self.create_account("Quebec Law")
        expected = (
            self.organization.user_ids | self.branch.user_ids | self.solo.user_ids
        )
        for account in (self.organization, self.branch):
            action = account.with_user(self.user_a).action_view_directory()
            listed = (
                self.env[action["res_model"]]
                .with_user(self.user_a)
                .search(action["domain"])
            )
            self.assertEqual(listed, expected)
        rows = listed.read(["name", "extension", "account_id"])
        self.assertEqual(
            sorted(row["extension"] for row in rows),
            ["100", "101", "102", "103", "104", "105"],
        )
        action = outsider.action_view_directory()
        self.assertEqual(
            self.env["comms.account.user"].search(action["domain"]), outsider.user_ids
        )

    def test_accounts_stay_invoiced_separately(self):
        self.organization.line_ids = [Command.create({"product_id": self.plan.id})]
        self.branch.line_ids = [
            Command.create({"product_id": self.plan.id, "price_unit": 25})
        ]
        self.affiliate(self.branch, self.organization)
        (self.organization | self.branch).action_production_direct()
        self.run_invoicing_cron()
        for account, amount in ((self.organization, 30), (self.branch, 25)):
            invoices = self.invoices_of(account)
            self.assertEqual(len(invoices), 1)
            self.assertEqual(invoices.partner_id, account.partner_id)
            self.assertEqual(invoices.amount_untaxed, amount)
