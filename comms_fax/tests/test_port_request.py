import base64
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FaxCase, make_pdf


@tagged("post_install", "-at_install")
class TestPortRequest(FaxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.target = cls.env["comms.group"].create(
            {
                "name": "Grenoble",
                "manager_ids": [(6, 0, cls.manager.ids)],
            }
        )

    def new_request(self, **values):
        document = base64.b64encode(make_pdf(1))
        return (
            self.env["comms.fax.port.request"]
            .with_user(self.manager)
            .create(
                {
                    "number": "04 76 00 00 10",
                    "group_id": self.target.id,
                    "provider_id": self.telnyx.id,
                    "losing_carrier": "Orange Business",
                    "account_number": "OB-778812",
                    "invoice_date": date.today() - timedelta(days=10),
                    "invoice_file": document,
                    "invoice_filename": "invoice.pdf",
                    "loa_file": document,
                    "loa_filename": "loa.pdf",
                    **values,
                }
            )
        )

    def told_requester(self, request):
        """The chatter messages that notified the requester."""
        partner = self.manager.partner_id
        return request.message_ids.filtered(lambda m: partner in m.partner_ids)

    def test_full_port_creates_the_line(self):
        request = self.new_request()
        self.assertTrue(request.name.startswith("PORT/"))
        self.assertIn(self.manager.partner_id, request.message_partner_ids)
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.number, "+33476000010")
        self.assertIn(
            "submitted to Orange Business", self.told_requester(request)[0].body
        )
        as_admin = request.with_user(self.admin)
        with self.assertRaisesRegex(UserError, "porting date"):
            as_admin.action_confirm()
        as_admin.carrier_date = date.today() + timedelta(days=7)
        as_admin.action_confirm()
        self.assertEqual(request.state, "confirmed")
        confirmed = self.told_requester(request)[0].body
        self.assertIn("confirmed the move", confirmed)
        # In the user's date format (English: month/day/year), not ISO.
        self.assertIn(f"on {as_admin.carrier_date.strftime('%m/%d/%Y')}.", confirmed)
        self.assertNotIn(str(as_admin.carrier_date), confirmed)
        as_admin.action_complete()
        self.assertEqual(request.state, "completed")
        line = request.line_id
        self.assertEqual((line.number, line.group_id), ("+33476000010", self.target))
        self.assertEqual(self.target.fax_line_id, line)
        last = self.told_requester(request)[0].body
        self.assertIn("cancel your service with Orange Business", last)
        self.assertEqual(len(self.told_requester(request)), 3)

    def test_only_administrators_record_carrier_replies(self):
        request = self.new_request()
        request.action_submit()
        request.carrier_date = date.today()
        with self.assertRaisesRegex(AccessError, "administrator"):
            request.action_confirm()

    def test_old_invoice_is_refused(self):
        invoice_date = date.today() - timedelta(days=31)
        request = self.new_request(invoice_date=invoice_date)
        with self.assertRaisesRegex(UserError, "within the last 30 days") as caught:
            request.action_submit()
        self.assertIn(
            f"dated {invoice_date.strftime('%m/%d/%Y')}:", str(caught.exception)
        )
        request.invoice_date = date.today() - timedelta(days=30)
        request.action_submit()
        self.assertEqual(request.state, "submitted")

    def test_documents_are_required(self):
        with self.assertRaisesRegex(UserError, "Letter of Authorization"):
            self.new_request(loa_file=False).action_submit()
        with self.assertRaisesRegex(UserError, "recent invoice"):
            self.new_request(invoice_file=False).action_submit()

    def test_number_used_by_card_terminals_cannot_be_ported(self):
        request = self.new_request(used_by_card_terminals=True)
        with self.assertRaisesRegex(UserError, "card-payment terminals dial out"):
            request.action_submit()
        self.line.used_by_card_terminals = True
        request = self.new_request(number=self.line.number)
        with self.assertRaisesRegex(UserError, "would stop working"):
            request.action_submit()

    def test_number_already_a_line_or_group_with_a_line(self):
        with self.assertRaisesRegex(UserError, "already the fax line of Lyon"):
            self.new_request(number=self.line.number).action_submit()
        with self.assertRaisesRegex(UserError, "Lyon already has a fax line"):
            self.new_request(group_id=self.group.id).action_submit()

    def test_rejected_then_fixed_and_resubmitted(self):
        request = self.new_request()
        request.action_submit()
        as_admin = request.with_user(self.admin)
        with self.assertRaisesRegex(UserError, "reason"):
            as_admin.action_reject()
        as_admin.rejection_reason = "Account number does not match."
        as_admin.action_reject()
        self.assertEqual(request.state, "rejected")
        told = self.told_requester(request)[0].body
        self.assertIn("Account number does not match.", told)
        self.assertNotIn("..", told)
        request.account_number = "OB-778813"
        request.action_submit()
        self.assertEqual(request.state, "submitted")

    def test_invalid_number_is_refused(self):
        with self.assertRaisesRegex(UserError, "“12” is not a valid phone number"):
            self.new_request(number="12")

    def test_provider_of_another_company_is_refused(self):
        company = self.env["res.company"].create({"name": "Other Co"})
        provider = self.env["comms.fax.provider"].create(
            {"name": "Their Telnyx", "company_id": company.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.new_request(provider_id=provider.id)

    def test_cancel(self):
        request = self.new_request()
        request.action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertIn("cancelled", self.told_requester(request)[0].body)
        with self.assertRaisesRegex(UserError, "not possible"):
            request.action_submit()
        request.action_draft()
        self.assertEqual(request.state, "draft")
