from datetime import date, timedelta

from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestTour(VirtualOfficeCase):
    def test_portal_client_requests_then_downloads_scan(self):
        item = self.create_item(self.client_a, sender_name="Tour sender")
        with self.mockSMSGateway():
            self.start_tour(
                "/my/mail", "comms_virtual_office_request_scan", login="portal_client_a"
            )
        scan_request = item.scan_request_ids
        self.assertEqual((scan_request.state, scan_request.channel), ("new", "portal"))

        self.start_tour(
            "/odoo/action-comms_virtual_office.comms_scan_request_action",
            "comms_virtual_office_complete_scan",
            login="office_user",
        )
        self.assertEqual(scan_request.state, "done")
        self.assertEqual(scan_request.additional_info, "Front page only.")
        scan = item.scan_ids
        self.assertEqual(scan.name, "tour-scan.pdf")
        self.assertEqual(scan.mimetype, "application/pdf")

        self.start_tour(
            "/my/mail", "comms_virtual_office_download_scan", login="portal_client_a"
        )
        self.authenticate("portal_client_a", "portal_client_a")
        download = self.url_open(f"/my/mail/{item.id}/scan/{scan.id}")
        self.assertEqual(download.content, scan.raw)
        self.assertTrue(download.content.startswith(b"%PDF"))

    def test_my_mail_at_phone_size(self):
        self.create_item(self.client_a, sender_name="Tour sender")
        self.browser_size = "390x844"
        self.start_tour(
            "/my/mail", "comms_virtual_office_my_mail_phone", login="portal_client_a"
        )

    def test_staff_open_an_item_from_the_list(self):
        item = self.create_item(self.client_a, sender_name="Tour sender")
        with self.mock_mail_gateway():
            self.start_tour(
                "/odoo/action-comms_virtual_office.comms_mail_item_action",
                "comms_virtual_office_open_mail_item",
                login="office_user",
            )
        self.assertEqual(item.state, "collected")
        self.assertTrue(item.notified_date)

    def test_manager_invoices_from_the_summary(self):
        self.env.company.office_invoice_product_id = self.env["product.product"].create(
            {"name": "Office handling", "type": "service", "taxes_id": False}
        )
        for client, amount in ((self.client_a, 11.35), (self.client_b, 12.0)):
            self.env["comms.mail.item.cost"].create(
                {
                    "mail_item_id": self.create_item(client).id,
                    "name": "Forwarding",
                    "amount": amount,
                    # Not today: the demo admin's today (Brussels) is a day ahead of
                    # the manager's browser (UTC) between 23:00 and midnight UTC.
                    "date": date.today() - timedelta(days=1),
                }
            )
        self.start_tour(
            "/odoo/action-comms_virtual_office.comms_mail_item_cost_action_summary",
            "comms_virtual_office_invoice_from_summary",
            login="office_manager",
        )
        invoices = self.env["account.move"].search(
            [("partner_id", "in", (self.client_a | self.client_b).ids)]
        )
        self.assertEqual(sorted(invoices.mapped("amount_total")), [11.35, 12.0])
