import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestMailItem(VirtualOfficeCase):
    def test_reference_is_barcode_friendly_and_unique(self):
        first = self.create_item(self.client_a)
        second = self.create_item(self.client_a)
        self.assertRegex(first.name, r"^VO\d{8}$")
        self.assertNotEqual(first.name, second.name)
        self.assertEqual(first.state, "to_collect")

    def test_outgoing_item_is_sent(self):
        item = self.create_item(
            self.client_a, direction="outgoing", recipient_name="Chamber of commerce"
        )
        self.assertEqual(item.state, "sent")
        self.assertFalse(item.can_request_scan)

    def test_state_buttons(self):
        item = self.create_item(self.client_a)
        item.action_set_collected()
        self.assertEqual(item.state, "collected")
        item.action_set_to_collect()
        item.action_set_forwarded()
        self.assertEqual(item.state, "forwarded")
        item.action_set_returned()
        self.assertEqual(item.state, "returned")

    def test_notify_with_scan_attaches_it(self):
        item = self.create_item(self.client_a)
        item.scan_ids = self.make_scan("letter-scan.pdf")
        with self.mock_mail_gateway():
            item.action_notify_client()
        mail = self._find_sent_mail_wemail(self.client_a.email_formatted)
        self.assertIn("letter-scan.pdf", [att[0] for att in mail["attachments"]])
        self.assertIn("Its scan is attached", mail["body"])
        self.assertNotIn("/office/scan/", mail["body"])
        self.assertTrue(item.notified_date)

    def test_notify_without_scan_offers_request_button(self):
        item = self.create_item(self.client_a)
        with self.mock_mail_gateway():
            item.action_notify_client()
        mail = self._find_sent_mail_wemail(self.client_a.email_formatted)
        self.assertFalse(mail["attachments"])
        self.assertIn("Request scan", mail["body"])
        link = re.search(r"/office/scan/(\d+)/(\d+)/(\w+)", mail["body"])
        self.assertTrue(link)
        self.assertEqual(int(link.group(1)), item.id)
        self.assertEqual(
            item._check_scan_link(int(link.group(2)), link.group(3)), "valid"
        )

    def test_notify_without_button_when_scans_not_allowed(self):
        self.client_a.office_package_id = self.package_basic
        item = self.create_item(self.client_a)
        with self.mock_mail_gateway():
            item.action_notify_client()
        mail = self._find_sent_mail_wemail(self.client_a.email_formatted)
        self.assertNotIn("/office/scan/", mail["body"])
        self.assertNotIn("Request scan", mail["body"])

    def test_notify_from_list_in_batch(self):
        items = self.create_item(self.client_a) | self.create_item(self.client_b)
        with self.mock_mail_gateway():
            items.with_user(self.office_user).action_notify_client()
        self.assertTrue(self._find_sent_mail_wemail(self.client_a.email_formatted))
        self.assertTrue(self._find_sent_mail_wemail(self.client_b.email_formatted))
        self.assertTrue(all(items.mapped("notified_date")))

    def mails_to(self, partner):
        return [m for m in self._mails if m["email_to"] == [partner.email_formatted]]

    def test_double_click_on_notify_sends_one_email(self):
        item = self.create_item(self.client_a).with_user(self.office_user)
        with self.mock_mail_gateway():
            first = item.action_notify_client()
            # What the second click's request does once the first has committed.
            second = item.action_notify_client()
        self.assertEqual(len(self.mails_to(self.client_a)), 1)
        self.assertEqual(first["params"]["type"], "success")
        self.assertEqual(
            first["params"]["message"], f"Client notified by email: {item.name}"
        )
        self.assertEqual(second["params"]["type"], "warning")
        self.assertIn(f"not sent again: {item.name}", second["params"]["message"])
        # Minutes later, notifying again is a wish: it is sent.
        item.sudo().notified_date = fields.Datetime.now() - timedelta(minutes=3)
        with self.mock_mail_gateway():
            item.action_notify_client()
        self.assertEqual(len(self.mails_to(self.client_a)), 1)

    def test_notify_a_batch_with_an_item_just_notified(self):
        done = self.create_item(self.client_a)
        new = self.create_item(self.client_b)
        with self.mock_mail_gateway():
            done.action_notify_client()
            feedback = (done | new).with_user(self.office_user).action_notify_client()
        self.assertEqual(len(self.mails_to(self.client_a)), 1)
        self.assertEqual(len(self.mails_to(self.client_b)), 1)
        self.assertIn(new.name, feedback["params"]["message"])
        self.assertIn(f"not sent again: {done.name}", feedback["params"]["message"])

    def test_costs_on_incoming_and_outgoing_items(self):
        incoming = self.create_item(self.client_a)
        outgoing = self.create_item(self.client_a, direction="outgoing")
        Cost = self.env["comms.mail.item.cost"]
        Cost.create(
            [
                {"mail_item_id": incoming.id, "name": "Storage", "amount": 4.0},
                {"mail_item_id": incoming.id, "name": "Handling", "amount": 1.5},
                {"mail_item_id": outgoing.id, "name": "Postage", "amount": 7.35},
            ]
        )
        self.assertEqual(incoming.cost_total, 5.5)
        self.assertEqual(outgoing.cost_total, 7.35)
        self.assertEqual(outgoing.cost_ids.direction, "outgoing")
