import re

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MailCase, mail_new_test_user

from .common import ResellerCase


@tagged("post_install", "-at_install")
class TestSendMessage(ResellerCase, MailCase):
    """Send message and Resend: emails from a reseller user to the account's
    administrator, with Cc and Bcc."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.create_account(
            "India Labs", status="production", lines=[cls.plan, cls.option_paid]
        )
        cls.number = cls.create_number("+12025550150", account=cls.account)
        cls.admin_partner = cls.account.admin_user_id.partner_id
        Partner = cls.env["res.partner"]
        cls.colleague = Partner.create(
            {"name": "Colleague", "email": "colleague@reseller.example.com"}
        )
        cls.auditor = Partner.create(
            {"name": "Auditor", "email": "auditor@reseller.example.com"}
        )

    def _send(self, kind, context=None, **values):
        wizard_form = Form(
            self.env["comms.account.message"]
            .with_user(self.user_a)
            .with_context(default_account_id=self.account.id, **(context or {}))
        )
        wizard_form.kind = kind
        for name, value in values.items():
            setattr(wizard_form, name, value)
        wizard = wizard_form.save()
        wizard.partner_cc_ids = self.colleague
        wizard.partner_bcc_ids = self.auditor
        with self.mock_mail_gateway():
            wizard.action_send()
        return self.account.message_ids[0]

    def test_custom_message_with_cc_and_bcc(self):
        message = self._send(
            "custom", subject="Maintenance tonight", body="<p>Lines down at 2am.</p>"
        )
        self.assertEqual(message.subject, "Maintenance tonight")
        self.assertIn("Lines down at 2am.", message.body)
        self.assertEqual(message.author_id, self.user_a.partner_id)
        self.assertEqual(message.partner_ids, self.admin_partner)
        self.assertEqual(message.recipient_cc_ids, self.colleague)
        self.assertEqual(message.recipient_bcc_ids, self.auditor)
        mail = message.mail_ids
        self.assertIn("colleague@reseller.example.com", mail.email_cc)
        self.assertIn("auditor@reseller.example.com", mail.email_bcc)
        self.assertIn(self.user_a.email, mail.email_from)
        # The Bcc never shows in what the administrator receives.
        sent_to_admin = [
            m for m in self._mails if self.admin_partner.email in str(m["email_to"])
        ]
        self.assertTrue(sent_to_admin)
        for sent in sent_to_admin:
            self.assertNotIn("auditor@", str(sent["email_to"]) + str(sent["email_cc"]))

    def test_access_codes_carry_a_set_password_link_and_its_expiry(self):
        message = self._send("access")
        self.assertEqual(message.partner_ids, self.admin_partner)
        self.assertEqual(message.recipient_cc_ids, self.colleague)
        self.assertEqual(message.recipient_bcc_ids, self.auditor)
        for text in (
            self.account.cid,
            self.account.can,
            self.account.admin_user_id.login,
        ):
            self.assertIn(text, message.body)
        self.assertIn("This link is valid until", message.body)
        self.assertNotIn("password:", message.body.lower())
        token = re.search(r"token=([^&\"]+)", message.body).group(1)
        self.assertEqual(
            self.env["res.partner"]._get_partner_from_token(token), self.admin_partner
        )

    def test_resend_makes_a_fresh_link_after_login(self):
        first = self._send("access")
        first_token = re.search(r"token=([^&\"]+)", first.body).group(1)
        # Once the administrator signed in, the old link no longer works.
        admin = self.account.admin_user_id
        admin.with_user(admin)._update_last_login()
        self.env.invalidate_all()
        self.assertFalse(self.env["res.partner"]._get_partner_from_token(first_token))
        with self.mock_mail_gateway():
            self.account.with_user(self.user_a).action_resend_access_codes()
        fresh = self.account.message_ids[0]
        self.assertNotEqual(fresh, first)
        token = re.search(r"token=([^&\"]+)", fresh.body).group(1)
        self.assertEqual(
            self.env["res.partner"]._get_partner_from_token(token), self.admin_partner
        )

    def test_statement_attaches_the_pdf(self):
        message = self._send("statement")
        self.assertEqual(len(message.attachment_ids), 1)
        attachment = message.attachment_ids
        self.assertTrue(attachment.name.startswith(f"Statement {self.account.cid}"))
        # Tests render reports as HTML instead of PDF (no wkhtmltopdf run).
        content = attachment.raw.decode()
        for text in ("Plan 30", "Fax option", "+12025550150", self.account.can):
            self.assertIn(text, content)

    def test_statement_content(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "comms_reseller.report_account_statement", self.account.ids
            )[0]
            .decode()
        )
        for text in (
            "Plan 30",
            "Fax option",
            "+12025550150",
            "40.00",
            self.account.can,
        ):
            self.assertIn(text, html)

    def test_custom_message_needs_subject_and_body(self):
        with self.assertRefused(UserError, "subject and a body"):
            self.env["comms.account.message"].create(
                {"account_id": self.account.id, "kind": "custom", "subject": "Hi"}
            )

    def test_no_message_to_an_unsubscribed_account(self):
        self.account.action_unsubscribe()
        with self.assertRefused(UserError, "no active administrator"):
            self.account.action_resend_access_codes()


@tagged("post_install", "-at_install")
class TestComposerWithoutCc(ResellerCase, MailCase):
    """A message written in a composer without Cc or Bcc is sent as Odoo sends it,
    although OCA mail_composer_cc_bcc is installed: each recipient gets an email to
    themselves alone, and internal followers who read in Odoo get no email."""

    def test_plain_reply_is_sent_the_odoo_way(self):
        account = self.create_account("Juliet Freight", status="production")
        customer = account.admin_user_id.partner_id
        colleague = mail_new_test_user(
            self.env,
            login="inbox_colleague",
            email="colleague@reseller.example.com",
            notification_type="inbox",
        )
        account.message_subscribe(partner_ids=colleague.partner_id.ids)
        other = self.env["res.partner"].create(
            {"name": "Accountant", "email": "books@juliet.example.com"}
        )
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.user_a)
            .with_context(
                default_model="comms.account",
                default_res_ids=account.ids,
                default_composition_mode="comment",
            )
        )
        composer.body = "<p>Your numbers are live.</p>"
        composer.partner_ids.clear()
        composer.partner_ids.add(customer)
        composer.partner_ids.add(other)
        with self.mock_mail_gateway():
            composer.save().action_send_mail()
        sent_to = " ".join(str(mail["email_to"]) for mail in self._mails)
        self.assertIn(customer.email, sent_to)
        self.assertIn(other.email, sent_to)
        for mail in self._mails:
            self.assertEqual(len(mail["email_to"]), 1, "no one sees the others")
            self.assertFalse(mail["email_cc"])
        self.assertFalse(
            [m for m in self._mails if "colleague@" in str(m["email_to"])],
            "an internal follower reading in Odoo gets no email",
        )
