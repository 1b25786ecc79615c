from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import FaxCase


@tagged("post_install", "-at_install")
class TestFaxLine(FaxCase):
    def test_number_is_stored_in_e164(self):
        self.assertEqual(self.line.number, "+33472990001")
        self.assertEqual(self.line.display_name, "+33472990001 (Lyon)")
        self.assertEqual(self.line.document_limit, 25)

    def test_group_shows_its_fax_line(self):
        self.assertEqual(self.group.fax_line_id, self.line)
        self.assertEqual(self.other_group.fax_line_id, self.other_line)

    def test_invalid_number_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "“12” is not a valid phone number"
        ):
            self.line.number = "12"

    def test_national_number_is_read_in_the_company_country(self):
        self.line.number = "04 72 99 00 09"
        self.assertEqual(self.line.number, "+33472990009")

    def test_provider_of_another_company_is_refused(self):
        company = self.env["res.company"].create({"name": "Other Co"})
        provider = self.env["comms.fax.provider"].create(
            {"name": "Their Telnyx", "company_id": company.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.line.provider_id = provider
        group = self.env["comms.group"].create({"name": "Nice"})
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.env["comms.fax.line"].create(
                {
                    "number": "+33 4 93 00 00 01",
                    "group_id": group.id,
                    "provider_id": provider.id,
                }
            )

    def test_one_line_per_group(self):
        with self.assertRaisesRegex(ValidationError, "Lyon already has the fax line"):
            self.env["comms.fax.line"].create(
                {
                    "number": "+33 4 72 99 00 77",
                    "group_id": self.group.id,
                    "provider_id": self.telnyx.id,
                }
            )

    def test_one_group_per_line(self):
        group = self.env["comms.group"].create({"name": "Nice"})
        with self.assertRaisesRegex(
            ValidationError, r"\+33472990001 is already the fax line of Lyon"
        ):
            self.env["comms.fax.line"].create(
                {
                    "number": "04 72 99 00 01",
                    "group_id": group.id,
                    "provider_id": self.sinch.id,
                }
            )

    def test_document_limit_is_at_least_one(self):
        with self.assertRaisesRegex(ValidationError, "at least one fax"):
            self.line.document_limit = 0
