from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..tools import dns_check
from .common_outgoing_address import OutgoingAddressCase, real_smtp
from .fake_dns import FakeDns
from .fake_smtp import FakeSmtp


@tagged("post_install", "-at_install")
class TestOutgoingAddressWizard(OutgoingAddressCase):
    def wizard(self, user, port, **values):
        return (
            self.env["comms.outgoing.address.wizard"]
            .with_user(user)
            .create(
                {
                    "email": "support@brand-a.example.com",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": port,
                    "smtp_encryption": "none",
                    "smtp_user": "support@brand-a.example.com",
                    "smtp_pass": "right",
                    **values,
                }
            )
        )

    def saved(self, email="support@brand-a.example.com"):
        return (
            self.env["ir.mail_server"]
            .with_context(active_test=False)
            .search([("comms_email", "=", email)])
        )

    def test_bad_password_saves_nothing_and_shows_the_servers_words(self):
        with FakeSmtp(users={"support@brand-a.example.com": "right"}) as smtp:
            wizard = self.wizard(self.sysadmin, smtp.port, smtp_pass="wrong")
            with real_smtp(), self.assertRaises(UserError) as caught:
                wizard.action_test_and_save()
        message = str(caught.exception)
        self.assertIn("535 5.7.8 Authentication credentials invalid", message)
        self.assertIn("app password", message)
        self.assertFalse(self.saved())

    def test_refused_sender_saves_nothing(self):
        refusal = "553 5.7.1 Sender address rejected: not owned by user"
        with FakeSmtp(
            users={"support@brand-a.example.com": "right"},
            refuse_senders={"support@brand-a.example.com": refusal},
        ) as smtp:
            wizard = self.wizard(self.sysadmin, smtp.port)
            with real_smtp(), self.assertRaises(UserError) as caught:
                wizard.action_test_and_save()
        self.assertIn(
            "Sender address rejected: not owned by user", str(caught.exception)
        )
        self.assertIn("may not send as it", str(caught.exception))
        self.assertFalse(self.saved())

    def test_tls_on_a_plain_port_is_explained(self):
        with FakeSmtp(users={"support@brand-a.example.com": "right"}) as smtp:
            wizard = self.wizard(self.sysadmin, smtp.port, smtp_encryption="ssl")
            with real_smtp(), self.assertRaises(UserError) as caught:
                wizard.action_test_and_save()
        self.assertIn("port 465", str(caught.exception))
        self.assertFalse(self.saved())

    def test_nobody_listening_is_explained(self):
        with FakeSmtp() as smtp:
            port = smtp.port  # closed again when the test connects
        wizard = self.wizard(self.sysadmin, port)
        with (
            real_smtp(),
            mute_logger("odoo.addons.base.models.ir_mail_server"),
            self.assertRaises(UserError) as caught,
        ):
            wizard.action_test_and_save()
        self.assertIn("Connection refused", str(caught.exception))
        self.assertIn("check the server name, the port", str(caught.exception))
        self.assertFalse(self.saved())

    def test_unknown_host_is_explained(self):
        wizard = self.wizard(self.sysadmin, 587, smtp_host="smtp.brand-a.invalid")
        with (
            real_smtp(),
            mute_logger("odoo.addons.base.models.ir_mail_server"),
            self.assertRaises(UserError) as caught,
        ):
            wizard.action_test_and_save()
        self.assertIn("Name or service not known", str(caught.exception))
        self.assertIn("not known to the DNS", str(caught.exception))
        self.assertFalse(self.saved())

    def test_plain_text_to_the_implicit_tls_port_is_refused_at_once(self):
        """Port 465 waits for a TLS handshake and says nothing to a plain or
        STARTTLS client: Odoo's test would only give up after its 60 s timeout."""
        for encryption in ("none", "starttls"):
            wizard = self.wizard(self.sysadmin, 465, smtp_encryption=encryption)
            with (
                real_smtp(),
                patch("smtplib.SMTP.connect", side_effect=AssertionError) as connect,
                self.assertRaises(UserError) as caught,
            ):
                wizard.action_test_and_save()
            self.assertIn("Port 465 expects SSL/TLS", str(caught.exception))
            connect.assert_not_called()
            self.assertFalse(self.saved())

    def test_passing_test_saves_an_exact_address_on_its_server(self):
        with FakeSmtp(
            users={"support@brand-a.example.com": "right"},
            tls="starttls",
            max_size=10 * 1024 * 1024,
        ) as smtp:
            wizard = self.wizard(
                self.sysadmin,
                smtp.port,
                smtp_encryption="starttls",
                project_ids=[(6, 0, self.project_a.ids)],
                group_ids=[(6, 0, self.sales_group.ids)],
            )
            with real_smtp():
                wizard.action_test_and_save()
            # Odoo's test, then its size detection (SIZE in the EHLO reply)
            self.assertEqual(smtp.connections, 2)
            self.assertFalse(smtp.received, "the test never sends DATA")
        address = self.saved()
        self.assertEqual(address.from_filter, "support@brand-a.example.com")
        self.assertEqual(address.comms_test_state, "ok")
        self.assertEqual(address.max_email_size, 10.0)
        self.assertEqual(address.comms_project_ids, self.project_a)
        self.assertEqual(address.comms_group_ids, self.sales_group)
        self.assertFalse(address.comms_owner_id)
        self.assertFalse(wizard.smtp_pass, "the wizard forgets the password")

    def test_preset_fills_the_service_settings(self):
        form = Form(self.env["comms.outgoing.address.wizard"].with_user(self.sysadmin))
        form.email = "orders@brand-b.example.com"
        form.preset = "gmail"
        self.assertEqual(
            (form.smtp_host, form.smtp_port, form.smtp_encryption, form.smtp_user),
            ("smtp.gmail.com", 465, "ssl", "orders@brand-b.example.com"),
        )
        self.assertIn("app password", form.preset_hint)
        form.preset = "sendgrid"
        self.assertEqual(
            (form.smtp_host, form.smtp_user), ("smtp.sendgrid.net", "apikey")
        )

    def test_users_add_personal_addresses_only(self):
        with FakeSmtp(users={"sam@brand-a.example.com": "right"}) as smtp:
            wizard = self.wizard(
                self.seller,
                smtp.port,
                email="sam@brand-a.example.com",
                smtp_user="sam@brand-a.example.com",
            )
            self.assertTrue(wizard.personal)
            with real_smtp():
                wizard.action_test_and_save()
            company = self.wizard(self.seller, smtp.port, personal=False)
            with self.assertRaises(AccessError):
                company.action_test_and_save()
        personal = self.saved("sam@brand-a.example.com")
        self.assertEqual(personal.comms_owner_id, self.seller)
        servers = self.env["ir.mail_server"]
        self.assertEqual(
            servers.with_user(self.seller).search([("comms_is_address", "=", True)]),
            personal,
        )
        self.assertFalse(
            servers.with_user(self.clerk).search([("id", "=", personal.id)])
        )
        self.assertFalse(
            servers.with_user(self.sysadmin).search([("id", "=", personal.id)]),
            "a personal address is its owner's alone",
        )

    def test_changing_connection_settings_marks_untested(self):
        address = self.address("support@brand-a.example.com")
        address.name = "Brand A support"
        self.assertEqual(address.comms_test_state, "ok")
        for values in (
            {"smtp_pass": "new"},
            {"smtp_host": "smtp.example.com"},
            {"smtp_port": 465},
            {"smtp_encryption": "ssl"},
            {"smtp_user": "other"},
        ):
            address.comms_test_state = "ok"
            address.write(values)
            self.assertEqual(address.comms_test_state, "untested", values)

    def test_from_filter_is_the_exact_address(self):
        address = self.address("support@brand-a.example.com")
        with self.assertRaises(ValidationError):
            address.from_filter = "brand-a.example.com"
        with self.assertRaises(ValidationError):
            self.address("not an address")


