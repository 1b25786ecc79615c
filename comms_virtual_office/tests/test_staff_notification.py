import re

from odoo.tests import tagged

from .common import VirtualOfficeCase


@tagged("post_install", "-at_install")
class TestStaffNotification(VirtualOfficeCase):
    def setUp(self):
        super().setUp()
        self.item = self.create_item(self.client_a, sender_name="City bank")

    def _request(self):
        with self.mock_mail_gateway(), self.mockSMSGateway():
            scan_request = self.item._request_scan()
            scan_request.flush_recordset()
        return scan_request

    def _office_inbox(self, scan_request):
        return self.env["mail.notification"].search(
            [
                ("mail_message_id.model", "=", "comms.scan.request"),
                ("mail_message_id.res_id", "=", scan_request.id),
                ("res_partner_id", "=", self.office_user.partner_id.id),
                ("notification_type", "=", "inbox"),
            ]
        )

    def test_staff_are_told_everywhere(self):
        scan_request = self._request()
        office_mail = self._new_mails.filtered(
            lambda m: m.email_to == "frontdesk@office.example.com"
        )
        self.assertEqual(len(office_mail), 1)
        self.assertIn(self.item.name, office_mail.subject)
        self.assertIn("City bank", str(office_mail.body_html))
        self.assertEqual(self._new_sms.mapped("number"), ["+32456998877"])
        self.assertIn(self.item.name, self._new_sms.body)
        self.assertIn("City bank", self._new_sms.body)
        self.assertTrue(self._office_inbox(scan_request))
        self.assertFalse(
            self.env["mail.notification"].search(
                [("res_partner_id", "=", self.employee.partner_id.id)]
            ),
            "users outside the office are not told",
        )
        listed = self.env["comms.scan.request"].with_user(self.office_user).search([])
        self.assertIn(scan_request, listed)

    def test_office_sms_is_sent_from_the_queue(self):
        """The client's request only queues the text: Odoo's SMS queue sends it
        afterwards, so that a retried or rolled back request cannot send it."""
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        self.authenticate("portal_client_a", "portal_client_a")
        path = f"/my/mail/{self.item.id}/request_scan"
        page = self.url_open(path)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        with self.mockSMSGateway():
            response = self.url_open(path, data={"csrf_token": csrf})
        self.assertIn("Your scan request was sent", response.text)
        self.assertFalse(self._sms, "the provider was not called during the request")
        sms = self.env["sms.sms"].search([("number", "=", "+32456998877")])
        self.assertEqual(sms.state, "outgoing")
        self.assertIn(self.item.name, sms.body)
        self.assertTrue(Trigger.search([("cron_id", "=", cron.id)]) - triggers)

        with self.mockSMSGateway():
            cron.method_direct_trigger()
        sent = [msg for msg in self._sms if msg["number"] == "+32456998877"]
        self.assertEqual([msg["body"] for msg in sent], [sms.body])
        self.assertNotEqual(sms.state, "outgoing")

    def test_each_channel_can_be_switched_off(self):
        for key in ("notify_email", "notify_sms", "notify_inapp"):
            self.params.set_param(f"comms_virtual_office.{key}", False)
        scan_request = self._request()
        self.assertFalse(
            self._new_mails.filtered(
                lambda m: m.email_to == "frontdesk@office.example.com"
            )
        )
        self.assertFalse(self._sms)
        self.assertFalse(self._new_sms)
        self.assertFalse(self._office_inbox(scan_request))

    def test_scan_request_menu_switch(self):
        menu = self.env.ref("comms_virtual_office.menu_scan_request")
        Menu = self.env["ir.ui.menu"].with_user(self.office_user)
        self.assertIn(menu.id, Menu._visible_menu_ids())
        self.env["res.config.settings"].create(
            {"group_office_scan_request_menu": False}
        ).execute()
        self.env.registry.clear_cache()
        self.assertNotIn(menu.id, Menu._visible_menu_ids())
        self.env["res.config.settings"].create(
            {"group_office_scan_request_menu": True}
        ).execute()
        self.env.registry.clear_cache()
        self.assertIn(menu.id, Menu._visible_menu_ids())
