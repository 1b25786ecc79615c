from odoo.tests import tagged

from .common import PDF, VirtualOfficeCase


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

        scan = self.make_scan("tour-scan.pdf")
        scan_request.with_user(self.office_user).write({"scan_ids": [(6, 0, scan.ids)]})
        scan_request.with_user(self.office_user).action_done()

        self.start_tour(
            "/my/mail", "comms_virtual_office_download_scan", login="portal_client_a"
        )
        self.authenticate("portal_client_a", "portal_client_a")
        download = self.url_open(f"/my/mail/{item.id}/scan/{scan.id}")
        self.assertEqual(download.content, PDF)
