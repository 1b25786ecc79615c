import logging

from odoo import fields, models

from ..tools.call_restriction import InvalidNumber

_logger = logging.getLogger(__name__)

CALL_RULE_FAILURE = ("comms_call_rule", "Call Restriction")
TEST_MODE_FAILURE = ("comms_test_mode", "Account in Test Mode")


class SmsSms(models.Model):
    _inherit = "sms.sms"

    failure_type = fields.Selection(
        selection_add=[CALL_RULE_FAILURE, TEST_MODE_FAILURE]
    )

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """The one place every text goes through before the provider: those of an
        account that may not send them fail here, unsent, with the reason on
        their notification (the conversation shows them failed)."""
        refusals = self._comms_refusals()
        for sms, (failure_type, reason) in refusals.items():
            sms._comms_fail(failure_type, reason)
        sendable = self - self.browse([sms.id for sms in refusals])
        if not sendable:
            return None
        return super(SmsSms, sendable)._send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            raise_exception=raise_exception,
        )

    def _comms_refusals(self):
        """{sms: (failure_type, reason)} for the texts their account may not send."""
        refusals = {}
        for account_sudo, texts in self._comms_by_account().items():
            if account_sudo.test_mode:
                refusals.update(texts._comms_test_mode_refusals(account_sudo))
            else:
                refusals.update(texts._comms_call_rule_refusals(account_sudo))
        return refusals

    def _comms_by_account(self):
        """{account (sudo): sms} for the texts written in a conversation of a group
        owned by a subscriber account."""
        # sudo: the queue is sent by the cron or by the writer, who may read
        # neither the account nor its rules, which apply all the same.
        self_sudo = self.sudo()
        conversation_ids = {
            sms.mail_message_id.res_id
            for sms in self_sudo
            if sms.mail_message_id.model == "comms.conversation"
        }
        conversations_sudo = (
            self.env["comms.conversation"].sudo().browse(conversation_ids)
        )
        account_of = {
            conversation.id: conversation.group_id.comms_account_id
            for conversation in conversations_sudo.exists()
        }
        by_account = {}
        for sms in self_sudo:
            message = sms.mail_message_id
            account = message.model == "comms.conversation" and account_of.get(
                message.res_id
            )
            if account:
                by_account.setdefault(account, self.browse())
                by_account[account] |= sms
        return by_account

    def _comms_test_mode_refusals(self, account_sudo):
        return {
            sms: (
                TEST_MODE_FAILURE[0],
                account_sudo._test_mode_refusal("sms", sms.number),
            )
            for sms in self
        }

    def _comms_call_rule_refusals(self, account_sudo):
        restriction, region = self.env["comms.call.rule"]._restriction_of(account_sudo)
        refusals = {}
        for sms in self:
            try:
                decision = restriction.decide(sms.number or "", region)
            except InvalidNumber:
                continue  # Odoo and the provider report badly formed numbers
            if decision.allowed:
                continue
            rule_sudo = self.env["comms.call.rule"].sudo().browse(decision.rule.rule_id)
            refusals[sms] = (
                CALL_RULE_FAILURE[0],
                self.env._(
                    "The text to %(number)s is refused before sending: the account "
                    "%(account)s may not call this destination (call restriction "
                    "“%(rule)s”).",
                    number=sms.number,
                    account=account_sudo.display_name,
                    rule=rule_sudo.display_name,
                ),
            )
        return refusals

    def _comms_fail(self, failure_type, reason):
        _logger.info("SMS %s not sent: %s", self.id, reason)
        # sudo: notifications and trackers are technical records of the system
        self_sudo = self.sudo()
        self_sudo.write({"state": "error", "failure_type": failure_type})
        self_sudo.sms_tracker_id._action_update_from_sms_state(
            "error", failure_type=failure_type, failure_reason=reason
        )
