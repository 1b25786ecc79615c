import re
import time

from odoo.tests import tagged

from .common import PDF, VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestControllers(VirtualOfficeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.item_a = cls.create_item(cls.client_a, sender_name="Alpha bank")
        cls.item_a2 = cls.create_item(cls.client_a, sender_name="Alpha insurer")
        cls.item_b = cls.create_item(cls.client_b, sender_name="Beta bank")

    def requests(self, item):
        return self.env["comms.scan.request"].search([("mail_item_id", "=", item.id)])

    def _path(self, item, expires=None):
        url = item._scan_link_url(expires or int(time.time()) + 3600)
        return url[url.index("/office/scan/") :]

    def _csrf(self, response):
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _post(self, path, get_response=None):
        """POST the confirmation form of `path` (as a browser would)."""
        page = get_response or self.url_open(path)
        return self.url_open(path, data={"csrf_token": self._csrf(page)})

    # Signed link from the email

    def test_signed_link_confirms_then_requests_without_login(self):
        path = self._path(self.item_a)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Scanning may be charged extra", page.text)
        self.assertIn("o_office_confirm_scan", page.text)
        self.assertFalse(self.requests(self.item_a), "a GET only asks to confirm")
        with self.mockSMSGateway():
            response = self._post(path, page)
        self.assertIn("Your scan request was sent", response.text)
        scan_request = self.requests(self.item_a)
        self.assertEqual((scan_request.state, scan_request.channel), ("new", "email"))

    def test_signed_link_replayed_creates_one_request(self):
        path = self._path(self.item_a)
        page = self.url_open(path)
        with self.mockSMSGateway():
            self._post(path, page)
            response = self._post(path, page)
        self.assertIn("already been requested", response.text)
        self.assertEqual(len(self.requests(self.item_a)), 1)

    def test_expired_link(self):
        path = self._path(self.item_a, expires=int(time.time()) - 60)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 403)
        self.assertIn("This link has expired", page.text)
        self.assertNotIn("o_office_confirm_scan", page.text)
        self.assertFalse(self.requests(self.item_a))

    def test_tampered_link(self):
        path = self._path(self.item_a)
        for bad in (
            path[:-4] + "0000",
            path.replace("/office/scan/", "/office/scan/9"),
        ):
            page = self.url_open(bad)
            self.assertIn(page.status_code, (403, 404))
        page = self.url_open(path[:-4] + "0000")
        self.assertIn("This link is not valid", page.text)
        # a later expiry date does not fit the signature either
        item_id, expires, token = path.rsplit("/", 3)[1:]
        longer = f"/office/scan/{item_id}/{int(expires) + 86400 * 365}/{token}"
        self.assertIn("This link is not valid", self.url_open(longer).text)
        self.assertFalse(self.requests(self.item_a))

    def test_link_replayed_for_another_item(self):
        expires = int(time.time()) + 3600
        token_b = self.item_b._scan_link_token(expires)
        for item in (self.item_a, self.item_a2):
            page = self.url_open(f"/office/scan/{item.id}/{expires}/{token_b}")
            self.assertEqual(page.status_code, 403)
            self.assertIn("This link is not valid", page.text)
        # even when the POST is forged with a valid session token
        good = self.url_open(self._path(self.item_b))
        forged = f"/office/scan/{self.item_a.id}/{expires}/{token_b}"
        response = self.url_open(forged, data={"csrf_token": self._csrf(good)})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.requests(self.item_a) | self.requests(self.item_a2))
        self.assertFalse(self.requests(self.item_b))

    def test_signed_link_for_ineligible_item(self):
        self.item_a.scan_ids = self.make_scan()
        page = self.url_open(self._path(self.item_a))
        self.assertIn("already been scanned", page.text)
        self.assertNotIn("o_office_confirm_scan", page.text)
        self.item_a2.action_set_collected()
        page = self.url_open(self._path(self.item_a2))
        self.assertIn("waiting at the office", page.text)

    # Portal

    def test_portal_lists_own_items_only(self):
        self.authenticate("portal_client_a", "portal_client_a")
        page = self.url_open("/my/mail")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.item_a.name, page.text)
        self.assertIn(self.item_a2.name, page.text)
        self.assertNotIn(self.item_b.name, page.text)
        self.assertIn(f"/my/mail/{self.item_a.id}/request_scan", page.text)
        home = self.url_open("/my/home")
        self.assertIn("/my/mail", home.text)

    def test_portal_cannot_reach_other_clients_items_by_id(self):
        self.item_b.scan_ids = scan_b = self.make_scan("beta.pdf")
        self.authenticate("portal_client_a", "portal_client_a")
        page = self.url_open(f"/my/mail/{self.item_b.id}")
        self.assertNotIn(self.item_b.name, page.text)
        self.assertTrue(page.url.endswith("/my"), page.url)
        confirm = self.url_open(f"/my/mail/{self.item_b.id}/request_scan")
        self.assertNotIn("o_office_confirm_scan", confirm.text)
        own = self.url_open(f"/my/mail/{self.item_a.id}/request_scan")
        response = self.url_open(
            f"/my/mail/{self.item_b.id}/request_scan",
            data={"csrf_token": self._csrf(own)},
        )
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertFalse(self.requests(self.item_b))
        download = self.url_open(f"/my/mail/{self.item_b.id}/scan/{scan_b.id}")
        self.assertEqual(download.status_code, 404)
        missing = self.url_open("/my/mail/999999999")
        self.assertTrue(missing.url.endswith("/my"))

    def test_portal_request_and_download(self):
        self.authenticate("portal_client_a", "portal_client_a")
        path = f"/my/mail/{self.item_a.id}/request_scan"
        page = self.url_open(path)
        self.assertIn("Scanning may be charged extra", page.text)
        with self.mockSMSGateway():
            response = self.url_open(path, data={"csrf_token": self._csrf(page)})
        self.assertIn("Your scan request was sent", response.text)
        scan_request = self.requests(self.item_a)
        self.assertEqual((scan_request.state, scan_request.channel), ("new", "portal"))
        with self.mockSMSGateway():
            again = self.url_open(path, data={"csrf_token": self._csrf(page)})
        self.assertIn("already been requested", again.text)
        self.assertEqual(len(self.requests(self.item_a)), 1)

        scan = self.make_scan("alpha-letter.pdf")
        scan_request.write({"scan_ids": [(6, 0, scan.ids)]})
        scan_request.action_done()
        listing = self.url_open("/my/mail")
        self.assertIn(f"/my/mail/{self.item_a.id}/scan/{scan.id}", listing.text)
        download = self.url_open(f"/my/mail/{self.item_a.id}/scan/{scan.id}")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, PDF)
        self.assertIn("alpha-letter.pdf", download.headers["Content-Disposition"])
        detail = self.url_open(f"/my/mail/{self.item_a.id}")
        self.assertIn("alpha-letter.pdf", detail.text)

    def test_portal_request_refused_for_collected_item(self):
        self.item_a.action_set_collected()
        self.authenticate("portal_client_a", "portal_client_a")
        listing = self.url_open("/my/mail")
        self.assertNotIn(f"/my/mail/{self.item_a.id}/request_scan", listing.text)
        page = self.url_open(f"/my/mail/{self.item_a2.id}/request_scan")
        response = self.url_open(
            f"/my/mail/{self.item_a.id}/request_scan",
            data={"csrf_token": self._csrf(page)},
        )
        self.assertIn("waiting at the office", response.text)
        self.assertFalse(self.requests(self.item_a))
