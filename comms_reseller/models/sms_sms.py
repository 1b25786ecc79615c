from odoo import models
from odoo.exceptions import UserError

from ..tools.sms_segments import sms_segments


class SmsSms(models.Model):
    _inherit = "sms.sms"

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Texts of an account's groups are paid in units before they reach the
        provider; those the wallet cannot cover fail with Odoo's own
        “Insufficient Credit”, and those the provider refused are given back."""
        refused = self._comms_charge_units()
        if refused:
            refused._update_sms_state_and_trackers("error", failure_type="sms_credit")
        to_send = self - refused
        if not to_send:
            return None
        result = super(SmsSms, to_send)._send(
            unlink_failed=unlink_failed,
            unlink_sent=unlink_sent,
            raise_exception=raise_exception,
        )
        to_send.exists().filtered(lambda s: s.state == "error")._comms_release_units()
        return result

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
