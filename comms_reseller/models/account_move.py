from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    comms_account_id = fields.Many2one(
        "comms.account",
        string="Subscriber Account",
        readonly=True,
        index="btree_not_null",
        help="The subscriber account whose wallet the units packs of this invoice "
        "are credited to (debited for a credit note).",
    )
    comms_units_debt_allowed = fields.Boolean(
        string="Record Spent Units as Debt",
        copy=False,
        help="Post this credit note even though the units it takes back were "
        "already spent: the wallet goes below zero and the next purchase pays "
        "that debt first.",
    )

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        self.filtered(
            lambda move: move.move_type == "out_invoice" and move.comms_account_id
        )._comms_credit_units()
        return res

    def _post(self, soft=True):
        for move in self.filtered("comms_account_id"):
            # Fractional packs are refused now, not when the payment comes.
            for line in move._comms_units_lines():
                line._comms_units()
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda move: move.move_type == "out_refund" and move.comms_account_id
        )._comms_take_back_units()
        return posted

    def _comms_units_lines(self):
        return self.invoice_line_ids.filtered("product_id.comms_units_pack")

    def _comms_credit_units(self):
        """Credit the units packs of these paid invoices, once per invoice line
        whatever happens to the payment afterwards (unreconciled and reconciled
        again, paid twice)."""
        for invoice in self:
            # sudo: whoever records the payment (an accountant without rights on
            # subscriber accounts), the units are the client's.
            wallet_sudo = invoice.comms_account_id.sudo()._units_wallet()
            for line in invoice._comms_units_lines():
                wallet_sudo._credit(
                    "purchase",
                    line._comms_units(),
                    source=line,
                    key=f"invoice-line-{line.id}",
                )

    def _comms_take_back_units(self):
        """A credit note of a units invoice takes back the units that invoice
        credited; nothing when they were never credited (unpaid invoice)."""
        for refund in self:
            wallet_sudo = refund.comms_account_id.sudo()._units_wallet()
            credited = wallet_sudo._existing_moves_of(
                refund.reversed_entry_id._comms_units_lines()
            )
            if not credited:
                continue
            for line in refund._comms_units_lines():
                wallet_sudo._take_back(
                    line._comms_units(),
                    source=line,
                    key=f"refund-line-{line.id}",
                    allow_debt=refund.comms_units_debt_allowed,
                )

    @api.model
    def _comms_units_invoice_vals(self, account, product, quantity):
        company = account.company_id
        return {
            "move_type": "out_invoice",
            "partner_id": account.partner_id.id,
            "company_id": company.id,
            "comms_account_id": account.id,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "account_id": company.comms_units_account_id.id,
                    }
                )
            ],
        }
