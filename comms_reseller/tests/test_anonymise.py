from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAnonymise(ResellerCase):
    def run_anonymise_cron(self):
        self.env.ref(
            "comms_reseller.ir_cron_anonymise_accounts"
        ).method_direct_trigger()

    def test_anonymised_after_90_days_invoices_kept(self):
        with freeze_time("2026-01-05"):
            account = self.create_account(
                "Whiskey Corp", status="production", users=2, lines=[self.plan]
            )
            account.partner_id.write({"phone": "+12025550199", "street": "1 Main St"})
            self.run_invoicing_cron()
            invoice = self.invoices_of(account)
            self.assertTrue(invoice)
            kept = self.create_account("Xray", status="production")
        with freeze_time("2026-01-10"):
            account.unlink()
            kept.unlink()
            # Tracking is written when the transaction commits.
            self.env.cr.precommit.run()
        users = account.user_ids
        portal_users = users.user_id
        contacts = portal_users.partner_id
        originals = users.mapped("name") + users.mapped("email")
        with freeze_time("2026-04-10"):
            kept.action_restore()
            self.run_anonymise_cron()
            self.assertFalse(account.anonymised_date, "still restorable today")
        with freeze_time("2026-04-11"):
            self.run_anonymise_cron()
            self.run_anonymise_cron()
        self.assertEqual(str(account.anonymised_date), "2026-04-11")
        self.assertEqual(account.name, f"Anonymised {account.cid}")
        for value in originals:
            with self.subTest(value=value):
                self.assertNotIn(value, users.mapped("name") + users.mapped("email"))
                self.assertNotIn(value, portal_users.mapped("login"))
                self.assertNotIn(value, contacts.mapped("name"))
                for message in account.message_ids:
                    self.assertNotIn(value, str(message.body))
        self.assertFalse(any(contacts.mapped("email")))
        # The invoiced customer keeps the name and address of its invoices.
        customer = account.partner_id
        self.assertEqual(customer.name, "Whiskey Corp")
        self.assertEqual(customer.street, "1 Main St")
        self.assertFalse(customer.phone or customer.email)
        self.assertEqual(invoice.exists().partner_id, customer)
        # The audit log stays.
        self.assertIn("Personal data anonymised", account.message_ids[0].body)
        self.assertFalse(
            account.message_ids.filtered(lambda m: m.message_type == "comment"),
            "the correspondence with the client is gone",
        )
        with self.assertRefused(UserError, "cannot be restored"):
            account.action_restore()
        self.assertEqual(kept.billing_status, "production")
        self.assertFalse(kept.anonymised_date)

    def test_customer_without_invoices_anonymised(self):
        with freeze_time("2026-01-05"):
            account = self.create_account("Yankee", kind="professional")
            account.unlink()
        with freeze_time("2026-06-01"):
            self.run_anonymise_cron()
        self.assertTrue(account.anonymised_date)
        self.assertNotIn("Yankee", account.partner_id.name)
        self.assertFalse(account.partner_id.email)
