from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.comms_fax.tests.common import make_pdf
from odoo.addons.mail.tests.common import MockEmail

from ..models import comms_account
from .common import FaxLineCase
from .test_call_rule_sms import send_text


@tagged("post_install", "-at_install")
class TestTestMode(FaxLineCase, MockEmail):
    """A company account in test mode: its groups' faxes, texts and emails are
    refused before any provider sees them, with a message and a log line;
    its billing goes on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.email = "desk@reseller-a.example.com"
        cls.reseller_a.sudo().write(
            {
                "sms_provider": "twilio",
                "sms_twilio_account_sid": "AC" + "a" * 32,
                "sms_twilio_auth_token": "b" * 32,
            }
        )
        cls.account = cls.create_account(
            "Kilo Imports", status="production", lines=[cls.plan]
        )
        cls.account.partner_id.country_id = cls.env.ref("base.us")
        cls.create_number(
            "+12025550151", account=cls.account, option_fax=True, option_sms=True
        )
        cls.group = cls.env["comms.group"].create(
            {
                "name": "Kilo front desk",
                "company_id": cls.reseller_a.id,
                "comms_account_id": cls.account.id,
                "sms_number": "+12025550151",
            }
        )
        cls.line = cls.env["comms.fax.line"].create(
            {
                "number": "+12025550151",
                "group_id": cls.group.id,
                "provider_id": cls.fax_provider.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Carla Customer",
                "email": "carla@customer.example.com",
                "mobile": "+12025550142",
            }
        )
        cls.conversation = cls.env["comms.conversation"]._get_for_customer(
            cls.group, cls.customer
        )

    @contextmanager
    def logged(self):
        """The lines the refusals log (Odoo's test log level hides INFO from
        assertLogs), as formatted strings."""
        lines = []
        with patch.object(comms_account._logger, "info") as info:
            yield lines
        lines.extend(call.args[0] % call.args[1:] for call in info.call_args_list)

    def _queue_fax(self):
        fax = self.env["comms.fax"].create(
            {
                "direction": "out",
                "state": "queued",
                "line_id": self.line.id,
                "remote_number": "+1 212 555 0142",
            }
        )
        fax._attach_document(make_pdf(1, "Order"))
        return fax

    def _text(self, body):
        """Send a text from the conversation with Odoo's composer; returns the
        message and what went to Twilio."""
        posted = send_text(self.conversation, body)
        return self.conversation.message_ids[:1], posted

    def _email(self, body):
        with self.mock_mail_gateway():
            message = self.conversation.message_post(
                body=body,
                partner_ids=self.customer.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            sent = list(self._mails)
        return message, sent

    def test_fax_refused_when_queued_and_when_sent(self):
        fax = self._queue_fax()
        self.account.test_mode = True
        with self.logged() as logs:
            self.env["comms.fax"]._cron_send_queued()
        self.assertEqual(fax.state, "failed")
        self.assertIn("Kilo Imports is in test mode", fax.error_message)
        self.assertIn("Kilo Imports", logs[0])
        self.assertIn("fax to +1 212 555 0142 refused", logs[0])
        with self.assertRefused(UserError, "test mode: the fax to"):
            self._queue_fax()
        with self.assertRefused(UserError, "test mode"):
            fax.action_retry()
        self.assertFalse(self._posted())
        self.account.test_mode = False
        fax.action_retry()
        self.env["comms.fax"]._cron_send_queued()
        self.assertEqual(fax.state, "sending")
        self.assertEqual(len(self._posted()), 1)

    def test_text_fails_unsent_in_the_conversation(self):
        self.account.test_mode = True
        with self.logged() as logs:
            message, posted = self._text("Your order ships Thursday")
        self.assertFalse(posted)
        self.assertIn("sms to +12025550142 refused", logs[0])
        self.assertIn("Your order ships Thursday", message.body)
        notification = message.notification_ids
        self.assertEqual(
            (notification.notification_status, notification.failure_type),
            ("exception", "comms_test_mode"),
        )
        self.assertIn(
            "test mode: the text to +12025550142", notification.failure_reason
        )
        self.account.test_mode = False
        __, posted = self._text("Your order ships Friday")
        self.assertEqual([p["To"] for p in posted], ["+12025550142"])

    def test_email_fails_unsent_in_the_conversation(self):
        self.account.test_mode = True
        with self.logged() as logs:
            message, sent = self._email("Your order ships Thursday")
        self.assertFalse(sent, "nothing went to the SMTP server")
        self.assertIn("email to", logs[0])
        notification = message.notification_ids.filtered(
            lambda n: n.res_partner_id == self.customer
        )
        self.assertEqual(
            (notification.notification_status, notification.failure_type),
            ("exception", "comms_test_mode"),
        )
        self.assertIn("Kilo Imports is in test mode", notification.failure_reason)
        self.account.test_mode = False
        __, sent = self._email("Your order ships Friday")
        self.assertEqual(
            [mail["email_to"] for mail in sent],
            [['"Carla Customer" <carla@customer.example.com>']],
        )

    def test_other_accounts_are_not_in_test_mode(self):
        other = self.create_account("Lima Foods", status="production")
        other.test_mode = True
        __, posted = self._text("Your order ships Thursday")
        self.assertEqual(len(posted), 1)
        self._queue_fax()
        self.env["comms.fax"]._cron_send_queued()
        self.assertEqual(len(self._posted()), 1)

    def test_billing_continues(self):
        with freeze_time("2026-01-05"):
            account = self.create_account(
                "Mike Trading", status="production", lines=[self.plan]
            )
            account.test_mode = True
            self.run_invoicing_cron()
        self.assertEqual(
            [(i.invoice_date, i.amount_untaxed) for i in self.invoices_of(account)],
            [(date(2026, 1, 5), 30.0)],
        )

    def test_banner_on_the_account_form(self):
        form = etree.fromstring(
            self.env["comms.account"].get_view(view_type="form")["arch"]
        )
        banner = form.xpath("//sheet/*[1]")[0]
        self.assertEqual(
            (banner.get("role"), banner.get("invisible")), ("alert", "not test_mode")
        )
        self.assertIn("alert-warning", banner.get("class"))
        self.assertIn("Billing continues", "".join(banner.itertext()))

    def test_professional_accounts_have_no_test_mode(self):
        professional = self.create_account("Dr Novak", kind="professional")
        with self.assertRefused(ValidationError, "Only a company account"):
            professional.test_mode = True
