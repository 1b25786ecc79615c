from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.sms.tests.common import SMSCommon

EMAIL = """Return-Path: {return_path}
From: {email_from}
To: {to}
Subject: {subject}
Message-ID: {msg_id}
Date: Sun, 22 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
{extra}
{body}
"""


class CommsCase(SMSCommon):
    """Two groups of one company, their members, a manager, an outsider and a portal
    user, and helpers to deliver email and SMS the way the gateways do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.fr")
        inbox_user = "comms_shared_inbox.group_comms_user"
        for attribute, login, name, groups in (
            ("member", "member", "Marie Member", inbox_user),
            ("member2", "member2", "Paul Member", inbox_user),
            (
                "manager",
                "manager",
                "Mona Manager",
                "comms_shared_inbox.group_comms_manager",
            ),
            ("outsider", "outsider", "Otto Outsider", inbox_user),
            ("employee", "plain_employee", "Eve Employee", "base.group_user"),
            ("portal", "portal_customer", "Pat Portal", "base.group_portal"),
        ):
            user = mail_new_test_user(
                cls.env,
                login=login,
                name=name,
                groups=groups,
                email=f"{login}@example.com",
            )
            setattr(cls, attribute, user)
        cls.group = cls.env["comms.group"].create(
            {
                "name": "Lyon",
                "sms_number": "+33 4 72 11 22 33",
                "alias_name": "lyon-orders",
                "user_ids": [(6, 0, (cls.member | cls.member2).ids)],
                "manager_ids": [(6, 0, cls.manager.ids)],
            }
        )
        cls.other_group = cls.env["comms.group"].create(
            {
                "name": "Paris",
                "sms_number": "+33 1 40 00 00 00",
                "alias_name": "paris-sales",
                "user_ids": [(6, 0, cls.outsider.ids)],
            }
        )
        cls.alias_email = f"lyon-orders@{cls.alias_domain}"

    def deliver_email(
        self,
        email_from="Garage Martin <atelier@garage.example.com>",
        to=None,
        subject="PO-4471 brake pads",
        body="Hello, any news?",
        msg_id=None,
        extra="",
        return_path="<atelier@garage.example.com>",
    ):
        """Deliver as the mailgate script does; `return_path=None` leaves the
        header out, as a mail from a null sender does."""
        message = EMAIL.format(
            email_from=email_from,
            to=to or self.alias_email,
            subject=subject,
            msg_id=msg_id
            or f"<{subject.replace(' ', '-')}-{id(body)}@garage.example.com>",
            extra=extra,
            body=body,
            return_path=return_path,
        )
        if return_path is None:
            message = message.replace("Return-Path: None\n", "", 1)
        return self.env["mail.thread"].sudo().message_process(None, message)

    @staticmethod
    def switch_autoreply(group, event, channel, active=True):
        group.autoreply_ids.filtered(
            lambda a: (a.event, a.channel) == (event, channel)
        ).active = active

    def conversation_of(self, email=None, phone=None, group=None):
        domain = [("group_id", "=", (group or self.group).id)]
        if email:
            domain.append(("partner_id.email_normalized", "=", email))
        if phone:
            domain.append(("partner_id.phone_sanitized", "=", phone))
        return self.env["comms.conversation"].search(domain)
