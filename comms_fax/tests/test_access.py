from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FaxCase, make_pdf


@tagged("post_install", "-at_install")
class TestFaxAccess(FaxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = make_pdf(2)
        cls.fax = cls.line._receive_fax("+33612345678", cls.document, "acc-1")

    def test_members_see_their_group_faxes_only(self):
        self.assertEqual(
            self.env["comms.fax"].with_user(self.member).search([]), self.fax
        )
        self.assertEqual(self.fax.with_user(self.member).page_count, 2)
        self.assertEqual(
            self.fax.attachment_id.with_user(self.member).raw, self.document
        )
        self.assertFalse(self.env["comms.fax"].with_user(self.outsider).search([]))
        with self.assertRaises(AccessError):
            self.fax.with_user(self.outsider).read(["page_count"])
        with self.assertRaises(AccessError):
            self.fax.attachment_id.with_user(self.outsider).read(["raw"])
        self.assertEqual(
            self.env["comms.fax.line"].with_user(self.outsider).search([]),
            self.other_line,
        )

    def test_managers_of_the_group_see_its_faxes(self):
        self.assertEqual(
            self.env["comms.fax"].with_user(self.manager).search([]), self.fax
        )

    def test_portal_and_plain_employees_see_no_fax(self):
        for user in (self.portal, self.employee):
            with self.assertRaises(AccessError):
                self.fax.with_user(user).read(["page_count"])
            with self.assertRaises(AccessError):
                self.env["comms.fax.line"].with_user(user).search([])

    def test_credentials_are_for_administrators(self):
        provider = self.telnyx.with_user(self.manager)
        self.assertEqual(provider.name, "Telnyx test")
        with self.assertRaises(AccessError):
            provider.read(["api_key"])
        with self.assertRaises(AccessError):
            self.sinch.with_user(self.manager).read(["key_secret", "webhook_token"])
        with self.assertRaises(AccessError):
            provider.write({"base_url": "http://evil.example.com"})

    def test_other_company_faxes_are_hidden(self):
        company = self.env["res.company"].create({"name": "Other Co"})
        group = self.env["comms.group"].create(
            {
                "name": "Madrid",
                "company_id": company.id,
                "user_ids": [(4, self.member.id)],
            }
        )
        provider = self.env["comms.fax.provider"].create(
            {
                "name": "Telnyx Spain",
                "company_id": company.id,
                "base_url": self.server.url,
            }
        )
        line = self.env["comms.fax.line"].create(
            {
                "number": "+34 911 00 00 01",
                "group_id": group.id,
                "provider_id": provider.id,
            }
        )
        line._receive_fax("+34600000001", make_pdf(1), "acc-es")
        self.member.company_ids = [(4, company.id)]
        faxes = self.env["comms.fax"].with_user(self.member)
        main = faxes.with_context(allowed_company_ids=[self.env.company.id])
        self.assertEqual(main.search([]), self.fax)
        faxes = faxes.with_context(allowed_company_ids=[company.id])
        self.assertEqual(faxes.search([]).line_id, line)
