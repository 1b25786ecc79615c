"""Real-world shapes of inbound mail (tests/corpus/), fed through Odoo's mail gateway
as the mailgate script does: where each lands, who is shown as its sender, whether
an auto-reply left, and that nothing it carried is lost."""

import base64
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CommsCase

CORPUS = Path(__file__).parent / "corpus"
AUTOREPLY_SUBJECT = "We received your message"
CUSTOMER = "atelier@garage.example.com"


@tagged("post_install", "-at_install")
class TestInboundCorpus(CommsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for group in (cls.group, cls.other_group):
            cls.switch_autoreply(group, "received", "email")
        cls.paris_email = f"paris-sales@{cls.alias_domain}"
        cls.unknown = cls.env.ref("comms_shared_inbox.partner_unknown_sender")

    def raw(self, name, **tokens):
        data = (CORPUS / name).read_bytes()
        tokens = {
            "LYON": self.alias_email,
            "PARIS": self.paris_email,
            "BOUNCE": self.mail_alias_domain.bounce_email,
            "CUSTOMER": CUSTOMER,
            **tokens,
        }
        for token, value in tokens.items():
            data = data.replace(f"@@{token}@@".encode(), value.encode())
        return data

    def deliver(self, name, **tokens):
        """Deliver a corpus message as the mailgate script does (no model given);
        returns the auto-replies it caused."""
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(
                None, self.raw(name, **tokens)
            )
        return [mail for mail in self._mails if mail["subject"] == AUTOREPLY_SUBJECT]

    def logged(self, subject, group=None):
        return self.env["comms.message"].search(
            [("subject", "=", subject), ("group_id", "=", (group or self.group).id)]
        )

    def attachment(self, log, name):
        return log.mail_message_id.attachment_ids.filtered(lambda a: a.name == name)

    def _reply_to_customer(self):
        self.deliver("thunderbird_order.eml")
        conversation = self.conversation_of(email=CUSTOMER)
        with self.mock_mail_gateway():
            message = conversation.with_user(self.member).message_post(
                body="Livraison jeudi.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return conversation, message

    # ------------------------------------------------------------------
    # Customers' mail
    # ------------------------------------------------------------------

    def test_customer_order_lands_and_gets_its_autoreply(self):
        replies = self.deliver("thunderbird_order.eml")
        log = self.logged("Commande plaquettes de frein PO-4471")
        self.assertEqual(log.partner_id.email, CUSTOMER)
        self.assertIn(CUSTOMER, log.sender_display)
        self.assertIn("livraison des plaquettes", log.mail_message_id.body)
        self.assertEqual(len(replies), 1)
        self.assertIn(CUSTOMER, replies[0]["email_to"][0])

    def test_machine_mail_lands_without_autoreply(self):
        for name, subject in (
            ("newsletter_list.eml", "November catalogue: 20% off brake parts"),
            ("noreply_sender.eml", "Your order 99812 has shipped"),
            ("null_return_path.eml", "Reminder: delivery slot tomorrow 10:00"),
            ("out_of_office.eml", "Absence du bureau : Re: Devis 2231"),
            ("outlook_suppress.eml", "Task assigned: check invoice 2231"),
        ):
            with self.subTest(name):
                replies = self.deliver(name)
                self.assertEqual(len(self.logged(subject)), 1, "it reached the inbox")
                self.assertEqual(replies, [], "no auto-reply to machine mail")

    def test_mail_without_sender_is_shown_without_one(self):
        replies = self.deliver("no_sender.eml")
        log = self.logged("Scanned document")
        self.assertEqual(log.partner_id, self.unknown)
        self.assertEqual(log.sender_display, "(no sender)")
        self.assertNotIn(self.alias_email, log.mail_message_id.email_from or "")
        self.assertEqual(log.mail_message_id.author_id, self.unknown)
        self.assertEqual(replies, [], "the contact has no email to answer")

    def test_inbox_order_follows_arrival_not_the_senders_clock(self):
        self.deliver("thunderbird_order.eml")
        self.deliver("old_date.eml")
        log = self.logged("Urgent: pallet missing")
        self.assertEqual(log.sent_date.year, 1996)
        self.assertEqual(log.date.year, log.create_date.year)
        inbox = self.env["comms.conversation"].search(
            [("group_id", "=", self.group.id)]
        )
        self.assertEqual(inbox[0], log.conversation_id, "the newest arrival on top")

    # ------------------------------------------------------------------
    # Malformed mail: nothing lost, original kept
    # ------------------------------------------------------------------

    def test_mismatched_boundary_keeps_the_html_and_the_original(self):
        self.deliver("bad_boundary.eml")
        log = self.logged("Commande mensuelle")
        body = log.mail_message_id.body
        self.assertIn("CMD-LOST-HTML", body)
        self.assertIn("REF-0119", body, "the last row of the 24 KB table is there")
        original = self.attachment(log, "original_email.eml")
        self.assertEqual(
            original.raw.replace(b"\r\n", b"\n"), self.raw("bad_boundary.eml")
        )

    def test_outlook_formats_are_kept_as_files_with_their_name(self):
        self.deliver("outlook_msg_binary.eml")
        log = self.logged("FW: the mail from the carrier")
        msg = self.attachment(log, "Carrier delay.msg")
        self.assertEqual(msg.raw, (CORPUS / "outlook_msg_binary.bin").read_bytes())
        self.assertTrue(self.attachment(log, "original_email.eml"))

        self.deliver("outlook_tnef.eml")
        log = self.logged("Bon de commande BC-118")
        self.assertTrue(self.attachment(log, "winmail.dat").raw.startswith(b'x\x9f>"'))
        self.assertIn("purchase order BC-118", log.mail_message_id.body)
        self.assertTrue(self.attachment(log, "original_email.eml"))

    def test_attachment_without_subtype_keeps_its_name_and_bytes(self):
        self.deliver("no_subtype.eml")
        log = self.logged("Facture FA-2231")
        pdf = self.attachment(log, "FA-2231.pdf")
        self.assertEqual(pdf.raw, (CORPUS / "invoice.pdf").read_bytes())
        self.assertIn("Voici la facture", log.mail_message_id.body)

    def test_well_formed_mail_keeps_its_original_only_when_the_group_asks(self):
        self.deliver("thunderbird_order.eml")
        log = self.logged("Commande plaquettes de frein PO-4471")
        self.assertFalse(self.attachment(log, "original_email.eml"))
        self.group.keep_original_email = True
        self.deliver("noreply_sender.eml")
        log = self.logged("Your order 99812 has shipped")
        self.assertTrue(self.attachment(log, "original_email.eml"))

    # ------------------------------------------------------------------
    # One email, several groups
    # ------------------------------------------------------------------

    def test_separate_deliveries_reach_each_group_once(self):
        subject = "Linge de table, commande de decembre"
        self.deliver("two_groups_delivery_lyon.eml")
        self.assertEqual(len(self.logged(subject)), 1)
        self.assertFalse(self.logged(subject, self.other_group))
        self.deliver("two_groups_delivery_paris.eml")
        lyon, paris = self.logged(subject), self.logged(subject, self.other_group)
        self.assertEqual(len(paris), 1, "the second delivery reached Paris")
        self.assertEqual(paris.partner_id, lyon.partner_id)
        self.assertEqual(
            (lyon.also_delivered_to, paris.also_delivered_to), ("Paris", "Lyon")
        )
        lyon_pdf = self.attachment(lyon, "commande-decembre.pdf")
        paris_pdf = self.attachment(paris, "commande-decembre.pdf")
        self.assertEqual(lyon_pdf.raw, (CORPUS / "invoice.pdf").read_bytes())
        self.assertEqual(lyon_pdf.store_fname, paris_pdf.store_fname, "stored once")

        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.deliver("two_groups_delivery_lyon.eml")
            self.deliver("two_groups_delivery_paris.eml")
        self.assertEqual(len(self.logged(subject)), 1, "a repeat is still ignored")
        self.assertEqual(len(self.logged(subject, self.other_group)), 1)
        self.assertFalse(self.env["comms.inbound.error"].search([]))

    def test_reply_to_one_group_sent_to_two_reaches_both(self):
        _conversation, sent = self._reply_to_customer()
        with self.mock_mail_gateway():
            self.deliver_email(
                to=f"{self.alias_email}, {self.paris_email}",
                subject="Re: Commande plaquettes",
                extra=f"In-Reply-To: {sent.message_id}\n"
                f"References: {sent.message_id}\n",
            )
        self.assertEqual(len(self.logged("Re: Commande plaquettes")), 1)
        self.assertEqual(
            len(self.logged("Re: Commande plaquettes", self.other_group)), 1
        )

    # ------------------------------------------------------------------
    # Bounces, delivery reports, read receipts
    # ------------------------------------------------------------------

    def test_bounce_marks_the_reply_and_the_customer(self):
        conversation, message = self._reply_to_customer()
        replies = self.deliver("dsn_failed.eml", ORIGINAL_ID=message.message_id)
        reply_log = conversation.message_log_ids.filtered(
            lambda log: log.mail_message_id == message
        )
        self.assertTrue(reply_log.bounced)
        notification = message.notification_ids.filtered(
            lambda n: n.res_partner_id == conversation.partner_id
        )
        self.assertEqual(notification.notification_status, "bounce")
        self.assertEqual(conversation.partner_id.message_bounce, 1)
        row = self.env["comms.inbound.error"].search([])
        self.assertEqual((row.kind, row.group_id), ("bounce", self.group))
        self.assertEqual(row.conversation_id, conversation)
        self.assertIn(b"Undelivered Mail Returned", base64.b64decode(row.original))
        self.assertIn("User unknown", row.error)
        self.assertEqual(replies, [])
        self.assertFalse(
            self.env["comms.conversation"].search(
                [("partner_id.email", "ilike", "mailer-daemon")]
            )
        )

    def test_delay_report_and_read_receipt_are_no_bounces(self):
        conversation, message = self._reply_to_customer()
        self.deliver("dsn_delayed.eml", ORIGINAL_ID=message.message_id)
        self.deliver("mdn_read.eml", ORIGINAL_ID=message.message_id)
        self.deliver("arf_feedback.eml", ORIGINAL_ID=message.message_id)
        rows = self.env["comms.inbound.error"].search([], order="id")
        self.assertEqual(
            rows.mapped("kind"), ["delivery_report", "read_receipt", "feedback_report"]
        )
        self.assertEqual(rows.group_id, self.group)
        self.assertEqual(rows.conversation_id, conversation)
        self.assertFalse(conversation.message_log_ids.filtered("bounced"))
        self.assertEqual(conversation.partner_id.message_bounce, 0)
        self.assertNotIn(
            "bounce", message.notification_ids.mapped("notification_status")
        )
        self.assertFalse(self.logged("Read: Re: Commande"), "no conversation message")

    def test_reports_are_visible_to_the_groups_managers_only(self):
        conversation, message = self._reply_to_customer()
        self.deliver("dsn_failed.eml", ORIGINAL_ID=message.message_id)
        row = self.env["comms.inbound.error"].search([])
        self.assertEqual(
            row.with_user(self.manager).read(["kind"])[0]["kind"], "bounce"
        )
        for user in (self.member, self.outsider, self.employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                row.with_user(user).read(["kind"])

    def test_mail_odoo_drops_as_a_loop_is_kept_for_the_group(self):
        with (
            mute_logger("odoo.addons.mail.models.mail_thread"),
            self.mock_mail_gateway(),
        ):
            self.deliver_email(
                subject="Re: Undeliverable: your message",
                extra="In-Reply-To: <0.1-openerp-loop-detection-bounce-email@mx>\n",
            )
        self.assertFalse(self.logged("Re: Undeliverable: your message"))
        row = self.env["comms.inbound.error"].search([])
        self.assertEqual((row.kind, row.group_id), ("unrouted", self.group))
        self.assertIn("Re: Undeliverable", row.summary)
        self.assertIn(b"Hello, any news?", base64.b64decode(row.original))

    # ------------------------------------------------------------------
    # Wizards on other groups' conversations
    # ------------------------------------------------------------------

    def test_wizards_refuse_conversations_of_other_groups(self):
        self.deliver("thunderbird_order.eml")
        conversation = self.conversation_of(email=CUSTOMER)
        for model, values, method in (
            (
                "comms.conversation.transfer",
                {"user_id": self.outsider.id},
                "action_transfer",
            ),
            ("comms.conversation.ignore", {"reason": "spam"}, "action_ignore"),
        ):
            with self.subTest(model):
                wizard = (
                    self.env[model]
                    .with_user(self.outsider)
                    .create({"conversation_ids": [(6, 0, conversation.ids)], **values})
                )
                with self.assertRaisesRegex(AccessError, "not a member of Lyon"):
                    getattr(wizard, method)()
                self.assertEqual(conversation.state, "new")
                self.assertFalse(conversation.user_id)
