from markupsafe import Markup

from odoo import models


class ContractContract(models.Model):
    _inherit = "contract.contract"

    def _recurring_create_invoice(self, date_ref=False):
        moves = super()._recurring_create_invoice(date_ref)
        # Whoever invoices, the accounts' payment mode decides.
        card_accounts = (
            self.env["comms.account"]
            .sudo()
            .search_count(
                [("contract_id", "in", self.ids), ("payment_mode", "=", "card")],
                limit=1,
            )
        )
        if moves and card_accounts:
            # Charged from the queue, each in its own transaction.
            self.env.ref("comms_reseller.ir_cron_charge_card_invoices")._trigger()
        return moves

    def _prepare_recurring_invoices_values(self, date_ref=False):
        """A period with nothing to pay makes no invoice (an account whose plan
        its group's owner pays in units, an account on free lines only); its
        dates still move on, as OCA contract moves them while preparing."""
        values = super()._prepare_recurring_invoices_values(date_ref)
        return [vals for vals in values if self._invoice_values_to_pay(vals)]

    @staticmethod
    def _invoice_values_to_pay(vals):
        return any(
            line_vals.get("price_unit") and line_vals.get("quantity")
            for _command, _id, line_vals in vals.get("invoice_line_ids", [])
            if line_vals.get("display_type", "product") == "product"
        )

    def _add_contract_origin(self, invoices):
        """OCA contract's note "Invoice created by contract X" on each new
        invoice, logged in one batch: its message_post per invoice (a search of
        the contract's invoices and ~7 queries to notify no one, a note) made
        most of the monthly run's cost over creating the invoices."""
        by_contract = self.env._("by contract")
        bodies = {}
        for move in invoices:
            contract = move.invoice_line_ids.contract_line_id.contract_id[:1]
            if contract in self:
                link = contract._get_html_link(title=contract.display_name)
                bodies[move.id] = Markup("%s %s %s.") % (
                    move._creation_message(),
                    by_contract,
                    link,
                )
        invoices.browse(list(bodies))._message_log_batch(bodies=bodies)
