from odoo.exceptions import ValidationError
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
        with self.assertRaisesRegex(ValidationError, "not a valid fax number"):
            self.line.number = "12"

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
