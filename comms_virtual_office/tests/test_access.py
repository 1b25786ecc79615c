from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestAccess(VirtualOfficeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.item_a = cls.create_item(cls.client_a, sender_name="Alpha bank")
        cls.item_a_contact = cls.create_item(
            cls.portal_a.partner_id, sender_name="Notary"
        )
        cls.item_b = cls.create_item(cls.client_b, sender_name="Beta bank")
        cls.env["comms.mail.item.cost"].create(
            [
                {"mail_item_id": cls.item_a.id, "name": "Storage", "amount": 2.0},
                {"mail_item_id": cls.item_b.id, "name": "Storage", "amount": 2.0},
            ]
        )
        cls.item_b._request_scan()

    def test_portal_client_reads_own_and_company_items_only(self):
        Item = self.env["comms.mail.item"].with_user(self.portal_a)
        self.assertEqual(Item.search([]), self.item_a | self.item_a_contact)
        with self.assertRaises(AccessError):
            self.item_b.with_user(self.portal_a).read(["sender_name"])
        Cost = self.env["comms.mail.item.cost"].with_user(self.portal_a)
        self.assertEqual(Cost.search([]).mail_item_id, self.item_a)
        ScanRequest = self.env["comms.scan.request"].with_user(self.portal_a)
        self.assertFalse(ScanRequest.search([]))

    def test_portal_client_cannot_write_or_create(self):
        with self.assertRaises(AccessError):
            self.item_a.with_user(self.portal_a).write({"state": "collected"})
        with self.assertRaises(AccessError):
            self.env["comms.scan.request"].with_user(self.portal_a).create(
                {"mail_item_id": self.item_a.id}
            )
        with self.assertRaises(AccessError):
            self.env["comms.mail.item.cost"].with_user(self.portal_a).create(
                {"mail_item_id": self.item_a.id, "name": "Free", "amount": 0}
            )

    def test_internal_user_outside_office_reads_only(self):
        item = self.item_a.with_user(self.employee)
        self.assertEqual(item.sender_name, "Alpha bank")
        with self.assertRaises(AccessError):
            item.write({"state": "collected"})
        with self.assertRaises(AccessError):
            self.env["comms.mail.item"].with_user(self.employee).create(
                {"partner_id": self.client_a.id}
            )
        with self.assertRaises(AccessError):
            self.item_b.scan_request_ids.with_user(self.employee).action_cancel()
        with self.assertRaises(AccessError):
            self.package_scan.with_user(self.employee).scan_cost = 0

    def test_office_user_records_items_but_not_configuration(self):
        Item = self.env["comms.mail.item"].with_user(self.office_user)
        item = Item.create({"partner_id": self.client_b.id, "carrier_ref": "1Z999"})
        item.state = "collected"
        self.assertEqual(Item.search([("carrier_ref", "=", "1Z999")]), item)
        with self.assertRaises(AccessError):
            self.package_scan.with_user(self.office_user).scan_cost = 0
        with self.assertRaises(AccessError):
            item.unlink()
        item.with_user(self.office_manager).unlink()

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other office"})
        client = self.env["res.partner"].create(
            {"name": "Gamma", "company_id": other.id}
        )
        foreign = self.env["comms.mail.item"].create(
            {"partner_id": client.id, "company_id": other.id}
        )
        Item = self.env["comms.mail.item"].with_user(self.office_user)
        self.assertNotIn(foreign, Item.search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.office_user).read(["name"])
