from odoo import api, models
from odoo.exceptions import UserError


class CommsFax(models.Model):
    _inherit = "comms.fax"

    @api.model_create_multi
    def create(self, vals_list):
        faxes = super().create(vals_list)
        faxes._raise_call_rule_refusal()
        return faxes

    def action_retry(self):
        result = super().action_retry()
        self._raise_call_rule_refusal()
        return result

    def _send_one(self, auto_commit=False):
        # A fax queued before a rule changed fails with the reason, unsent.
        refusal = self._call_rule_refusals().get(self)
        if not refusal:
            return super()._send_one(auto_commit=auto_commit)
        self._set_failed(refusal)
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return False

    def _raise_call_rule_refusal(self):
        refusals = self._call_rule_refusals()
        if refusals:
            raise UserError("\n".join(refusals.values()))

    def _call_rule_refusals(self):
        """{fax: message} for the queued outgoing faxes whose subscriber account
        may not call their number (comms.call.rule)."""
        refusals = {}
        queued = self.filtered(lambda f: f.direction == "out" and f.state == "queued")
        for fax in queued:
            # sudo: the sender (a member of the group) may not read the account
            # or its rules, but they apply to what the sender sends.
            account_sudo = fax.sudo().line_id.comms_account_id
            if not account_sudo:
                continue
            decision = self.env["comms.call.rule"]._decide(
                account_sudo, fax.remote_number
            )
            if not decision.allowed:
                refusals[fax] = self.env._(
                    "The fax to %(number)s is refused before sending: the account "
                    "%(account)s may not call this destination (call restriction "
                    "“%(rule)s”).",
                    number=fax.remote_number,
                    account=account_sudo.display_name,
                    rule=decision.rule.sudo().display_name,
                )
        return refusals
