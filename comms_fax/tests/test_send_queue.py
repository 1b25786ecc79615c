import base64
import json
import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged

from odoo.addons.comms_fax.tools.sinch import SinchFaxApi
from odoo.addons.comms_fax.tools.telnyx import TelnyxFaxApi

from .common import FaxHttpCase, make_pdf


class WorkerKilled(BaseException):
    """What a time limit or a crash does to a cron worker: nothing catches it."""


@tagged("post_install", "-at_install")
class TestSendQueue(FaxHttpCase):
    """The cron sends each fax in a transaction of its own; a worker dying at the
    worst moment, just after the provider accepted the fax, never sends it twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Garage Martin", "phone": "+33478556677"}
        )
        cls.conversation = cls.env["comms.conversation"].create(
            {"group_id": cls.group.id, "partner_id": cls.customer.id}
        )

    def queue_fax(self, line=None, conversation=None):
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "line_id": (line or self.line).id,
                "conversation_id": (conversation or self.conversation).id,
                "remote_number": "+33478556677",
            }
        )
        fax._attach_document(make_pdf(2))
        return fax

    def run_cron_worker(self, api_class=None):
        """Run the cron as Odoo's cron worker does: in a thread and a transaction
        of its own, committing as it goes. With `api_class`, the worker dies just
        after that provider accepted a fax: its uncommitted work is rolled back."""
        self.env.flush_all()
        errors = []

        def work():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["comms.fax"]._cron_send_queued()
            except WorkerKilled:
                return
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(error)

        def send_then_die(api_self, *args):
            api_class_send(api_self, *args)
            raise WorkerKilled

        worker = threading.Thread(target=work)
        if api_class:
            api_class_send = api_class.send
            with patch.object(api_class, "send", send_then_die):
                worker.start()
                worker.join()
        else:
            worker.start()
            worker.join()
        self.env.invalidate_all()
        self.assertFalse(errors)

    def test_worker_killed_after_telnyx_accepted_sends_once(self):
        fax = self.queue_fax()
        self.run_cron_worker(TelnyxFaxApi)
        [accepted] = self.sent_requests()
        self.assertEqual(fax.state, "sending", "claimed and committed before the call")
        self.assertFalse(fax.provider_ref, "the id was lost with the worker")
        self.run_cron_worker()
        self.assertEqual(len(self.sent_requests()), 1, "the provider got it once")
        # Telnyx reports the delivery, echoing the client_state it was given.
        body = self.telnyx_body(
            "fax.delivered",
            {
                "fax_id": accepted["fax_id"],
                "client_state": accepted["fields"]["client_state"],
                "status": "delivered",
                "page_count": 2,
            },
        )
        response = self.post_telnyx(body, self.telnyx_headers(body))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(fax.state, "sent")
        self.assertEqual(fax.provider_ref, accepted["fax_id"])
        log = self.conversation.message_log_ids
        self.assertEqual(
            (log.channel, log.direction, log.page_count), ("fax", "out", 2)
        )

    def test_worker_killed_after_sinch_accepted_sends_once(self):
        conversation = self.env["comms.conversation"].create(
            {"group_id": self.other_group.id, "partner_id": self.customer.id}
        )
        fax = self.queue_fax(self.other_line, conversation)
        self.run_cron_worker(SinchFaxApi)
        self.run_cron_worker()
        [accepted] = self.sent_requests()
        self.assertEqual((fax.state, fax.provider_ref), ("sending", False))
        callback = {
            "event": "FAX_COMPLETED",
            "fax": {
                "id": accepted["fax_id"],
                "status": "COMPLETED",
                "labels": json.loads(accepted["fields"]["labels"]),
            },
        }
        response = self.post_sinch(json_body=callback)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual((fax.state, fax.provider_ref), ("sent", accepted["fax_id"]))

    def test_each_fax_is_committed_on_its_own(self):
        first, second = self.queue_fax(), self.queue_fax()
        self.run_cron_worker(TelnyxFaxApi)
        self.assertEqual((first.state, second.state), ("sending", "queued"))
        self.run_cron_worker()
        self.assertEqual(second.state, "sending")
        self.assertTrue(second.provider_ref)
        self.assertEqual(len(self.sent_requests()), 2)

    def test_unknown_reference_finds_no_fax(self):
        fax = self.queue_fax()
        self.run_cron_worker(TelnyxFaxApi)
        body = self.telnyx_body(
            "fax.delivered",
            {
                "fax_id": "f8338808-3dc6-4f2b-942a-5d1f39255784",
                "client_state": base64.b64encode(b"someone else's fax").decode(),
            },
        )
        self.assertEqual(
            self.post_telnyx(body, self.telnyx_headers(body)).status_code, 404
        )
        self.assertEqual((fax.state, fax.provider_ref), ("sending", False))

    def test_fax_never_confirmed_fails_after_an_hour(self):
        fax = self.queue_fax()
        self.run_cron_worker(TelnyxFaxApi)
        fax.send_date = fields.Datetime.now() - timedelta(minutes=59)
        self.run_cron_worker()
        self.assertEqual(fax.state, "sending")
        fax.send_date = fields.Datetime.now() - timedelta(minutes=61)
        self.run_cron_worker()
        self.assertEqual(fax.state, "failed")
        self.assertIn("never confirmed", fax.error_message)
        self.assertIn("Check with the recipient", self.conversation.message_ids[0].body)
        self.assertEqual(len(self.sent_requests()), 1)
