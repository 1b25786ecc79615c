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
