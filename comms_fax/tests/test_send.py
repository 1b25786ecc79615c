import base64
import json
import socket
from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import _super_send as unblocked_send
from odoo.tools import mute_logger

from .common import SINCH_TOKEN, FaxCase, make_pdf, pdf_pages, pdf_text


@tagged("post_install", "-at_install")
class TestSendFax(FaxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Garage Martin", "phone": "+33 4 78 55 66 77"}
        )
        cls.conversation = cls.env["comms.conversation"].create(
            {"group_id": cls.group.id, "partner_id": cls.customer.id}
        )

    def wizard(self, conversation=None, **values):
        conversation = self.conversation if conversation is None else conversation
        action = conversation.with_user(self.member).action_send_fax()
        self.assertEqual(action["res_model"], "comms.fax.send")
        wizard = (
            self.env["comms.fax.send"]
            .with_user(self.member)
            .with_context(**action["context"])
            .create(values)
        )
        if "attachment_ids" not in values:
            wizard.attachment_ids = self.new_pdf_attachment(2, "Order")
        return wizard

    def send(self, **values):
        """The member sends from the wizard, then the cron sends the queue."""
        action = self.wizard(**values).action_send()
        self.send_queue()
        return self.env["comms.fax"].browse(action["res_id"])

    def test_send_merges_pdfs_with_a_cover_page(self):
        order = self.new_pdf_attachment(2, "Order")
        prices = self.new_pdf_attachment(3, "Prices")
        wizard = self.wizard(cover_subject="PO-4480", cover_note="Please sign.")
        self.assertEqual(wizard.line_id, self.line)
        self.assertEqual(wizard.recipient_number, "+33 4 78 55 66 77")
        wizard.attachment_ids = order | prices
        cron = self.env.ref("comms_fax.ir_cron_comms_fax_send_queued")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        fax = self.env["comms.fax"].browse(wizard.action_send()["res_id"])
        self.assertEqual(fax.state, "queued")
        self.assertFalse(self.server.requests, "the member's request only queues")
        new_triggers = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id), ("id", "not in", triggers.ids)]
        )
        self.assertLessEqual(new_triggers.call_at, fields.Datetime.now())
        self.send_queue()
        self.assertEqual(fax.state, "sending")
        self.assertEqual(fax.page_count, 6)
        self.assertEqual(fax.remote_number, "+33478556677")
        self.assertEqual(fax.user_id, self.member)
        self.assertTrue(fax.name.startswith("FAX/"))
        [request] = self.server.requests
        self.assertEqual((request["method"], request["path"]), ("POST", "/v2/faxes"))
        self.assertTrue(fax.provider_ref)
        self.assertEqual(request["fields"]["to"], "+33478556677")
        self.assertEqual(request["fields"]["from"], "+33472990001")
        self.assertEqual(request["fields"]["connection_id"], "1684641123236054244")
        self.assertEqual(
            request["fields"]["webhook_url"],
            f"{self.telnyx.get_base_url()}/comms/fax/telnyx/{self.telnyx.id}",
        )
        self.assertEqual(fax.provider_ref, request["fax_id"])
        # Telnyx echoes client_state (base64) in the fax's webhooks.
        client_state = base64.b64decode(request["fields"]["client_state"]).decode()
        self.assertEqual(client_state, fax.send_reference)
        self.assertEqual(len(fax.send_reference), 36, "a UUID")
        sent = request["files"]["contents"]
        texts = pdf_text(sent)
        self.assertEqual(len(texts), 6)
        self.assertIn("PO-4480", texts[0])
        self.assertIn("Please sign.", texts[0])
        self.assertIn("Order 1/2", texts[1])
        self.assertIn("Prices 3/3", texts[5])

    def test_delivered_fax_appears_in_the_conversation(self):
        fax = self.send(cover_page=False)
        self.assertFalse(self.conversation.message_log_ids)
        with self.mock_mail_gateway():
            fax._apply_status("sent")
        self.assertEqual(fax.state, "sent")
        log = self.conversation.message_log_ids
        self.assertEqual((log.channel, log.direction), ("fax", "out"))
        self.assertEqual(log.page_count, 2)
        self.assertEqual(log.provider_ref, fax.provider_ref)
        self.assertEqual(log.user_id, self.member)
        self.assertEqual(fax.comms_message_id, log)
        self.assertIn("2 page(s)", log.mail_message_id.body)
        self.assertEqual(log.mail_message_id.attachment_ids, fax.attachment_id)
        self.assertEqual(fax.action_open_conversation()["res_id"], self.conversation.id)
        # The customer gets the fax, not an email copy of it.
        self.assertFalse(
            self._new_mails.filtered(lambda m: self.customer in m.recipient_ids)
        )

    def test_invalid_recipient_is_refused(self):
        with self.assertRaisesRegex(UserError, "“12” is not a valid phone number"):
            self.send(recipient_number="12")
        self.assertFalse(self.server.requests)

    @mute_logger("pypdf._reader")
    def test_document_that_is_not_a_pdf_is_refused_by_name(self):
        broken = self.env["ir.attachment"].create(
            {
                "name": "scan.pdf",
                "raw": b"%PDF-1.4 broken",
                "mimetype": "application/pdf",
            }
        )
        with self.assertRaisesRegex(UserError, "scan.pdf is not a PDF"):
            self.send(attachment_ids=[(6, 0, broken.ids)])
        with self.assertRaisesRegex(UserError, "at least one PDF"):
            self.send(attachment_ids=[(5, 0, 0)])

    def test_refused_credentials_fail_with_the_provider_text_then_retry(self):
        self.telnyx.api_key = "wrong"
        fax = self.send()
        self.assertEqual(fax.state, "failed")
        self.assertIn("The API key provided is invalid or expired.", fax.error_message)
        self.assertIn("HTTP 401", fax.error_message)
        self.assertTrue(fax.attachment_id, "nothing lost: the document stays")
        note = self.conversation.message_ids[0]
        self.assertIn("failed", note.body)
        self.telnyx.api_key = "KEY0123456789ABCDEF"
        reference = fax.send_reference
        fax.with_user(self.member).action_retry()
        self.assertEqual((fax.state, len(self.server.requests)), ("queued", 1))
        self.send_queue()
        self.assertEqual(fax.state, "sending")
        self.assertEqual(fax.retry_count, 1)
        self.assertFalse(fax.error_message)
        self.assertEqual(len(self.server.requests), 2)
        self.assertEqual(fax.send_reference, reference, "one reference per fax")

    def test_provider_down_fails_and_retry_works(self):
        self.server.mode = "500"
        fax = self.send()
        self.assertEqual(fax.state, "failed")
        self.assertIn("HTTP 500", fax.error_message)
        self.server.mode = "ok"
        fax.action_retry()
        self.send_queue()
        self.assertEqual(fax.state, "sending")

    def closed_port_url(self):
        """The URL of a loopback port that nothing listens on."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def assert_stays_queued(self, fax, sentence):
        self.assertEqual(fax.state, "queued")
        self.assertEqual(
            fax.error_message,
            f"{sentence} The fax stays queued and is retried; check the provider's "
            "address under Configuration ▸ Fax providers.",
        )
        note = self.conversation.message_ids[0]
        self.assertIn(sentence, note.body)
        for detail in ("HTTPConnectionPool", "Errno", "object at 0x", "Max retries"):
            self.assertNotIn(detail, note.body)
            self.assertNotIn(detail, fax.message_ids[0].body)

    def send_to_the_server_again(self, fax):
        """The provider is reachable again: the next cron run sends the fax once."""
        self.telnyx.base_url = self.server.url
        self.send_queue()
        self.assertEqual(fax.state, "sending")
        self.assertFalse(fax.error_message)
        self.assertEqual(len(self.sent_requests()), 1)
        self.send_queue()
        self.assertEqual(len(self.sent_requests()), 1, "sent once")

    @mute_logger("odoo.addons.comms_fax.tools.fax_api")
    def test_refused_connection_keeps_the_fax_queued_then_sends_it_once(self):
        self.telnyx.base_url = self.closed_port_url()
        fax = self.send()
        self.assert_stays_queued(
            fax, "Telnyx test could not be reached (connection refused)."
        )
        self.env.cr.precommit.run()  # the state tracking, as at commit
        notes, fax_messages = len(self.conversation.message_ids), len(fax.message_ids)
        # The cron commits the claim, then the result: tracking runs at each.
        with patch.object(self.env.cr, "commit", self.env.cr.precommit.run):
            fax._send_one(auto_commit=True)
        self.assertEqual(fax.state, "queued", "retried at each run")
        self.assertEqual(
            len(self.conversation.message_ids), notes, "the same error is told once"
        )
        self.assertEqual(len(fax.message_ids), fax_messages, "nor tracked each run")
        self.send_to_the_server_again(fax)

    @mute_logger("odoo.addons.comms_fax.tools.fax_api")
    def test_unknown_host_keeps_the_fax_queued(self):
        # .invalid is reserved (RFC 2606): no resolver ever finds it. Odoo's test
        # runner refuses any host but localhost before resolving it: let the name
        # reach the resolver, the only thing that leaves the machine.
        self.telnyx.base_url = "http://api.telnyx.invalid"
        with patch.object(requests.Session, "send", unblocked_send):
            fax = self.send()
        self.assert_stays_queued(
            fax, "Telnyx test could not be reached (address not found)."
        )
        self.send_to_the_server_again(fax)

    @mute_logger("odoo.addons.comms_fax.tools.fax_api")
    def test_failed_tls_handshake_keeps_the_fax_queued(self):
        # The fake server speaks plain HTTP: the TLS handshake fails.
        self.telnyx.base_url = self.server.url.replace("http://", "https://")
        fax = self.send()
        self.assert_stays_queued(
            fax, "Telnyx test could not be reached (secure connection failed)."
        )
        self.assertFalse(self.sent_requests())
        self.send_to_the_server_again(fax)

    @mute_logger("odoo.addons.comms_fax.tools.fax_api")
    def test_test_connection_to_an_unreachable_provider(self):
        self.telnyx.base_url = self.closed_port_url()
        with self.assertRaises(UserError) as caught:
            self.telnyx.action_test_connection()
        self.assertEqual(
            str(caught.exception),
            "Telnyx test could not be reached (connection refused).",
        )

    @mute_logger("odoo.addons.comms_fax.tools.fax_api")
    def test_slow_provider_is_never_sent_twice(self):
        # Odoo's test runner raises timeouts below 10 s to 10 s.
        self.server.mode, self.server.delay = "slow", 11
        fax = self.send()
        # The provider got the fax and may have accepted it: it waits for news.
        self.assertEqual(fax.state, "sending")
        self.assertFalse(fax.provider_ref)
        self.assertTrue(
            fax.error_message.startswith(
                "Telnyx test did not answer within 10 seconds. The fax may have left"
            )
        )
        self.assertIn("did not answer within 10 seconds", fax.message_ids[0].body)
        self.server.mode = "ok"
        self.send_queue()
        self.assertEqual(len(self.sent_requests()), 1)

    def test_retry_only_failed(self):
        fax = self.send()
        with self.assertRaisesRegex(UserError, "Only a fax sent that failed"):
            fax.action_retry()

    def test_status_updates_and_failure_from_the_provider(self):
        fax = self.send()
        fax._apply_status("failed", "user_busy")
        self.assertEqual(fax.state, "failed")
        self.assertEqual(fax.error_message, "user_busy")
        self.assertFalse(self.conversation.message_log_ids)
        fax.action_retry()
        self.send_queue()
        fax._apply_status("sent")
        fax._apply_status("sending")
        self.assertEqual(fax.state, "sent", "a late status does not move it back")
        self.assertEqual(len(self.conversation.message_log_ids), 1)

    def test_send_through_sinch(self):
        conversation = self.env["comms.conversation"].create(
            {"group_id": self.other_group.id, "partner_id": self.customer.id}
        )
        wizard = (
            self.env["comms.fax.send"]
            .with_user(self.outsider)
            .create({"conversation_id": conversation.id, "cover_page": False})
        )
        wizard.attachment_ids = self.new_pdf_attachment(1, "Quote")
        fax = self.env["comms.fax"].browse(wizard.action_send()["res_id"])
        self.send_queue()
        self.assertEqual(fax.state, "sending")
        [request] = self.server.requests
        self.assertEqual(request["path"], "/v3/projects/c6d1b3f1-project/faxes")
        self.assertEqual(request["fields"]["from"], "+33140990002")
        self.assertTrue(request["fields"]["callbackUrl"].endswith(SINCH_TOKEN))
        self.assertEqual(pdf_pages(request["files"]["file"]), 1)
        self.assertEqual(fax.provider_ref, request["fax_id"])
        # Sinch echoes the fax's labels in its callbacks.
        labels = json.loads(request["fields"]["labels"])
        self.assertEqual(labels, {"comms_reference": fax.send_reference})

    def test_send_from_the_fax_menu_finds_the_customer(self):
        wizard = (
            self.env["comms.fax.send"]
            .with_user(self.member)
            .create(
                {
                    "line_id": self.line.id,
                    "recipient_number": "04 78 55 66 77",
                    "cover_page": False,
                }
            )
        )
        wizard.attachment_ids = self.new_pdf_attachment(1)
        fax = self.env["comms.fax"].browse(wizard.action_send()["res_id"])
        self.assertEqual(fax.conversation_id, self.conversation)
        self.assertEqual(fax.remote_number, "+33478556677", "read in France")

    def test_national_number_is_dialled_in_the_lines_country(self):
        # Odoo's demo company is in the United States; the Lyon line is French.
        self.env.company.country_id = self.env.ref("base.us")
        fax = self.send(recipient_number="0478123456", cover_page=False)
        self.assertEqual(fax.remote_number, "+33478123456")
        self.assertEqual(self.sent_requests()[0]["fields"]["to"], "+33478123456")

    def test_national_number_read_in_the_companys_country(self):
        self.env.company.country_id = self.env.ref("base.be")
        new_york = self.env["comms.group"].create({"name": "New York"})
        line = self.env["comms.fax.line"].create(
            {
                "number": "+1 212 555 0100",
                "group_id": new_york.id,
                "provider_id": self.telnyx.id,
            }
        )
        self.assertEqual(line._format_recipient("0478123456"), "+32478123456")

    def test_line_of_the_users_group_is_pre_filled(self):
        admin = self.env["res.users"].create(
            {
                "name": "Ada Admin",
                "login": "ada_admin",
                "groups_id": [
                    (6, 0, self.env.ref("comms_shared_inbox.group_comms_admin").ids)
                ],
            }
        )
        self.other_group.user_ids += admin
        wizard = self.env["comms.fax.send"].with_user(admin).new({})
        self.assertEqual(wizard.line_id, self.other_line, "Paris, her group")
        self.group.user_ids += admin
        wizard = self.env["comms.fax.send"].with_user(admin).new({})
        self.assertFalse(wizard.line_id, "two groups: she chooses")
        wizard = self.env["comms.fax.send"].with_user(self.member).new({})
        self.assertEqual(wizard.line_id, self.line)

    def test_group_without_fax_line(self):
        group = self.env["comms.group"].create({"name": "Nice"})
        conversation = self.env["comms.conversation"].create(
            {"group_id": group.id, "partner_id": self.customer.id}
        )
        with self.assertRaisesRegex(UserError, "Nice has no fax line yet"):
            conversation.action_send_fax()

    def test_conversation_of_another_group_is_refused(self):
        wizard = self.wizard(cover_page=False)
        wizard.line_id = self.other_line
        with self.assertRaisesRegex(UserError, "Send from the fax line of Lyon"):
            wizard.action_send()

    def test_cron_sends_queued_faxes(self):
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "line_id": self.line.id,
                "conversation_id": self.conversation.id,
                "remote_number": "+33478556677",
            }
        )
        fax._attach_document(make_pdf(1))
        self.send_queue()
        self.assertEqual(fax.state, "sending")
        self.assertEqual(len(self.server.requests), 1)
        self.send_queue()
        self.assertEqual(len(self.server.requests), 1, "a fax sending is not sent")
