from odoo import api, fields, models


class CommsUnitBuy(models.TransientModel):
    """Buy units: an invoice of units packs for a subscriber account, whose units
    are credited when it is paid."""

    _name = "comms.unit.buy"
    _description = "Buy Prepaid Units"

    account_id = fields.Many2one("comms.account", required=True, readonly=True)
    company_id = fields.Many2one(related="account_id.company_id")
    product_id = fields.Many2one(
        "product.product",
        string="Units Pack",
        required=True,
        domain="[('comms_units_pack', '=', True), "
        "('company_id', 'in', (False, company_id))]",
    )
    quantity = fields.Integer(string="Packs", required=True, default=1)
    units = fields.Integer(compute="_compute_units")

    @api.depends("product_id", "quantity")
    def _compute_units(self):
        for wizard in self:
            wizard.units = wizard.quantity * wizard.product_id.comms_units_per_pack

    def action_create_invoice(self):
        self.ensure_one()
        invoice = self.env["account.move"]._comms_create_units_invoice(
            self.account_id, self.product_id, self.quantity
        )
        return invoice.get_formview_action()
