from odoo import api, models
from odoo.exceptions import UserError


class CommsFax(models.Model):
    _inherit = "comms.fax"

    @api.model_create_multi
    def create(self, vals_list):
        faxes = super().create(vals_list)
        faxes._raise_account_refusal()
        return faxes

    def action_retry(self):
        result = super().action_retry()
        self._raise_account_refusal()
        return result

    def _send_one(self, auto_commit=False):
        # A fax queued before the account's test mode or a rule fails with the
        # reason, unsent.
        refusal = self._account_refusals().get(self)
        if not refusal:
            return super()._send_one(auto_commit=auto_commit)
        self._set_failed(refusal)
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return False

    def _raise_account_refusal(self):
        refusals = self._account_refusals()
        if refusals:
            raise UserError("\n".join(refusals.values()))

    def _account_refusals(self):
        """{fax: message} for the queued outgoing faxes their subscriber account
        may not send: the account is in test mode, or may not call the number
        (comms.call.rule)."""
        refusals = {}
        queued = self.filtered(lambda f: f.direction == "out" and f.state == "queued")
        for fax in queued:
            # sudo: the sender (a member of the group) may not read the account
            # or its rules, but they apply to what the sender sends.
            account_sudo = fax.sudo().line_id.comms_account_id
            if not account_sudo:
                continue
            if account_sudo.test_mode:
                refusals[fax] = account_sudo._test_mode_refusal(
                    "fax", fax.remote_number
                )
                continue
            refusal = fax._call_rule_refusal(account_sudo)
            if refusal:
                refusals[fax] = refusal
        return refusals

    def _call_rule_refusal(self, account_sudo):
        decision = self.env["comms.call.rule"]._decide(account_sudo, self.remote_number)
        if decision.allowed:
            return None
        return self.env._(
            "The fax to %(number)s is refused before sending: the account "
            "%(account)s may not call this destination (call restriction "
            "“%(rule)s”).",
            number=self.remote_number,
            account=account_sudo.display_name,
            rule=decision.rule.sudo().display_name,
        )