@tagged("post_install", "-at_install")
class TestOutgoingAddressRights(OutgoingAddressCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.restricted = cls.address(
            "sales@brand-a.example.com", comms_group_ids=[(6, 0, cls.sales_group.ids)]
        )
        cls.named = cls.address(
            "desk@brand-a.example.com", comms_user_ids=[(6, 0, cls.clerk.ids)]
        )

    def test_credentials_are_for_administrators(self):
        self.assertEqual(self.restricted.with_user(self.sysadmin).smtp_pass, "secret")
        for user in (self.seller, self.clerk):
            address = self.restricted.with_user(user)
            with self.assertRaises(AccessError):
                address.read(["smtp_pass"])
            with self.assertRaises(AccessError):
                address.read(["smtp_user"])

    def test_who_may_see_and_use(self):
        servers = self.env["ir.mail_server"]
        visible = {
            user: servers.with_user(user).search([("comms_is_address", "=", True)])
            for user in (self.seller, self.clerk, self.employee)
        }
        self.assertEqual(visible[self.seller], self.restricted)
        self.assertEqual(visible[self.clerk], self.named)
        self.assertFalse(visible[self.employee])
        with self.assertRaises(AccessError):
            servers.with_user(self.portal).search([])

    def test_posting_from_an_address_one_may_not_use_is_refused(self):
        with self.assertRaisesRegex(AccessError, "may not send from sales@"):
            self.post(self.task_a, self.clerk, mail_server_id=self.restricted.id)
        message = self.post(
            self.task_a,
            self.seller,
            mail_server_id=self.restricted.id,
            force_send=False,
        )
        self.assertEqual(message.email_from, '"Sales" <sales@brand-a.example.com>')
        self.assertEqual(self.mail_of(message).mail_server_id, self.restricted)

    def test_bound_address_is_refused_outside_its_projects(self):
        self.restricted.comms_project_ids = self.project_a
        with self.assertRaisesRegex(AccessError, "reserved for the projects Brand A"):
            self.post(self.task_b, self.seller, mail_server_id=self.restricted.id)
        self.post(self.task_a, self.seller, mail_server_id=self.restricted.id)

    def test_project_default_must_fit_the_project(self):
        self.restricted.comms_project_ids = self.project_a
        with self.assertRaises(ValidationError):
            self.project_b.comms_outgoing_address_id = self.restricted
        self.project_a.comms_outgoing_address_id = self.restricted


@tagged("post_install", "-at_install")
class TestOutgoingAddressSending(OutgoingAddressCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.brand_a = cls.address(
            "support@brand-a.example.com",
            comms_project_ids=[(6, 0, cls.project_a.ids)],
        )
        cls.project_a.comms_outgoing_address_id = cls.brand_a

    def test_project_default_then_personal_address(self):
        mail = self.mail_of(self.post(self.task_a, self.seller, force_send=False))
        self.assertEqual(mail.mail_server_id, self.brand_a)
        self.assertIn("support@brand-a.example.com", mail.email_from)
        self.assertIn(self.project_a.alias_email or "", mail.reply_to or "")
        elsewhere = self.mail_of(self.post(self.task_b, self.seller, force_send=False))
        self.assertFalse(elsewhere.mail_server_id)
        self.assertIn("sam@example.com", elsewhere.email_from)

        personal = self.address("sam@sam.example.com", comms_owner_id=self.seller.id)
        mail = self.mail_of(self.post(self.task_a, self.seller, force_send=False))
        self.assertEqual(mail.mail_server_id, personal)
        clerk_mail = self.mail_of(self.post(self.task_a, self.clerk, force_send=False))
        self.assertEqual(clerk_mail.mail_server_id, self.brand_a)

    def test_internal_notes_and_incoming_mail_keep_odoos_sender(self):
        note = self.task_a.with_user(self.seller).message_post(
            body="internal", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(note.mail_server_id)
        incoming = self.task_a.message_post(
            body="from the customer",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            author_id=self.customer.id,
        )
        self.assertFalse(incoming.mail_server_id)

    def composer(self, task, user):
        return Form(
            self.env["mail.compose.message"]
            .with_user(user)
            .with_context(
                default_model="project.task",
                default_res_ids=task.ids,
                default_composition_mode="comment",
                default_subtype_xmlid="mail.mt_comment",
            )
        )

    def test_composer_send_from(self):
        other = self.address("orders@brand-a.example.com")
        form = self.composer(self.task_a, self.seller)
        self.assertEqual(form.comms_address_id, self.brand_a)
        self.assertEqual(
            form.comms_address_info, "Sent from the project's default address."
        )
        self.assertEqual(set(form.comms_address_ids.ids), {self.brand_a.id, other.id})
        self.assertNotIn(
            self.brand_a, self.composer(self.task_b, self.seller).comms_address_ids
        )
        form.comms_address_id = other
        self.assertEqual(form.comms_address_info, "Sent from the address chosen here.")
        form.body = "<p>Chosen sender</p>"
        form.partner_ids.add(self.customer)
        composer = form.save()
        composer.with_context(mail_notify_force_send=False)._action_send_mail()
        message = self.task_a.message_ids[0]
        self.assertEqual(message.mail_server_id, other)
        self.assertIn("orders@brand-a.example.com", message.email_from)

    def test_no_silent_fallback(self):
        message = self.post(self.task_a, self.seller, force_send=False)
        mail = self.mail_of(message)
        self.brand_a.smtp_pass = "changed"
        mail.send()
        self.assertEqual(mail.state, "outgoing", "waits for the address to pass a test")
        self.assertIn("has not passed its connection test", mail.failure_reason)
        notification = message.notification_ids
        self.assertIn("has not passed its connection test", notification.failure_reason)

        self.brand_a.comms_test_state = "ok"
        mail.mail_server_id = (
            self.env["ir.mail_server"]
            .sudo()
            .search([("comms_is_address", "=", False)], limit=1)
        )
        mail.send()
        self.assertEqual(mail.state, "exception")
        self.assertIn("leaves only through its own server", mail.failure_reason)

    def test_other_mail_never_falls_back_to_an_address_server(self):
        servers = self.env["ir.mail_server"]
        own, email_from = servers._find_mail_server(
            '"Sales" <Support@Brand-A.example.com>', mail_servers=self.brand_a
        )
        self.assertEqual(
            (own, email_from), (self.brand_a, '"Sales" <Support@Brand-A.example.com>')
        )
        # Odoo would take the first server "even if it was configured for another
        # domain" and rewrite the From; the address's server is not a candidate
        server, _email_from = servers._find_mail_server(
            "sam@example.com", mail_servers=self.brand_a
        )
        self.assertFalse(server)

    def test_queue_refuses_a_bound_address_outside_its_projects(self):
        # written by superuser code (no author check), caught when the mail is sent
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "email_from": "support@brand-a.example.com",
                    "email_to": "atelier@garage.example.com",
                    "subject": "Brand B customer",
                    "body_html": "<p>x</p>",
                    "model": "project.task",
                    "res_id": self.task_b.id,
                }
            )
        )
        mail.send()
        self.assertEqual(mail.state, "exception")
        self.assertIn("reserved for the projects Brand A", mail.failure_reason)

    def test_group_reply_goes_through_the_address_of_its_alias(self):
        group_address = self.address(self.alias_email)
        self.deliver_email()
        conversation = self.conversation_of(email="atelier@garage.example.com")
        message = conversation.with_user(self.member).message_post(
            body="It ships Thursday.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            force_send=False,
        )
        mail = self.mail_of(message)
        mail.auto_delete = False
        mail.send()
        self.assertEqual(mail.state, "sent")
        self.assertEqual(mail.mail_server_id, group_address)

    def test_real_server_receives_from_the_address(self):
        with (
            FakeSmtp(users={"support@brand-a.example.com": "secret"}) as brand_a,
            FakeSmtp(users={"orders@brand-b.example.com": "secret"}) as brand_b,
        ):
            self.brand_a.smtp_port = brand_a.port
            self.brand_a.comms_test_state = "ok"
            brand_b_address = self.address(
                "orders@brand-b.example.com",
                port=brand_b.port,
                comms_project_ids=[(6, 0, self.project_b.ids)],
            )
            self.project_b.comms_outgoing_address_id = brand_b_address
            mails = self.env["mail.mail"]
            for task in (self.task_a, self.task_b, self.task_a):
                mails |= self.mail_of(self.post(task, self.seller, force_send=False))
            mails.auto_delete = False
            with real_smtp():
                mails.send()
        self.assertEqual(mails.mapped("state"), ["sent"] * 3)
        self.assertEqual((brand_a.connections, brand_b.connections), (1, 1))
        self.assertEqual(len(brand_a.received), 2)
        self.assertEqual(len(brand_b.received), 1)
        for smtp, email in (
            (brand_a, "support@brand-a.example.com"),
            (brand_b, "orders@brand-b.example.com"),
        ):
            for received in smtp.received:
                self.assertEqual(received.mail_from, email)
                self.assertEqual(received.message["From"].addresses[0].addr_spec, email)
                self.assertEqual(received.rcpt_tos, ["atelier@garage.example.com"])
                self.assertEqual(received.login, email)

    def test_attachment_beyond_the_servers_size_goes_as_a_link(self):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "catalogue.pdf",
                "raw": b"%PDF-1.4" + b"0" * (2 * 1024 * 1024),
                "res_model": "project.task",
                "res_id": self.task_a.id,
            }
        )
        with FakeSmtp(
            users={"support@brand-a.example.com": "secret"}, max_size=1024 * 1024
        ) as smtp:
            self.brand_a.write(
                {
                    "smtp_port": smtp.port,
                    "max_email_size": 1.0,
                    "comms_test_state": "ok",
                }
            )
            message = self.post(
                self.task_a,
                self.seller,
                attachment_ids=attachment.ids,
                force_send=False,
            )
            mail = self.mail_of(message)
            mail.auto_delete = False
            with real_smtp():
                mail.send()
        self.assertEqual(mail.state, "sent")
        received = smtp.received[0].message
        self.assertFalse(list(received.iter_attachments()))
        self.assertIn("catalogue.pdf", received.get_body(("html",)).get_content())

    def test_refusal_shows_the_servers_words_and_a_hint(self):
        refusal = "550 5.1.1 The email account that you tried to reach does not exist"
        with FakeSmtp(
            users={"support@brand-a.example.com": "secret"},
            refuse_recipients={"atelier@garage.example.com": refusal},
        ) as smtp:
            self.brand_a.smtp_port = smtp.port
            self.brand_a.comms_test_state = "ok"
            message = self.post(self.task_a, self.seller, force_send=False)
            mail = self.mail_of(message)
            with real_smtp(), mute_logger("odoo.addons.mail.models.mail_mail"):
                mail.send()
        self.assertEqual(mail.state, "exception")
        self.assertIn(
            "5.1.1 The email account that you tried to reach", mail.failure_reason
        )
        self.assertIn("the recipient does not exist", mail.failure_reason)
        self.assertIn(
            "the recipient does not exist", message.notification_ids.failure_reason
        )
        self.assertEqual(message.notification_ids.notification_status, "exception")


