from odoo import fields, models

from .sms_sms import TEST_MODE_FAILURE


class MailMail(models.Model):
    _inherit = "mail.mail"

    failure_type = fields.Selection(selection_add=[TEST_MODE_FAILURE])

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        """The emails of a conversation of an account in test mode fail here,
        unsent, with the reason on the mail and its notifications."""
        refused = self._comms_refuse_test_mode()
        return super(MailMail, self - refused).send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )

    def _comms_refuse_test_mode(self):
        # sudo: the queue is sent by the cron or by the writer, who may not read
        # the account; its test mode applies all the same.
        outgoing_sudo = self.sudo().filtered(
            lambda m: m.state == "outgoing" and m.model == "comms.conversation"
        )
        conversations_sudo = (
            self.env["comms.conversation"]
            .sudo()
            .browse(set(outgoing_sudo.mapped("res_id")))
            .exists()
        )
        accounts = {
            conversation.id: conversation.group_id.comms_account_id
            for conversation in conversations_sudo
            if conversation.group_id.comms_account_id.test_mode
        }
        refused = self.browse()
        for mail in outgoing_sudo.filtered(lambda m: m.res_id in accounts):
            recipients = mail.email_to or ", ".join(mail.recipient_ids.mapped("email"))
            reason = accounts[mail.res_id]._test_mode_refusal("email", recipients)
            mail.write(
                {
                    "state": "exception",
                    "failure_type": TEST_MODE_FAILURE[0],
                    "failure_reason": reason,
                }
            )
            mail._postprocess_sent_message(
                success_pids=[],
                failure_reason=reason,
                failure_type=TEST_MODE_FAILURE[0],
            )
            refused |= mail
        return self.browse(refused.ids)
