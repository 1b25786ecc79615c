from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestScanPolicy(VirtualOfficeCase):
    def test_package_decides_by_default(self):
        self.assertTrue(self.client_a._office_scan_allowed())
        self.client_a.office_package_id = self.package_basic
        self.assertFalse(self.client_a._office_scan_allowed())
        self.client_a.office_package_id = False
        self.assertFalse(self.client_a._office_scan_allowed())

    def test_client_override(self):
        self.client_a.office_package_id = self.package_basic
        self.client_a.office_scan_policy = "always"
        self.assertTrue(self.client_a._office_scan_allowed())
        self.client_a.office_package_id = self.package_scan
        self.client_a.office_scan_policy = "never"
        self.assertFalse(self.client_a._office_scan_allowed())

    def test_contact_follows_its_company(self):
        contact = self.portal_a.partner_id
        self.assertTrue(contact._office_scan_allowed())
        self.client_a.office_scan_policy = "never"
        self.assertFalse(contact._office_scan_allowed())
        contact.office_scan_policy = "always"
        self.assertTrue(contact._office_scan_allowed())

    def test_global_switch_wins(self):
        self.client_a.office_scan_policy = "always"
        self.params.set_param("comms_virtual_office.allow_scan_request", False)
        self.assertFalse(self.client_a._office_scan_allowed())
        item = self.create_item(self.client_a)
        self.assertFalse(item.can_request_scan)

    def test_settings_store_the_switch_and_text(self):
        settings = self.env["res.config.settings"].create(
            {
                "office_allow_scan_request": False,
                "office_scan_confirmation_text": "Scans cost 2 EUR",
            }
        )
        settings.execute()
        self.assertFalse(
            self.params.get_param("comms_virtual_office.allow_scan_request")
        )
        self.assertEqual(
            self.params.get_param("comms_virtual_office.scan_confirmation_text"),
            "Scans cost 2 EUR",
        )
