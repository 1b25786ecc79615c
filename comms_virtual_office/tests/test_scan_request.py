from unittest.mock import patch

import psycopg2

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestScanRequest(VirtualOfficeCase):
    def setUp(self):
        super().setUp()
        self.item = self.create_item(self.client_a)
        self.ScanRequest = self.env["comms.scan.request"]

    def requests(self, item=None):
        return self.ScanRequest.search([("mail_item_id", "=", (item or self.item).id)])

    def test_request_opens_one_new_request(self):
        self.assertTrue(self.item.can_request_scan)
        scan_request = self.item._request_scan(channel="portal")
        self.assertEqual(scan_request.state, "new")
        self.assertEqual(scan_request.channel, "portal")
        self.assertEqual(scan_request.partner_id, self.client_a)
        self.assertEqual(scan_request.additional_cost, 3.0, "defaults from the package")
        self.assertTrue(scan_request.name.startswith("SCAN/"))
        self.assertEqual(self.item.scan_request_state, "new")
        self.assertFalse(self.item.can_request_scan)
        self.assertEqual(scan_request.action_open_mail_item()["res_id"], self.item.id)

    def test_second_request_is_refused(self):
        self.item._request_scan()
        with self.assertRaisesRegex(UserError, "already been requested"):
            self.item._request_scan()
        self.assertEqual(len(self.requests()), 1)

    def test_database_allows_one_open_request_per_item(self):
        self.item._request_scan()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.ScanRequest.create({"mail_item_id": self.item.id})

    def test_concurrent_double_click_gives_a_clear_message(self):
        """A simultaneous second click passes the check (its snapshot shows no open
        request) but the index stops it: the client gets a message, not an error."""
        self.item._request_scan()
        item_class = type(self.item)
        with (
            patch.object(item_class, "_scan_request_refusal", return_value=False),
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(UserError, "already been requested"),
        ):
            self.item._request_scan()
        self.assertEqual(len(self.requests()), 1)

    def test_item_not_to_collect_is_refused(self):
        self.item.action_set_collected()
        with self.assertRaisesRegex(UserError, "waiting at the office"):
            self.item._request_scan()
        self.assertFalse(self.requests())

    def test_scanned_item_is_refused(self):
        self.item.scan_ids = self.make_scan()
        with self.assertRaisesRegex(UserError, "already been scanned"):
            self.item._request_scan()
        self.assertFalse(self.requests())

    def test_client_not_allowed_is_refused(self):
        self.client_a.office_scan_policy = "never"
        with self.assertRaisesRegex(UserError, "not available"):
            self.item._request_scan()
        self.assertFalse(self.requests())

    def test_done_needs_a_scan(self):
        scan_request = self.item._request_scan()
        with self.assertRaisesRegex(UserError, "Attach the scan"):
            scan_request.with_user(self.office_user).action_done()
        self.assertEqual(scan_request.state, "new")

    def test_done_sends_scan_info_and_cost(self):
        scan_request = self.item._request_scan()
        scan = self.make_scan("tax-letter.pdf")
        scan_request = scan_request.with_user(self.office_user)
        scan_request.write(
            {
                "scan_ids": [(6, 0, scan.ids)],
                "additional_info": "The envelope also held a cheque.",
                "additional_cost": 4.5,
            }
        )
        with self.mock_mail_gateway():
            scan_request.action_done()
        self.assertEqual(scan_request.state, "done")
        self.assertTrue(scan_request.done_date)
        self.assertEqual(self.item.scan_ids, scan)
        self.assertEqual(
            (scan.res_model, scan.res_id), ("comms.mail.item", self.item.id)
        )
        self.assertTrue(self.item.has_scan)
        self.assertEqual(scan_request.cost_id.amount, 4.5)
        self.assertEqual(scan_request.cost_id.mail_item_id, self.item)
        self.assertEqual(self.item.cost_total, 4.5)
        mail = self._find_sent_mail_wemail(self.client_a.email_formatted)
        self.assertIn("tax-letter.pdf", [att[0] for att in mail["attachments"]])
        self.assertIn("The envelope also held a cheque.", mail["body"])
        self.assertIn("4.50", mail["body"])
        with self.assertRaisesRegex(UserError, "already been scanned"):
            self.item._request_scan()

    def test_done_without_cost_bills_nothing(self):
        scan_request = self.item._request_scan()
        scan_request.write(
            {"scan_ids": [(6, 0, self.make_scan().ids)], "additional_cost": 0}
        )
        scan_request.action_done()
        self.assertFalse(scan_request.cost_id)
        self.assertFalse(self.item.cost_ids)

    def test_cancel_lets_the_client_ask_again(self):
        scan_request = self.item._request_scan()
        scan_request.with_user(self.office_user).action_cancel()
        self.assertEqual(scan_request.state, "cancel")
        self.assertTrue(self.item.can_request_scan)
        again = self.item._request_scan()
        self.assertEqual(len(self.requests()), 2)
        self.assertEqual(again.state, "new")

    def test_done_request_cannot_be_cancelled(self):
        scan_request = self.item._request_scan()
        scan_request.write({"scan_ids": [(6, 0, self.make_scan().ids)]})
        scan_request.action_done()
        with self.assertRaises(UserError):
            scan_request.action_cancel()
