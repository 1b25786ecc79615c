import contextlib
from unittest.mock import patch

import odoo.modules.module

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import CommsCase


@contextlib.contextmanager
def real_smtp():
    """Lift, deliberately and only inside the block, the guard by which Odoo's test
    runner makes ir.mail_server.connect() and send_email() do nothing, so that Odoo's
    own code talks to the FakeSmtp server on loopback."""
    with patch.object(odoo.modules.module, "current_test", False):
        yield


class OutgoingAddressCase(CommsCase):
    """Two brands' projects with a task each, project users in and out of an allowed
    group, an administrator, and a helper creating addresses on a given server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_group = cls.env["res.groups"].create({"name": "Brand A sales"})
        project_user = "base.group_user,project.group_project_user"
        cls.seller = mail_new_test_user(
            cls.env,
            login="seller",
            name="Sam Seller",
            groups=project_user,
            email="sam@example.com",
        )
        cls.seller.groups_id += cls.sales_group
        cls.clerk = mail_new_test_user(
            cls.env,
            login="clerk",
            name="Cleo Clerk",
            groups=project_user,
            email="cleo@example.com",
        )
        cls.sysadmin = mail_new_test_user(
            cls.env,
            login="sysadmin",
            name="Ada Admin",
            groups=project_user + ",base.group_system",
            email="ada@example.com",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Garage Martin", "email": "atelier@garage.example.com"}
        )
        cls.project_a, cls.project_b = cls.env["project.project"].create(
            [
                {"name": "Brand A", "privacy_visibility": "employees"},
                {"name": "Brand B", "privacy_visibility": "employees"},
            ]
        )
        cls.task_a, cls.task_b = cls.env["project.task"].create(
            [
                {"name": "Order 1", "project_id": cls.project_a.id},
                {"name": "Order 2", "project_id": cls.project_b.id},
            ]
        )

    @classmethod
    def address(cls, email, port=2525, **values):
        return (
            cls.env["ir.mail_server"]
            .sudo()
            .create(
                {
                    "name": email.split("@")[0].title(),
                    "comms_is_address": True,
                    "comms_email": email,
                    "smtp_host": "127.0.0.1",
                    "smtp_port": port,
                    "smtp_user": email,
                    "smtp_pass": "secret",
                    "comms_test_state": "ok",
                    **values,
                }
            )
        )

    def post(self, record, user, **kwargs):
        return (
            record.with_user(user)
            .with_context(mail_post_autofollow=False)
            .message_post(
                body="Your order ships Thursday.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.customer.ids,
                **kwargs,
            )
        )

    def mail_of(self, message):
        return (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
