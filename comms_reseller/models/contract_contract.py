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
