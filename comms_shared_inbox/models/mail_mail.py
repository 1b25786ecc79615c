from collections import defaultdict

from odoo import api, models
from odoo.tools import email_normalize

from ..tools.smtp_hints import hint_for_code


class MailMail(models.Model):
    _inherit = "mail.mail"

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        sendable = self._comms_guard_outgoing_addresses()
        return super(MailMail, sendable).send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )

    def _comms_guard_outgoing_addresses(self):
        """No silent fallback: mail From an outgoing address leaves through that
        address's server or not at all, and never outside the address's projects.

        Pins the address's server on its mail (so that _find_mail_server cannot pick
        another one and rewrite the From), fails what may never leave, and keeps
        waiting what may leave once the address passes its test. Returns the rest."""
        if not self.env["ir.mail_server"]._comms_any_address():
            return self
        # sudo: the queue and users' immediate sends both need every address's rules
        addresses_sudo = (
            self.env["ir.mail_server"]
            .sudo()
            .with_context(active_test=False)
            .search([("comms_is_address", "=", True)])
        )
        if not addresses_sudo:
            return self
        by_email = {a.comms_email: a for a in addresses_sudo}
        sendable_ids = [m.id for m in self if m.state != "outgoing"]  # _send skips them
        to_check = {
            mail: by_email.get(email_normalize(mail.email_from or ""))
            for mail in self.sudo()
            if mail.state == "outgoing"
        }
        projects = self._comms_projects_by_task([m for m, a in to_check.items() if a])
        to_pin = defaultdict(list)
        for mail, address in to_check.items():
            refusal = self._comms_refusal(mail, address, projects)
            if refusal:
                mail._comms_fail(refusal)
                continue
            if address:
                wait = address._comms_wait_reason()
                if wait:
                    mail._comms_hold(wait)
                    continue
                if mail.mail_server_id != address:
                    to_pin[address].append(mail.id)
            sendable_ids.append(mail.id)
        for address, mail_ids in to_pin.items():
            self.sudo().browse(mail_ids).mail_server_id = address
        return self.browse(sendable_ids)

    @api.model
    def _comms_projects_by_task(self, mails):
        """{task id: project} for the mails written on tasks, in one query."""
        task_ids = {m.res_id for m in mails if m.model == "project.task" and m.res_id}
        tasks_sudo = self.env["project.task"].sudo().browse(task_ids).exists()
        return {task.id: task.project_id for task in tasks_sudo}

    @api.model
    def _comms_refusal(self, mail, address, projects):
        server = mail.mail_server_id
        if server.comms_is_address and server != address:
            return self.env._(
                "%(server)s sends only from %(address)s, not from %(from)s.",
                server=server.display_name,
                address=server.comms_email,
                **{"from": mail.email_from},
            )
        if address and server and server != address:
            return self.env._(
                "Mail from %(address)s leaves only through its own server, not through "
                "%(server)s.",
                address=address.comms_email,
                server=server.display_name,
            )
        if address:
            # the author's right was checked when the message was written
            project = None
            if mail.model == "project.task":
                project = projects.get(mail.res_id, self.env["project.project"])
            return address._comms_refusal(None, mail.model, mail.res_id, project)
        return None

    def _comms_fail(self, reason):
        self.write(
            {
                "state": "exception",
                "failure_type": "mail_from_invalid",
                "failure_reason": reason,
            }
        )
        self._postprocess_sent_message(
            success_pids=[], failure_reason=reason, failure_type="mail_from_invalid"
        )

    def _comms_hold(self, reason):
        """Stays queued; the chatter shows why until the address works again."""
        self.failure_reason = reason
        notifications = self.env["mail.notification"].search(
            [
                ("mail_mail_id", "in", self.ids),
                ("notification_type", "=", "email"),
                ("notification_status", "not in", ("sent", "canceled")),
            ]
        )
        notifications.write(
            {
                "notification_status": "exception",
                "failure_type": "mail_smtp",
                "failure_reason": reason,
            }
        )

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        if failure_type == "mail_smtp" or (
            failure_reason and failure_type == "unknown"
        ):
            # The hint goes where Odoo put the reason: on the mail, and on the
            # notifications only when Odoo gives them one too.
            for mail in self.filtered("failure_reason"):
                mail.failure_reason = self._comms_with_hint(mail.failure_reason)
            if failure_reason:
                failure_reason = self._comms_with_hint(failure_reason)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )

    @api.model
    def _comms_with_hint(self, reason):
        hint = hint_for_code(reason)
        if not reason or not hint or str(hint) in reason:
            return reason
        return f"{reason}\n\n{hint}"
