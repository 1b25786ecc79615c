from freezegun import freeze_time

from odoo.tests import tagged

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestAnonymisePrivacyLookup(ResellerCase):
    """The anonymisation acts on what Odoo's privacy lookup finds pointing to the
    account's people, and logs it in Odoo's privacy log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-01-05"):
            cls.account = cls.create_account(
                "Whiskey Corp", status="production", users=2, lines=[cls.plan]
            )
            cls.env.ref("contract.contract_cron_for_invoice").method_direct_trigger()
        cls.invoice = cls.account.sudo()._get_invoices()
        cls.customer = cls.account.partner_id
        cls.admin_partner = cls.account.admin_user_id.partner_id
        cls.accountant = cls.env["res.partner"].create(
            {
                "name": "Jane Ledger",
                "email": "jane.ledger@whiskey.example.com",
                "phone": "+12025550123",
                "parent_id": cls.customer.id,
            }
        )
        # The client's administrator wrote on the invoice and follows it.
        cls.invoice.message_post(
            body="Paid by cheque, Whiskey Corp user 0",
            author_id=cls.admin_partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls.invoice.message_subscribe(partner_ids=cls.admin_partner.ids)
        # The accountant changed something recorded on the customer.
        cls.tracked = cls.customer.message_post(
            body="Billing address updated",
            author_id=cls.accountant.id,
            message_type="notification",
        )
        # Someone else with the administrator's name, not concerned.
        cls.namesake = cls.env["res.partner"].create(
            {"name": "Whiskey Corp user 0", "email": "namesake@elsewhere.example.com"}
        )
        cls.admin_email = cls.admin_partner.email

    def lookup(self, name, email):
        wizard = self.env["privacy.lookup.wizard"].create(
            {"name": name, "email": email}
        )
        wizard.action_lookup()
        return wizard.line_ids

    def anonymise(self):
        with freeze_time("2026-01-10"):
            self.account.unlink()
        with freeze_time("2026-04-11"):
            self.env.ref(
                "comms_reseller.ir_cron_anonymise_accounts"
            ).method_direct_trigger()
        self.assertTrue(self.account.anonymised_date)

    def test_nothing_left_points_to_the_people(self):
        self.anonymise()
        self.assertFalse(
            self.lookup("Whiskey Corp user 0", self.admin_email).filtered(
                lambda line: line.res_id != self.namesake.id
                or line.res_model != "res.partner"
            ),
            "Odoo's lookup finds nothing left of the administrator",
        )
        self.assertFalse(self.lookup("Jane Ledger", "jane.ledger@whiskey.example.com"))
        self.assertFalse(self.accountant.phone)
        self.assertNotIn(self.admin_partner, self.invoice.message_partner_ids)
        self.assertNotIn(
            "Paid by cheque", "".join(self.invoice.message_ids.mapped("body"))
        )
        # The tracked change stays, without its author.
        self.assertTrue(self.tracked.exists())
        self.assertFalse(self.tracked.author_id)

    def test_invoice_kept_with_its_customer(self):
        self.anonymise()
        self.assertTrue(self.invoice.exists())
        self.assertEqual(self.invoice.partner_id, self.customer)
        self.assertEqual(self.customer.name, "Whiskey Corp")
        found = self.lookup("Whiskey Corp", "whiskeycorp@x.com")
        self.assertIn("account.move", found.mapped("res_model"))
        self.assertFalse(
            [
                model
                for model in found.mapped("res_model")
                if model not in ("res.partner", "comms.account")
                and not model.startswith(("account.", "contract."))
            ],
            "only the customer, its (anonymised) account and the accounting remain",
        )
        self.assertEqual(
            found.filtered(lambda line: line.res_model == "res.partner").res_id,
            self.customer.id,
        )

    def test_privacy_log_written(self):
        self.anonymise()
        log = self.env["privacy.log"].search(
            [("anonymized_email", "=", "w**********.0@c*****.e******.com")]
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(log.anonymized_name, "W****** C*** u*** 0")
        self.assertIn(
            f"Anonymised Contact #{self.admin_partner.id}", log.execution_details
        )
        self.assertRegex(log.execution_details, r"Deleted Message #\d+")
        self.assertIn(self.account.cid, log.additional_note)
        self.assertEqual(
            len(
                self.env["privacy.log"].search(
                    [("additional_note", "ilike", self.account.cid)]
                )
            ),
            4,
            "one log for each person: two users, the customer, the accountant",
        )
        # The namesake is not touched.
        self.assertEqual(self.namesake.name, "Whiskey Corp user 0")
        self.assertEqual(self.namesake.email, "namesake@elsewhere.example.com")
        self.assertIn("privacy log", self.account.message_ids[0].body)
