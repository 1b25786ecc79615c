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
            self.env.company.office_scan_confirmation_text, "Scans cost 2 EUR"
        )

    def test_partner_inserted_without_the_addon_follows_the_package(self):
        """A partner written by code that does not know this addon (an SQL
        insert, a registry without it) gets no policy: it follows its package.
        autopost_bills is the account module's own NOT NULL column."""
        self.env.cr.execute(
            "INSERT INTO res_partner (name, active, autopost_bills) "
            "VALUES ('Inserted client', TRUE, 'ask') RETURNING id"
        )
        partner = self.env["res.partner"].browse(self.env.cr.fetchone()[0])
        self.assertFalse(partner.office_scan_policy)
        partner.office_package_id = self.package_scan
        self.assertTrue(partner._office_scan_allowed())
        partner.office_package_id = self.package_basic
        self.assertFalse(partner._office_scan_allowed())