@tagged("post_install", "-at_install")
class TestOutgoingAddressHealth(OutgoingAddressCase):
    def test_nightly_test_flags_a_broken_address_and_tells_administrators(self):
        # only this test's addresses: others (demo) would reach real services
        self.env["ir.mail_server"].search([("comms_is_address", "=", True)]).unlink()
        with (
            FakeSmtp(users={"support@brand-a.example.com": "secret"}) as good,
            FakeSmtp(
                users={"orders@brand-b.example.com": "secret"},
                refuse_auth="535 5.7.139 Authentication unsuccessful, basic "
                "authentication is disabled",
            ) as bad,
        ):
            working = self.address("support@brand-a.example.com", port=good.port)
            broken = self.address("orders@brand-b.example.com", port=bad.port)
            with real_smtp():
                self.env["ir.mail_server"]._cron_comms_test_addresses()
        self.assertEqual(working.comms_test_state, "ok")
        self.assertEqual(broken.comms_test_state, "failed")
        self.assertIn("basic authentication is disabled", broken.comms_test_message)
        self.assertIn(
            "Basic authentication (user name and password) is switched off",
            broken.comms_test_message,
        )
        alert = self.env["mail.mail"].search(
            [
                (
                    "subject",
                    "=",
                    "Outgoing address orders@brand-b.example.com stopped working",
                )
            ]
        )
        self.assertIn(self.sysadmin.partner_id, alert.recipient_ids)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("subject", "ilike", "support@brand-a.example.com stopped working")]
            )
        )

    def test_archiving_an_address_in_use_says_where(self):
        address = self.address("support@brand-a.example.com")
        self.project_a.comms_outgoing_address_id = address
        with self.assertRaisesRegex(UserError, "Brand A \\(Project default address\\)"):
            address.active = False
        group_address = self.address(self.alias_email)
        with self.assertRaisesRegex(UserError, "Lyon \\(Shared inbox group\\)"):
            group_address.active = False

    def test_dns_check_reports_what_to_publish(self):
        records = {
            ("brand-a.example.com.", "TXT"): ['"v=spf1 include:_spf.google.com ~all"'],
            ("google._domainkey.brand-a.example.com.", "TXT"): [
                '"v=DKIM1; k=rsa; p=MIIB"'
            ],
            ("brand-b.example.com.", "TXT"): ['"v=spf1 ip4:192.0.2.99 -all"'],
            ("_dmarc.brand-b.example.com.", "TXT"): ['"v=DMARC1; p=reject"'],
            ("smtp.brand-b.example.com.", "A"): ["192.0.2.10"],
        }
        gmail = self.address("support@brand-a.example.com", comms_preset="gmail")
        custom = self.address(
            "orders@brand-b.example.com", smtp_host="smtp.brand-b.example.com"
        )
        with (
            FakeDns(records) as fake,
            patch.object(dns_check, "resolver", fake.resolver),
        ):
            (gmail | custom).action_comms_check_dns()
        self.assertIn(
            "SPF: OK (v=spf1 include:_spf.google.com ~all)", gmail.comms_dns_report
        )
        self.assertIn(
            "DKIM: OK (google._domainkey.brand-a.example.com)", gmail.comms_dns_report
        )
        self.assertIn(
            "DMARC: missing. Publish: _dmarc.brand-a.example.com "
            'TXT "v=DMARC1; p=none;',
            gmail.comms_dns_report,
        )
        self.assertIn(
            "SPF: does not cover this server (v=spf1 ip4:192.0.2.99 -all). Publish: "
            'brand-b.example.com TXT "v=spf1 ip4:192.0.2.10 ~all"',
            custom.comms_dns_report,
        )
        self.assertIn("DMARC: OK (v=DMARC1; p=reject)", custom.comms_dns_report)
        self.assertIn(
            "DKIM: missing. Publish: default._domainkey.", custom.comms_dns_report
        )
