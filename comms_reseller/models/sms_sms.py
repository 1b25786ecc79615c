import logging

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.call_restriction import InvalidNumber
from ..tools.sms_segments import sms_segments

_logger = logging.getLogger(__name__)

CALL_RULE_FAILURE = ("comms_call_rule", "Call Restriction")
TEST_MODE_FAILURE = ("comms_test_mode", "Account in Test Mode")
UNITS_EXPIRED_FAILURE = ("comms_units_expired", "Plan Paid With Units Expired")


class SmsSms(models.Model):
    _inherit = "sms.sms"

    failure_type = fields.Selection(
        selection_add=[CALL_RULE_FAILURE, TEST_MODE_FAILURE, UNITS_EXPIRED_FAILURE]
    )

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """The one place every text goes through before the provider. Those of an
        account that may not send them (test mode, call restrictions) fail here,
        unsent, with the reason on their notification; the others of an account's
        groups are paid in units, and those the wallet cannot cover fail with
        Odoo's own “Insufficient Credit”; those the provider refused are given
        back."""
        refusals = self._comms_refusals()
        for sms, (failure_type, reason) in refusals.items():
            sms._comms_fail(failure_type, reason)
        sendable = self - self.browse([sms.id for sms in refusals])
        unpaid = sendable._comms_charge_units()
        if unpaid:
            unpaid._update_sms_state_and_trackers("error", failure_type="sms_credit")
        to_send = sendable - unpaid
        if not to_send:
            return None
        result = super(SmsSms, to_send)._send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            raise_exception=raise_exception,
        )
        to_send.exists().filtered(lambda s: s.state == "error")._comms_release_units()
        return result

    def _comms_refusals(self):
        """{sms: (failure_type, reason)} for the texts their account may not send."""
        refusals = {}
        for account_sudo, texts in self._comms_by_account().items():
            expired = account_sudo._units_expired_refusal()
            if expired:
                refusals.update(
                    {sms: (UNITS_EXPIRED_FAILURE[0], expired) for sms in texts}
                )
            elif account_sudo.test_mode:
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

    def _comms_account_sudo(self):
        """The subscriber account whose group sends this text, if any."""
        self.ensure_one()
        message = self.mail_message_id
        if message.model != "comms.conversation":
            return self.env["comms.account"]
        # sudo: texts are sent by the queue's cron for any group.
        conversation_sudo = self.env["comms.conversation"].sudo().browse(message.res_id)
        return conversation_sudo.group_id.comms_account_id

    def _comms_units_key(self, wallet_sudo, step):
        # A text given back after a provider error may be resent: each attempt
        # is paid once.
        released = wallet_sudo._existing_moves_of(self).filtered(
            lambda move: move.kind == "release"
        )
        return f"sms-{self.uuid}-{len(released)}-{step}"

    def _comms_charge_units(self):
        """Debit each text's segments from its account's wallet, once per text;
        returns the texts the wallets could not pay."""
        refused = self.browse()
        for sms in self:
            account_sudo = sms._comms_account_sudo()
            price = account_sudo.company_id.comms_units_per_sms_segment
            units = sms_segments(sms.body) * price
            if not (account_sudo and units):
                continue
            wallet_sudo = account_sudo._units_wallet()
            try:
                wallet_sudo._debit(
                    "consumption",
                    units,
                    source=sms,
                    key=sms._comms_units_key(wallet_sudo, "charge"),
                )
            except UserError:
                refused |= sms
        return refused

    def _comms_release_units(self):
        for sms in self:
            wallet_sudo = sms._comms_account_sudo()._units_wallet()
            charge = wallet_sudo._existing_moves(
                sms._comms_units_key(wallet_sudo, "charge")
            )
            if charge:
                key = sms._comms_units_key(wallet_sudo, "release")
                wallet_sudo._release(charge, sms, key)
