from email.message import EmailMessage

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CommsCase


@tagged("post_install", "-at_install")
class TestEmailIngest(CommsCase):
    def test_email_opens_conversation_and_creates_customer(self):
        self.deliver_email()
        conversation = self.conversation_of(email="atelier@garage.example.com")
        self.assertEqual(len(conversation), 1)
        self.assertEqual(conversation.state, "new")
        self.assertEqual(conversation.partner_id.name, "Garage Martin")
        self.assertEqual(conversation.last_channel, "email")
        log = conversation.message_log_ids
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.channel, log.direction, log.subject, log.group_id),
            ("email", "in", "PO-4471 brake pads", self.group),
        )
        self.assertIn("atelier@garage.example.com", log.sender)
        self.assertIn("Hello, any news?", conversation.message_ids[0].body)

    def test_same_customer_same_conversation_across_channels(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Garage",
                "email": "atelier@garage.example.com",
                "mobile": "+33612345678",
            }
        )
        self.deliver_email(subject="first")
        self.deliver_email(subject="second")
        self.group._receive_sms("+33 6 12 34 56 78", "and a text", "SMx1")
        conversation = self.conversation_of(email="atelier@garage.example.com")
        self.assertEqual(conversation.partner_id, partner)
        self.assertEqual(
            sorted(conversation.message_log_ids.mapped("channel")),
            ["email", "email", "sms"],
        )
        self.assertEqual(conversation.last_channel, "sms")

    def test_other_group_gets_its_own_conversation(self):
        self.deliver_email()
        self.deliver_email(to=f"paris-sales@{self.alias_domain}", subject="to Paris")
        lyon = self.conversation_of(email="atelier@garage.example.com")
        paris = self.conversation_of(
            email="atelier@garage.example.com", group=self.other_group
        )
        self.assertTrue(lyon and paris)
        self.assertEqual(lyon.partner_id, paris.partner_id)

    def test_closed_conversation_reopens_when_customer_writes(self):
        self.deliver_email(subject="first")
        conversation = self.conversation_of(email="atelier@garage.example.com")
        conversation.with_user(self.member).action_claim()
        conversation.with_user(self.member).action_close()
        self.deliver_email(subject="again")
        self.assertEqual(conversation.state, "new")
        self.assertFalse(conversation.user_id)

    def test_reply_from_group_goes_out_from_shared_address(self):
        self.deliver_email()
        conversation = self.conversation_of(email="atelier@garage.example.com")
        with self.mock_mail_gateway():
            conversation.with_user(self.member).message_post(
                body="It ships Thursday.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        mail = self._mails[0]
        self.assertIn(self.alias_email, mail["email_from"])
        self.assertIn("Marie Member", mail["email_from"])
        self.assertIn(self.alias_email, mail["reply_to"])
        self.assertEqual(
            mail["email_to"], ['"Garage Martin" <atelier@garage.example.com>']
        )
        out = conversation.message_log_ids.filtered(lambda m: m.direction == "out")
        self.assertEqual((out.channel, out.user_id), ("email", self.member))

    def test_customer_reply_is_threaded(self):
        self.deliver_email(msg_id="<first@garage.example.com>")
        conversation = self.conversation_of(email="atelier@garage.example.com")
        with self.mock_mail_gateway():
            reply = conversation.with_user(self.member).message_post(
                body="Which model?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.deliver_email(
            subject="Re: PO-4471",
            to=f"catchall@{self.alias_domain}",
            extra=f"In-Reply-To: {reply.message_id}\n",
        )
        self.assertEqual(
            len(conversation.message_log_ids.filtered(lambda m: m.direction == "in")), 2
        )

    def test_email_without_sender_lands_under_unknown_sender(self):
        self.deliver_email(email_from="", return_path="", subject="no sender")
        unknown = self.env.ref("comms_shared_inbox.partner_unknown_sender")
        conversation = self.conversation_of().filtered(
            lambda c: c.partner_id == unknown
        )
        self.assertEqual(conversation.message_log_ids.subject, "no sender")

    def test_malformed_email_still_lands(self):
        raw = (
            "From: broken <atelier@garage.example.com>\n"
            f"To: {self.alias_email}\nSubject: =?utf-8?q?bad=ZZencoding?=\n"
            "Message-ID: <broken@garage.example.com>\n"
            'Content-Type: multipart/mixed; boundary="never-closed"\n\n'
            "--never-closed\nContent-Type: text/plain\n\n\xff\xfe garbage body"
        )
        self.env["mail.thread"].sudo().message_process(None, raw.encode("latin-1"))
        conversation = self.conversation_of(email="atelier@garage.example.com")
        self.assertEqual(len(conversation.message_log_ids), 1)

    def test_huge_email_lands_with_its_attachment(self):
        message = EmailMessage()
        message["From"] = "Garage Martin <atelier@garage.example.com>"
        message["To"] = self.alias_email
        message["Subject"] = "huge"
        message["Message-ID"] = "<huge@garage.example.com>"
        message.set_content("see the scan")
        message.add_attachment(
            b"%PDF-1.4 " + b"0" * (8 * 1024 * 1024),
            maintype="application",
            subtype="pdf",
            filename="scan.pdf",
        )
        self.env["mail.thread"].sudo().message_process(None, message.as_bytes())
        conversation = self.conversation_of(email="atelier@garage.example.com")
        self.assertEqual(conversation.message_log_ids.subject, "huge")
        self.assertEqual(conversation.message_ids[0].attachment_ids.name, "scan.pdf")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_bounce_is_logged_not_a_conversation(self):
        bounce = f"bounce.test@{self.alias_domain}"
        self.deliver_email(
            email_from=f"MAILER-DAEMON <{bounce}>",
            to=bounce,
            subject="Undelivered Mail Returned to Sender",
            return_path="<>",
            extra="Auto-Submitted: auto-replied\n",
        )
        self.assertFalse(
            self.env["comms.conversation"].search([("partner_id.email", "=", bounce)])
        )
