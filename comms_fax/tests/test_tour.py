from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import FaxHttpCase, make_pdf, pdf_text


@tagged("post_install", "-at_install")
class TestFaxTour(FaxHttpCase):
    def test_member_answers_a_fax_with_a_fax(self):
        member = mail_new_test_user(
            self.env,
            login="fax_member",
            name="Fiona Fax",
            groups="comms_shared_inbox.group_comms_user",
        )
        self.group.user_ids = member
        fax_in = self.line._receive_fax("+33612345678", make_pdf(1), "tour-in-1")
        conversation = fax_in.conversation_id

        self.start_tour(
            f"/odoo/comms.conversation/{conversation.id}",
            "comms_fax_send_from_conversation",
            login="fax_member",
        )

        fax_out = conversation.fax_ids.filtered(lambda fax: fax.direction == "out")
        self.assertEqual(fax_out.state, "queued")
        self.assertFalse(self.server.requests)
        self.send_queue()
        self.assertEqual(fax_out.state, "sending")
        self.assertEqual(fax_out.user_id, member)
        self.assertEqual(fax_out.remote_number, "+33612345678")
        self.assertEqual(fax_out.page_count, 3, "a cover page and the 2-page PDF")
        [request] = self.server.requests
        texts = pdf_text(request["files"]["contents"])
        self.assertIn("Your purchase order", texts[0])
        self.assertEqual(request["fields"]["to"], "+33612345678")
