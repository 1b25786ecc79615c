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
        self._reserve_units()
        return result

    def _attach_document(self, data, mimetype=None):
        # The price is known once the pages are counted.
        result = super()._attach_document(data, mimetype=mimetype)
        self._reserve_units()
        return result

    def _set_sent(self):
        result = super()._set_sent()
        self._charge_units()
        return result

    def _set_failed(self, error):
        result = super()._set_failed(error)
        self._release_units()
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
        may not send: its plan paid with units expired, the account is in test
        mode, or may not call the number (comms.call.rule)."""
        refusals = {}
        queued = self.filtered(lambda f: f.direction == "out" and f.state == "queued")
        # sudo: the sender (a member of the group) may not read the account or
        # its rules, but they apply to what the sender sends.
        by_account = queued.grouped(lambda fax: fax.sudo().line_id.comms_account_id)
        for account_sudo, faxes in by_account.items():
            if not account_sudo:
                continue
            expired = account_sudo._units_expired_refusal()
            if expired:
                refusals.update(dict.fromkeys(faxes, expired))
                continue
            if account_sudo.test_mode:
                for fax in faxes:
                    refusals[fax] = account_sudo._test_mode_refusal(
                        "fax", fax.remote_number
                    )
                continue
            refusals.update(faxes._call_rule_refusals(account_sudo))
        return refusals

    def _call_rule_refusals(self, account_sudo):
        """{fax: message} for these faxes of one account, its rules read once."""
        Rule = self.env["comms.call.rule"]
        restriction, region = Rule._restriction_of(account_sudo)
        refusals = {}
        for fax in self:
            decision = Rule._decide_in(restriction, region, fax.remote_number)
            if decision.allowed:
                continue
            refusals[fax] = self.env._(
                "The fax to %(number)s is refused before sending: the account "
                "%(account)s may not call this destination (call restriction "
                "“%(rule)s”).",
                number=fax.remote_number,
                account=account_sudo.display_name,
                rule=decision.rule.sudo().display_name,
            )
        return refusals

    # Prepaid units: reserved when queued, charged when sent, released when
    # failed. Each step has its own key per sending attempt, so a webhook
    # replayed or a retry never charges twice.

    def _units_key(self, step):
        return f"fax-{self.id}-{self.retry_count}-{step}"

    def _units_wallet_sudo(self):
        # sudo: the sender (a member of the group) may not read the account or
        # its wallet, yet what they send is paid from it.
        return self.sudo().line_id.comms_account_id._units_wallet()

    def _units_price(self):
        account_sudo = self.sudo().line_id.comms_account_id
        pages = max(self.page_count, 1)  # an unreadable document: one page
        return pages * account_sudo.company_id.comms_units_per_fax_page

    def _reserve_units(self):
        queued = self.filtered(lambda f: f.direction == "out" and f.state == "queued")
        for fax in queued:
            units = fax._units_price()
            wallet_sudo = fax._units_wallet_sudo()
            if not (wallet_sudo and units):
                continue
            try:
                wallet_sudo._debit(
                    "reservation", units, source=fax, key=fax._units_key("reserve")
                )
            except UserError as error:
                raise UserError(
                    self.env._(
                        "The fax to %(number)s (%(pages)s) is refused before "
                        "sending: %(reason)s Buy units to send it.",
                        number=fax.remote_number,
                        pages=fax._pages_label(),
                        reason=error.args[0],
                    )
                ) from error

    def _units_reservation(self):
        wallet_sudo = self._units_wallet_sudo()
        return wallet_sudo, wallet_sudo._existing_moves(self._units_key("reserve"))

    def _charge_units(self):
        """The fax was sent: the units reserved when it was queued are charged."""
        for fax in self:
            wallet_sudo, reservation = fax._units_reservation()
            if not reservation:
                continue
            wallet_sudo._release(reservation, fax, fax._units_key("release"))
            wallet_sudo._debit(
                "consumption",
                -reservation.amount,
                source=fax,
                key=fax._units_key("charge"),
                allow_debt=True,  # the reservation just released covers it
            )

    def _release_units(self):
        """The fax failed: the units reserved for it are free again."""
        for fax in self:
            wallet_sudo, reservation = fax._units_reservation()
            if reservation:
                wallet_sudo._release(reservation, fax, fax._units_key("release"))
