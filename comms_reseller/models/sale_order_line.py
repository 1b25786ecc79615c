from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    comms_account_line_id = fields.Many2one(
        "comms.account.line",
        string="Plan Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    def _prepare_contract_line_values(
        self, contract, predecessor_contract_line_id=False
    ):
        """The account's contract lines are billed like the ones the account
        makes itself: monthly, pre-paid, at the accepted price, with no end."""
        values = super()._prepare_contract_line_values(
            contract, predecessor_contract_line_id
        )
        if self.order_id.comms_account_id:
            name = self.comms_account_line_id.name or self.product_id.display_name
            values.update(
                self.env["comms.account.line"]._contract_line_billing_vals(
                    name, self.price_unit, self.date_start
                )
            )
        return values

    def _comms_prepare_account_line_vals(self, contract_line):
        self.ensure_one()
        return {
            "account_id": self.order_id.comms_account_id.id,
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "quantity": self.product_uom_qty,
            "price_unit": self.price_unit,
            "contract_line_id": contract_line.id,
        }
