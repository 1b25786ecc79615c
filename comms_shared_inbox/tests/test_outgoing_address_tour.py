from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.base.models import ir_mail_server

from .common_outgoing_address import real_smtp
from .fake_smtp import FakeSmtp


@tagged("post_install", "-at_install")
class TestOutgoingAddressTour(HttpCase):
    def test_add_an_address_then_send_from_a_task(self):
        project = self.env["project.project"].create({"name": "Tour Brand"})
        task = self.env["project.task"].create(
            {"name": "Order", "project_id": project.id}
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "email": "customer@tour.example.com"}
        )
        task.message_subscribe(customer.ids)
        with FakeSmtp(users={"support@tour-brand.example.com": "right"}) as smtp:
            real_connection = ir_mail_server.SMTPConnection

            def loopback(server, port, encryption, context=None):
                # the tour types the brand's real host name: route it to the fake
                self.assertEqual((server, port), ("smtp.tour-brand.example.com", 587))
                return real_connection("127.0.0.1", smtp.port, encryption, context)

            with real_smtp(), patch.object(ir_mail_server, "SMTPConnection", loopback):
                self.start_tour("/odoo", "comms_outgoing_address_add", login="admin")
        address = self.env["ir.mail_server"].search(
            [("comms_email", "=", "support@tour-brand.example.com")]
        )
        self.assertEqual(address.comms_project_ids, project)
        self.assertEqual(address.comms_test_state, "ok")
        address.name = "Tour Brand Support"
        project.comms_outgoing_address_id = address
        self.start_tour(
            f"/odoo/project.task/{task.id}",
            "comms_outgoing_address_send",
            login="admin",
        )
        message = task.message_ids.filtered(lambda m: "It ships Thursday." in m.body)
        self.assertEqual(message.mail_server_id, address)
        self.assertIn("support@tour-brand.example.com", message.email_from)
